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
 * admission instead. Closed-loop arrivals (N users, think time Z) are
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
import type { Model } from './model.js';
import { expectedDemand, type Demand } from './demand.js';

export interface PoolStability {
  id: string;
  /** ρ = λ·D/c; null when infinite (all requests at once, or a latency with an infinite mean). */
  offeredLoad: number | null;
  /** Requests per second the pool's queue grows by: λ − c/D when ρ ≥ 1 with an unbounded queue, else 0; null when infinite. */
  growthPerSec: number | null;
  /** The queue is bounded (`queueCapacity`): overload is rejected at admission instead of queued. */
  bounded: boolean;
}

export interface StabilityReport {
  /** No pool with ρ ≥ 1 and an unbounded queue (always true for closed-loop arrivals). */
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
   * (demand.ts, every hedge counted as started) and measured in the run. Set
   * by a run (result.ts), absent in the model-only report.
   */
  attemptsPerRequest?: { expected: number; measured: number };
  /**
   * The run made at least AMPLIFIED_WORK times the attempts its fault rates
   * explain: work the closed forms do not see – attempts timing out while
   * queued and retried (a retry storm), or an incident – so the offered loads
   * above understate the real load.
   */
  workAmplified?: boolean;
}

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
  const pools: PoolStability[] = model.pools.map((p, i) => {
    const busyMs = demand.poolBusyMs[i];
    const rho = busyMs === 0 ? 0 : (rate * busyMs) / 1000 / p.servers;
    const bounded = p.queueCapacity !== Infinity;
    const grows = !closed && !bounded && rho >= 1;
    const growth = grows ? rate - (p.servers * 1000) / busyMs : 0;
    return { id: p.id, offeredLoad: finite(rho), growthPerSec: finite(growth), bounded };
  });
  const stable = closed || pools.every((p, i) => p.bounded || (p.offeredLoad !== null && p.offeredLoad < 1) || demand.poolBusyMs[i] === 0);
  let note: string;
  if (closed) note = `closed-loop arrivals: at most ${Math.min(a.users, model.requests)} requests are in flight, so the system is stable by construction (offered load is the most the users can offer)`;
  else if (stable) note = 'every pool has spare capacity (offered load < 1) or sheds overload at admission (bounded queue)';
  else {
    const worst = pools.filter((p) => p.growthPerSec !== 0).map((p) => p.id);
    note = `offered load ≥ 1 with an unbounded queue on ${worst.join(', ')}: the queue grows without bound for as long as requests arrive`;
  }
  return { stable, arrivals: closed ? 'closed' : 'open', arrivalRatePerSec: finite(rate), pools, note, truncated: false };
}
