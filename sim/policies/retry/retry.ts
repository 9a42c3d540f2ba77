/**
 * Retry policy: how many attempts, which faults are retried, how long to wait.
 *
 * `maxAttempts` counts the first call, as LangGraph's RetryPolicy
 * (`max_attempts=3`) and resilience4j (`maxAttempts=3`) do. Polly and cockatiel
 * count retries only (`MaxRetryAttempts`, `maxAttempts` in cockatiel's
 * `retry(handleAll, { maxAttempts })` means retries); scenario files may say
 * `maxRetries` instead, and maxAttempts = maxRetries + 1.
 */
import type { BackoffSpec } from '../backoff/backoff.js';

/** Fault kinds a retry can act on, as bit flags (cheap to test in the inner loop). */
export const RETRY_ON_ERROR = 1;
export const RETRY_ON_TIMEOUT = 2;
/** A corrupted input caught by validation downstream (issue-level: re-run the producer). */
export const RETRY_ON_CAUGHT = 4;
/** An LLM provider's 429 (over RPM, TPM or concurrency: sim/llm/provider-runtime.ts). */
export const RETRY_ON_RATE_LIMITED = 8;
/** An LLM provider's 529/503 (overloaded, or an incident). */
export const RETRY_ON_OVERLOADED = 16;
/** An LLM provider's quota or spend limit (lasts until its window ends: retrying seldom helps). */
export const RETRY_ON_QUOTA = 32;

/**
 * Longest Retry-After a client waits for before it falls back on its own
 * backoff: 60 s, as openai-python 1.x and the anthropic SDK do
 * (`_calculate_retry_timeout`: a retry-after(-ms) header is used when
 * 0 < it ≤ 60 s).
 */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** LangGraph's RetryPolicy default `max_attempts=3` (resilience4j's `maxAttempts` is 3 as well): what `retry: {}` means. */
export const DEFAULT_MAX_ATTEMPTS = 3;

export type RetryableFault = 'error' | 'timeout' | 'caught' | 'rateLimited' | 'overloaded' | 'quota';

const RETRY_BITS: Readonly<Record<RetryableFault, number>> = {
  error: RETRY_ON_ERROR,
  timeout: RETRY_ON_TIMEOUT,
  caught: RETRY_ON_CAUGHT,
  rateLimited: RETRY_ON_RATE_LIMITED,
  overloaded: RETRY_ON_OVERLOADED,
  quota: RETRY_ON_QUOTA,
};

export interface RetrySpec {
  /** Total attempts including the first call; 1 means no retry. */
  maxAttempts: number;
  backoff: BackoffSpec;
  /** Bit set of RETRY_ON_* flags. */
  retryOnMask: number;
  /**
   * Wait what a 429's Retry-After says instead of the backoff, when it is at
   * most `maxRetryAfterMs` (the OpenAI and Anthropic SDKs do by default;
   * Polly's HTTP resilience handler with ShouldRetryAfterHeader = true; the
   * AWS SDKs do not).
   */
  honourRetryAfter: boolean;
  maxRetryAfterMs: number;
}

export function retryOnMask(faults: readonly RetryableFault[]): number {
  let mask = 0;
  for (const f of faults) mask |= RETRY_BITS[f];
  return mask;
}

/** No retries: the plain default of a stage without a policy. */
export const NO_RETRY: RetrySpec = {
  maxAttempts: 1,
  backoff: { kind: 'constant', baseMs: 0, factor: 1, maxMs: 0, jitter: 'none', additiveMs: 0 },
  retryOnMask: 0,
  honourRetryAfter: false,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
};

/**
 * Probability that a stage with per-attempt retried-fault probability r,
 * terminal-fault probability t and k attempts eventually passes:
 * o · (1 − r^k) / (1 − r) with o = 1 − r − t (a geometric series over the
 * attempts that fail with a retried fault and then pass). With t = 0 this is
 * the familiar 1 − r^k.
 */
export function passProbability(retried: number, terminal: number, maxAttempts: number): number {
  const ok = 1 - retried - terminal;
  if (retried >= 1) return 0;
  if (retried === 0) return ok;
  return (ok * (1 - Math.pow(retried, maxAttempts))) / (1 - retried);
}
