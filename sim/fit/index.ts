/**
 * `coordgap fit`'s pure part: spans (read by experiments/otel/) → the request
 * path's structure, each node's latency law, rates with their intervals and
 * distributions, arrivals, and the back-test's verdicts.
 */
export * from './span.js';
export * from './distributions.js';
export * from './kolmogorov.js';
export * from './structure.js';
export * from './structure-scenario.js';
export * from './rates.js';
export * from './backtest.js';
export * from './qq.js';
export * from './per-visit-rate.js';
export * from './censored-counts.js';
