/**
 * Whether the offered traffic fits the servers, from the model alone.
 *
 * A pool's offered load is ρ = λ · D / c: arrival rate λ, busy time D one
 * request puts on the pool (every expected attempt on every definition that
 * runs there, demand.ts), c servers. With ρ ≥ 1 and an unbounded queue no
 * steady state exists (Kleinrock, "Queueing Systems" vol. 1, §3.2: the
 * M/M/1 queue is ergodic iff ρ < 1; Loynes 1962 for G/G/c): the queue grows
 * by about λ − c/D = (ρ − 1)·c/D requests per second, and a run holds more
 * and more requests in memory until it ends – or, in a long run, until the
 * process dies. A bounded queue (`queueCapacity`) sheds the excess at
 * admission instead – which is overload all the same: a pool can carry at
 * most c/D requests per second, so of the λ offered at least
 * 1 − c/(λ·D) = 1 − 1/ρ is refused (the carried load of a loss system never
 * exceeds its servers; Kleinrock vol. 1, §3.6, M/M/m/K: blocking probability
 * P_K ≥ 1 − 1/ρ). Neither is a system that serves its traffic, so both count
 * as unstable here. Closed-loop arrivals (N users, think time Z) are
 * self-limiting: at most N requests are ever in flight, so the system is
 * stable by construction; their offered load is the most the users can offer,
 * λ ≤ N / (Z + Σ D) (the interactive response-time law, Lazowska et al.,
 * "Quantitative System Performance", 1984, §3.3), and ρ ≥ 1 there means
 * saturated, not growing.
 *
 * The expected attempts leave out timeouts caused by queueing, so where an
 * overloaded stage's attempts time out in the queue and are retried, the real
 * load is higher still (a retry storm): ρ here is a lower bound.
 */
import type { Model } from '../path/model.js';
import { expectedDemand, type Demand } from './demand.js';

export interface PoolStability {
  id: string;
  /** ρ = λ·D/c; null when infinite (all requests at once, or a latency with an infinite mean). */
  offeredLoad: number | null;
  /** Requests per second the pool's queue grows by: λ − c/D when ρ ≥ 1 with an unbounded queue, else 0; null when infinite. */
  growthPerSec: number | null;
  /** The queue is bounded (`queueCapacity`): overload is rejected at admission instead of queued. */
  bounded: boolean;
  /**
   * Share of the work offered to the pool that it must refuse at admission,
   * at least: 1 − 1/ρ when ρ ≥ 1 with a bounded queue (1 when ρ is infinite),
   * else 0 (open arrivals only).
   */
  shedAtLeast: number;
}

/** Attempts a pool refused because its queue was full (measured in a run). */
export interface PoolShedding {
  id: string;
  /** Attempts refused at admission. */
  attempts: number;
  /** Their share of every attempt that asked the pool for a server. */
  share: number;
}

export interface StabilityReport {
  /**
   * No pool with ρ ≥ 1, bounded queue or not (always true for closed-loop
   * arrivals): an unbounded queue would grow without end, a bounded one sheds
   * at least 1 − 1/ρ of the work (see `shedAtLeast`).
   */
  stable: boolean;
  arrivals: 'open' | 'closed';
  /** Mean arrival rate, requests/s (closed loop: the most the users can offer); null when all arrive at once. */
  arrivalRatePerSec: number | null;
  pools: PoolStability[];
  /** Plain words on what the figures mean for this model. */
  note: string;
  /** The run was cut short (see RunCollector.truncate); the figures below are set only then. */
  truncated: boolean;
  /** Simulated time of the cut, ms (the earliest across replications). */
  truncatedAtMs?: number;
  /** Requests without an outcome at the cut, counted as `rejected`. */
  truncatedRequests?: number;
  /** Replications cut short. */
  truncatedRuns?: number;
  /** What cut it: the cap on requests in memory (from limits.maxMemoryMb) or the event limit (limits.maxEvents). */
  truncatedBy?: 'memory' | 'events';
  /** The cap on requests held in memory that was reached (memory cuts). */
  inFlightLimit?: number;
  /**
   * Attempts per admitted request: expected from the fault rates alone
   * (demand.ts, every hedge counted as started) and measured in the run –
   * less the calls an LLM provider refused (429, 529, quota) or that timed
   * out before their first token, which the fault rates do not cover and
   * the provider figures report (result.llm). Set by a run (result.ts),
   * absent in the model-only report.
   */
  attemptsPerRequest?: { expected: number; measured: number };
  /**
   * The run made at least AMPLIFIED_WORK times the attempts its fault rates
   * explain: work the closed forms do not see – attempts timing out while
   * queued and retried (a retry storm), or an incident – so the offered loads
   * above understate the real load.
   */
  workAmplified?: boolean;
  /**
   * Attempts refused at admission by a full queue (`queueCapacity`), per pool
   * that refused any, measured in the run. Set by a run, absent in the
   * model-only report and when nothing was shed.
   */
  shed?: PoolShedding[];
  /**
   * Some pool refused at least SHEDDING_SHARE of the attempts that asked it
   * for a server: the figures describe a system turning work away, whatever ρ
   * says (a small queue sheds bursts even below ρ = 1).
   */
  shedding?: boolean;
}

/**
 * Share of a pool's attempts refused at admission from which a run counts as
 * shedding: 1 %, the loss probability at which telephone trunks are sized
 * ("grade of service" P.01, the traditional Erlang B design point) – beyond
 * it a pool is turning away work as a matter of course, not by accident.
 */
export const SHEDDING_SHARE = 0.01;

/**
 * Measured over expected attempts per request from which a run counts as
 * amplified. The expected figure is within a few per cent of the simulated
 * one wherever queueing causes no faults (budget.test.ts and the bundled
 * scenarios); a retry storm is many times over it (retry-storm.yaml: ~20×).
 */
export const AMPLIFIED_WORK = 1.5;
/** Fewer admitted requests than this say too little to call a run amplified. */
const MIN_REQUESTS_FOR_AMPLIFICATION = 100;

/** Expected attempts per request (hedges included as if each started one). */
export function expectedAttemptsPerRequest(demand: Demand): number {
  return demand.defs.reduce((sum, d) => sum + d.attempts + d.hedges, 0);
}

/** Compares a run's attempts with the expected ones (see StabilityReport.attemptsPerRequest). */
export function workAmplification(expected: number, attempts: number, admitted: number): Pick<StabilityReport, 'attemptsPerRequest' | 'workAmplified'> {
  if (!(admitted > 0) || !Number.isFinite(expected)) return {};
  const measured = attempts / admitted;
  return {
    attemptsPerRequest: { expected, measured },
    workAmplified: admitted >= MIN_REQUESTS_FOR_AMPLIFICATION && measured >= AMPLIFIED_WORK * expected,
  };
}

/** Mean arrival rate of open arrivals, requests/s; Infinity when every request arrives at once. */
export function openArrivalRatePerSec(model: Model): number {
  const a = model.arrivals;
  switch (a.kind) {
    case 'poisson':
      return a.ratePerSec;
    case 'fixed':
      return a.intervalMs > 0 ? 1000 / a.intervalMs : Infinity;
    case 'trace': {
      const n = Math.min(model.requests, a.timestampsMs.length);
      if (n < 2) return 0;
      const spanMs = a.timestampsMs[n - 1] - a.timestampsMs[0];
      return spanMs > 0 ? ((n - 1) / spanMs) * 1000 : Infinity;
    }
    case 'closed':
      return NaN;
  }
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The stability of `model`'s traffic (no truncation fields: those come from a run). */
export function stabilityOf(model: Model, demand: Demand = expectedDemand(model)): StabilityReport {
  const a = model.arrivals;
  const closed = a.kind === 'closed';
  let rate: number;
  if (a.kind === 'closed') {
    const busyMs = demand.poolBusyMs.reduce((x, y) => x + y, 0);
    const cycleMs = a.thinkTime.meanMs + busyMs + demand.backoffMs;
    rate = cycleMs > 0 ? (Math.min(a.users, model.requests) / cycleMs) * 1000 : Infinity;
  } else rate = openArrivalRatePerSec(model);
  const rhos = model.pools.map((p, i) => (demand.poolBusyMs[i] === 0 ? 0 : (rate * demand.poolBusyMs[i]) / 1000 / p.servers));
  // ρ ≥ 1, or not a number at all (all requests at once); closed loops cannot overload.
  const overloaded = rhos.map((rho, i) => !closed && demand.poolBusyMs[i] > 0 && !(rho < 1));
  const pools: PoolStability[] = model.pools.map((p, i) => {
    const busyMs = demand.poolBusyMs[i];
    const rho = rhos[i];
    const bounded = p.queueCapacity !== Infinity;
    const growth = overloaded[i] && !bounded ? rate - (p.servers * 1000) / busyMs : 0;
    const shedAtLeast = overloaded[i] && bounded ? 1 - 1 / rho : 0;
    return { id: p.id, offeredLoad: finite(rho), growthPerSec: finite(growth), bounded, shedAtLeast };
  });
  const stable = !overloaded.includes(true);
  let note: string;
  if (closed) note = `closed-loop arrivals: at most ${Math.min(a.users, model.requests)} requests are in flight, so the system is stable by construction (offered load is the most the users can offer)`;
  else if (stable) note = 'every pool has spare capacity (offered load < 1)';
  else {
    const parts: string[] = [];
    const growing = pools.filter((p, i) => overloaded[i] && !p.bounded);
    const shedding = pools.filter((p, i) => overloaded[i] && p.bounded);
    if (growing.length > 0)
      parts.push(`offered load ≥ 1 with an unbounded queue on ${growing.map((p) => p.id).join(', ')}: the queue grows without bound for as long as requests arrive`);
    if (shedding.length > 0)
      parts.push(
        `offered load ≥ 1 with a bounded queue on ${shedding.map((p) => `${p.id} (at least ${Math.floor(p.shedAtLeast * 100)} % of its work refused)`).join(', ')}: the excess is shed at admission`,
      );
    note = parts.join('; ');
  }
  return { stable, arrivals: closed ? 'closed' : 'open', arrivalRatePerSec: finite(rate), pools, note, truncated: false };
}

/**
 * What a run's pools refused at admission (StabilityReport.shed and
 * .shedding), from its per-definition counters: `attempts[d]` started and
 * `shed[d]` refused by a full queue, definitions indexed like the runtime's
 * (stages, fallbacks, then the human pool of the escalation).
 */
export function admissionShedding(model: Model, attempts: ArrayLike<number>, shed: ArrayLike<number>): Pick<StabilityReport, 'shed' | 'shedding'> {
  const poolOf = [...model.stages, ...model.fallbacks].map((s) => s.poolIndex);
  if (model.escalation !== null) poolOf.push(model.escalation.poolIndex);
  const asked = model.pools.map(() => 0);
  const refused = model.pools.map(() => 0);
  poolOf.forEach((pool, d) => {
    asked[pool] += attempts[d] + shed[d];
    refused[pool] += shed[d];
  });
  const pools: PoolShedding[] = [];
  model.pools.forEach((p, i) => {
    if (refused[i] > 0) pools.push({ id: p.id, attempts: refused[i], share: refused[i] / asked[i] });
  });
  if (pools.length === 0) return {};
  return { shed: pools, shedding: pools.some((p) => p.share >= SHEDDING_SHARE) };
}
