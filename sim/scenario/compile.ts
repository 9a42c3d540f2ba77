/**
 * Scenario (validated file) → Model (what the engine runs): defaults filled,
 * names resolved to indices, distributions built into samplers.
 */
import { makeSampler } from '../dist.js';
import type { Model, StageModel, ArrivalModel } from '../model.js';
import { NO_RETRY, retryOnMask, type RetrySpec } from '../policies/retry.js';
import type { Scenario, StageInput } from './schema.js';

/** LangGraph's RetryPolicy default `max_attempts=3`. */
export const DEFAULT_MAX_ATTEMPTS = 3;

function compileRetry(r: StageInput['retry']): RetrySpec {
  if (r === undefined) return NO_RETRY;
  const maxAttempts = r.maxAttempts ?? (r.maxRetries !== undefined ? r.maxRetries + 1 : DEFAULT_MAX_ATTEMPTS);
  const b = r.backoff;
  return {
    maxAttempts,
    retryOnMask: retryOnMask(r.retryOn),
    backoff: { kind: b.kind, baseMs: b.base, factor: b.factor, maxMs: b.max, jitter: b.jitter, additiveMs: b.additive },
  };
}

export interface CompileOptions {
  /** Arrival times read from `arrivals.file` by the caller (sim/ reads no files). */
  traceTimestampsMs?: readonly number[];
}

export function compileScenario(s: Scenario, options: CompileOptions = {}): Model {
  const poolIds = Object.keys(s.pools);
  const pools = poolIds.map((id) => {
    const p = s.pools[id];
    return { id, servers: p.servers, queueCapacity: p.queueCapacity ?? Infinity, pricePerHourUsd: p.pricePerHourUsd };
  });
  const stages: StageModel[] = s.stages.map((st) => ({
    id: st.id,
    poolIndex: poolIds.indexOf(st.pool),
    latency: makeSampler(st.latency),
    serviceScale: 1,
    errorProbability: st.faults?.error ?? 0,
    timeoutProbability: st.faults?.timeout ?? 0,
    corruptionProbability: st.faults?.corruption ?? 0,
    attemptTimeoutMs: st.timeout ?? Infinity,
    retry: compileRetry(st.retry),
    inputTokensPerCall: st.tokens?.input ?? 0,
    outputTokensPerCall: st.tokens?.output ?? 0,
    inputPricePerMTokUsd: st.tokens?.inputPricePerMTokUsd ?? 0,
    outputPricePerMTokUsd: st.tokens?.outputPricePerMTokUsd ?? 0,
  }));
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
  return {
    name: s.name,
    seed: s.seed,
    requests,
    arrivals,
    pools,
    stages,
    deadlineMs: s.deadline ?? Infinity,
    silentFailureCostUsd: s.costs?.silentFailureUsd ?? 0,
  };
}
