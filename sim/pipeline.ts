/**
 * The request path: requests walk the stages in order, each attempt holding a
 * server of the stage's pool for a drawn service time and ending ok, corrupted
 * (silently), in a loud error or in a timeout; recovery policies decide what a
 * failed attempt leads to.
 *
 * Request state lives in typed arrays indexed by a recycled slot, so memory
 * follows the requests in flight, not the requests simulated. A slot is freed
 * only after its last pending event, so an event can never reach a reused slot;
 * the deadline event, the one event that can outlive its request, carries the
 * request index to tell.
 */
import { Engine, type EventHandler } from './engine.js';
import { RandomStreams, type Uniform01 } from './rng.js';
import type { Model, StageModel } from './model.js';
import { ResourcePool } from './pool.js';
import { backoffDelayMs } from './policies/backoff.js';
import { RETRY_ON_ERROR, RETRY_ON_TIMEOUT } from './policies/retry.js';
import { RunCollector } from './collector.js';
import { SUCCESS, SILENT_FAILURE, FAILED, TIMED_OUT, REJECTED } from './outcomes.js';

const EV_ARRIVAL = 0;
const EV_ATTEMPT_DONE = 1;
const EV_RETRY = 2;
const EV_DEADLINE = 3;

/** What an attempt turned out to be, decided when it starts. */
const ATTEMPT_OK = 0;
const ATTEMPT_CORRUPT = 1;
const ATTEMPT_ERROR = 2;
const ATTEMPT_TIMEOUT = 3;

/** Where a request is, for slot bookkeeping. */
const SLOT_FREE = 0;
const SLOT_ACTIVE = 1;
/** Its outcome is recorded but an event or queue entry still refers to it. */
const SLOT_ZOMBIE = 2;

export type TraceKind = 'arrive' | 'start' | 'ok' | 'corrupt' | 'error' | 'timeout' | 'retry' | 'end';

/** One step of a request's life, for tests and debugging (`onTrace`). */
export interface TraceEvent {
  timeMs: number;
  request: number;
  kind: TraceKind;
  stage?: string;
  attempt?: number;
  /** For 'end': the outcome name. For 'retry': the backoff in ms. */
  detail?: string | number;
}

export interface SimulateOptions {
  onTrace?: (e: TraceEvent) => void;
  /** Stop after this many engine events (a resource guard). */
  maxEvents?: number;
}

interface StageRuntime {
  model: StageModel;
  pool: ResourcePool;
  service: Uniform01;
  faults: Uniform01;
  backoff: Uniform01;
  errorBelow: number;
  timeoutBelow: number;
  corruptBelow: number;
  scale: number;
  limitMs: number;
  maxAttempts: number;
  retryOnMask: number;
  tokenCostUsd: number;
}

const OUTCOME_NAMES = ['success', 'silentFailure', 'failed', 'escalated', 'timedOut', 'rejected'];

export class PipelineSimulation implements EventHandler {
  readonly engine = new Engine(256);
  readonly collector: RunCollector;
  private readonly stages: StageRuntime[];
  private readonly pools: ResourcePool[];
  private readonly arrivals: Uniform01;
  private readonly thinkTimes: Uniform01;
  private readonly onTrace: ((e: TraceEvent) => void) | null;

  private issued = 0;
  private slotCapacity = 0;
  private freeSlots = new Int32Array(0);
  private freeCount = 0;
  private slotState = new Uint8Array(0);
  private requestIndex = new Int32Array(0);
  private arrivalMs = new Float64Array(0);
  private stageOf = new Int32Array(0);
  private attemptOf = new Int32Array(0);
  private attemptResult = new Uint8Array(0);
  private previousBackoffMs = new Float64Array(0);
  private corrupted = new Uint8Array(0);
  private firstFault = new Int32Array(0);
  private userOf = new Int32Array(0);

  constructor(
    readonly model: Model,
    options: SimulateOptions = {},
  ) {
    const rng = new RandomStreams(model.seed);
    this.onTrace = options.onTrace ?? null;
    this.pools = model.pools.map((p) => new ResourcePool(p.id, p.servers, p.queueCapacity));
    this.arrivals = rng.stream('arrivals');
    this.thinkTimes = rng.stream('think-time');
    this.stages = model.stages.map((s) => {
      const errorBelow = s.errorProbability;
      const timeoutBelow = errorBelow + s.timeoutProbability;
      return {
        model: s,
        pool: this.pools[s.poolIndex],
        service: rng.stream(`service/${s.id}`),
        faults: rng.stream(`faults/${s.id}`),
        backoff: rng.stream(`backoff/${s.id}`),
        errorBelow,
        timeoutBelow,
        corruptBelow: timeoutBelow + s.corruptionProbability,
        scale: s.serviceScale,
        limitMs: s.attemptTimeoutMs,
        maxAttempts: s.retry.maxAttempts,
        retryOnMask: s.retry.retryOnMask,
        tokenCostUsd:
          (s.inputTokensPerCall * s.inputPricePerMTokUsd + s.outputTokensPerCall * s.outputPricePerMTokUsd) / 1e6,
      };
    });
    this.collector = new RunCollector(model);
    this.growSlots(64);
  }

  /** Runs the whole scenario; returns the collector holding every measurement. */
  run(maxEvents?: number): RunCollector {
    const a = this.model.arrivals;
    if (this.model.requests > 0) {
      if (a.kind === 'closed') {
        const users = Math.min(a.users, this.model.requests);
        for (let u = 0; u < users; u++) {
          this.issued++;
          this.engine.schedule(a.thinkTime.sample(this.thinkTimes), EV_ARRIVAL, u);
        }
      } else {
        this.issued = 1;
        this.engine.scheduleAt(this.firstArrivalMs(), EV_ARRIVAL, -1);
      }
    }
    this.engine.run(this, maxEvents === undefined ? {} : { maxEvents });
    this.collector.finish(this.pools, this.engine.eventCount);
    return this.collector;
  }

  handle(kind: number, a: number, b: number): void {
    switch (kind) {
      case EV_ATTEMPT_DONE:
        this.attemptDone(a);
        break;
      case EV_ARRIVAL:
        this.arrive(a);
        break;
      case EV_RETRY:
        this.retry(a);
        break;
      case EV_DEADLINE:
        this.deadline(a, b);
        break;
    }
  }

  private firstArrivalMs(): number {
    const a = this.model.arrivals;
    if (a.kind === 'trace') return a.timestampsMs[0];
    // Evenly spaced arrivals start at 0; a Poisson process's first arrival is
    // one exponential gap after 0.
    if (a.kind === 'fixed') return 0;
    return this.interArrivalMs();
  }

  private interArrivalMs(): number {
    const a = this.model.arrivals;
    if (a.kind === 'poisson') return (-1000 / a.ratePerSec) * Math.log(1 - this.arrivals());
    if (a.kind === 'fixed') return a.intervalMs;
    return 0;
  }

  /** An arrival event: `user` ≥ 0 for a closed-loop user, −1 for open arrivals. */
  private arrive(user: number): void {
    const index = this.collector.requestsStarted++;
    const a = this.model.arrivals;
    if (user < 0 && this.issued < this.model.requests) {
      this.issued++;
      if (a.kind === 'trace') this.engine.scheduleAt(a.timestampsMs[this.issued - 1], EV_ARRIVAL, -1);
      else this.engine.schedule(this.interArrivalMs(), EV_ARRIVAL, -1);
    }
    if (this.freeCount === 0) this.growSlots(this.slotCapacity * 2);
    const slot = this.freeSlots[--this.freeCount];
    this.slotState[slot] = SLOT_ACTIVE;
    this.requestIndex[slot] = index;
    this.arrivalMs[slot] = this.engine.nowMs;
    this.corrupted[slot] = 0;
    this.firstFault[slot] = -1;
    this.userOf[slot] = user;
    if (this.onTrace !== null) this.trace(slot, 'arrive');
    if (this.model.deadlineMs !== Infinity) this.engine.schedule(this.model.deadlineMs, EV_DEADLINE, slot, index);
    this.enterStage(slot, 0);
  }

  private enterStage(slot: number, stage: number): void {
    this.stageOf[slot] = stage;
    this.attemptOf[slot] = 1;
    this.previousBackoffMs[slot] = this.stages[stage].model.retry.backoff.baseMs;
    this.requestServer(slot);
  }

  private requestServer(slot: number): void {
    const s = this.stageOf[slot];
    const pool = this.stages[s].pool;
    if (pool.tryAcquire()) {
      this.startAttempt(slot, 0);
    } else if (pool.enqueue(slot, this.engine.nowMs)) {
      // waits in the pool's FIFO queue
    } else {
      this.recordFault(slot, s);
      this.finish(slot, REJECTED);
    }
  }

  /** Starts an attempt on a server already taken; `waitedMs` is its queueing delay. */
  private startAttempt(slot: number, waitedMs: number): void {
    const s = this.stageOf[slot];
    const st = this.stages[s];
    let holdMs = st.model.latency.sample(st.service) * st.scale;
    const u = st.faults();
    let result: number;
    if (u < st.errorBelow) result = ATTEMPT_ERROR;
    else if (u < st.timeoutBelow) result = ATTEMPT_TIMEOUT;
    else if (u < st.corruptBelow) result = ATTEMPT_CORRUPT;
    else result = ATTEMPT_OK;
    if (result === ATTEMPT_TIMEOUT) holdMs = st.limitMs;
    else if (holdMs > st.limitMs) {
      holdMs = st.limitMs;
      result = ATTEMPT_TIMEOUT;
    }
    this.attemptResult[slot] = result;
    this.collector.attemptStarted(s, st.model.poolIndex, waitedMs, holdMs, st.tokenCostUsd);
    if (this.onTrace !== null) this.trace(slot, 'start', s);
    this.engine.schedule(holdMs, EV_ATTEMPT_DONE, slot);
  }

  private attemptDone(slot: number): void {
    const s = this.stageOf[slot];
    const st = this.stages[s];
    this.releaseServer(st.pool);
    if (this.slotState[slot] === SLOT_ZOMBIE) {
      this.freeSlot(slot);
      return;
    }
    const result = this.attemptResult[slot];
    if (result <= ATTEMPT_CORRUPT) {
      if (result === ATTEMPT_CORRUPT) {
        this.collector.stageSilentInjected[s]++;
        this.corrupted[slot] = 1;
        this.recordFault(slot, s);
        if (this.onTrace !== null) this.trace(slot, 'corrupt', s);
      } else if (this.onTrace !== null) this.trace(slot, 'ok', s);
      if (s + 1 < this.stages.length) this.enterStage(slot, s + 1);
      else this.finish(slot, this.corrupted[slot] === 1 ? SILENT_FAILURE : SUCCESS);
      return;
    }
    const isTimeout = result === ATTEMPT_TIMEOUT;
    if (isTimeout) this.collector.stageTimeouts[s]++;
    else this.collector.stageErrors[s]++;
    this.recordFault(slot, s);
    if (this.onTrace !== null) this.trace(slot, isTimeout ? 'timeout' : 'error', s);
    const attempt = this.attemptOf[slot];
    if (attempt < st.maxAttempts && (st.retryOnMask & (isTimeout ? RETRY_ON_TIMEOUT : RETRY_ON_ERROR)) !== 0) {
      const delayMs = backoffDelayMs(st.model.retry.backoff, attempt, this.previousBackoffMs[slot], st.backoff);
      if (this.onTrace !== null) this.trace(slot, 'retry', s, delayMs);
      this.previousBackoffMs[slot] = delayMs;
      this.attemptOf[slot] = attempt + 1;
      this.collector.stageRetries[s]++;
      this.engine.schedule(delayMs, EV_RETRY, slot);
      return;
    }
    this.finish(slot, isTimeout ? TIMED_OUT : FAILED);
  }

  private retry(slot: number): void {
    if (this.slotState[slot] === SLOT_ZOMBIE) this.freeSlot(slot);
    else this.requestServer(slot);
  }

  /** Hands a freed server to the next live request in the pool's queue. */
  private releaseServer(pool: ResourcePool): void {
    for (;;) {
      const next = pool.dequeue();
      if (next < 0) {
        pool.release();
        return;
      }
      if (this.slotState[next] === SLOT_ZOMBIE) {
        this.freeSlot(next);
        continue;
      }
      this.startAttempt(next, this.engine.nowMs - pool.lastDequeuedEnqueueMs);
      return;
    }
  }

  private deadline(slot: number, index: number): void {
    if (this.slotState[slot] !== SLOT_ACTIVE || this.requestIndex[slot] !== index) return;
    if (this.firstFault[slot] < 0) this.firstFault[slot] = this.stageOf[slot];
    this.finish(slot, TIMED_OUT, true);
  }

  private recordFault(slot: number, origin: number): void {
    if (this.firstFault[slot] < 0) this.firstFault[slot] = origin;
  }

  /**
   * Records the outcome. `stillReferenced` is true when an event or a queue
   * entry still points at the slot (deadline expiry): it becomes a zombie and
   * is freed when that reference is consumed.
   */
  private finish(slot: number, outcome: number, stillReferenced = false): void {
    const latencyMs = this.engine.nowMs - this.arrivalMs[slot];
    this.collector.requestFinished(outcome, latencyMs, this.firstFault[slot], this.engine.nowMs);
    if (this.onTrace !== null) this.trace(slot, 'end', this.stageOf[slot], OUTCOME_NAMES[outcome]);
    const user = this.userOf[slot];
    if (stillReferenced) this.slotState[slot] = SLOT_ZOMBIE;
    else this.freeSlot(slot);
    if (user >= 0 && this.issued < this.model.requests) {
      this.issued++;
      const a = this.model.arrivals;
      if (a.kind === 'closed') this.engine.schedule(a.thinkTime.sample(this.thinkTimes), EV_ARRIVAL, user);
    }
  }

  private freeSlot(slot: number): void {
    this.slotState[slot] = SLOT_FREE;
    this.freeSlots[this.freeCount++] = slot;
  }

  private growSlots(n: number): void {
    const old = this.slotCapacity;
    this.slotState = grow(this.slotState, new Uint8Array(n));
    this.requestIndex = grow(this.requestIndex, new Int32Array(n));
    this.arrivalMs = grow(this.arrivalMs, new Float64Array(n));
    this.stageOf = grow(this.stageOf, new Int32Array(n));
    this.attemptOf = grow(this.attemptOf, new Int32Array(n));
    this.attemptResult = grow(this.attemptResult, new Uint8Array(n));
    this.previousBackoffMs = grow(this.previousBackoffMs, new Float64Array(n));
    this.corrupted = grow(this.corrupted, new Uint8Array(n));
    this.firstFault = grow(this.firstFault, new Int32Array(n));
    this.userOf = grow(this.userOf, new Int32Array(n));
    const free = new Int32Array(n);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    let count = this.freeCount;
    for (let i = n - 1; i >= old; i--) free[count++] = i;
    this.freeSlots = free;
    this.freeCount = count;
    this.slotCapacity = n;
  }

  private trace(slot: number, kind: TraceKind, stage?: number, detail?: string | number): void {
    const e: TraceEvent = { timeMs: this.engine.nowMs, request: this.requestIndex[slot], kind };
    if (stage !== undefined) {
      e.stage = this.stages[stage].model.id;
      if (kind !== 'end') e.attempt = this.attemptOf[slot];
    }
    if (detail !== undefined) e.detail = detail;
    this.onTrace!(e);
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(old: T, fresh: T): T {
  fresh.set(old as never);
  return fresh;
}
