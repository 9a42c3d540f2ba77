/** A bulkhead (`bulkhead:` on a stage): a limit on the stage's calls in progress; calls over it are refused (bulkhead.ts). */
import type { PolicyDescriptor } from '../policy.js';
import { RESILIENCE4J_MAX_CONCURRENT_CALLS } from './bulkhead.js';

export const BULKHEAD_POLICY = {
  name: 'bulkhead',
  stageKey: 'bulkhead',
  scenarioKey: null,
  kind: 'recovery',
  counters: [{ counter: 'defBulkheadRejected', column: 'bulkheadRejected', doc: 'calls refused because the stage had maxConcurrent in progress' }],
  stageCoverage: { bulkhead: { holdsWhen: (v) => v === null, because: "a bulkhead couples requests through the stage's calls in progress" } },
  modelCoverage: {},
  defaults: [{ field: 'bulkhead.maxConcurrent', value: String(RESILIENCE4J_MAX_CONCURRENT_CALLS), source: 'resilience4j maxConcurrentCalls' }],
} as const satisfies PolicyDescriptor;
