/** Public surface of sim/metrics/. What a run measures and how it is judged: the collector, the run result, confidence intervals, costs, quantile deltas, thresholds. */
export * from './collector.js';
export * from './cost.js';
export * from './graph-result.js';
export * from './intervals.js';
export * from './llm-result.js';
export * from './count-histogram.js';
export * from './quantile-delta.js';
export * from './result.js';
export * from './threshold-gate.js';
export * from './thresholds.js';
