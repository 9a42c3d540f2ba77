/** `providers:` and a definition's `llm:` block as written → the compiled models (sim/llm/model.ts). */
import { makeSampler } from '../kernel/dist.js';
import { retryOnMask } from '../policies/retry/retry.js';
import type { ProviderInput, LlmCallInput } from './schema.js';
import { providerShared, type LlmCallModel, type ProviderModel } from './model.js';
import { makeTokenSampler } from './tokens.js';
import { LlmServiceSampler } from './service-time.js';
import { servingAt, type ServingModel } from './serving.js';

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
        ttft: m.ttft === undefined ? null : makeSampler(m.ttft),
        tpot: m.tpot === undefined ? null : makeSampler(m.tpot),
        inputPricePerMTokUsd: m.inputPerMTokUsd,
        cachedInputPricePerMTokUsd: m.cachedInputPerMTokUsd ?? m.inputPerMTokUsd,
        outputPricePerMTokUsd: m.outputPerMTokUsd,
      })),
    };
  });
}

/**
 * A definition's call, resolved against the compiled providers (the checks
 * made sure the names exist); `serving`: the load table of the pool it runs
 * on, when the model is self-hosted there (its TTFT and TPOT come from it).
 */
export function compileLlmCall(
  call: LlmCallInput,
  providers: readonly ProviderModel[],
  serving: ServingModel | undefined,
  fallbackIds: readonly string[],
): LlmCallModel {
  const provider = providers.findIndex((p) => p.id === call.provider);
  return {
    provider,
    model: providers[provider].models.findIndex((m) => m.id === call.model),
    inputTokens: makeTokenSampler(call.inputTokens),
    outputTokens: makeTokenSampler(call.outputTokens),
    maxTokens: call.maxTokens ?? Infinity,
    cachedInputShare: call.cachedInputShare,
    firstTokenTimeoutMs: call.firstTokenTimeout ?? Infinity,
    // Self-hosted calls share their GPUs' batch: each call's speed depends on the others in flight.
    sharedProvider: providerShared(providers[provider]) || serving !== undefined,
    fallbackOnMask: retryOnMask(call.fallbackOn ?? []),
    routeTo: call.route === undefined ? -1 : fallbackIds.indexOf(call.route.to),
    routeShare: call.route?.share ?? 0,
  };
}

/** A model with neither its own TTFT/TPOT nor a serving table to take them from. */
export class LlmTimingMissing extends Error {}

/**
 * The law of a call's service time, for the analysis and the checks on a
 * definition's latency (LlmServiceSampler). Self-hosted on a serving table:
 * the table's figures with the GPUs full (sequencesPerGpu per GPU) – the
 * conservative end, what the stability and run-limit estimates should see.
 */
export function llmLatency(call: LlmCallModel, providers: readonly ProviderModel[], serving: ServingModel | undefined): LlmServiceSampler {
  const m = providers[call.provider].models[call.model];
  if (serving !== undefined) {
    const full = (field: 'ttftMs' | 'tpotMs') => makeSampler({ dist: 'constant', valueMs: servingAt(serving, serving.sequencesPerGpu, field) });
    return new LlmServiceSampler(full('ttftMs'), full('tpotMs'), call.outputTokens, call.maxTokens);
  }
  if (m.ttft === null || m.tpot === null)
    throw new LlmTimingMissing(
      `model "${m.id}" of provider "${providers[call.provider].id}" gives no ttft and tpot, and this call's pool has no serving table to take them from – add ttft and tpot to the model, or run the call on a GPU pool with serving: { sequencesPerGpu, load }`,
    );
  return new LlmServiceSampler(m.ttft, m.tpot, call.outputTokens, call.maxTokens);
}
