/**
 * Queueing closed forms the simulator is checked against (and that a user can
 * put beside a simulated pool): M/M/1 and M/M/c mean waits via the Erlang C
 * formula, the Erlang B loss probability, and Little's law.
 *
 * Erlang C (Kleinrock, "Queueing Systems" vol. 1, 1975, eq. 3.40; Gross &
 * Harris, "Fundamentals of Queueing Theory", §2.3): with offered load
 * a = λ/μ and c servers, ρ = a/c < 1,
 *   P(wait) = C(c, a) = (a^c/c! · 1/(1−ρ)) / (Σ_{k<c} a^k/k! + a^c/c! · 1/(1−ρ))
 *   Wq = C(c, a) / (cμ − λ).
 * It is computed from Erlang B's recurrence (erlangC below), which neither
 * overflows nor loses precision at large c and a.
 */

/** Probability that an arrival waits in an M/M/c queue (Erlang C). */
export function erlangC(servers: number, arrivalRatePerSec: number, serviceRatePerSec: number): number {
  const a = arrivalRatePerSec / serviceRatePerSec;
  const rho = a / servers;
  if (!(rho < 1)) return 1;
  // From Erlang B by C = c·B / (c − a·(1 − B)) (Kleinrock 1975, §3.5): the
  // direct sum of a^k/k! overflows to Infinity/Infinity = NaN past a ≈ 700
  // (a hosted-LLM pool of 2,000 connections at 90 % load), the B recurrence
  // stays in [0, 1].
  const b = erlangB(servers, a);
  return (servers * b) / (servers - a * (1 - b));
}

/**
 * Probability that an arrival finds all c servers busy in a loss system
 * without a queue (Erlang B, M/G/c/c – insensitive to the service law;
 * Kleinrock 1975, §3.6): B(0, a) = 1, B(k, a) = a·B(k−1, a) / (k + a·B(k−1, a)),
 * the recurrence that stays stable for large c. A bulkhead of c calls on a
 * stage with spare servers is this system.
 */
export function erlangB(servers: number, offeredLoad: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/** Mean wait in queue (seconds) of an M/M/c queue; Infinity when ρ ≥ 1. */
export function mmcMeanWaitSec(servers: number, arrivalRatePerSec: number, serviceRatePerSec: number): number {
  const capacity = servers * serviceRatePerSec;
  if (!(arrivalRatePerSec < capacity)) return Infinity;
  return erlangC(servers, arrivalRatePerSec, serviceRatePerSec) / (capacity - arrivalRatePerSec);
}

/** Little's law L = λ·W: mean number in a system from its throughput and mean time in it. */
export function littlesLawMeanInSystem(throughputPerSec: number, meanTimeInSystemSec: number): number {
  return throughputPerSec * meanTimeInSystemSec;
}
