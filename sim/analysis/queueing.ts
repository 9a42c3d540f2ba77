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
 * Terms are built iteratively (a^k/k! = a^{k−1}/(k−1)! · a/k) so large c
 * neither overflows nor loses precision.
 */

/** Probability that an arrival waits in an M/M/c queue (Erlang C). */
export function erlangC(servers: number, arrivalRatePerSec: number, serviceRatePerSec: number): number {
  const a = arrivalRatePerSec / serviceRatePerSec;
  const rho = a / servers;
  if (!(rho < 1)) return 1;
  let term = 1; // a^0/0!
  let sum = 0;
  for (let k = 0; k < servers; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = term / (1 - rho); // a^c/c! · 1/(1−ρ)
  return top / (sum + top);
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
