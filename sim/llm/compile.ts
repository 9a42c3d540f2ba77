/** `providers:` and a definition's `llm:` block as written → the compiled models (sim/llm/model.ts). */
import { makeSampler } from '../kernel/dist.js';
import { retryOnMask } from '../policies/retry/retry.js';
import type { ProviderInput, LlmCallInput } from './schema.js';
import { providerShared, type LlmCallModel, type ProviderModel } from './model.js';
import { makeTokenSampler } from './tokens.js';
import { LlmServiceSampler } from './service-time.js';

export function compileProviders(providers: Readonly<Record<string, ProviderInput>> | undefined): ProviderModel[] {
  return Object.entries(providers ?? {}).map(([id, p]) => {
    const modelIds = Object.keys(p.models);
    return {
      id,
      rpm: p.limits?.rpm ?? Infinity,
      tpm: p.limits?.tpm ?? Infinity,
      concurrency: p.limits?.concurrency ?? Infinity,
      overloadProbability: p.overload,
      quotaTokens: p.quota?.tokens ?? Infinity,
      quotaSpendUsd: p.quota?.spendUsd ?? Infinity,
      quotaWindowMs: p.quota?.per ?? 0,
      incidents: (p.incidents ?? []).map((i) => ({
        fromMs: i.from,
        toMs: i.to,
        errorRate: i.errorRate,
        latencyFactor: i.latencyFactor,
        extraLatencyMs: i.extraLatency,
        models: i.models === undefined ? null : i.models.map((m) => modelIds.indexOf(m)),
      })),
      models: Object.entries(p.models).map(([mid, m]) => ({
        id: mid,
        ttft: makeSampler(m.ttft),
        tpot: makeSampler(m.tpot),
        inputPricePerMTokUsd: m.inputPerMTokUsd,
        cachedInputPricePerMTokUsd: m.cachedInputPerMTokUsd ?? m.inputPerMTokUsd,
        outputPricePerMTokUsd: m.outputPerMTokUsd,
      })),
    };
  });
}

/** A definition's call, resolved against the compiled providers (the checks made sure the names exist). */
export function compileLlmCall(call: LlmCallInput, providers: readonly ProviderModel[]): LlmCallModel {
  const provider = providers.findIndex((p) => p.id === call.provider);
  return {
    provider,
    model: providers[provider].models.findIndex((m) => m.id === call.model),
    inputTokens: makeTokenSampler(call.inputTokens),
    outputTokens: makeTokenSampler(call.outputTokens),
    maxTokens: call.maxTokens ?? Infinity,
    cachedInputShare: call.cachedInputShare,
    firstTokenTimeoutMs: call.firstTokenTimeout ?? Infinity,
    sharedProvider: providerShared(providers[provider]),
    fallbackOnMask: retryOnMask(call.fallbackOn ?? []),
  };
}

/** The law of a call's service time, for the analysis and the checks on a definition's latency (LlmServiceSampler). */
export function llmLatency(call: LlmCallModel, providers: readonly ProviderModel[]): LlmServiceSampler {
  const m = providers[call.provider].models[call.model];
  return new LlmServiceSampler(m.ttft, m.tpot, call.outputTokens, call.maxTokens);
}
