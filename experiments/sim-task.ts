/**
 * One unit of parallel work: replication `replication` of one arm (baseline,
 * variant, sweep point or intervention). The arm travels as its compiled
 * model in wire form (model-wire.ts) with the run's limits already worked out
 * (planExperiment), so whoever runs it – this thread or a worker – only
 * simulates: nothing is parsed, validated or compiled again.
 */
import { runReplication, type Model, type ReplicationOptions } from '../sim/path/index.js';
import type { CancelCheck } from '../sim/kernel/index.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';
import { fromWire, type WireModel } from './model-wire.js';

export interface SimTask {
  /** What the task belongs to, for messages ("variant recovery-layer", "point 3"). */
  label: string;
  /** The arm's compiled model (its trace and hardware included). */
  model: WireModel;
  replication: number;
  /** Overrides the model's seed (used by --independent to decorrelate variants). */
  seed?: number | string;
  /** Events the run may take (its limits as checked before it was sent). */
  maxEvents: number;
  /** Requests the run may hold at once, from its memory limit (run-limits.ts inFlightCap). */
  maxInFlight: number;
}

/**
 * What makes two tasks the same run: the model's content, the seed, the
 * replication and the limits – not the label. Same identity, same result
 * (the simulation is deterministic), so a session (session.ts) reuses one for the other.
 */
export function taskIdentity(task: SimTask): string {
  return JSON.stringify([task.model.digest, task.seed ?? null, task.replication, task.maxEvents, task.maxInFlight]);
}

/** Models rebuilt in this thread, by digest; read-only while they run. */
const models = new Map<string, Model>();
/** More distinct models than any experiment has arms at once; past it the oldest go. */
const MAX_MODELS = 64;

/**
 * Registers a model this thread compiled under its wire digest, so tasks run
 * here use it as it is instead of a rebuilt copy.
 */
export function keepModel(wire: WireModel, model: Model): void {
  remember(wire.digest, model);
}

function remember(digest: string, model: Model): void {
  if (models.size >= MAX_MODELS && !models.has(digest)) models.delete(models.keys().next().value as string);
  models.set(digest, model);
}

function modelFor(task: SimTask): Model {
  let model = models.get(task.model.digest);
  if (model === undefined) {
    model = fromWire(task.model);
    remember(task.model.digest, model);
  }
  return model;
}

/**
 * Runs the task. `isCancelled` is asked every few milliseconds of simulation
 * (CANCEL_CHECK_EVENTS events); when it answers true the run throws a
 * RunCancelledError and has no result.
 */
export function runSimTask(task: SimTask, isCancelled?: CancelCheck): RunCollectorJson {
  // Limits and seed travel as run options, not in a copy of the model: the
  // model keeps its hidden class (see SimulateOptions.seed).
  const options: ReplicationOptions = { maxEvents: task.maxEvents, maxInFlight: task.maxInFlight };
  if (task.seed !== undefined) options.seed = task.seed;
  if (isCancelled !== undefined) options.isCancelled = isCancelled;
  return runReplication(modelFor(task), task.replication, options).toJSON();
}
