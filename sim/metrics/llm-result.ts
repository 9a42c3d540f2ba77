/**
 * The LLM figures of a run (a model whose definitions call providers):
 * per provider – calls, tokens, refusals, time waiting to retry after 429s,
 * cost – and per request – LLM calls and tokens; and goodput at the
 * scenario's latency target.
 */
import type { Model } from '../path/model.js';
import type { RunCollector } from './collector.js';
import { wilson, type Estimate } from './intervals.js';
import { countMax, countQuantile } from './count-histogram.js';

export interface ProviderResult {
  id: string;
  /** Calls sent (refused ones included; retries and fallbacks call again). */
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** 429s: over RPM, TPM or concurrency. */
  rateLimited: number;
  /** 529/503s: overload or an incident. */
  overloaded: number;
  quotaRefused: number;
  firstTokenTimeouts: number;
  /** Time requests spent waiting to retry after 429s and quota refusals (Retry-After or backoff), ms. */
  rateLimitWaitMs: number;
  costUsd: number;
}

export interface LlmResult {
  providers: ProviderResult[];
  /** Per finished request: LLM calls and tokens in and out (a request that ended before any call counts 0). */
  perRequest: {
    calls: { mean: number; p50: number; p95: number; max: number };
    tokens: { mean: number; p50: number; p95: number; max: number };
  };
}

export interface GoodputResult {
  /** The latency target (scenario goodput.latency). */
  latencyMs: number;
  /** Successful requests within it. */
  requests: number;
  /** Their share of the requests, with its Wilson interval. */
  rate: Estimate;
  /** Per simulated second. */
  perSec: number;
}

export function llmResult(model: Model, c: RunCollector): LlmResult | undefined {
  const providers = model.providers ?? [];
  if (c.llmCallsPerRequest.length === 0) return undefined;
  const defs = [...model.stages, ...model.fallbacks];
  const rows: ProviderResult[] = providers.map((p) => ({
    id: p.id, calls: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0,
    rateLimited: 0, overloaded: 0, quotaRefused: 0, firstTokenTimeouts: 0, rateLimitWaitMs: 0, costUsd: 0,
  }));
  defs.forEach((d, i) => {
    if (d.llm === undefined) return;
    const r = rows[d.llm.provider];
    r.calls += c.defAttempts[i];
    r.inputTokens += c.defInputTokens[i];
    r.cachedInputTokens += c.defCachedInputTokens[i];
    r.outputTokens += c.defOutputTokens[i];
    r.rateLimited += c.defRateLimited[i];
    r.overloaded += c.defOverloaded[i];
    r.quotaRefused += c.defQuotaRefused[i];
    r.firstTokenTimeouts += c.defFirstTokenTimeouts[i];
    r.rateLimitWaitMs += c.defRateLimitWaitMs[i];
    r.costUsd += c.defLlmCostUsd[i];
  });
  const tokens = c.llmTokensPerRequest;
  return {
    providers: rows,
    perRequest: {
      calls: countSummary(c.llmCallsPerRequest),
      tokens: { mean: tokens.meanMs, p50: tokens.quantile(0.5), p95: tokens.quantile(0.95), max: tokens.maxMs },
    },
  };
}

/** Mean and quantiles of the calls-per-request histogram (count-histogram.ts). */
function countSummary(counts: Float64Array): { mean: number; p50: number; p95: number; max: number } {
  let n = 0;
  let sum = 0;
  counts.forEach((w, k) => {
    n += w;
    sum += w * k;
  });
  if (n === 0) return { mean: 0, p50: 0, p95: 0, max: 0 };
  return { mean: sum / n, p50: countQuantile(counts, 0, counts.length, n, 0.5), p95: countQuantile(counts, 0, counts.length, n, 0.95), max: countMax(counts, 0, counts.length) };
}

export function goodputResult(model: Model, c: RunCollector, requests: number): GoodputResult | undefined {
  if (model.goodputLatencyMs === undefined) return undefined;
  return {
    latencyMs: model.goodputLatencyMs,
    requests: c.goodputRequests,
    rate: wilson(c.goodputRequests, requests),
    perSec: c.spanMs > 0 ? (c.goodputRequests / c.spanMs) * 1000 : 0,
  };
}
