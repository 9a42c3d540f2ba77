/** Public surface of sim/analysis/. What can be said without simulating: closed forms and where they hold, expected demand, queueing formulas, stability, run and experiment limits, the reference model. */
export * from './attempt-law.js';
export * from './closed-form-coverage.js';
export * from './closed-forms.js';
export * from './coverage.js';
export * from './demand.js';
export * from './demand-types.js';
export * from './graph-demand.js';
export * from './graph-flow.js';
export * from './graph-joins.js';
export * from './llm-bounds.js';
export * from './experiment-limits.js';
export * from './queueing.js';
export * from './reference-model.js';
export * from './run-limits.js';
export * from './stability.js';
export * from './stage-pass.js';
export * from './visit-shape.js';
