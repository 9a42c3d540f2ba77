/**
 * One visit of a stage, per attempt: the law of its outcomes (for
 * visit-shape.ts), its mean server hold and its hedge probability – shared by
 * the chain's demand estimate (demand.ts) and the graph's (graph-demand.ts).
 */
import type { StageModel } from '../path/model.js';
import { RETRY_ON_CAUGHT, RETRY_ON_ERROR, RETRY_ON_TIMEOUT } from '../policies/retry/retry.js';
import type { AttemptLaw, FaultDraw, VisitShape } from './visit-shape.js';
import type { Model } from '../path/model.js';
import type { DefinitionDemand } from './demand-types.js';

/**
 * The per-attempt law of a visit of stage `s` (visit-shape.ts): corrupted
 * input caught first (`caught`, retried when retryOn has caught); else the
 * request's own fault with probability f, split by kind in proportion to the
 * stage's error/timeout/corruption/stale probabilities, a persistent one with
 * probability 1 − τ; a service time over the attempt's limit (probability
 * 1 − w) ends an attempt that is not already a hung call as a timeout; an
 * attempt that passes calls the nested chain below, whose failure
 * (`calleeFail`) comes back as an error.
 */
export function attemptLaw(s: StageModel, caught: number, calleeFail: number): { law: AttemptLaw; draw: FaultDraw } {
  const p = s.errorProbability + s.timeoutProbability + s.corruptionProbability + s.staleReadProbability;
  const mask = s.retry.retryOnMask;
  const onError = mask & RETRY_ON_ERROR ? 1 : 0;
  const onTimeout = mask & RETRY_ON_TIMEOUT ? 1 : 0;
  const onCaught = mask & RETRY_ON_CAUGHT ? 1 : 0;
  const w = s.attemptTimeoutMs === Infinity ? 1 : s.latency.cdf(s.attemptTimeoutMs / s.serviceScale);
  // Kind shares of an own fault; with p = 0 there is none and f is 0.
  const errorShare = p > 0 ? s.errorProbability / p : 0;
  const timeoutShare = p > 0 ? s.timeoutProbability / p : 0;
  const loud = errorShare + timeoutShare;
  const clean = 1 - caught;
  // Retried per unit of f: own errors (a timeout when they outlast the limit) and own hung calls.
  const ownRetried = clean * (errorShare * (w * onError + (1 - w) * onTimeout) + timeoutShare * onTimeout);
  // An attempt without a loud own fault is retried when it outlasts the limit or its callee fails.
  const otherRetried = (1 - w) * onTimeout + w * calleeFail * onError;
  const tau = s.transientShare;
  const pass0 = clean * w * (1 - calleeFail);
  const law: AttemptLaw = {
    retry0: caught * onCaught + clean * otherRetried,
    retry1: ownRetried - clean * loud * otherRetried - (1 - tau) * ownRetried,
    persist1: (1 - tau) * ownRetried,
    pass0,
    pass1: pass0 * loud,
  };
  const kappa = s.difficultyConcentration;
  const draw: FaultDraw = kappa > 0 && p > 0 && p < 1 ? { kind: 'beta', alpha: p * kappa, beta: (1 - p) * kappa } : { kind: 'fixed', f: p };
  return { law, draw };
}

/** Mean server hold of one attempt: hung calls hold to the time limit, others their service time (work is never cancelled). */
export function meanHoldMs(s: StageModel): number {
  const hung = s.attemptTimeoutMs === Infinity ? 0 : s.timeoutProbability;
  const guardMs = s.guard?.latency?.meanMs ?? 0;
  return (hung > 0 ? hung * s.attemptTimeoutMs : 0) + (1 - hung) * s.latency.meanMs * s.serviceScale + guardMs;
}

export function hedgeProbability(s: StageModel): number {
  if (s.hedgeDelayMs === Infinity) return 0;
  return 1 - s.latency.cdf(s.hedgeDelayMs / s.serviceScale);
}


/** Fallback chains deeper than this are not followed (the schema refuses loops). */
export const MAX_FALLBACK_DEPTH = 64;

/** Empty demand rows: one per stage and fallback, and the escalation human's (null without escalation). */
export function demandRows(model: Model): { defs: DefinitionDemand[]; human: DefinitionDemand | null } {
  const defs = [...model.stages, ...model.fallbacks].map((s) => ({
    id: s.id, poolIndex: s.poolIndex, visits: 0, attempts: 0, retries: 0, hedges: 0, holdMs: meanHoldMs(s), timed: s.attemptTimeoutMs !== Infinity,
  }));
  const e = model.escalation;
  const human = e === null
    ? null
    : { id: 'human', poolIndex: e.poolIndex, visits: 0, attempts: 0, retries: 0, hedges: 0, holdMs: e.handlingTime.meanMs, timed: false };
  return { defs, human };
}

/** Busy time and attempts per request on each pool, from the rows (hedges left out: they only take idle servers). */
export function poolTotals(model: Model, defs: readonly DefinitionDemand[]): { poolBusyMs: number[]; poolAttempts: number[] } {
  const poolBusyMs = model.pools.map(() => 0);
  const poolAttempts = model.pools.map(() => 0);
  for (const d of defs) {
    if (d.attempts === 0) continue;
    poolBusyMs[d.poolIndex] += d.attempts * d.holdMs;
    poolAttempts[d.poolIndex] += d.attempts;
  }
  return { poolBusyMs, poolAttempts };
}

/** Books `visits` visits of shape `shape` of stage `s` on its row; returns the backoff time they add per request, ms. */
export function addVisits(row: DefinitionDemand, visits: number, shape: VisitShape, s: StageModel): number {
  row.visits += visits;
  row.attempts += visits * shape.attempts;
  row.retries += visits * (shape.attempts - 1);
  row.hedges += visits * shape.attempts * hedgeProbability(s);
  return visits * shape.backoffMs;
}
