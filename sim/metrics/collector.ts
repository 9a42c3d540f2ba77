/**
 * Everything a run measures, in fixed-size arrays and histograms: memory does
 * not grow with the number of requests. Mergeable (counts add, histograms
 * merge), so replications combine exactly.
 *
 * Per-definition arrays are indexed like the runtime's definitions:
 * [stages…, fallbacks…, human].
 */
import { LatencyHistogram, type LatencyHistogramJson } from '../kernel/histogram.js';
import { fromUnits, toUnits } from '../kernel/exact-sum.js';
import type { ResourcePool } from '../path/pool.js';
import type { DefinitionRuntime } from '../path/runtime.js';
import { REJECTED, SUCCESS } from '../path/outcomes.js';
import { POLICY_COUNTERS, type PolicyCounterName } from '../policies/registry.js';

/** Why a run was cut short (RunCollector.truncatedBy): the in-flight cap from the memory budget, or the event limit. */
export const TRUNCATED_BY_MEMORY = 1;
export const TRUNCATED_BY_EVENTS = 2;

/**
 * The per-definition counters every run keeps, in merge order; the policies
 * add theirs (policies/registry.ts POLICY_COUNTERS), after these.
 */
const CORE_DEF_COUNTERS = [
  'defAttempts', 'defErrors', 'defTimeouts', 'defSilentInjected', 'defStaleReads', 'defBusyMs', 'defQueueWaitMs', 'defWasted', 'defShed',
] as const;

const DEF_COUNTERS: readonly (typeof CORE_DEF_COUNTERS[number] | PolicyCounterName)[] = [...CORE_DEF_COUNTERS, ...POLICY_COUNTERS.map((c) => c.counter)];

/** A graph's counters (empty arrays for a chain); all add when replications merge. */
const GRAPH_FIELDS = [
  'nodeVisits', 'compositeIterations', 'compositeExits', 'compositeLimitHits', 'compositeObservedErrors', 'compositeBranches', 'compositeAbandoned',
  'compositeFailures', 'loopIterationCounts',
] as const;

/** Every array a collector holds, for serialisation. */
const ARRAY_FIELDS = [
  ...DEF_COUNTERS,
  'outcomes', 'poolBusyMs', 'poolQueueWaitMs', 'poolAttempts', 'poolMaxQueue', 'edgeContextLoss', 'edgeMismatch', 'attribution',
  ...GRAPH_FIELDS,
  'llmCallsPerRequest',
] as const;

/** LLM calls per request the histogram tells apart (collector.llmCallsPerRequest); more share the last bucket. */
export const LLM_CALL_BUCKETS = 1025;

/** What a run measures beyond the model's shape: per-request LLM figures, goodput. */
export interface CollectorOptions {
  /** Keep per-request LLM calls and tokens (a model with LLM calls). */
  llm?: boolean;
  /** Goodput's latency target (0: none). */
  goodputLatencyMs?: number;
}

/** Iteration counts a loop's histogram tells apart (collector.loopIterationCounts); more share the last bucket. */
export const LOOP_HISTOGRAM_BUCKETS = 1025;

export interface GraphShape {
  nodes: number;
  composites: number;
}
const NO_GRAPH: GraphShape = { nodes: 0, composites: 0 };

export interface RunCollectorJson {
  v: 1;
  scalars: {
    requestsStarted: number;
    requestsFinished: number;
    spanMs: number;
    lastWorkEndMs: number;
    events: number;
    escalations: number;
    humanResolved: number;
    tokenCostUsd: number;
    truncatedRequests: number;
    truncatedRuns: number;
    truncatedAtMs: number;
    truncatedBy: number;
    inFlightLimit: number;
    goodputLatencyMs: number;
    goodputRequests: number;
  };
  arrays: Record<string, number[]>;
  successLatency: LatencyHistogramJson;
  allLatency: LatencyHistogramJson;
  llmTokensPerRequest: LatencyHistogramJson;
  timeline: { bucketMs: number; buckets: number; counts: number[] } | null;
  /** A merged collector's exact sums (exact-sum.ts units as decimal strings), per summed field; absent for one run's. */
  exact?: Record<string, string[]>;
}

/** Scalars that add when replications merge and are not whole numbers (exact sums keep them grouping-independent). */
const SUMMED_SCALARS = ['spanMs', 'tokenCostUsd'] as const;
/** Arrays that add when replications merge: every array but poolMaxQueue, which takes the larger instead. */
const SUMMED_ARRAYS = ARRAY_FIELDS.filter((k): k is Exclude<(typeof ARRAY_FIELDS)[number], 'poolMaxQueue'> => k !== 'poolMaxQueue');

/**
 * The policies' counters, one Float64Array per definition each, typed from
 * the registry: a policy that declares `defHedges` finds
 * `collector.defHedges` here without this file naming it.
 */
export interface RunCollector extends Readonly<Record<PolicyCounterName, Float64Array>> {}

export class RunCollector {
  requestsStarted = 0;
  requestsFinished = 0;
  events = 0;
  escalations = 0;
  humanResolved = 0;
  /** Requests without an outcome when a run was cut short, counted as rejected (see truncate). */
  truncatedRequests = 0;
  /** Runs cut short (replications add). */
  truncatedRuns = 0;
  /** Simulated time of the earliest cut, ms; −1 when none. */
  truncatedAtMs = -1;
  /** What cut it: 0 nothing, else TRUNCATED_BY_MEMORY or TRUNCATED_BY_EVENTS. */
  truncatedBy = 0;
  /** The in-flight cap of a run cut short (the largest across replications). */
  inFlightLimit = 0;
  /** Goodput's latency target, ms (0: none). */
  readonly goodputLatencyMs: number;
  /** Successful requests within that target. */
  goodputRequests = 0;
  /**
   * The scalars written on every attempt or outcome, kept in a Float64Array:
   * V8 may box a double stored in an object field on every write, and these
   * are the hottest writes of the run.
   */
  private readonly hot = new Float64Array(3);
  /** Simulated time from 0 to the last outcome or the end of the last work, whichever is later (summed over merged replications). */
  get spanMs(): number {
    return this.hot[0];
  }
  set spanMs(v: number) {
    this.hot[0] = v;
  }
  /** End of the last attempt (abandoned work can outlast every outcome). */
  get lastWorkEndMs(): number {
    return this.hot[1];
  }
  set lastWorkEndMs(v: number) {
    this.hot[1] = v;
  }
  get tokenCostUsd(): number {
    return this.hot[2];
  }
  set tokenCostUsd(v: number) {
    this.hot[2] = v;
  }
  readonly outcomes = new Float64Array(6);
  /** End-to-end latency of successful requests. */
  readonly successLatency = new LatencyHistogram();
  /** End-to-end latency of every finished request except rejected ones. */
  readonly allLatency = new LatencyHistogram();
  readonly defAttempts: Float64Array;
  readonly defErrors: Float64Array;
  readonly defTimeouts: Float64Array;
  readonly defSilentInjected: Float64Array;
  readonly defStaleReads: Float64Array;
  readonly defBusyMs: Float64Array;
  readonly defQueueWaitMs: Float64Array;
  /** Attempts whose caller had given up before they started or finished (work done for nothing). */
  readonly defWasted: Float64Array;
  /** Requests turned away by a full pool queue. */
  readonly defShed: Float64Array;
  readonly poolBusyMs: Float64Array;
  readonly poolQueueWaitMs: Float64Array;
  readonly poolAttempts: Float64Array;
  readonly poolMaxQueue: Float64Array;
  /** Hand-off faults by receiving stage position. */
  readonly edgeContextLoss: Float64Array;
  readonly edgeMismatch: Float64Array;
  /** Non-success requests by the origin code of their first fault (see origins.ts). */
  readonly attribution: Float64Array;

  // ---- a graph's counters (empty for a chain): per node, per composite node.
  /** Times each node was entered (stages and composites; retries in place are not visits). */
  readonly nodeVisits: Float64Array;
  /** Per composite: iterations run (loops), summed over the loop's exits. */
  readonly compositeIterations: Float64Array;
  /** Per composite: times a loop ended (stopped, failed or hit its limit). */
  readonly compositeExits: Float64Array;
  /** Per composite: loop exits at the step limit. */
  readonly compositeLimitHits: Float64Array;
  /** Per composite: failed iterations the agent observed and went on from. */
  readonly compositeObservedErrors: Float64Array;
  /** Per composite: branches (fan-out branches, loop iterations, sub-graph runs) started. */
  readonly compositeBranches: Float64Array;
  /** Per composite: branches abandoned still running (an `any` or quorum join decided, or the request ended). */
  readonly compositeAbandoned: Float64Array;
  /** Per composite: joins that failed (the branches could no longer meet the join). */
  readonly compositeFailures: Float64Array;
  /**
   * Per composite, LOOP_HISTOGRAM_BUCKETS counts of iterations at a loop's
   * exit: bucket k holds exits after exactly k iterations, the last bucket
   * every exit after at least that many. Exact quantiles below it.
   */
  readonly loopIterationCounts: Float64Array;

  /**
   * LLM_CALL_BUCKETS counts of LLM calls per finished request (bucket k: exactly
   * k calls, the last: at least that many); empty without LLM calls.
   */
  readonly llmCallsPerRequest: Float64Array;
  /** Tokens in and out per finished request (empty without LLM calls). */
  readonly llmTokensPerRequest = new LatencyHistogram();

  /** Goodput timeline (null unless the scenario asks for one). */
  readonly timeline: Timeline | null;

  /**
   * `edges`: hand-off edges (a chain's stages); `graph`: nodes and composite
   * nodes of a graph model, whose counters are kept (0 and 0 for a chain).
   */
  constructor(
    definitions: number,
    pools: number,
    edges: number,
    origins: number,
    timelineBucketMs = 0,
    graph: GraphShape = NO_GRAPH,
    options: CollectorOptions = {},
  ) {
    this.timeline = timelineBucketMs > 0 ? new Timeline(timelineBucketMs) : null;
    this.llmCallsPerRequest = new Float64Array(options.llm === true ? LLM_CALL_BUCKETS : 0);
    this.goodputLatencyMs = options.goodputLatencyMs ?? 0;
    this.defAttempts = new Float64Array(definitions);
    this.defErrors = new Float64Array(definitions);
    this.defTimeouts = new Float64Array(definitions);
    this.defSilentInjected = new Float64Array(definitions);
    this.defStaleReads = new Float64Array(definitions);
    this.defBusyMs = new Float64Array(definitions);
    this.defQueueWaitMs = new Float64Array(definitions);
    this.defWasted = new Float64Array(definitions);
    this.defShed = new Float64Array(definitions);
    for (const { counter } of POLICY_COUNTERS) (this as Record<PolicyCounterName, Float64Array>)[counter] = new Float64Array(definitions);
    this.poolBusyMs = new Float64Array(pools);
    this.poolQueueWaitMs = new Float64Array(pools);
    this.poolAttempts = new Float64Array(pools);
    this.poolMaxQueue = new Float64Array(pools);
    this.edgeContextLoss = new Float64Array(edges);
    this.edgeMismatch = new Float64Array(edges);
    this.attribution = new Float64Array(origins);
    this.nodeVisits = new Float64Array(graph.nodes);
    this.compositeIterations = new Float64Array(graph.composites);
    this.compositeExits = new Float64Array(graph.composites);
    this.compositeLimitHits = new Float64Array(graph.composites);
    this.compositeObservedErrors = new Float64Array(graph.composites);
    this.compositeBranches = new Float64Array(graph.composites);
    this.compositeAbandoned = new Float64Array(graph.composites);
    this.compositeFailures = new Float64Array(graph.composites);
    this.loopIterationCounts = new Float64Array(graph.composites * LOOP_HISTOGRAM_BUCKETS);
  }

  /**
   * Only the per-definition counters are written per attempt: the per-pool
   * totals and the token cost follow from them in `finish` (a definition runs
   * on one pool at one price per call) – three fewer writes on the hottest
   * path (measured ~3 % of the reference model's time).
   */
  attemptStarted(def: number, waitedMs: number, holdMs: number, nowMs: number): void {
    if (this.timeline !== null) this.timeline.add(nowMs, 2);
    this.defAttempts[def]++;
    this.defBusyMs[def] += holdMs;
    this.defQueueWaitMs[def] += waitedMs;
  }

  /** `origin` is the origin code of the request's first fault, or −1 for none. */
  requestFinished(outcome: number, latencyMs: number, origin: number, nowMs: number): void {
    this.outcomes[outcome]++;
    this.requestsFinished++;
    this.spanMs = nowMs;
    if (this.timeline !== null) this.timeline.add(nowMs, outcome === SUCCESS ? 0 : 1);
    if (outcome === SUCCESS) {
      this.successLatency.record(latencyMs, this.allLatency);
      if (latencyMs <= this.goodputLatencyMs) this.goodputRequests++;
    } else {
      this.attribution[origin < 0 ? this.attribution.length - 1 : origin]++;
      if (outcome !== REJECTED) this.allLatency.record(latencyMs);
    }
  }

  /** A finished request's LLM calls and tokens (a model with LLM calls). */
  requestLlm(calls: number, tokens: number): void {
    this.llmCallsPerRequest[Math.min(calls, LLM_CALL_BUCKETS - 1)]++;
    this.llmTokensPerRequest.record(tokens);
  }

  /**
   * Ends a run cut short at `nowMs`: the `remaining` requests that have no
   * outcome are counted as rejected – never arrived, or admitted but not
   * finished – so the outcome counts still sum to the requests. They carry no
   * latency and no fault origin.
   *
   * `overhangMs[def]`: the service time the definition's attempts still in
   * service would run past `nowMs`. attemptStarted booked each attempt's
   * whole service time; the run ends here, so busy time (and utilisation,
   * and server cost) keeps only the part inside [0, nowMs].
   */
  truncate(remaining: number, nowMs: number, by: number, inFlightLimit: number, overhangMs: ArrayLike<number>): void {
    for (let d = 0; d < this.defBusyMs.length; d++) this.defBusyMs[d] -= overhangMs[d];
    this.outcomes[REJECTED] += remaining;
    this.requestsFinished += remaining;
    this.truncatedRequests += remaining;
    this.truncatedRuns++;
    this.truncatedAtMs = nowMs;
    this.truncatedBy = by;
    this.inFlightLimit = inFlightLimit;
    if (nowMs > this.spanMs) this.spanMs = nowMs;
  }

  finish(pools: readonly ResourcePool[], defs: readonly DefinitionRuntime[], events: number): void {
    this.events = events;
    if (this.lastWorkEndMs > this.spanMs) this.spanMs = this.lastWorkEndMs;
    for (let i = 0; i < pools.length; i++) this.poolMaxQueue[i] = pools[i].maxQueueLength;
    defs.forEach((d, i) => {
      this.poolBusyMs[d.poolIndex] += this.defBusyMs[i];
      this.poolQueueWaitMs[d.poolIndex] += this.defQueueWaitMs[i];
      this.poolAttempts[d.poolIndex] += this.defAttempts[i];
      this.tokenCostUsd += this.defAttempts[i] * d.tokenCostUsd + this.defLlmCostUsd[i];
      if (d.breaker !== null) {
        this.defBreakerRejected[i] = d.breaker.rejected;
        this.defBreakerOpened[i] = d.breaker.opened;
      }
      if (d.budget !== null) this.defBudgetDenied[i] = d.budget.denied;
    });
  }

  /** A structured-clone- and JSON-safe form, for crossing worker boundaries; round-trips exactly. */
  toJSON(): RunCollectorJson {
    const exact = this.exactJson();
    const arrays: Record<string, number[]> = {};
    for (const k of ARRAY_FIELDS) arrays[k] = Array.from(this[k]);
    return {
      v: 1,
      scalars: {
        requestsStarted: this.requestsStarted,
        requestsFinished: this.requestsFinished,
        spanMs: this.spanMs,
        lastWorkEndMs: this.lastWorkEndMs,
        events: this.events,
        escalations: this.escalations,
        humanResolved: this.humanResolved,
        tokenCostUsd: this.tokenCostUsd,
        truncatedRequests: this.truncatedRequests,
        truncatedRuns: this.truncatedRuns,
        truncatedAtMs: this.truncatedAtMs,
        truncatedBy: this.truncatedBy,
        inFlightLimit: this.inFlightLimit,
        goodputLatencyMs: this.goodputLatencyMs,
        goodputRequests: this.goodputRequests,
      },
      arrays,
      successLatency: this.successLatency.toJSON(),
      allLatency: this.allLatency.toJSON(),
      llmTokensPerRequest: this.llmTokensPerRequest.toJSON(),
      timeline: this.timeline === null ? null : { bucketMs: this.timeline.bucketMs, buckets: this.timeline.buckets, counts: Array.from(this.timeline.counts) },
      ...(exact !== undefined ? { exact } : {}),
    };
  }

  static fromJSON(j: RunCollectorJson): RunCollector {
    const c = new RunCollector(
      j.arrays.defAttempts.length,
      j.arrays.poolBusyMs.length,
      j.arrays.edgeContextLoss.length,
      j.arrays.attribution.length,
      j.timeline === null ? 0 : j.timeline.bucketMs,
      { nodes: j.arrays.nodeVisits?.length ?? 0, composites: j.arrays.compositeExits?.length ?? 0 },
      { llm: (j.arrays.llmCallsPerRequest?.length ?? 0) > 0, goodputLatencyMs: j.scalars.goodputLatencyMs },
    );
    const { goodputLatencyMs: _target, ...scalars } = j.scalars;
    Object.assign(c, scalars);
    for (const k of ARRAY_FIELDS) if (j.arrays[k] !== undefined) c[k].set(j.arrays[k]);
    c.successLatency.merge(LatencyHistogram.fromJSON(j.successLatency));
    c.allLatency.merge(LatencyHistogram.fromJSON(j.allLatency));
    c.llmTokensPerRequest.merge(LatencyHistogram.fromJSON(j.llmTokensPerRequest));
    if (j.timeline !== null && c.timeline !== null) {
      c.timeline.bucketMs = j.timeline.bucketMs;
      c.timeline.buckets = j.timeline.buckets;
      c.timeline.counts.set(j.timeline.counts);
    }
    if (j.exact !== undefined) {
      c.exact = new Map();
      for (const [k, units] of Object.entries(j.exact)) {
        if (!Array.isArray(units) || !units.every((u) => typeof u === 'string' && /^-?\d+$/.test(u))) throw new RangeError(`collector json.exact.${k} must be whole numbers of units as strings`);
        c.exact.set(k, units.map((u) => BigInt(u)));
      }
    }
    return c;
  }

  /**
   * After a merge: each summed field's exact sum (exact-sum.ts), so that
   * merging replications in any order or grouping gives the same figures to
   * the last bit – what a sharded run needs to equal a one-machine run. Used
   * only while the field still reads as the rounding of it.
   */
  private exact: Map<string, bigint[]> | null = null;

  /** A field's values in exact units: the merged sums while they stand for the floats, else the floats' own. */
  private unitsOf(key: string, values: ArrayLike<number>): bigint[] {
    const units = this.exact?.get(key);
    if (units !== undefined && units.length === values.length && units.every((u, i) => fromUnits(u) === values[i])) return units;
    return Array.from(values, toUnits);
  }

  /** Adds another replication's measurements into this one; sums are exact, so grouping and order do not change them. */
  merge(other: RunCollector): void {
    this.requestsStarted += other.requestsStarted;
    this.requestsFinished += other.requestsFinished;
    this.events += other.events;
    this.escalations += other.escalations;
    this.humanResolved += other.humanResolved;
    this.goodputRequests += other.goodputRequests;
    if (other.truncatedRuns > 0) {
      this.truncatedAtMs = this.truncatedRuns > 0 ? Math.min(this.truncatedAtMs, other.truncatedAtMs) : other.truncatedAtMs;
      this.truncatedBy = Math.max(this.truncatedBy, other.truncatedBy);
      this.inFlightLimit = Math.max(this.inFlightLimit, other.inFlightLimit);
    }
    this.truncatedRequests += other.truncatedRequests;
    this.truncatedRuns += other.truncatedRuns;
    this.successLatency.merge(other.successLatency);
    this.allLatency.merge(other.allLatency);
    this.llmTokensPerRequest.merge(other.llmTokensPerRequest);
    const exact = new Map<string, bigint[]>();
    const add = (key: string, mine: Float64Array, theirs: ArrayLike<number>): void => {
      const a = this.unitsOf(key, mine);
      const b = other.unitsOf(key, theirs);
      const sum = a.map((u, i) => u + b[i]);
      exact.set(key, sum);
      for (let i = 0; i < sum.length; i++) mine[i] = fromUnits(sum[i]);
    };
    for (const k of SUMMED_SCALARS) {
      const mine = Float64Array.of(this[k]);
      add(k, mine, [other[k]]);
      this[k] = mine[0];
    }
    for (const k of SUMMED_ARRAYS) add(k, this[k], other[k]);
    this.exact = exact;
    for (let i = 0; i < this.poolMaxQueue.length; i++) this.poolMaxQueue[i] = Math.max(this.poolMaxQueue[i], other.poolMaxQueue[i]);
    if (this.timeline !== null && other.timeline !== null) this.timeline.merge(other.timeline);
  }

  /** The exact sums that still stand for their fields, for toJSON. */
  private exactJson(): Record<string, string[]> | undefined {
    if (this.exact === null) return undefined;
    const out: Record<string, string[]> = {};
    const values = (k: string): ArrayLike<number> => ((SUMMED_SCALARS as readonly string[]).includes(k) ? [this[k as (typeof SUMMED_SCALARS)[number]]] : this[k as (typeof SUMMED_ARRAYS)[number]]);
    // Only the fields whose exact sum says more than the floats do (and only while it stands for them).
    for (const [k, units] of this.exact) {
      const v = values(k);
      if (this.unitsOf(k, v) === units && units.some((u, i) => u !== toUnits(v[i]))) out[k] = units.map(String);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}

/**
 * Counts per time bucket – successes, other outcomes, attempts started – in at
 * most MAX_BUCKETS buckets: when time runs past the last one, neighbouring
 * buckets merge and the width doubles, so memory stays bounded however long
 * the run.
 */
export class Timeline {
  static readonly MAX_BUCKETS = 512;
  readonly counts = new Float64Array(3 * Timeline.MAX_BUCKETS);
  buckets = 0;

  constructor(public bucketMs: number) {}

  add(nowMs: number, series: number): void {
    let i = Math.floor(nowMs / this.bucketMs);
    while (i >= Timeline.MAX_BUCKETS) {
      this.halve();
      i = Math.floor(nowMs / this.bucketMs);
    }
    if (i >= this.buckets) this.buckets = i + 1;
    this.counts[3 * i + series]++;
  }

  private halve(): void {
    const c = this.counts;
    for (let k = 0; k < Timeline.MAX_BUCKETS / 2; k++)
      for (let s = 0; s < 3; s++) c[3 * k + s] = c[6 * k + s] + c[6 * k + 3 + s];
    c.fill(0, (3 * Timeline.MAX_BUCKETS) / 2);
    this.bucketMs *= 2;
    this.buckets = Math.ceil(this.buckets / 2);
  }

  /** Adds another replication's counts (replications overlay in simulated time). */
  merge(other: Timeline): void {
    while (this.bucketMs < other.bucketMs) this.halve();
    const copy = new Timeline(other.bucketMs);
    copy.counts.set(other.counts);
    copy.buckets = other.buckets;
    while (copy.bucketMs < this.bucketMs) copy.halve();
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += copy.counts[i];
    this.buckets = Math.max(this.buckets, copy.buckets);
  }
}
