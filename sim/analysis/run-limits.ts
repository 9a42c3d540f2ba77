/**
 * The up-front budget of a run: how many engine events and how much memory a
 * model will take, estimated from its parameters before anything is
 * simulated, so that a scenario that would run for hours or exhaust memory is
 * refused with the estimate instead of started.
 *
 * Events per request (request-path.ts, recovery.ts schedule exactly these):
 * one arrival, one deadline timer when there is a deadline, and per attempt
 * one completion plus one time-limit timer when the definition has a time
 * limit; one timer per retry (the backoff); per hedge one timer and at most one
 * extra attempt. The attempt, retry and hedge counts are demand.ts's expected
 * values.
 *
 * Memory: a fixed part – the runtime (RUNTIME_MB), deadline timers, which
 * outlive their requests, and trace timestamps – plus a part per request held
 * in memory: its request-table slot (RequestTable.bytesPerSlot; the table may
 * briefly hold its old half while doubling, ×1.5), its queue entries and its
 * pending events (arrays that double and copy, ×3). Requests held at the peak
 * come from Little's law per pool, L = λ·(W_q + S) with W_q the M/M/c wait
 * (queueing.ts), plus the longest queue n arrivals are likely to see when
 * queue lengths have a geometric tail of ratio ρ, ln n / ln(1/ρ) (the M/M/1
 * queue-length law, Kleinrock vol. 1 eq. 3.11). An unstable pool (stability.ts)
 * adds its growth over the arrival span.
 *
 * A stable model whose estimate is over the memory budget is refused. An
 * unstable one is not: its memory is bounded by the cap on requests held in
 * memory that the budget leaves (`inFlightCap`) – the simulation stops
 * admitting there and ends the run truncated, the rest counted as rejected.
 */
import type { LimitsModel, Model } from '../path/model.js';
import { expectedDemand, type Demand } from './demand.js';
import { stabilityOf, openArrivalRatePerSec } from './stability.js';
import { mmcMeanWaitSec } from './queueing.js';
import { hasLlmCalls } from '../llm/model.js';
import { RequestTable } from '../path/request-table.js';
import { Engine } from '../kernel/engine.js';
import { makeCountSampler } from '../kernel/count-dist.js';
import { ResourcePool } from '../path/pool.js';

/**
 * Two billion events is about ten minutes of one core at the reference
 * model's 4 million events/s (`coordgap bench-sim`); 1,500 MB fits a run in
 * a 2 GB container next to the runtime.
 */
export const DEFAULT_LIMITS: Readonly<LimitsModel> = { maxEvents: 2e9, maxMemoryMb: 1500 };

/**
 * Memory of the runtime itself: Node, the loaded modules and one worker
 * thread. Measured: `coordgap run` of a 1,000-request scenario peaks at
 * 105 MB RSS in one thread and 128 MB with one worker thread.
 */
export const RUNTIME_MB = 128;

const MIB = 1024 * 1024;
/** Collector, histograms, runtime tables: a generous constant. */
const COLLECTOR_MB = 2;
/** Trace timestamps: the loaded array, the copy sent to a worker and the model's. */
const BYTES_PER_TRACE_POINT = 24;
/** Erlang C sums over the servers; beyond this many, waits are taken as 0 (the tail term still counts). */
const MAX_ERLANG_SERVERS = 10_000;

/** The model's limits with every default filled in. */
export function limitsOf(model: Model): LimitsModel {
  return { ...DEFAULT_LIMITS, ...model.limits };
}

/** `model` with some limits overridden (the CLI's --max-events / --max-memory-mb). */
export function withLimits(model: Model, overrides: Partial<LimitsModel> | undefined): Model {
  if (overrides === undefined || (overrides.maxEvents === undefined && overrides.maxMemoryMb === undefined)) return model;
  const limits = limitsOf(model);
  if (overrides.maxEvents !== undefined) limits.maxEvents = overrides.maxEvents;
  if (overrides.maxMemoryMb !== undefined) limits.maxMemoryMb = overrides.maxMemoryMb;
  return { ...model, limits };
}

export interface RunEstimate {
  requests: number;
  eventsPerRequest: number;
  /** Engine events of one run (one replication). */
  events: number;
  /** Requests held in memory at the peak, were nothing capped. */
  peakInFlight: number;
  /** The cap on requests held in memory that limits.maxMemoryMb leaves after the fixed part. */
  inFlightCap: number;
  /** Open arrivals offer some pool more than it can serve (stability.ts): its memory is capped by admission, not by the queueing estimate. */
  unstable: boolean;
  /** The peak is above the cap: the run will stop admitting there and end truncated. */
  truncationExpected: boolean;
  /** Peak memory of one run, MB (capped at the in-flight cap when unstable). */
  memoryMb: number;
  memoryParts: { runtimeMb: number; requestsMb: number; timersMb: number; traceMb: number };
  limits: LimitsModel;
}

/** Requests held in memory at the peak (see the module comment). */
function peakInFlight(model: Model, demand: Demand, ratePerSec: number): number {
  const n = model.requests;
  const a = model.arrivals;
  if (a.kind === 'closed') return Math.min(a.users, n);
  if (!(ratePerSec < Infinity)) return n;
  let held = (ratePerSec * demand.backoffMs) / 1000;
  model.pools.forEach((p, i) => {
    const busyMs = demand.poolBusyMs[i];
    if (!(busyMs > 0)) return;
    const attemptsPerSec = ratePerSec * demand.poolAttempts[i];
    const holdMs = busyMs / demand.poolAttempts[i];
    const rho = (ratePerSec * busyMs) / 1000 / p.servers;
    if (rho < 1) {
      const waitSec = p.servers <= MAX_ERLANG_SERVERS ? mmcMeanWaitSec(p.servers, attemptsPerSec, 1000 / holdMs) : 0;
      held += attemptsPerSec * (waitSec + holdMs / 1000);
      if (rho > 0) held += Math.log(Math.max(2, n)) / -Math.log(rho);
    } else if (p.queueCapacity !== Infinity) {
      held += p.servers + p.queueCapacity;
    } else {
      const growthPerSec = ratePerSec - (p.servers * 1000) / busyMs;
      held += p.servers + growthPerSec * (n / ratePerSec);
    }
  });
  return Math.min(n, held);
}

/**
 * Request-table slots one request holds at once: its own, and on a graph its
 * branches – a parallel node's every branch, a map's mean items, one for a
 * loop's iteration or a sub-graph's run – weighted by the composite's visits
 * per request (graph-flow.ts). 1 for a chain.
 */
export function slotsPerRequest(model: Model, demand: Demand): number {
  const graph = model.graph;
  if (graph === undefined || demand.nodeVisits === undefined) return 1;
  const n = model.stages.length;
  let slots = 1;
  graph.composites.forEach((c, i) => {
    const width = c.kind === 'parallel' ? c.flows.length : c.kind === 'map' ? makeCountSampler(c.itemsSpec!).mean : 1;
    slots += demand.nodeVisits![n + i] * width;
  });
  return slots;
}

/** Estimates one run of `model` (one replication) against its limits. */
export function estimateRun(model: Model): RunEstimate {
  const limits = limitsOf(model);
  const demand = expectedDemand(model);
  const n = model.requests;
  let eventsPerRequest = 1 + (model.deadlineMs !== Infinity ? 1 : 0);
  let timed = false;
  let hedged = false;
  let attemptsPerSlot = 1;
  for (const d of demand.defs) {
    eventsPerRequest += d.attempts * (d.timed ? 2 : 1) + d.retries + 2 * d.hedges;
    timed ||= d.timed && d.attempts > 0;
    hedged ||= d.hedges > 0;
  }
  for (const s of [...model.stages, ...model.fallbacks])
    if (s.attemptTimeoutMs !== Infinity) attemptsPerSlot = Math.max(attemptsPerSlot, s.retry.maxAttempts);
  const stability = stabilityOf(model, demand);
  const rate = model.arrivals.kind === 'closed' ? (stability.arrivalRatePerSec ?? Infinity) : openArrivalRatePerSec(model);

  const definitions = model.stages.length + model.fallbacks.length + (model.escalation === null ? 0 : 1);
  const positions = model.stages.some((s) => s.propagate) ? model.stages.length : 0;
  // Abandoned attempts stay queued after their caller retried: up to maxAttempts entries per request.
  const queueEntries = Math.min(attemptsPerSlot, 64);
  const eventsPerSlot = 1 + (timed ? 1 : 0) + (hedged ? 1 : 0);
  const bytesPerSlot =
    1.5 * RequestTable.bytesPerSlot(definitions, positions, model.graph !== undefined, hasLlmCalls(model)) +
    3 * (ResourcePool.BYTES_PER_ENTRY * queueEntries + Engine.BYTES_PER_EVENT * eventsPerSlot);

  const deadlineTimers = model.deadlineMs === Infinity ? 0 : Math.min(n, (rate * model.deadlineMs) / 1000);
  const timersMb = (3 * Engine.BYTES_PER_EVENT * (Number.isFinite(deadlineTimers) ? deadlineTimers : n)) / MIB;
  const traceMb = model.arrivals.kind === 'trace' ? (BYTES_PER_TRACE_POINT * model.arrivals.timestampsMs.length) / MIB : 0;
  const fixedMb = RUNTIME_MB + COLLECTOR_MB + timersMb + traceMb;
  const inFlightCap = Math.max(0, Math.floor(((limits.maxMemoryMb - fixedMb) * MIB) / bytesPerSlot));

  // A graph's branches take slots of their own (composites.ts): the cap counts slots, a request holds several.
  const slots = slotsPerRequest(model, demand);
  const peak = peakInFlight(model, demand, rate) * slots;
  const unstable = !stability.stable;
  const held = unstable ? Math.min(peak, inFlightCap) : peak;
  const requestsMb = (held * bytesPerSlot) / MIB;
  return {
    requests: n,
    eventsPerRequest,
    events: n * eventsPerRequest,
    peakInFlight: peak,
    inFlightCap,
    unstable,
    truncationExpected: peak > inFlightCap,
    memoryMb: fixedMb + requestsMb,
    memoryParts: { runtimeMb: RUNTIME_MB + COLLECTOR_MB, requestsMb, timersMb, traceMb },
    limits,
  };
}

/** The cap on requests held in memory for a run of `model` (at least 1). */
export function inFlightCap(model: Model): number {
  return Math.max(1, estimateRun(model).inFlightCap);
}

/** A run refused before it started: its estimate is over a limit. Exit 2 in the CLI. */
export class BudgetError extends Error {
  constructor(
    /** events, memory: one run (here); totalEvents, runs: the whole experiment (experiment-limits.ts). */
    readonly limit: 'events' | 'memory' | 'totalEvents' | 'runs',
    readonly estimate: RunEstimate | { runs: number; totalEvents: number },
    message: string,
  ) {
    super(message);
    this.name = 'BudgetError';
  }
}

/** 3.07e9 → "3.1e9"; below a million, digits with separators. */
export function formatCount(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) < 1e6) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(2)).toExponential().replace('e+', 'e');
}

function formatMb(x: number): string {
  return Math.ceil(x).toLocaleString('en-US');
}

/** What to lower when memory is over: the largest part. */
function memoryHint(model: Model, e: RunEstimate): string {
  const p = e.memoryParts;
  if (p.timersMb >= p.requestsMb && p.timersMb >= p.traceMb) return 'shorten the deadline or lower the arrival rate (each request keeps a deadline timer)';
  if (p.traceMb >= p.requestsMb) return 'use a shorter trace';
  if (model.arrivals.kind === 'closed') return 'lower arrivals.users';
  return 'lower the arrival rate or requests';
}

/**
 * Refuses a run whose estimate is over its limits: throws a BudgetError that
 * names the estimate, the limit and how to raise it. `subject` names the run
 * in the message ("the scenario", "variant faster-gpu").
 */
export function checkBudget(model: Model, subject = 'the scenario'): RunEstimate {
  const e = estimateRun(model);
  const { maxEvents, maxMemoryMb } = e.limits;
  // A figure that is not finite is no estimate at all: over budget, never "not over".
  if (!Number.isFinite(e.events) || !Number.isFinite(e.memoryMb))
    throw new BudgetError(
      !Number.isFinite(e.events) ? 'events' : 'memory',
      e,
      `${subject} cannot be estimated (events ${formatCount(e.events)}, memory ${formatCount(e.memoryMb)} MB): its retries, fallbacks or nesting are beyond what the estimate covers, so it is refused rather than run unbounded`,
    );
  if (e.events > maxEvents)
    throw new BudgetError(
      'events',
      e,
      `${subject} would take about ${formatCount(e.events)} events (limit ${formatCount(maxEvents)}); lower requests or raise limits.maxEvents / --max-events`,
    );
  if (e.memoryMb > maxMemoryMb)
    throw new BudgetError(
      'memory',
      e,
      `${subject} would need about ${formatMb(e.memoryMb)} MB (limit ${formatMb(maxMemoryMb)} MB) with about ${formatCount(e.peakInFlight)} requests in memory at once; ` +
        `${memoryHint(model, e)}, or raise limits.maxMemoryMb / --max-memory-mb`,
    );
  return e;
}
