/**
 * One call from a compiled model to a result: runs R replications (seeds
 * derived from the model seed; replication 0 uses the seed itself) and merges
 * them exactly – counts add, histograms merge.
 */
import { PipelineSimulation } from './composites.js';
import type { SimulateOptions } from './request-path.js';
import type { Model } from './model.js';
import { replicationSeed } from '../kernel/rng.js';
import { buildResult, type RunResult } from '../metrics/result.js';
import type { RunCollector } from '../metrics/collector.js';
import { checkBudget } from '../analysis/run-limits.js';
import type { CancelCheck } from '../kernel/engine.js';

export interface RunOptions extends SimulateOptions {
  replications?: number;
  version?: string;
  scenarioHash?: string;
  /** The runtime, for meta.node (metrics/result.ts ResultContext). */
  node?: string;
}

export interface ReplicationOptions extends SimulateOptions {
  /**
   * Asked between slices of events (Engine.isCancelled): answering true ends
   * the run with a RunCancelledError instead of a result.
   */
  isCancelled?: CancelCheck;
}

/** Runs replication `index` of `model` and returns its raw measurements. */
export function runReplication(model: Model, index: number, options: ReplicationOptions = {}): RunCollector {
  const seed = options.seed ?? model.seed;
  const simulation = new PipelineSimulation(model, index === 0 ? options : { ...options, seed: replicationSeed(seed, index) });
  if (options.isCancelled !== undefined) simulation.engine.isCancelled = options.isCancelled;
  return simulation.run(options.maxEvents);
}

/** Simulates `model`; throws a BudgetError, before simulating, when its estimate is over its limits (analysis/run-limits.ts). */
export function simulateModel(model: Model, options: RunOptions = {}): RunResult {
  const replications = options.replications ?? 1;
  if (!Number.isInteger(replications) || replications < 1)
    throw new RangeError(`replications must be a positive integer; got ${replications}`);
  checkBudget(model);
  const merged = runReplication(model, 0, options);
  for (let r = 1; r < replications; r++) merged.merge(runReplication(model, r, options));
  return buildResult(model, merged, {
    replications,
    version: options.version ?? '0.0.0',
    scenarioHash: options.scenarioHash ?? '',
    node: options.node ?? '',
  });
}
