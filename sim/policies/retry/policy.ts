/**
 * Retry with backoff (`retry:`), and nested retries (`propagate: true`: a
 * stage that gives up hands its failure to the stage before it, whose retry
 * wraps this one).
 */
import type { PolicyDescriptor } from '../policy.js';
import type { Coverage } from '../../analysis/coverage.js';
import type { StageModel } from '../../path/model.js';
import { DEFAULT_MAX_ATTEMPTS, type RetrySpec } from './retry.js';
import { LANGGRAPH_BACKOFF } from '../backoff/backoff.js';

/** Whether a stage can repeat an attempt for the same request. */
export function retries(s: StageModel): boolean {
  return s.retry.maxAttempts > 1;
}

const RETRY_COVERAGE: Coverage<RetrySpec> = {
  maxAttempts: { covered: 'k in o·(1 − r^k)/(1 − r)' },
  retryOnMask: { covered: 'splits faults into retried r and terminal t' },
  backoff: { covered: 'only shifts time, and nothing allowed here depends on time' },
  honourRetryAfter: { covered: 'only acts on a provider\'s 429, which a closed form never allows (an LLM call to a shared provider is not covered)' },
  maxRetryAfterMs: { covered: 'only acts on a provider\'s 429, likewise' },
};

export const RETRY_POLICY = {
  name: 'retry',
  stageKey: 'retry',
  scenarioKey: null,
  kind: 'recovery',
  counters: [{ counter: 'defRetries', column: 'retries', doc: 'attempts after the first' }],
  stageCoverage: {
    retry: { fields: RETRY_COVERAGE },
    propagate: { holdsWhen: (v) => !v, because: "nested retries repeat the caller's call for a callee's failure" },
  },
  modelCoverage: {},
  defaults: [
    { field: 'retry.maxAttempts', value: String(DEFAULT_MAX_ATTEMPTS), source: 'LangGraph RetryPolicy max_attempts' },
    { field: 'retry.backoff.base', value: `${LANGGRAPH_BACKOFF.baseMs / 1000} s`, source: 'LangGraph initial_interval' },
    { field: 'retry.backoff.factor', value: String(LANGGRAPH_BACKOFF.factor), source: 'LangGraph backoff_factor' },
    { field: 'retry.backoff.max', value: `${LANGGRAPH_BACKOFF.maxMs / 1000} s`, source: 'LangGraph max_interval' },
    { field: 'retry.backoff.additive', value: `${LANGGRAPH_BACKOFF.additiveMs / 1000} s`, source: 'LangGraph jitter, added uniformly' },
    { field: 'retry.retryOn', value: 'error, timeout, rateLimited, overloaded', source: "loud faults and an LLM provider's 429s and 529s, as the OpenAI and Anthropic SDKs retry; caught corruption and quota when asked" },
  ],
} as const satisfies PolicyDescriptor;
