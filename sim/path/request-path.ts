/**
 * The request path: requests walk the graph's nodes (graph.ts; a chain's
 * stages in order) as routing.ts says; each attempt holds a
 * server of its pool for a drawn service time and ends ok, silently corrupted,
 * stale (acted on stale state), in a loud error, in a timeout, or caught by the
 * stage's input validation; hand-offs between stages can lose context or
 * mismatch formats. What a detected fault leads to is the recovery layer's
 * business (recovery.ts), what a loop or fan-out does composites.ts'; this
 * class moves requests and keeps the books.
 */
import { Engine, type EventHandler } from '../kernel/engine.js';
import { RandomStreams } from '../kernel/rng.js';
import { attemptKeyOf, outputKeyOf, requestKey } from '../kernel/keyed.js';
import { MAX_DEFINITIONS, type Model } from './model.js';
import { RunCollector, TRUNCATED_BY_MEMORY, TRUNCATED_BY_EVENTS } from '../metrics/collector.js';
import { RequestTable, MAX_EVENTS_PER_RUN } from './request-table.js';
import { limitsOf, inFlightCap } from '../analysis/run-limits.js';
import { buildRuntime, activeIncident, type DefinitionRuntime, type EdgeRuntime, type Runtime } from './runtime.js';
import { SUCCESS, SILENT_FAILURE, ESCALATED, REJECTED, OUTCOMES } from './outcomes.js';
import { edgeOrigin, stageOrigin, stateOrigin, originCount, graphOf } from './origins.js';
import { pickSuccessor } from './routing.js';
import { FLOW_END, type GraphModel } from './graph.js';
import {
  ATTEMPT_OK, ATTEMPT_CORRUPT, ATTEMPT_STALE, ATTEMPT_ERROR, ATTEMPT_TIMEOUT, ATTEMPT_CAUGHT,
  FAULT_MISMATCH, FAULT_REJECTED, ATTEMPT_RATE_LIMITED, ATTEMPT_OVERLOADED, ATTEMPT_QUOTA, drawAttemptResult,
} from './attempt.js';
import { llmAttemptMs, refusedByProvider } from './llm-call.js';
import { hasLlmCalls } from '../llm/model.js';

/** Event kinds: the engine's `kind` word (payload `a` is the request's slot). */
const EV_ARRIVAL = 0;
const EV_ATTEMPT_DONE = 1;
export const EV_RETRY = 2;
const EV_DEADLINE = 3;
const EV_HEDGE = 4;
const EV_ATTEMPT_TIMEOUT = 5;

export type TraceKind =
  | 'arrive' | 'start' | 'hedge' | 'ok' | 'corrupt' | 'stale' | 'error' | 'timeout' | 'caught'
  | 'contextLoss' | 'mismatch' | 'retry' | 'fallback' | 'breakerReject' | 'bulkheadReject' | 'escalate' | 'end'
  // A graph's composite nodes (composites.ts): a branch, iteration or sub-graph run starts; a join decides; a loop hits its step limit; a failure takes its onFailure route.
  | 'branch' | 'join' | 'joinFailed' | 'observed' | 'loopLimit' | 'onFailure'
  // An LLM provider refused the call (sim/llm): a 429, a 529/503, a used-up quota.
  | 'rateLimited' | 'overloaded' | 'quota';

/** One step of a request's life, for tests and debugging (`onTrace`). */
export interface TraceEvent {
  timeMs: number;
  request: number;
  kind: TraceKind;
  stage?: string;
  attempt?: number;
  /** For 'end': the outcome. For 'retry': the backoff in ms. For 'fallback': the definition. For 'branch': the branch index or iteration. */
  detail?: string | number;
  /** For 'start' and 'hedge' of an LLM call: its tokens in and out, and its time to first token (absent without one). */
  inputTokens?: number;
  outputTokens?: number;
  ttftMs?: number;
}

export interface SimulateOptions {
  onTrace?: (e: TraceEvent) => void;
  /**
   * Stop after this many engine events (a resource guard); the run ends
   * truncated. Default: the model's limits.maxEvents. Never more than
   * MAX_EVENTS_PER_RUN, which keeps attempt tokens exact.
   */
  maxEvents?: number;
  /**
   * Requests held in memory (in flight, or ended with work still pending) at
   * which arrivals stop being admitted and the run ends truncated. Default:
   * the cap the model's limits.maxMemoryMb leaves (analysis/run-limits.ts inFlightCap).
   */
  maxInFlight?: number;
  /**
   * The seed every random stream derives from; default: the model's. A run
   * option rather than a copy of the model (`{...model, seed}`): a spread copy
   * has another hidden class, so the hot paths that read `this.model` would
   * turn polymorphic from the second replication on.
   */
  seed?: number | string;
}

/**
 * A completion's event kind: EV_ATTEMPT_DONE in the low 3 bits, the attempt's
 * result (< 16: four bits, for the LLM provider's refusals) and definition
 * (< 256, MAX_DEFINITIONS) above – so the payload
 * word is the attempt token alone, all 32 bits of it (request-table.ts
 * MAX_EVENTS_PER_RUN). The token used to share that word, `token << 9 |
 * pool << 3 | result`, and kept 23 bits: a request's 2^23rd attempt never
 * ended. The definition, not just its pool: a run cut short takes the time
 * its attempts in service would still have run off their definition's busy
 * time (serviceOverhangMs), and an abandoned attempt's definition is in no
 * other place by then.
 */
export function doneKind(def: number, result: number): number {
  return EV_ATTEMPT_DONE | (result << 3) | (def << 7);
}

/** The trace kind of each detected fault an attempt can end in (by result code). */
const FAULT_TRACE: Readonly<Record<number, TraceKind>> = {
  [ATTEMPT_TIMEOUT]: 'timeout',
  [ATTEMPT_ERROR]: 'error',
  [ATTEMPT_CAUGHT]: 'caught',
  [ATTEMPT_RATE_LIMITED]: 'rateLimited',
  [ATTEMPT_OVERLOADED]: 'overloaded',
  [ATTEMPT_QUOTA]: 'quota',
};

/**
 * Moves requests along the stages; the recovery decisions are the abstract
 * methods at the end, implemented by PipelineSimulation.
 */
export abstract class RequestPath implements EventHandler {
  readonly engine = new Engine(256);
  readonly collector: RunCollector;
  protected readonly defs: DefinitionRuntime[];
  protected readonly edges: (EdgeRuntime | null)[];
  protected readonly table: RequestTable;
  protected readonly stageCount: number;
  /** The graph the request follows: the model's, or the chain of its stages (graph.ts chainGraph). */
  protected readonly graph: GraphModel;
  /** The model has a graph: tokens fork and join, per-node visits are counted. */
  protected readonly isGraph: boolean;
  /** Nodes (stages, then composites) and hand-off edges: the origin codes' layout (origins.ts). */
  protected readonly nodeCount: number;
  protected readonly edgeCount: number;
  /** The position a request holds while with the escalation human (past every node). */
  protected readonly humanPosition: number;
  /** defs.length: the stride of the per-(request, definition) arrays. */
  protected readonly defCount: number;
  protected readonly onTrace: ((e: TraceEvent) => void) | null;
  protected readonly rt: Runtime;
  protected issued = 0;
  /** Some stage passes its failures to its caller (nested retries). */
  protected readonly nested: boolean;
  /** Requests held in memory at which admission stops (SimulateOptions.maxInFlight). */
  protected readonly maxInFlight: number;
  private readonly maxEvents: number;
  /** Set when the in-flight cap stopped the run. */
  protected cutByMemory = false;
  /** Some definition calls an LLM provider: per-request calls and tokens are kept. */
  protected readonly hasLlm: boolean;

  constructor(
    readonly model: Model,
    options: SimulateOptions = {},
  ) {
    this.rt = buildRuntime(model, new RandomStreams(options.seed ?? model.seed));
    this.defs = this.rt.defs;
    this.edges = this.rt.edges;
    this.stageCount = model.stages.length;
    this.graph = graphOf(model);
    this.isGraph = model.graph !== undefined;
    this.nodeCount = this.graph.nodeIds.length;
    this.edgeCount = model.edges.length;
    this.humanPosition = this.nodeCount;
    this.defCount = this.defs.length;
    this.nested = model.stages.some((st) => st.propagate);
    this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? inFlightCap(model)));
    this.maxEvents = Math.min(options.maxEvents ?? limitsOf(model).maxEvents, MAX_EVENTS_PER_RUN);
    this.hasLlm = hasLlmCalls(model);
    this.table = new RequestTable(this.defs.length, this.nested ? this.stageCount : 0, 64, this.maxInFlight, this.isGraph, this.hasLlm);
    this.onTrace = options.onTrace ?? null;
    this.collector = new RunCollector(
      this.defs.length,
      model.pools.length,
      this.edgeCount,
      originCount(this.nodeCount, this.edgeCount),
      model.timelineBucketMs,
      this.isGraph ? { nodes: this.nodeCount, composites: this.graph.composites.length } : undefined,
      { llm: this.hasLlm, goodputLatencyMs: model.goodputLatencyMs ?? 0 },
    );
  }

  /** Slots the request table has grown to (it never shrinks): at most the in-flight cap. */
  get requestSlots(): number {
    return this.table.capacity;
  }

  /**
   * Runs the whole scenario; returns the collector holding every measurement.
   * A run cut short – the in-flight cap reached, or the event limit – ends
   * there: the requests without an outcome are counted as rejected, so the
   * counts still sum to the requests (RunCollector.truncate).
   */
  run(maxEvents = this.maxEvents): RunCollector {
    const a = this.model.arrivals;
    if (this.model.requests > 0) {
      if (a.kind === 'closed') {
        const users = Math.min(a.users, this.model.requests);
        for (let u = 0; u < users; u++) {
          this.issued++;
          this.engine.schedule(a.thinkTime.sample(this.rt.thinkTimes), EV_ARRIVAL, u);
        }
      } else {
        this.issued = 1;
        // Evenly spaced arrivals start at 0; a Poisson process's first arrival
        // is one exponential gap after 0.
        this.engine.scheduleAt(a.kind === 'trace' ? a.timestampsMs[0] : a.kind === 'fixed' ? 0 : this.interArrivalMs(), EV_ARRIVAL, -1);
      }
    }
    this.engine.run(this, { maxEvents: Math.min(maxEvents, MAX_EVENTS_PER_RUN) });
    const cut = this.cutByMemory ? TRUNCATED_BY_MEMORY : this.engine.pending > 0 ? TRUNCATED_BY_EVENTS : 0;
    if (cut !== 0)
      this.collector.truncate(this.model.requests - this.collector.requestsFinished, this.engine.nowMs, cut, this.maxInFlight, this.serviceOverhangMs());
    this.collector.finish(this.rt.pools, this.defs, this.engine.eventCount);
    return this.collector;
  }

  /**
   * Per definition: the service time its attempts still in service at the
   * cut would run past it – each has a completion pending at its end, so it
   * is that end minus now. The collector booked whole service times when the
   * attempts started (attemptStarted); a run cut at T ends at T, so this
   * overhang comes off again, or busy time and utilisation count work past
   * the end of the run (utilisation above 100 %). Only at a cut: one pass
   * over the pending events.
   */
  private serviceOverhangMs(): Float64Array {
    const overhangMs = new Float64Array(this.defCount);
    const nowMs = this.engine.nowMs;
    this.engine.forEachPending((timeMs, kind) => {
      if ((kind & 7) === EV_ATTEMPT_DONE) overhangMs[kind >>> 7] += timeMs - nowMs;
    });
    return overhangMs;
  }

  handle(kind: number, a: number, b: number): void {
    switch (kind & 7) {
      case EV_ATTEMPT_DONE:
        this.attemptDone(a, b, kind);
        break;
      case EV_ARRIVAL:
        this.arrive(a);
        break;
      case EV_RETRY:
        this.retryDue(a);
        break;
      case EV_DEADLINE:
        this.deadline(a, b);
        break;
      case EV_HEDGE:
        this.hedgeDue(a, b);
        break;
      case EV_ATTEMPT_TIMEOUT:
        this.attemptTimedOut(a, b);
        break;
    }
  }

  protected interArrivalMs(): number {
    const a = this.model.arrivals;
    if (a.kind === 'poisson') return (-1000 / a.ratePerSec) * Math.log(1 - this.rt.arrivals());
    if (a.kind === 'fixed') return a.intervalMs;
    return 0;
  }

  /**
   * An arrival: `user` ≥ 0 for a closed-loop user, −1 for open arrivals. With
   * the in-flight cap reached (an unstable system's queue, typically) it is
   * not admitted: the run stops here (admission control by memory).
   */
  protected arrive(user: number): void {
    if (this.table.inUse >= this.maxInFlight) {
      this.cutByMemory = true;
      this.engine.stop();
      return;
    }
    const index = this.collector.requestsStarted++;
    const a = this.model.arrivals;
    if (user < 0 && this.issued < this.model.requests) {
      this.issued++;
      if (a.kind === 'trace') this.engine.scheduleAt(a.timestampsMs[this.issued - 1], EV_ARRIVAL, -1);
      else this.engine.schedule(this.interArrivalMs(), EV_ARRIVAL, -1);
    }
    const t = this.table;
    const slot = t.allocate();
    t.index[slot] = index;
    t.key[slot] = requestKey(index);
    t.arrivalMs[slot] = this.engine.nowMs;
    t.user[slot] = user;
    if (this.onTrace !== null) this.trace(slot, 'arrive');
    if (this.model.deadlineMs !== Infinity) this.engine.schedule(this.model.deadlineMs, EV_DEADLINE, slot, index);
    this.enterStage(slot, this.graph.flows[0].start);
  }

  /** Enters a node: a stage's first attempt, or a composite's branches (composites.ts). */
  protected enterStage(slot: number, position: number): void {
    if (position >= this.stageCount) {
      this.enterComposite(slot, position);
      return;
    }
    if (this.isGraph) this.collector.nodeVisits[position]++;
    this.arriveAt(slot, position);
    this.beginAttempt(slot);
  }

  /**
   * Puts the request at a stage's door: a fresh visit starts at attempt 1; a
   * visit that resumes a recovery continues the attempt count it had.
   */
  protected arriveAt(slot: number, position: number): void {
    const t = this.table;
    t.position[slot] = position;
    t.def[slot] = position;
    // Model routing (llm.route): the request goes to the routed definition instead, the same way on every visit.
    const routed = position < this.stageCount ? this.defs[position].routeDef : -1;
    if (routed >= 0 && this.rt.modelRoute.first(attemptKeyOf(t.key[slot], position)) < this.defs[position].routeShare) {
      t.def[slot] = routed;
      this.collector.defRouted[routed]++;
    }
    if (t.resumePosition[slot] === position) {
      t.attempt[slot] = t.resumeAttempt[slot];
      t.resumePosition[slot] = -1;
    } else {
      t.attempt[slot] = 1;
      t.previousBackoffMs[slot] = this.defs[t.def[slot]].backoff.baseMs;
    }
    if (this.nested) {
      t.attemptAt[slot * this.stageCount + position] = t.attempt[slot];
      t.defAt[slot * this.stageCount + position] = t.def[slot];
    }
  }

  /**
   * The breaker sits inside the retry: every attempt asks it first, then the
   * bulkhead (a permit held until the attempt's work ends, attemptDone). A
   * refusal by either is not retried in place: it goes to the fallback, the
   * caller (nested retries) or ends `rejected`.
   */
  protected beginAttempt(slot: number): void {
    const d = this.table.def[slot];
    const st = this.defs[d];
    if (st.breaker !== null && !st.breaker.tryAcquire(this.engine.nowMs)) {
      if (this.onTrace !== null) this.trace(slot, 'breakerReject');
      this.recordFault(slot, stageOrigin(this.table.position[slot]));
      this.exhausted(slot, FAULT_REJECTED);
      return;
    }
    if (st.bulkhead !== null && !st.bulkhead.tryAcquire()) {
      this.collector.defBulkheadRejected[d]++;
      if (this.onTrace !== null) this.trace(slot, 'bulkheadReject');
      this.recordFault(slot, stageOrigin(this.table.position[slot]));
      this.exhausted(slot, FAULT_REJECTED);
      return;
    }
    this.requestServer(slot);
  }

  /**
   * Asks the definition's pool for a server. The attempt's time limit runs
   * from here – queueing included, as a caller's timeout does – and a caller
   * that gives up does not take its request back: the queued or running work
   * is still done, and wasted (no cancellation, as with most RPC stacks). That
   * wasted work is what lets retries keep an overloaded system down.
   */
  protected requestServer(slot: number): void {
    const t = this.table;
    const d = t.def[slot];
    const st = this.defs[d];
    const token = t.token[slot];
    if (st.pool.tryAcquire()) {
      this.armTimeLimit(slot, st, token);
      this.startAttempt(slot, false, token, d, false);
    } else if (st.pool.enqueue(slot, this.engine.nowMs, token, d)) {
      this.armTimeLimit(slot, st, token);
      t.refs[slot]++;
    } else {
      // Shed at admission: like a breaker's refusal, not retried in place but
      // handed to the fallback, the caller (nested retries) or the user. No
      // time limit was armed and no event carries the token, so it stays –
      // a token changes only at an event (request-table.ts MAX_EVENTS_PER_RUN).
      this.collector.defShed[d]++;
      if (st.bulkhead !== null) st.bulkhead.release();
      this.recordFault(slot, stageOrigin(Math.min(t.position[slot], this.stageCount - 1)));
      if (d === this.rt.humanDef) this.finish(slot, REJECTED);
      else this.exhausted(slot, FAULT_REJECTED);
    }
  }

  /**
   * The attempt's time limit, from the moment its pool admits it (a server or
   * a queue place) – armed before the attempt starts, so a limit equal to the
   * service time ends the attempt as a timeout. Takes the definition, not
   * its limit: a double argument to a method that is not inlined is boxed.
   */
  private armTimeLimit(slot: number, st: DefinitionRuntime, token: number): void {
    if (st.limitMs === Infinity) return;
    this.table.refs[slot]++;
    this.engine.schedule(st.limitMs, EV_ATTEMPT_TIMEOUT, slot, token);
  }

  /**
   * Starts an attempt on a server already taken (`fromQueue`: handed over by
   * releaseServer after waiting in the pool's queue). `token` and `d` are the
   * attempt token and definition it was requested with; when the request has
   * moved on since (its caller timed out, or it ended), the server still does
   * the work, which is counted as wasted and its result ignored.
   */
  protected startAttempt(slot: number, fromQueue: boolean, token: number, d: number, hedge: boolean): void {
    const t = this.table;
    const st = this.defs[d];
    // The wait is computed here, not passed in: a double argument to this
    // (not inlined) method would be boxed on every queued attempt.
    const waitedMs = fromQueue ? this.engine.nowMs - st.pool.lastDequeuedEnqueueMs : 0;
    const serial = ++t.attemptSerial[slot * this.defCount + d];
    const key = attemptKeyOf(t.key[slot], serial);
    let holdMs: number;
    // An LLM call is decided as it is sent (llm-call.ts): refused (a 429, 529 or quota), its first token too late, or on its way.
    let llmResult = ATTEMPT_OK;
    if (st.llm === null) holdMs = (st.latencyOne ? st.latency.fromUniform!(st.service.first(key)) : st.latency.sample(st.service.draws(key))) * st.scale;
    else {
      holdMs = llmAttemptMs(st, d, key, slot, this.isGraph ? t.root[slot] : slot, this.engine.nowMs, t, this.collector);
      llmResult = st.lastLlmResult;
    }
    if (t.done[slot] === 1 || token !== t.token[slot]) {
      this.collector.defWasted[d]++;
      this.collector.attemptStarted(d, waitedMs, holdMs, this.engine.nowMs);
      t.refs[slot]++;
      this.engine.schedule(holdMs, doneKind(d, refusedByProvider(llmResult) ? llmResult : ATTEMPT_OK), slot, token);
      return;
    }
    let result: number;
    if (llmResult !== ATTEMPT_OK) result = llmResult;
    else if (st.plain) {
      const u = st.faults.first(key);
      result = u < st.errorBelow ? ATTEMPT_ERROR : u < st.timeoutBelow ? ATTEMPT_TIMEOUT : u < st.corruptBelow ? ATTEMPT_CORRUPT : ATTEMPT_OK;
    } else {
      result = drawAttemptResult(st, t, slot, d, key);
      if (result === ATTEMPT_CAUGHT) holdMs = st.lastGuardMs;
      else holdMs += st.lastGuardMs;
      if (st.incidents !== null) {
        const i = activeIncident(st.incidents, this.engine.nowMs);
        if (i !== null) {
          holdMs *= i.latencyFactor;
          if (result <= ATTEMPT_STALE && st.incidentStream.first(key) < i.errorProbability) result = ATTEMPT_ERROR;
        }
      }
    }
    // A hung call holds its server until the caller's time limit ends it (a first-token timeout has its own limit).
    if (result === ATTEMPT_TIMEOUT && llmResult === ATTEMPT_OK) holdMs = Math.max(0, st.limitMs - waitedMs);
    this.collector.attemptStarted(d, waitedMs, holdMs, this.engine.nowMs);
    if (this.onTrace !== null) this.traceStart(slot, hedge, st);
    t.refs[slot]++;
    this.engine.schedule(holdMs, doneKind(d, result), slot, token);
    if (!hedge && st.hedgeDelayMs < holdMs) {
      t.refs[slot]++;
      this.engine.schedule(st.hedgeDelayMs, EV_HEDGE, slot, token);
    }
  }

  /** An attempt's completion: `kind` carries its definition and result (doneKind), `token` the attempt token. */
  protected attemptDone(slot: number, token: number, kind: number): void {
    const t = this.table;
    this.collector.lastWorkEndMs = this.engine.nowMs;
    const worked = this.defs[kind >>> 7];
    this.releaseServer(worked.pool);
    if (worked.bulkhead !== null) worked.bulkhead.release();
    const result = (kind >>> 3) & 15;
    // An admitted LLM call leaves the provider's calls in flight, whether or not its caller still waits.
    if (worked.provider !== null && !refusedByProvider(result)) worked.provider.inFlight--;
    const stale = t.done[slot] === 1 || token !== t.token[slot];
    t.release(slot);
    if (stale) return;
    t.token[slot]++;
    const d = t.def[slot];
    const st = this.defs[d];
    const position = t.position[slot];
    if (d === this.rt.humanDef) {
      if (this.rt.resolution.first(attemptKeyOf(t.key[slot], 0)) < this.model.escalation!.resolutionRate) this.collector.humanResolved++;
      this.finish(slot, ESCALATED);
      return;
    }
    const success = result <= ATTEMPT_STALE;
    if (st.breaker !== null) st.breaker.record(success || result === ATTEMPT_CAUGHT, this.engine.nowMs);
    if (success) {
      if (st.budget !== null && !this.callsNested(d)) st.budget.onSuccess(t.attempt[slot] > 1, t.retryAfterTimeout[slot * this.defCount + d] === 1);
      if (result === ATTEMPT_OK) {
        if (this.onTrace !== null) this.trace(slot, 'ok');
      } else {
        const origin = result === ATTEMPT_CORRUPT ? stageOrigin(position) : stateOrigin(this.nodeCount, this.edgeCount, position);
        if (result === ATTEMPT_CORRUPT) this.collector.defSilentInjected[d]++;
        else this.collector.defStaleReads[d]++;
        this.corrupt(slot, origin);
        if (this.onTrace !== null) this.trace(slot, result === ATTEMPT_CORRUPT ? 'corrupt' : 'stale');
      }
      this.passOn(slot);
      return;
    }
    let origin = stageOrigin(position);
    if (result === ATTEMPT_TIMEOUT) this.collector.defTimeouts[d]++;
    else if (result === ATTEMPT_ERROR) this.collector.defErrors[d]++;
    else if (result === ATTEMPT_CAUGHT) {
      this.collector.defCaught[d]++;
      origin = t.corruptOrigin[slot];
    } // A provider's refusal was counted as it was decided (llm-call.ts).
    this.recordFault(slot, origin);
    if (this.onTrace !== null) this.trace(slot, FAULT_TRACE[result]);
    this.recover(slot, result);
  }

  /**
   * Hands a good-looking output to the node that follows (routing.ts picks
   * among a router's successors), through the hand-off layer; at the end of
   * its flow the request ends, or a branch returns to its composite.
   */
  protected passOn(slot: number): void {
    const t = this.table;
    const from = t.position[slot];
    const successors = this.graph.next[from];
    // A router's draw is keyed by the output it routes, like the hand-off's.
    const i = successors.targets.length === 1 ? 0 : pickSuccessor(successors, this.rt.routing.first(this.outputKey(slot, from)));
    const next = successors.targets[i];
    if (next === FLOW_END) {
      if (this.isGraph && t.parent[slot] >= 0) this.branchReturned(slot);
      else this.finish(slot, t.corruptOrigin[slot] >= 0 ? SILENT_FAILURE : SUCCESS);
      return;
    }
    const e = successors.edges[i];
    // Most hand-offs carry no faults (no edge runtime): straight in, without the hand-off's draw.
    if (e < 0 || this.edges[e] === null) this.enterStage(slot, next);
    else this.handOff(slot, from, next, e);
  }

  /**
   * Carries the output of node `from` over hand-off edge `e` (−1: none – the
   * target is a composite, which hands on to its branches) and enters `to`.
   */
  protected handOff(slot: number, from: number, to: number, e: number): void {
    const edge = e >= 0 ? this.edges[e] : null;
    if (edge !== null) {
      const t = this.table;
      // Keyed by the producing attempt: each output crosses the hand-off once.
      const u = edge.stream.first(this.outputKey(slot, from));
      if (u < edge.lossBelow) {
        this.collector.edgeContextLoss[e]++;
        this.corrupt(slot, edgeOrigin(this.nodeCount, e));
        if (this.onTrace !== null) this.trace(slot, 'contextLoss');
      } else if (u < edge.mismatchBelow) {
        this.collector.edgeMismatch[e]++;
        const origin = edgeOrigin(this.nodeCount, e);
        if (this.onTrace !== null) this.trace(slot, 'mismatch');
        if (edge.model.strictReceiver) {
          // The receiver refuses the input loudly: a detected fault at its door.
          this.arriveAt(slot, to);
          if (this.isGraph) t.sender[slot] = from;
          this.recordFault(slot, origin);
          this.recover(slot, FAULT_MISMATCH);
          return;
        }
        this.corrupt(slot, origin);
      }
    }
    this.enterStage(slot, to);
  }

  /**
   * The key of the output node `from` hands on: a stage's, its last
   * attempt's (outputKeyOf); a composite's, keyed by the composite entry it
   * leaves (entryKey: a redo of the composite hands on a fresh output) and
   * the composite's number past the definitions (MAX_DEFINITIONS + its
   * index, below outputKeyOf's 2^11).
   */
  protected outputKey(slot: number, from: number): number {
    const t = this.table;
    if (from < this.stageCount) {
      const d = t.def[slot];
      return outputKeyOf(t.key[slot], d, t.attemptSerial[slot * this.defCount + d] >>> 0);
    }
    return outputKeyOf(t.entryKey[slot], MAX_DEFINITIONS + from - this.stageCount, 0);
  }

  /** Hands a freed server to the oldest entry in the pool's queue, live or abandoned. */
  protected releaseServer(pool: DefinitionRuntime['pool']): void {
    const next = pool.dequeue();
    if (next < 0) {
      pool.release();
      return;
    }
    // Take the attempt's reference before dropping the queue's, so an ended
    // request's slot is not freed under the work it still gets.
    this.startAttempt(next, true, pool.lastDequeuedToken, pool.lastDequeuedDef, false);
    this.table.release(next);
  }

  protected corrupt(slot: number, origin: number): void {
    if (this.table.corruptOrigin[slot] < 0) this.table.corruptOrigin[slot] = origin;
    this.recordFault(slot, origin);
  }

  /** The request's first fault, kept on its own token (a branch's fault is its request's). */
  protected recordFault(slot: number, origin: number): void {
    const r = this.isGraph ? this.table.root[slot] : slot;
    if (this.table.firstFault[r] < 0) this.table.firstFault[r] = origin;
  }

  /**
   * The token ends with `outcome`. A request's own token records it; a
   * branch's failure goes to its composite (composites.ts) – except an
   * escalation, which hands the whole request to the human.
   */
  protected finish(slot: number, outcome: number): void {
    const t = this.table;
    if (this.isGraph) {
      if (t.parent[slot] >= 0) {
        if (outcome === ESCALATED) this.finish(t.root[slot], ESCALATED);
        else this.branchFailed(slot, outcome);
        return;
      }
      if (t.live[slot] > 0) this.abandonChildren(slot);
    }
    if (this.nested && outcome === SUCCESS) {
      // A retry budget is refunded by successful calls; a caller's call in a
      // nested chain succeeded when the whole chain below it did, and was
      // retried when the caller's attempt count passed 1.
      for (let p = 0; p < this.stageCount; p++) {
        const b = this.defs[p].budget;
        if (b !== null && this.callsNested(p))
          b.onSuccess(t.attemptAt[slot * this.stageCount + p] > 1, t.retryAfterTimeout[slot * this.defCount + p] === 1);
      }
    }
    const latencyMs = this.engine.nowMs - t.arrivalMs[slot];
    this.collector.requestFinished(outcome, latencyMs, t.firstFault[slot], this.engine.nowMs);
    if (this.hasLlm) this.collector.requestLlm(t.llmCalls[slot], t.llmTokens[slot]);
    if (this.onTrace !== null) this.trace(slot, 'end', OUTCOMES[outcome]);
    const user = t.user[slot];
    t.finish(slot);
    if (user >= 0 && this.issued < this.model.requests) {
      this.issued++;
      const a = this.model.arrivals;
      if (a.kind === 'closed') this.engine.schedule(a.thinkTime.sample(this.rt.thinkTimes), EV_ARRIVAL, user);
    }
  }

  protected trace(slot: number, kind: TraceKind, detail?: string | number): void {
    this.onTrace!(this.traceEvent(slot, kind, detail));
  }

  private traceEvent(slot: number, kind: TraceKind, detail?: string | number): TraceEvent {
    const t = this.table;
    const e: TraceEvent = { timeMs: this.engine.nowMs, request: t.index[slot], kind };
    if (kind !== 'arrive') {
      const p = t.position[slot];
      e.stage = p >= this.stageCount && p < this.humanPosition ? this.graph.nodeIds[p] : this.defs[t.def[slot]].model.id;
      if (kind !== 'end' && kind !== 'escalate') e.attempt = t.attempt[slot];
    }
    if (detail !== undefined) e.detail = detail;
    return e;
  }

  /** An attempt starts: with an LLM call's tokens and TTFT (what an exported span carries as gen_ai.usage.*). */
  private traceStart(slot: number, hedge: boolean, st: DefinitionRuntime): void {
    const e = this.traceEvent(slot, hedge ? 'hedge' : 'start');
    if (st.llm !== null) {
      e.inputTokens = st.lastInputTokens;
      e.outputTokens = st.lastOutputTokens;
      if (st.lastTtftMs === st.lastTtftMs) e.ttftMs = st.lastTtftMs;
    }
    this.onTrace!(e);
  }

  // ---------------------------------------------------------------- recovery (recovery.ts)

  /** A detected fault at the current stage: retry, fallback, caller, human, or the end. */
  protected abstract recover(slot: number, fault: number): void;
  /** Retries are used up or not allowed: fallback, caller, human, or the end. */
  protected abstract exhausted(slot: number, fault: number): void;
  protected abstract retryDue(slot: number): void;
  protected abstract hedgeDue(slot: number, token: number): void;
  protected abstract attemptTimedOut(slot: number, token: number): void;
  protected abstract deadline(slot: number, index: number): void;
  /** Whether definition `d` calls a nested chain (its next stage propagates failures). */
  protected abstract callsNested(d: number): boolean;

  // ---------------------------------------------------------------- composite nodes (composites.ts)

  /** A token reaches a loop, fan-out or sub-graph node: its branches start. */
  protected abstract enterComposite(slot: number, node: number): void;
  /** A branch reached the end of its flow with a good-looking output. */
  protected abstract branchReturned(slot: number): void;
  /** A branch failed with `outcome` (its own recovery exhausted). */
  protected abstract branchFailed(slot: number, outcome: number): void;
  /** Ends every branch still running under the token: their work goes on, wasted. */
  protected abstract abandonChildren(slot: number): void;
}
