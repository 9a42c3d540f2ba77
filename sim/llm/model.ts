/**
 * LLM calls and providers in the compiled model (sim/path/model.ts holds
 * them): every default filled in, every distribution a sampler.
 */
import type { Sampler } from '../kernel/dist.js';
import type { TokenSampler } from './tokens.js';

/** Whether any definition of the model calls an LLM provider (the request table then keeps per-request LLM counts). */
export function hasLlmCalls(model: { stages: readonly { llm?: unknown }[]; fallbacks: readonly { llm?: unknown }[] }): boolean {
  return model.stages.some((s) => s.llm !== undefined) || model.fallbacks.some((s) => s.llm !== undefined);
}

/** A provider-wide incident window (an outage, a brown-out, a stall). */
export interface ProviderIncidentModel {
  fromMs: number;
  toMs: number;
  /** Share of calls inside the window that fail at once with a 5xx (1: full outage). */
  errorRate: number;
  /** Multiplies TTFT and TPOT inside the window. */
  latencyFactor: number;
  /** Added to the time to first token inside the window. */
  extraLatencyMs: number;
  /** Model indices hit (null: every model of the provider). */
  models: readonly number[] | null;
}

export interface ProviderModelModel {
  id: string;
  /** Null for a model that only runs self-hosted on a pool with a serving table (serving.ts). */
  ttft: Sampler | null;
  tpot: Sampler | null;
  inputPricePerMTokUsd: number;
  cachedInputPricePerMTokUsd: number;
  outputPricePerMTokUsd: number;
}

export interface ProviderModel {
  id: string;
  /** Requests per minute (Infinity: none). */
  rpm: number;
  /** Tokens per minute (Infinity: none). */
  tpm: number;
  /** Calls in flight at once (Infinity: none). */
  concurrency: number;
  /** Per-call probability of a 529/503 outside incidents. */
  overloadProbability: number;
  /** Tokens per quota window (Infinity: none). */
  quotaTokens: number;
  /** USD per quota window (Infinity: none). */
  quotaSpendUsd: number;
  /** The quota window, ms. */
  quotaWindowMs: number;
  incidents: ProviderIncidentModel[];
  models: ProviderModelModel[];
}

/** Whether calls to the provider can be refused or slowed by anything shared (limits, quota, overload, incidents): then calls are not independent. */
export function providerShared(p: ProviderModel): boolean {
  return (
    Number.isFinite(p.rpm) || Number.isFinite(p.tpm) || Number.isFinite(p.concurrency) || p.overloadProbability > 0 ||
    Number.isFinite(p.quotaTokens) || Number.isFinite(p.quotaSpendUsd) || p.incidents.length > 0
  );
}

/** One stage's (or fallback's) LLM call. */
export interface LlmCallModel {
  /** Index into Model.providers. */
  provider: number;
  /** Index into that provider's models. */
  model: number;
  inputTokens: TokenSampler;
  outputTokens: TokenSampler;
  /** max_tokens (Infinity: none). */
  maxTokens: number;
  /** Share of input tokens read from the prompt cache. */
  cachedInputShare: number;
  /** A streaming client's limit on the time to first token (Infinity: none). */
  firstTokenTimeoutMs: number;
  /** The provider ties calls together (limits, quota, overload, incidents: providerShared). */
  sharedProvider: boolean;
  /** RETRY_ON_* bits of the provider refusals that go to the fallback at once (policies/retry/retry.ts). */
  fallbackOnMask: number;
  /** Model routing: the index into Model.fallbacks that takes `routeShare` of the requests (−1: none). */
  routeTo: number;
  routeShare: number;
}
