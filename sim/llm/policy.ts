/**
 * LLM calls (`llm:` on a stage or fallback, `providers:` at the top): tokens
 * drawn per call, service time from the model's TTFT and TPOT, and the
 * provider's shared limits, quota, overload and incidents.
 */
import type { PolicyDescriptor } from '../policies/policy.js';

export const LLM_FEATURE = {
  name: 'llm',
  stageKey: 'llm',
  scenarioKey: 'providers',
  kind: 'feature',
  counters: [
    { counter: 'defInputTokens', column: 'inputTokens', doc: 'input tokens sent, cached ones included' },
    { counter: 'defCachedInputTokens', column: 'cachedInputTokens', doc: 'input tokens read from the prompt cache' },
    { counter: 'defOutputTokens', column: 'outputTokens', doc: 'output tokens written (cut at max_tokens; none when the first token timed out)' },
    { counter: 'defLlmCostUsd', column: 'llmCostUsd', doc: 'what the calls cost at the model\'s prices' },
    { counter: 'defRateLimited', column: 'rateLimited', doc: '429s: over RPM, TPM or concurrency' },
    { counter: 'defOverloaded', column: 'overloaded', doc: '529/503s: overload or a provider incident' },
    { counter: 'defQuotaRefused', column: 'quotaRefused', doc: 'calls refused by an exhausted quota or spend limit' },
    { counter: 'defFirstTokenTimeouts', column: 'firstTokenTimeouts', doc: 'calls given up for want of a first token (also counted in timeouts)' },
    { counter: 'defRateLimitWaitMs', column: 'rateLimitWaitMs', doc: 'time spent waiting to retry after 429s (Retry-After or backoff)' },
    { counter: 'defRouted', column: 'routed', doc: 'visits model routing sent here (llm.route), on the fallback\'s own row' },
  ],
  stageCoverage: {
    llm: {
      holdsWhen: (v) => v === undefined || (!v.sharedProvider && v.firstTokenTimeoutMs === Infinity && v.routeTo < 0),
      because: "a provider's rate limits, quota, overload or incidents (or a GPU batch) tie calls together, a first-token timeout cuts the service time, and model routing runs another definition",
    },
  },
  modelCoverage: {
    providers: { covered: 'inert unless a stage calls one, which is declared on the stage' },
    goodputLatencyMs: { covered: 'a reported figure only' },
  },
  defaults: [
    { field: 'llm.inputTokens', value: '0', source: 'no prompt unless given' },
    { field: 'llm.cachedInputShare', value: '0', source: 'no prompt caching unless given' },
    { field: 'providers.*.overload', value: '0', source: 'no 529s outside incidents unless given' },
    { field: 'providers.*.incidents[].errorRate', value: '1', source: 'a window is a full outage unless a share is given' },
    { field: 'retry.retryAfter', value: 'honour, up to 60 s', source: 'openai-python 1.x and anthropic SDK _calculate_retry_timeout' },
  ],
} as const satisfies PolicyDescriptor;
