/**
 * Scenario (validated file) → Model (what the engine runs): defaults filled,
 * names resolved to indices, distributions built into samplers, and the
 * hand-off, state and protocol layers folded into per-stage and per-edge
 * probabilities.
 */
import { makeSampler } from '../dist.js';
import type { Model, StageModel, ArrivalModel, EdgeModel, PoolModel, PoolKind } from '../model.js';
import { NO_RETRY, retryOnMask, type RetrySpec } from '../policies/retry.js';
import type { BreakerSpec } from '../policies/breaker.js';
import type { Scenario, DefinitionInput, StageInput } from './schema.js';

/** LangGraph's RetryPolicy default `max_attempts=3`. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** Completion events pack the pool index in 6 bits (pipeline.ts packDone). */
export const MAX_POOLS = 64;
/** Queue tags pack the definition index in 8 bits (pipeline.ts requestServer). */
export const MAX_DEFINITIONS = 256;

function compileRetry(r: DefinitionInput['retry']): RetrySpec {
  if (r === undefined) return NO_RETRY;
  const maxAttempts = r.maxAttempts ?? (r.maxRetries !== undefined ? r.maxRetries + 1 : DEFAULT_MAX_ATTEMPTS);
  const b = r.backoff;
  return {
    maxAttempts,
    retryOnMask: retryOnMask(r.retryOn),
    backoff: { kind: b.kind, baseMs: b.base, factor: b.factor, maxMs: b.max, jitter: b.jitter, additiveMs: b.additive },
  };
}

function compileBreaker(b: DefinitionInput['breaker']): BreakerSpec | null {
  if (b === undefined) return null;
  if (b.kind === 'consecutive') return { kind: 'consecutive', failureThreshold: b.failures, openMs: b.openFor, halfOpenCalls: b.halfOpenCalls };
  return { kind: 'rate', failureRate: b.failureRate, windowCalls: b.window, minCalls: b.minCalls, openMs: b.openFor, halfOpenCalls: b.halfOpenCalls };
}

/** Stale-read probability of a definition under the scenario's state layer. */
function staleRead(s: Scenario, d: DefinitionInput): number {
  const base = d.staleRead ?? (s.state?.kind === 'fragmented' ? s.state.staleRead : 0);
  return s.state?.kind === 'persisted' ? base * s.state.persistedFactor : base;
}

function compileDefinition(s: Scenario, d: DefinitionInput, poolIds: string[], fallbackIds: string[]): StageModel {
  return {
    id: d.id,
    poolIndex: poolIds.indexOf(d.pool),
    latency: makeSampler(d.latency),
    serviceScale: 1,
    errorProbability: d.faults?.error ?? 0,
    timeoutProbability: d.faults?.timeout ?? 0,
    corruptionProbability: d.faults?.corruption ?? 0,
    staleReadProbability: staleRead(s, d),
    transientShare: d.faults?.transientShare ?? 1,
    difficultyConcentration: (d.difficulty ?? s.difficulty)?.concentration ?? 0,
    attemptTimeoutMs: d.timeout ?? Infinity,
    retry: compileRetry(d.retry),
    guard: d.validate ? { catchRate: d.validate.catchRate, latency: d.validate.latency ? makeSampler(d.validate.latency) : null } : null,
    breaker: compileBreaker(d.breaker),
    retryBudget: d.retryBudget ?? null,
    hedgeDelayMs: d.hedge?.delay ?? Infinity,
    fallback: d.fallback === undefined ? -1 : fallbackIds.indexOf(d.fallback),
    escalate: d.escalate ?? false,
    propagate: 'propagate' in d ? (d as StageInput).propagate ?? false : false,
    incidents: (s.incidents ?? [])
      .filter((i) => i.stage === d.id)
      .map((i) => ({ fromMs: i.from, toMs: i.to, latencyFactor: i.latencyFactor, errorProbability: i.errorProbability })),
    inputTokensPerCall: d.tokens?.input ?? 0,
    outputTokensPerCall: d.tokens?.output ?? 0,
    inputPricePerMTokUsd: d.tokens?.inputPricePerMTokUsd ?? 0,
    outputPricePerMTokUsd: d.tokens?.outputPricePerMTokUsd ?? 0,
  };
}

/**
 * The hand-off into stage i: its own `handoff` fields, else the scenario's
 * `handoffs` defaults; a tool stage on either side adds the protocol layer's
 * mismatch rate (scaled by mcpFactor under MCP), combined as independent
 * causes: 1 − (1 − a)(1 − b).
 */
function compileEdge(s: Scenario, i: number): EdgeModel | null {
  if (i === 0) return null;
  const to: StageInput = s.stages[i];
  const from: StageInput = s.stages[i - 1];
  let mismatch = to.handoff?.formatMismatch ?? s.handoffs?.formatMismatch ?? 0;
  const p = s.protocol;
  if (p && (to.handoff?.protocol ?? (to.tool || from.tool))) {
    const protocolMismatch = p.kind === 'mcp' ? p.toolMismatch * (p.mcpFactor ?? 1) : p.toolMismatch;
    mismatch = 1 - (1 - mismatch) * (1 - protocolMismatch);
  }
  const contextLoss = to.handoff?.contextLoss ?? s.handoffs?.contextLoss ?? 0;
  return {
    id: `${from.id}→${to.id}`,
    contextLossProbability: contextLoss,
    formatMismatchProbability: Math.min(mismatch, 1 - contextLoss),
    strictReceiver: to.handoff?.strict ?? s.handoffs?.strict ?? false,
  };
}

const POOL_KINDS: readonly PoolKind[] = ['cpu', 'gpu', 'external', 'human'];

export interface CompileOptions {
  /** Arrival times read from `arrivals.file` by the caller (sim/ reads no files). */
  traceTimestampsMs?: readonly number[];
}

export function compileScenario(s: Scenario, options: CompileOptions = {}): Model {
  const poolIds = Object.keys(s.pools);
  const definitions = s.stages.length + (s.fallbacks?.length ?? 0) + 1;
  if (definitions > MAX_DEFINITIONS)
    throw new RangeError(`at most ${MAX_DEFINITIONS - 1} stages and fallbacks are supported; the scenario has ${definitions - 1}`);
  if (poolIds.length > MAX_POOLS) throw new RangeError(`at most ${MAX_POOLS} pools are supported; the scenario has ${poolIds.length}`);
  const pools: PoolModel[] = poolIds.map((id) => {
    const p = s.pools[id];
    const kind = p.kind ?? (POOL_KINDS.includes(id as PoolKind) ? (id as PoolKind) : 'cpu');
    return { id, kind, servers: p.servers, queueCapacity: p.queueCapacity ?? Infinity, pricePerHourUsd: p.pricePerHourUsd };
  });
  const fallbackIds = (s.fallbacks ?? []).map((f) => f.id);
  const stages = s.stages.map((st) => compileDefinition(s, st, poolIds, fallbackIds));
  const fallbacks = (s.fallbacks ?? []).map((f) => compileDefinition(s, f, poolIds, fallbackIds));
  let arrivals: ArrivalModel;
  let requests = s.requests;
  const a = s.arrivals;
  switch (a.kind) {
    case 'poisson':
      arrivals = { kind: 'poisson', ratePerSec: a.rate };
      break;
    case 'fixed':
      arrivals = { kind: 'fixed', intervalMs: a.interval };
      break;
    case 'closed':
      arrivals = { kind: 'closed', users: a.users, thinkTime: makeSampler(a.thinkTime) };
      break;
    case 'trace': {
      const timestampsMs = a.timestamps ?? options.traceTimestampsMs;
      if (timestampsMs === undefined) throw new Error(`arrivals.file "${a.file}" was not read`);
      arrivals = { kind: 'trace', timestampsMs };
      requests = Math.min(requests, timestampsMs.length);
      break;
    }
  }
  const e = s.escalation;
  return {
    name: s.name,
    seed: s.seed,
    requests,
    arrivals,
    pools,
    stages,
    edges: s.stages.map((_, i) => compileEdge(s, i)),
    fallbacks,
    escalation: e ? { poolIndex: poolIds.indexOf(e.pool), handlingTime: makeSampler(e.handlingTime), resolutionRate: e.resolutionRate } : null,
    checkpointResume: s.state?.kind !== 'fragmented',
    deadlineMs: s.deadline ?? Infinity,
    silentFailureCostUsd: s.costs?.silentFailureUsd ?? 0,
    escalationCostUsd: e?.costUsd ?? 0,
    timelineBucketMs: s.timeline ?? 0,
  };
}
