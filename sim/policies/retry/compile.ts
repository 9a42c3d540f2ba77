/** `retry:` as written → the RetrySpec a stage runs (defaults filled: DEFAULT_MAX_ATTEMPTS, LangGraph's backoff). */
import type { z } from 'zod';
import type { retrySchema } from './schema.js';
import { DEFAULT_MAX_ATTEMPTS, NO_RETRY, retryOnMask, type RetrySpec } from './retry.js';

export function compileRetry(r: z.output<typeof retrySchema> | undefined): RetrySpec {
  if (r === undefined) return NO_RETRY;
  const maxAttempts = r.maxAttempts ?? (r.maxRetries !== undefined ? r.maxRetries + 1 : DEFAULT_MAX_ATTEMPTS);
  const b = r.backoff;
  return {
    maxAttempts,
    retryOnMask: retryOnMask(r.retryOn),
    honourRetryAfter: r.retryAfter.honour,
    maxRetryAfterMs: r.retryAfter.max,
    backoff: { kind: b.kind, baseMs: b.base, factor: b.factor, maxMs: b.max, jitter: b.jitter, additiveMs: b.additive },
  };
}
