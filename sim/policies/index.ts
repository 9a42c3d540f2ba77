/** Public surface of sim/policies/. The recovery policies and stage features, one folder each. */
export * from './backoff/backoff.js';
export * from './breaker/breaker.js';
export * from './retry/retry.js';
export * from './retry-budget/retry-budget.js';
