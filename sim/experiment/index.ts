/** Public surface of sim/experiment/. Experiments on models: paired comparisons on common random numbers, sensitivity interventions, sweep grids, built-in studies. */
export * from './comparison.js';
export * from './sensitivity.js';
export * from './decision.js';
export * from './studies.js';
export * from './sweep-result.js';
export * from './sweep-spec.js';
export * from './uncertainty.js';
export * from './portfolio.js';
export * from './portfolio-conflicts.js';
export * from './portfolio-search.js';
export * from './portfolio-result.js';
