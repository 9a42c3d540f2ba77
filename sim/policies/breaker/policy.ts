/** A circuit breaker (`breaker:`): stops calling a failing dependency for a while (breaker.ts). */
import type { PolicyDescriptor } from '../policy.js';
import { RESILIENCE4J_BREAKER as R4J } from './breaker.js';

export const BREAKER_POLICY = {
  name: 'breaker',
  stageKey: 'breaker',
  scenarioKey: null,
  kind: 'recovery',
  counters: [
    { counter: 'defBreakerOpened', column: 'breakerOpened', doc: 'times the breaker opened' },
    { counter: 'defBreakerRejected', column: 'breakerRejected', doc: 'calls refused while it was open' },
  ],
  stageCoverage: { breaker: { holdsWhen: (v) => v === null, because: "a circuit breaker couples requests through the stage's recent failures" } },
  modelCoverage: {},
  defaults: [
    { field: 'breaker.failureRate', value: String(R4J.failureRate), source: 'resilience4j failureRateThreshold' },
    { field: 'breaker.window', value: String(R4J.windowCalls), source: 'resilience4j slidingWindowSize' },
    { field: 'breaker.minCalls', value: String(R4J.minCalls), source: 'resilience4j minimumNumberOfCalls' },
    { field: 'breaker.openFor', value: `${R4J.openMs / 1000} s`, source: 'resilience4j waitDurationInOpenState' },
    { field: 'breaker.halfOpenCalls', value: String(R4J.halfOpenCalls), source: 'resilience4j permittedNumberOfCallsInHalfOpenState' },
  ],
} as const satisfies PolicyDescriptor;
