/**
 * One unit of parallel work: replication `replication` of one scenario input
 * (baseline, variant or sweep point). The input is the plain scenario data as
 * written (after --set and patches), so it crosses the worker boundary by
 * structured clone and is validated and compiled where it runs.
 */
import { scenarioSchema } from '../sim/scenario/index.js';
import { compileScenario } from '../sim/scenario/index.js';
import { runReplication, type ReplicationOptions } from '../sim/path/index.js';
import type { CancelCheck } from '../sim/kernel/index.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';
import type { LimitsModel, Model } from '../sim/path/index.js';
import { withLimits, limitsOf, inFlightCap } from '../sim/analysis/index.js';
import type { ResolvedHardware } from '../sim/scenario/index.js';

export interface SimTask {
  /** What the task belongs to, for messages ("variant recovery-layer", "point 3"). */
  label: string;
  input: unknown;
  traceTimestampsMs?: readonly number[];
  replication: number;
  /** Overrides the input's seed (used by --independent to decorrelate variants). */
  seed?: number | string;
  /** The input's hardware config and kernel timings, resolved by the loader. */
  hardware?: ResolvedHardware;
  /** The run's limits as checked before it was sent (they set its in-flight cap and event limit). */
  limits?: LimitsModel;
}

const compiled = new Map<string, Model>();

/** Compiles once per distinct input within a thread; the model is read-only while it runs. */
function modelFor(task: SimTask): Model {
  const key = JSON.stringify([task.input, task.traceTimestampsMs?.length ?? 0, task.hardware?.config.name ?? null, task.hardware?.kernelSource ?? null]);
  let model = compiled.get(key);
  if (model === undefined) {
    model = compileScenario(scenarioSchema.parse(task.input), {
      traceTimestampsMs: task.traceTimestampsMs,
      ...(task.hardware ? { hardware: task.hardware } : {}),
    });
    if (compiled.size > 64) compiled.clear();
    compiled.set(key, model);
  }
  return model;
}

/**
 * Runs the task. `isCancelled` is asked every few milliseconds of simulation
 * (CANCEL_CHECK_EVENTS events); when it answers true the run throws a
 * RunCancelledError and has no result.
 */
export function runSimTask(task: SimTask, isCancelled?: CancelCheck): RunCollectorJson {
  const model = modelFor(task);
  // Limits and seed travel as run options, not in a copy of the model: the
  // compiled model keeps its hidden class (see SimulateOptions.seed).
  const limited = withLimits(model, task.limits);
  const options: ReplicationOptions = { maxEvents: limitsOf(limited).maxEvents, maxInFlight: inFlightCap(limited) };
  if (task.seed !== undefined) options.seed = task.seed;
  if (isCancelled !== undefined) options.isCancelled = isCancelled;
  return runReplication(model, task.replication, options).toJSON();
}
