/** A retry budget: a token bucket shared by a stage's calls (the AWS SDKs' standard retry mode, retry-budget.ts). */
import type { PolicyDescriptor } from '../policy.js';
import { AWS_STANDARD_RETRY_BUDGET as AWS } from './retry-budget.js';

export const RETRY_BUDGET_POLICY = {
  name: 'retry-budget',
  stageKey: 'retryBudget',
  scenarioKey: null,
  kind: 'recovery',
  counters: [{ counter: 'defBudgetDenied', column: 'retryBudgetDenied', doc: 'retries the bucket could not pay for' }],
  stageCoverage: { retryBudget: { holdsWhen: (v) => v === null, because: 'a retry budget couples requests through a shared token bucket' } },
  modelCoverage: {},
  defaults: [
    { field: 'retryBudget.capacity', value: String(AWS.capacity), source: 'AWS SDK INITIAL_RETRY_TOKENS' },
    { field: 'retryBudget.retryCost', value: String(AWS.retryCost), source: 'AWS SDK RETRY_COST' },
    { field: 'retryBudget.timeoutRetryCost', value: String(AWS.timeoutRetryCost), source: 'AWS SDK TIMEOUT_RETRY_COST' },
    { field: 'retryBudget.successRefund', value: String(AWS.successRefund), source: 'AWS SDK NO_RETRY_INCREMENT' },
  ],
} as const satisfies PolicyDescriptor;
