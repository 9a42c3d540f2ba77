/** Public surface of sim/kernel/. The simulation kernel: the event engine, seeded random streams and keyed draws, distributions, special functions, the latency histogram. Stands on nothing else in sim/. */
export * from './beta.js';
export * from './bounds.js';
export * from './dist.js';
export * from './engine.js';
export * from './histogram.js';
export * from './keyed.js';
export * from './rng.js';
export * from './special.js';
export * from './student-t.js';
export * from './uniform.js';
export * from './exact-sum.js';
