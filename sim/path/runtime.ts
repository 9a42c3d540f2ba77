/**
 * The model prepared for the inner loop: per-definition thresholds, random
 * streams, breakers and budgets; per-edge thresholds; the pools.
 *
 * Definitions are indexed [stages…, fallbacks…, human]: a stage's position is
 * its definition index, a fallback's is stages.length + its index, and the
 * human step (escalation) comes last.
 */
import type { Sampler } from '../kernel/dist.js';
import { BetaSampler } from '../kernel/beta.js';
import { makeCountSampler, type CountSampler } from '../kernel/count-dist.js';
import type { RandomStreams } from '../kernel/rng.js';
import type { Uniform01 } from '../kernel/uniform.js';
import type { KeyedUniform } from '../kernel/keyed.js';
import type { Model, StageModel, EdgeModel, GuardModel, IncidentModel } from './model.js';
import { ResourcePool } from './pool.js';
import { CircuitBreaker } from '../policies/breaker/breaker.js';
import { Bulkhead } from '../policies/bulkhead/bulkhead.js';
import { RetryBudget } from '../policies/retry-budget/retry-budget.js';
import { NO_RETRY } from '../policies/retry/retry.js';
import type { BackoffSpec } from '../policies/backoff/backoff.js';
import { ProviderRuntime } from '../llm/provider-runtime.js';
import type { LlmCallModel, ProviderModelModel } from '../llm/model.js';
import type { ServingModel } from '../llm/serving.js';

export interface DefinitionRuntime {
  model: StageModel;
  pool: ResourcePool;
  poolIndex: number;
  service: KeyedUniform;
  faults: KeyedUniform;
  backoffStream: KeyedUniform;
  guardStream: KeyedUniform;
  persistStream: KeyedUniform;
  difficultyStream: KeyedUniform;
  latency: Sampler;
  /** The latency has a one-uniform inverse transform (`fromUniform`): the fast path. */
  latencyOne: boolean;
  errorBelow: number;
  timeoutBelow: number;
  corruptBelow: number;
  staleBelow: number;
  totalFault: number;
  transientShare: number;
  difficultyConcentration: number;
  /** The request's pass probability under difficulty, Beta((1 − p)κ, pκ) (attempt.ts); null without. */
  passBeta: BetaSampler | null;
  scale: number;
  limitMs: number;
  maxAttempts: number;
  retryOnMask: number;
  backoff: BackoffSpec;
  tokenCostUsd: number;
  guard: GuardModel | null;
  /** Validation time of the attempt being decided (set by drawAttemptResult). */
  lastGuardMs: number;
  breaker: CircuitBreaker | null;
  bulkhead: Bulkhead | null;
  budget: RetryBudget | null;
  hedgeDelayMs: number;
  /** Definition index of the fallback, or −1. */
  fallbackDef: number;
  incidents: IncidentModel[] | null;
  incidentStream: KeyedUniform;
  /** Nothing beyond the independent fault draw: the inner loop's fast path. */
  plain: boolean;
  /** An LLM call (llm-call.ts): its provider's shared state and its model's figures; null otherwise. */
  llm: LlmCallModel | null;
  provider: ProviderRuntime | null;
  llmModel: ProviderModelModel | null;
  llmStream: KeyedUniform;
  /** Model routing (llm.route): the definition that takes `routeShare` of the requests, or −1. */
  routeDef: number;
  routeShare: number;
  /** The load table of the GPU pool a self-hosted call runs on (sim/llm/serving.ts); null otherwise. */
  serving: ServingModel | null;
  /** Honour a 429's Retry-After up to maxRetryAfterMs (retry policy). */
  honourRetryAfter: boolean;
  maxRetryAfterMs: number;
  /** What the last LLM call decided (llm-call.ts): an ATTEMPT_* code, ATTEMPT_TIMEOUT for a first-token timeout. */
  lastLlmResult: number;
  /** The last LLM call's tokens in and out (output 0 when refused or cut before its first token) and TTFT (NaN without a first token): for traces. */
  lastInputTokens: number;
  lastOutputTokens: number;
  lastTtftMs: number;
}

export interface EdgeRuntime {
  model: EdgeModel;
  stream: KeyedUniform;
  lossBelow: number;
  mismatchBelow: number;
}

export interface Runtime {
  defs: DefinitionRuntime[];
  edges: (EdgeRuntime | null)[];
  pools: ResourcePool[];
  humanDef: number;
  arrivals: Uniform01;
  thinkTimes: Uniform01;
  resolution: KeyedUniform;
  /** A router's choice among successors (graph.ts), keyed by the output it routes. */
  routing: KeyedUniform;
  /** A composite's draws: map items, loop iteration counts and stops, observed errors (composites.ts). */
  composite: KeyedUniform;
  /** Per composite: the sampler of a map's items or a loop's drawn iteration count (null: none). The model holds their specs, data. */
  compositeCounts: (CountSampler | null)[];
  /** Model routing's choice per request and stage (llm.route), keyed by the request and the node. */
  modelRoute: KeyedUniform;
  /** Each LLM provider's shared state (rate-limit buckets, calls in flight, quota), one object for every definition that calls it. */
  providers: ProviderRuntime[];
}

function definition(
  s: StageModel,
  pools: ResourcePool[],
  rng: RandomStreams,
  fallbackDef: number,
  providers: readonly ProviderRuntime[],
  servings: readonly (ServingModel | undefined)[],
  stageCount: number,
): DefinitionRuntime {
  const errorBelow = s.errorProbability;
  const timeoutBelow = errorBelow + s.timeoutProbability;
  const corruptBelow = timeoutBelow + s.corruptionProbability;
  const staleBelow = corruptBelow + s.staleReadProbability;
  const totalFault = staleBelow;
  const kappa = s.difficultyConcentration;
  const useDifficulty = kappa > 0 && totalFault > 0 && totalFault < 1;
  const plain =
    s.guard === null && s.staleReadProbability === 0 && s.transientShare >= 1 && !useDifficulty && s.incidents.length === 0;
  const llm = s.llm ?? null;
  return {
    model: s,
    pool: pools[s.poolIndex],
    poolIndex: s.poolIndex,
    service: rng.keyed(`service/${s.id}`),
    faults: rng.keyed(`faults/${s.id}`),
    backoffStream: rng.keyed(`backoff/${s.id}`),
    guardStream: rng.keyed(`guard/${s.id}`),
    persistStream: rng.keyed(`persistence/${s.id}`),
    difficultyStream: rng.keyed(`difficulty/${s.id}`),
    latency: s.latency,
    latencyOne: s.latency.fromUniform !== undefined,
    errorBelow,
    timeoutBelow,
    corruptBelow,
    staleBelow,
    totalFault,
    transientShare: s.transientShare,
    difficultyConcentration: useDifficulty ? kappa : 0,
    passBeta: useDifficulty ? new BetaSampler((1 - totalFault) * kappa, totalFault * kappa) : null,
    scale: s.serviceScale,
    limitMs: s.attemptTimeoutMs,
    maxAttempts: s.retry.maxAttempts,
    retryOnMask: s.retry.retryOnMask,
    backoff: s.retry.backoff,
    tokenCostUsd: (s.inputTokensPerCall * s.inputPricePerMTokUsd + s.outputTokensPerCall * s.outputPricePerMTokUsd) / 1e6,
    guard: s.guard,
    lastGuardMs: 0,
    breaker: s.breaker === null ? null : new CircuitBreaker(s.breaker),
    bulkhead: s.bulkhead === null ? null : new Bulkhead(s.bulkhead),
    budget: s.retryBudget === null ? null : new RetryBudget(s.retryBudget),
    hedgeDelayMs: s.hedgeDelayMs,
    fallbackDef,
    incidents: s.incidents.length > 0 ? s.incidents : null,
    incidentStream: rng.keyed(`incident/${s.id}`),
    plain,
    llm,
    provider: llm === null ? null : providers[llm.provider],
    llmModel: llm === null ? null : providers[llm.provider].model.models[llm.model],
    llmStream: rng.keyed(`llm/${s.id}`),
    serving: llm === null ? null : servings[s.poolIndex] ?? null,
    routeDef: llm === null || llm.routeTo < 0 ? -1 : stageCount + llm.routeTo,
    routeShare: llm?.routeShare ?? 0,
    honourRetryAfter: s.retry.honourRetryAfter,
    maxRetryAfterMs: s.retry.maxRetryAfterMs,
    lastLlmResult: 0,
    lastInputTokens: 0,
    lastOutputTokens: 0,
    lastTtftMs: NaN,
  };
}

/** The incident window covering `nowMs`, if any. */
export function activeIncident(incidents: readonly IncidentModel[], nowMs: number): IncidentModel | null {
  for (const i of incidents) if (nowMs >= i.fromMs && nowMs < i.toMs) return i;
  return null;
}

/** The escalation step as a definition: human handling time, no faults, no policies. */
function humanStage(model: Model): StageModel {
  const e = model.escalation!;
  return {
    id: 'human',
    poolIndex: e.poolIndex,
    latency: e.handlingTime,
    serviceScale: 1,
    errorProbability: 0,
    timeoutProbability: 0,
    corruptionProbability: 0,
    staleReadProbability: 0,
    transientShare: 1,
    difficultyConcentration: 0,
    attemptTimeoutMs: Infinity,
    retry: NO_RETRY,
    guard: null,
    breaker: null,
    retryBudget: null,
    bulkhead: null,
    hedgeDelayMs: Infinity,
    fallback: -1,
    escalate: false,
    propagate: false,
    incidents: [],
    inputTokensPerCall: 0,
    outputTokensPerCall: 0,
    inputPricePerMTokUsd: 0,
    outputPricePerMTokUsd: 0,
  };
}

export function buildRuntime(model: Model, rng: RandomStreams): Runtime {
  const pools = model.pools.map((p) => new ResourcePool(p.id, p.servers, p.queueCapacity));
  const providers = (model.providers ?? []).map((p) => new ProviderRuntime(p));
  const servings = model.pools.map((p) => p.serving);
  const n = model.stages.length;
  const fallbackDef = (s: StageModel) => (s.fallback >= 0 ? n + s.fallback : -1);
  const defs = [
    ...model.stages.map((s) => definition(s, pools, rng, fallbackDef(s), providers, servings, n)),
    ...model.fallbacks.map((s) => definition(s, pools, rng, fallbackDef(s), providers, servings, n)),
  ];
  let humanDef = -1;
  if (model.escalation !== null) {
    humanDef = defs.length;
    defs.push(definition(humanStage(model), pools, rng, -1, providers, servings, n));
  }
  const edges = model.edges.map((e) => {
    if (e === null || e.contextLossProbability + e.formatMismatchProbability === 0) return null;
    return {
      model: e,
      stream: rng.keyed(`handoff/${e.id}`),
      lossBelow: e.contextLossProbability,
      mismatchBelow: e.contextLossProbability + e.formatMismatchProbability,
    };
  });
  return {
    defs,
    edges,
    pools,
    humanDef,
    arrivals: rng.stream('arrivals'),
    thinkTimes: rng.stream('think-time'),
    resolution: rng.keyed('human-resolution'),
    routing: rng.keyed('routing'),
    composite: rng.keyed('composite'),
    compositeCounts: (model.graph?.composites ?? []).map((c) => {
      const spec = c.itemsSpec ?? c.loop?.iterationsSpec ?? null;
      return spec === null ? null : makeCountSampler(spec);
    }),
    modelRoute: rng.keyed('model-route'),
    providers,
  };
}
