/**
 * The library entry point, for users who script experiments:
 *
 *   import { simulate, compare } from 'coordgap';
 *   const result = await simulate('scenarios/six-step-97.yaml', { replications: 4 });
 *   const c = await compare({ name: 'mine', arrivals: …, pools: …, stages: …, variants: … });
 *
 * A scenario is a file path or a scenario object (the same fields as a
 * scenario file). Invalid input throws a ScenarioError whose `issues` name the
 * field and what would be valid; a run estimated over its event or memory
 * budget throws a BudgetError naming the estimate before anything runs.
 */
import { loadScenarioFile, loadScenarioText, type LoadedScenario } from './experiments/load-scenario.js';
import { runScenario, compareScenario, type TaskFailure } from './experiments/experiments.js';
import { VERSION } from './experiments/version.js';
import type { RunResult } from './sim/metrics/index.js';
import type { ComparisonResult } from './sim/experiment/index.js';
import type { ScenarioInput } from './sim/scenario/index.js';

export interface LibraryOptions {
  /** Independent replications, merged exactly (default 1). */
  replications?: number;
  /** Worker threads at most (default: the estimated work decides – in this thread below pool start-up cost, else one per core). */
  threads?: number;
  /** Overrides like the CLI's --set: 'stages.retrieval.faults.error=0.1'. */
  set?: string[];
  /** Give each variant its own random numbers (compare only). */
  independent?: boolean;
  /** Base directory for relative paths (default: process.cwd()). */
  cwd?: string;
  /** Overrides the scenario's limits.maxEvents: events one run may take (a run estimated above is refused with a BudgetError). */
  maxEvents?: number;
  /** Overrides the scenario's limits.maxMemoryMb: memory one run may use, MB. */
  maxMemoryMb?: number;
}

/** Thrown when a run could not complete: which replications failed and why. */
export class ExperimentError extends Error {
  constructor(readonly failures: TaskFailure[]) {
    super(`${failures.length} run(s) failed: ${failures.map((f) => `${f.label} #${f.replication}: ${f.error}`).join('; ')}`);
  }
}

async function load(scenario: string | ScenarioInput, o: LibraryOptions): Promise<LoadedScenario> {
  const cwd = o.cwd ?? process.cwd();
  return typeof scenario === 'string'
    ? loadScenarioFile(scenario, cwd, o.set ?? [])
    : loadScenarioText(JSON.stringify(scenario, null, 2), '<scenario object>', cwd, o.set ?? []);
}

function experiment(o: LibraryOptions) {
  return {
    replications: o.replications ?? 1,
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    independent: o.independent === true,
    version: VERSION,
    limits: { ...(o.maxEvents !== undefined ? { maxEvents: o.maxEvents } : {}), ...(o.maxMemoryMb !== undefined ? { maxMemoryMb: o.maxMemoryMb } : {}) },
  };
}

/** Simulates the scenario's baseline. */
export async function simulate(scenario: string | ScenarioInput, options: LibraryOptions = {}): Promise<RunResult> {
  const { result, status } = await runScenario(await load(scenario, options), experiment(options));
  if (result === null) throw new ExperimentError(status.failures);
  return result;
}

/** Baseline against every variant of the scenario, paired on common random numbers. */
export async function compare(scenario: string | ScenarioInput, options: LibraryOptions = {}): Promise<ComparisonResult> {
  const { comparison, status } = await compareScenario(await load(scenario, options), experiment(options));
  if (comparison === null || status.failures.length > 0) throw new ExperimentError(status.failures);
  return comparison;
}

export { VERSION };
export { Engine, type EventHandler, type EventObserver, type RunLimits } from './sim/kernel/index.js';
export { RandomStreams, replicationSeed, type Uniform01 } from './sim/kernel/index.js';
export { makeSampler, DistParamError, type DistSpec, type Sampler } from './sim/kernel/index.js';
export { LatencyHistogram } from './sim/kernel/index.js';
export { wilson, newcombeDifference, meanInterval, pairedDifference, type Estimate } from './sim/metrics/index.js';
export type { Model, StageModel, PoolModel, ArrivalModel, EdgeModel, LimitsModel } from './sim/path/index.js';
export { estimateRun, checkBudget, BudgetError, DEFAULT_LIMITS, type RunEstimate } from './sim/analysis/index.js';
export { stabilityOf, type StabilityReport, type PoolStability } from './sim/analysis/index.js';
export { PipelineSimulation, type TraceEvent, type SimulateOptions } from './sim/path/index.js';
export { simulateModel, runReplication, type RunOptions } from './sim/path/index.js';
export { compareModels, summarizeComparison, type ComparisonResult, type VariantComparison } from './sim/experiment/index.js';
export type { RunResult, StageResult, PoolResult, LatencySummary } from './sim/metrics/index.js';
export { analyticResult, type AnalyticResult } from './sim/analysis/index.js';
export { OUTCOMES, type Outcome, type OutcomeCounts } from './sim/path/index.js';
export { scenarioSchema, type Scenario, type ScenarioInput } from './sim/scenario/index.js';
export { compileScenario } from './sim/scenario/index.js';
export { ScenarioError, type ScenarioIssue } from './sim/scenario/index.js';
export { evaluateThresholds, THRESHOLD_METRICS, type ThresholdOutcome } from './sim/metrics/index.js';
