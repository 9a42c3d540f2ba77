/** The retry policy as scenario files spell it (`retry:` on a stage or fallback). */
import { z } from 'zod';
import { durationMs, positiveInt, nonNegativeInt, strictObject } from '../../scenario/units.js';
import { backoffSchema } from '../backoff/schema.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RETRY_AFTER_MS } from './retry.js';

/**
 * The most attempts one visit may make: the request table counts them in an
 * int32 (request-table.ts `attempt`), so this is its largest value. Far past
 * any retry policy, and a visit that could use them all is refused up front by
 * the event budget anyway.
 */
export const MAX_ATTEMPTS = 2 ** 31 - 1;

export const retrySchema = strictObject({
  maxAttempts: positiveInt
    .max(MAX_ATTEMPTS, `must be at most ${MAX_ATTEMPTS} (attempts are counted in 32 bits)`)
    .optional()
    .describe(`attempts including the first call (LangGraph, resilience4j); default ${DEFAULT_MAX_ATTEMPTS}`),
  maxRetries: nonNegativeInt
    .max(MAX_ATTEMPTS - 1, `must be at most ${MAX_ATTEMPTS - 1} (maxAttempts = maxRetries + 1 is counted in 32 bits)`)
    .optional()
    .describe('retries after the first call (Polly, cockatiel); maxAttempts = maxRetries + 1'),
  backoff: backoffSchema.prefault({}),
  retryOn: z
    .array(z.enum(['error', 'timeout', 'caught', 'rateLimited', 'overloaded', 'quota']))
    .default(['error', 'timeout', 'rateLimited', 'overloaded'])
    .describe(
      "faults to retry: loud errors, attempt timeouts, corrupted input caught by validation (redone from its producer), an LLM provider's 429 (rateLimited), 529/503 (overloaded) or quota refusal; default error, timeout, rateLimited, overloaded – what the OpenAI and Anthropic SDKs retry (408/409/429/5xx)",
    ),
  retryAfter: strictObject({
    honour: z.boolean().default(true).describe("wait what a 429's Retry-After says instead of the backoff (OpenAI/Anthropic SDKs: yes; AWS SDKs: no)"),
    max: durationMs.default(DEFAULT_MAX_RETRY_AFTER_MS).describe('a longer Retry-After is ignored and the backoff used (openai-python 1.x, anthropic: 60 s)'),
  })
    .prefault({})
    .describe("how a 429's Retry-After header is treated"),
});
