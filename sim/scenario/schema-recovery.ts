/**
 * The recovery toolbox as scenario files spell it: retry with backoff,
 * validation, circuit breaker, retry budget, hedging. Defaults carry their
 * source: LangGraph's RetryPolicy for retries, the AWS SDKs' standard retry
 * mode for the budget, resilience4j for the breaker.
 */
import { z } from 'zod';
import { describeValue, durationMs, probability, positiveInt, nonNegativeInt, strictObject } from './units.js';
import { latencySchema } from './schema-dist.js';

export const backoffSchema = strictObject({
  kind: z.enum(['constant', 'linear', 'exponential']).default('exponential'),
  base: durationMs.default(500).describe('delay before the first retry (LangGraph initial_interval: 0.5 s)'),
  factor: z.number().finite().min(1, 'must be >= 1').default(2).describe('growth per retry (LangGraph backoff_factor: 2)'),
  max: durationMs.default(128_000).describe('cap on the delay (LangGraph max_interval: 128 s)'),
  jitter: z.enum(['none', 'full', 'equal', 'decorrelated', 'additive']).default('additive'),
  additive: durationMs.default(1000).describe('upper bound of additive jitter U(0, additive) (LangGraph: 1 s)'),
});

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
    .describe('attempts including the first call (LangGraph, resilience4j); default 3'),
  maxRetries: nonNegativeInt
    .max(MAX_ATTEMPTS - 1, `must be at most ${MAX_ATTEMPTS - 1} (maxAttempts = maxRetries + 1 is counted in 32 bits)`)
    .optional()
    .describe('retries after the first call (Polly, cockatiel); maxAttempts = maxRetries + 1'),
  backoff: backoffSchema.prefault({}),
  retryOn: z
    .array(z.enum(['error', 'timeout', 'caught']))
    .default(['error', 'timeout'])
    .describe('faults to retry: loud errors, attempt timeouts, corrupted input caught by validation (redone from its producer)'),
});

export const validateSchema = strictObject({
  catchRate: probability.describe('share of corrupted input this check catches'),
  latency: latencySchema.optional().describe('time the check adds to every attempt'),
});

/** resilience4j CircuitBreakerConfig defaults: 50 % over 100 calls, 60 s open, 10 half-open calls (rate kind). */
export const breakerSchema = z.discriminatedUnion('kind', [
  strictObject({
    kind: z.literal('consecutive'),
    failures: positiveInt.describe('consecutive failures that open the breaker'),
    openFor: durationMs.describe('how long it stays open before a trial call'),
    halfOpenCalls: positiveInt.default(1),
  }),
  strictObject({
    kind: z.literal('rate'),
    failureRate: probability
      .gt(0, { error: (issue) => `must be above 0 and at most 1 (resilience4j's failureRateThreshold must be > 0: at 0 every call would open the breaker); got ${describeValue(issue.input)}` })
      .default(0.5)
      .describe('failure share of the window that opens the breaker, in (0, 1] (resilience4j failureRateThreshold: 50 %)'),
    window: positiveInt.default(100).describe('calls in the sliding window (resilience4j slidingWindowSize: 100)'),
    minCalls: positiveInt.default(100).describe('calls before the rate is judged (resilience4j minimumNumberOfCalls: 100)'),
    openFor: durationMs.default(60_000).describe('resilience4j waitDurationInOpenState: 60 s'),
    halfOpenCalls: positiveInt.default(10).describe('resilience4j permittedNumberOfCallsInHalfOpenState: 10'),
  }),
]);

/**
 * AWS SDK standard retry mode: 500 tokens, 5 per retry, 10 per timeout retry;
 * a first-try success puts back `successRefund` (1), a retried one its last
 * retry's cost (sim/policies/retry-budget.ts cites the SDK sources).
 */
export const retryBudgetSchema = strictObject({
  capacity: z.number().finite().positive().default(500),
  retryCost: z.number().finite().min(0).default(5),
  timeoutRetryCost: z.number().finite().min(0).default(10),
  successRefund: z.number().finite().min(0).default(1),
});

export const hedgeSchema = strictObject({
  delay: durationMs.describe('start a second attempt when the first has run this long'),
});
