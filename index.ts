/**
 * The library entry point: `import { simulate, loadScenario } from 'coordgap'`.
 */
export { Engine, type EventHandler, type EventObserver, type RunLimits } from './sim/engine.js';
export { RandomStreams, replicationSeed, type Uniform01 } from './sim/rng.js';
export { makeSampler, DistParamError, type DistSpec, type Sampler } from './sim/dist.js';
export { LatencyHistogram } from './sim/histogram.js';
export { wilson, type Estimate } from './sim/intervals.js';
export type { Model, StageModel, PoolModel, ArrivalModel } from './sim/model.js';
export { PipelineSimulation, type TraceEvent, type SimulateOptions } from './sim/pipeline.js';
export { simulateModel, runReplication, type RunOptions } from './sim/simulate.js';
export type { RunResult, StageResult, PoolResult, LatencySummary } from './sim/result.js';
export { analyticResult, type AnalyticResult } from './sim/analytic.js';
export { OUTCOMES, type Outcome, type OutcomeCounts } from './sim/outcomes.js';
export { scenarioSchema, type Scenario, type ScenarioInput } from './sim/scenario/schema.js';
export { compileScenario } from './sim/scenario/compile.js';
export { ScenarioError, type ScenarioIssue } from './sim/scenario/source.js';
export { loadScenarioFile, type LoadedScenario } from './scripts/load-scenario.js';
