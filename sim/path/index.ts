/** Public surface of sim/path/. The request path: the compiled model, its runtime, the request table, pools, attempts, fault origins, outcomes, request movement and the recovery decisions, and simulate(). */
export * from './attempt.js';
export * from './composites.js';
export * from './graph.js';
export * from './model.js';
export * from './origins.js';
export * from './outcomes.js';
export * from './pool.js';
export * from './recovery.js';
export * from './request-path.js';
export * from './request-table.js';
export * from './routing.js';
export * from './runtime.js';
export * from './simulate.js';
export * from './topology.js';
