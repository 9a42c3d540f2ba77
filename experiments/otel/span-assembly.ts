/**
 * Trace events (sim/path TraceEvent, one request's life step by step) →
 * spans: one root span per request, one child span per attempt of a stage.
 * Only the sampled requests' events are kept, each request only until its
 * `end`, so memory follows the requests in flight, never the run's length.
 *
 * How an attempt's span is found in the events:
 * - it opens at its `start` (a `hedge`: a second, hedged copy of the same
 *   attempt) – the moment a server took it, after any queueing;
 * - it closes at the next result event of the same request, stage (the
 *   definition that ran it: a fallback has its own id) and attempt number:
 *   ok, corrupt, stale, error, timeout, caught, rateLimited, overloaded,
 *   quota. Exact for chains, retries and fallbacks: a request runs one
 *   attempt at a time there. A hedged attempt's result closes the first copy
 *   (which copy finished first is not in the events); its hedge copies close
 *   at the same time, marked `coordgap.hedge`, status unset.
 * - A `timeout` with no open attempt is an attempt that waited in its pool's
 *   queue until its time limit ran out (the limit runs from the request for a
 *   server, request-path.ts requestServer): its span starts the limit before.
 * - An attempt still open at the request's `end` (its deadline passed, or a
 *   join no longer needed its branch) closes there, ERROR `cancelled`.
 * Graph branches (fan-outs, parallel flows) run several attempts of one
 * request at once: their spans are all children of the root (no span for the
 * composite node), and two concurrent attempts of the same stage and attempt
 * number are matched to results first-opened, first-closed – the counts and
 * results are right, which copy got which duration may not be.
 */
import type { Model, StageModel, TraceEvent, TraceKind } from '../../sim/path/index.js';

/** How an attempt ended, as the simulator decided it (ground truth, `coordgap.attempt.result`). */
export type AttemptResult =
  | 'ok' | 'corrupt' | 'stale' | 'error' | 'timeout' | 'caught' | 'rateLimited' | 'overloaded' | 'quota'
  /** Still running when the request ended. */
  | 'cancelled'
  /** A hedged copy, closed with the attempt it copied. */
  | 'hedge';

const RESULTS: ReadonlySet<TraceKind> = new Set<TraceKind>(['ok', 'corrupt', 'stale', 'error', 'timeout', 'caught', 'rateLimited', 'overloaded', 'quota']);

export interface AttemptSpan {
  /** 1, 2, … in the order the attempts opened (0 is the root): the span id's seed. */
  serial: number;
  stage: string;
  attempt: number;
  startMs: number;
  endMs: number;
  result: AttemptResult;
  hedge: boolean;
}

/** One request, ended: what the root span and its children are made from. */
export interface RequestSpans {
  request: number;
  arriveMs: number;
  endMs: number;
  /** The request's outcome (sim/path OUTCOMES): success, silentFailure, failed, escalated, timedOut, rejected. */
  outcome: string;
  attempts: AttemptSpan[];
}

interface OpenAttempt {
  serial: number;
  stage: string;
  attempt: number;
  startMs: number;
  hedge: boolean;
}

interface RequestState {
  arriveMs: number;
  nextSerial: number;
  open: OpenAttempt[];
  closed: AttemptSpan[];
}

/** Which requests are exported: every `every`-th by arrival index (0, k, 2k, …), at most `maxRequests` of them. */
export interface SampleSpec {
  maxRequests: number;
  every: number;
}

/** Every definition of the model by the id trace events name it by (stages, fallbacks). */
export function definitionsById(model: Model): Map<string, StageModel> {
  const byId = new Map<string, StageModel>();
  for (const s of model.stages) byId.set(s.id, s);
  for (const f of model.fallbacks) if (!byId.has(f.id)) byId.set(f.id, f);
  return byId;
}

/**
 * Feeds on trace events (`onTrace`) and hands each sampled request, once it
 * has ended, to `emit`. Events of unsampled requests are dropped as they come.
 */
export class SpanAssembler {
  private readonly live = new Map<number, RequestState>();
  private readonly limitMsOf: (stage: string) => number;
  /** Sampled requests that have ended (and gone to `emit`). */
  emitted = 0;

  constructor(
    model: Model,
    private readonly sample: SampleSpec,
    private readonly emit: (r: RequestSpans) => void,
  ) {
    const defs = definitionsById(model);
    this.limitMsOf = (stage) => defs.get(stage)?.attemptTimeoutMs ?? Infinity;
  }

  /** Whether request `index` is in the sample. */
  sampled(index: number): boolean {
    return index % this.sample.every === 0 && index / this.sample.every < this.sample.maxRequests;
  }

  /** Every sampled request has arrived and ended: the rest of the run adds nothing. */
  get complete(): boolean {
    return this.emitted >= this.sample.maxRequests && this.live.size === 0;
  }

  /** Sampled requests that arrived and have not ended (a run cut short leaves them out of the export). */
  get inFlight(): number {
    return this.live.size;
  }

  readonly onTrace = (e: TraceEvent): void => {
    if (e.kind === 'arrive') {
      if (this.sampled(e.request)) this.live.set(e.request, { arriveMs: e.timeMs, nextSerial: 1, open: [], closed: [] });
      return;
    }
    const r = this.live.get(e.request);
    if (r === undefined) return;
    if (e.kind === 'start' || e.kind === 'hedge') {
      r.open.push({ serial: r.nextSerial++, stage: e.stage!, attempt: e.attempt!, startMs: e.timeMs, hedge: e.kind === 'hedge' });
    } else if (RESULTS.has(e.kind)) {
      this.close(r, e);
    } else if (e.kind === 'end') {
      for (const o of r.open) r.closed.push({ ...o, endMs: e.timeMs, result: o.hedge ? 'hedge' : 'cancelled' });
      r.closed.sort((a, b) => a.serial - b.serial);
      this.live.delete(e.request);
      this.emitted++;
      this.emit({ request: e.request, arriveMs: r.arriveMs, endMs: e.timeMs, outcome: String(e.detail), attempts: r.closed });
    }
  };

  /** A result event: closes its attempt (and the attempt's hedged copies), or records a queued attempt that timed out. */
  private close(r: RequestState, e: TraceEvent): void {
    const stage = e.stage!;
    const attempt = e.attempt!;
    const i = r.open.findIndex((o) => !o.hedge && o.stage === stage && o.attempt === attempt);
    if (i < 0) {
      // Never started: it waited in the queue until its time limit. (An 'error' passed up to a nested
      // chain's caller names the caller's attempt, which closed when it handed on: not a span of its own.)
      const limitMs = this.limitMsOf(stage);
      if (e.kind === 'timeout' && Number.isFinite(limitMs)) {
        const serial = r.nextSerial++;
        r.closed.push({ serial, stage, attempt, startMs: Math.max(r.arriveMs, e.timeMs - limitMs), endMs: e.timeMs, result: 'timeout', hedge: false });
      }
      return;
    }
    const o = r.open[i];
    r.closed.push({ ...o, endMs: e.timeMs, result: e.kind as AttemptResult });
    r.open.splice(i, 1);
    for (let j = r.open.length - 1; j >= 0; j--) {
      const h = r.open[j];
      if (h.hedge && h.stage === stage && h.attempt === attempt) {
        r.closed.push({ ...h, endMs: e.timeMs, result: 'hedge' });
        r.open.splice(j, 1);
      }
    }
  }
}
