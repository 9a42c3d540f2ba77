/** The circuit breaker as scenario files spell it (`breaker:`). */
import { z } from 'zod';
import { describeValue, durationMs, probability, positiveInt, strictObject } from '../../scenario/units.js';
import { RESILIENCE4J_BREAKER } from './breaker.js';

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
      .default(RESILIENCE4J_BREAKER.failureRate)
      .describe('failure share of the window that opens the breaker, in (0, 1] (resilience4j failureRateThreshold: 50 %)'),
    window: positiveInt.default(RESILIENCE4J_BREAKER.windowCalls).describe('calls in the sliding window (resilience4j slidingWindowSize: 100)'),
    minCalls: positiveInt.default(RESILIENCE4J_BREAKER.minCalls).describe('calls before the rate is judged (resilience4j minimumNumberOfCalls: 100)'),
    openFor: durationMs.default(RESILIENCE4J_BREAKER.openMs).describe('resilience4j waitDurationInOpenState: 60 s'),
    halfOpenCalls: positiveInt.default(RESILIENCE4J_BREAKER.halfOpenCalls).describe('resilience4j permittedNumberOfCallsInHalfOpenState: 10'),
  }),
]);
