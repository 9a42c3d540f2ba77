/**
 * Runs, comparisons and sweeps as sets of (arm, replication) tasks on worker
 * threads. Results are merged in task order, so the output is byte-identical
 * whatever the thread count. Failed tasks are named; their arm is left out
 * and the caller exits 3. An interrupted experiment keeps its finished arms.
 */
import type { LoadedScenario } from './load-scenario.js';
import type { ArmSpec } from './arm.js';
export type { ArmSpec };
import { runTasks, type TaskOutcome, type TaskRunner } from './task-runner.js';
import { loadCheckpoint, CheckpointWriter, tasksHash } from './checkpoint.js';
import { inShard, shardText, type Shard, type ShardStep } from './shard.js';
import { basename } from 'node:path';
import { UsageError } from './usage-error.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';
import { keepModel, taskIdentity, type SimTask } from './sim-task.js';
import { toWire } from './model-wire.js';
import type { ExperimentSession } from './session.js';
import { RunCollector } from '../sim/metrics/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import { summarizeComparison, mergeReplications, type ArmRuns, type ComparisonResult, type VariantKind } from '../sim/experiment/index.js';
import type { LimitsModel } from '../sim/path/index.js';
import { checkBudget, limitsOf, inFlightCap, withLimits } from '../sim/analysis/index.js';
import { checkExperimentBudget, DEFAULT_EXPERIMENT_LIMITS, type ArmWork, type ExperimentEstimate } from '../sim/analysis/index.js';

export interface ExperimentOptions {
  replications: number;
  /** Worker threads at most; unset, the estimated work decides (task-runner.ts placement). */
  threads?: number;
  /**
   * The worker pool and finished runs this experiment shares with the
   * command's others (session.ts): a run already finished there is reused,
   * not simulated again. Default: a session of its own, closed at its end.
   */
  session?: ExperimentSession;
  /** Give every variant its own seed: no common random numbers (to measure what they buy). */
  independent?: boolean;
  version: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Worker module override (tests). */
  workerUrl?: URL;
  /** Where the tasks run (default: this machine's threads, runTasks); a job queue's runner runs them on its workers. */
  runner?: TaskRunner;
  /** Time limit of one task before its worker is ended as hung (default: task-runner's). */
  taskTimeoutMs?: number;
  /**
   * Where the experiment keeps its finished tasks (checkpoint.ts); `resume`
   * reuses them. The state stays after the run, complete or not: the command
   * removes it once its files are written (CommandStates, told through `onStateSaved`).
   */
  stateFile?: string;
  resume?: boolean;
  /** Called once the experiment has saved its final state: where, and whether it holds every task. */
  onStateSaved?: (stateFile: string, complete: boolean) => void;
  /**
   * Run only this share of the tasks (shard.ts; needs `stateFile`): the state
   * then holds this shard's finished tasks alone, and every arm comes back
   * null – the results exist only once `coordgap merge` has joined the shards.
   */
  shard?: Shard;
  /** Under `shard`: called once the state is saved, with what it holds and what failed. */
  onShardSaved?: (step: ShardStep, status: ExperimentStatus) => void;
  /**
   * Every task must come from the resume state (`coordgap merge` writing a
   * joined state's files): one that would have to be simulated is an error,
   * never a silent local run.
   */
  replayOnly?: boolean;
  /** Overrides every arm's limits (the CLI's --max-events / --max-memory-mb). */
  limits?: Partial<LimitsModel>;
  /** Events the whole experiment may take (the CLI's --max-total-events; default: sim/analysis/experiment-limits.ts). */
  maxTotalEvents?: number;
}

export interface TaskFailure {
  label: string;
  replication: number;
  error: string;
}

export interface ExperimentStatus {
  failures: TaskFailure[];
  interrupted: boolean;
}


/** Seed of a variant run without common random numbers: its own stream family. */
export function independentSeed(seed: number | string, variant: string): string {
  return `${seed}~${variant}`;
}

/**
 * The tasks of an experiment, every arm × replication, after its budget: each
 * arm is checked against its limits (one estimated over refuses the whole
 * experiment with a BudgetError), then the whole – arms × replications runs
 * and their summed events – against the experiment's (sim/analysis/experiment-limits.ts),
 * before a single task is built, so `--replications 1e9` costs nothing. Each
 * task carries its arm's compiled model (model-wire.ts) and the limits it
 * runs under; `events[i]` is task i's estimated engine events.
 */
export function planExperiment(
  arms: readonly ArmSpec[],
  options: Pick<ExperimentOptions, 'replications' | 'limits' | 'maxTotalEvents'>,
): { tasks: SimTask[]; events: number[]; estimate: ExperimentEstimate } {
  const work: ArmWork[] = [];
  const runs = arms.map((arm) => {
    const model = withLimits(arm.model, options.limits);
    const subject = arm.label === 'baseline' ? 'the scenario' : arm.label;
    work.push({ subject, events: checkBudget(model, subject).events });
    return { maxEvents: limitsOf(model).maxEvents, maxInFlight: inFlightCap(model) };
  });
  const estimate = checkExperimentBudget(work, options.replications, {
    ...DEFAULT_EXPERIMENT_LIMITS,
    ...(options.maxTotalEvents !== undefined ? { maxTotalEvents: options.maxTotalEvents } : {}),
  });
  const tasks: SimTask[] = [];
  const events: number[] = [];
  arms.forEach((arm, a) => {
    const model = toWire(arm.model);
    // A task run in this thread uses the model as compiled, not a rebuilt copy.
    keepModel(model, arm.model);
    for (let r = 0; r < options.replications; r++) {
      tasks.push({ label: arm.label, model, replication: r, ...(arm.seed !== undefined ? { seed: arm.seed } : {}), ...runs[a] });
      events.push(work[a].events);
    }
  });
  return { tasks, events, estimate };
}

/**
 * Runs every arm × replication; returns each arm's collectors (null where a
 * task failed). The experiment is planned first (planExperiment): one arm, or
 * the whole, over budget refuses it (BudgetError) before anything runs. A
 * task is simulated only when neither the resume state nor the session holds
 * its result already.
 */
export async function runArms(arms: readonly ArmSpec[], options: ExperimentOptions): Promise<{ collectors: (RunCollector[] | null)[]; status: ExperimentStatus }> {
  const { tasks, events } = planExperiment(arms, options);
  const identities = tasks.map(taskIdentity);
  const saved = options.stateFile && options.resume ? await loadCheckpoint(options.stateFile, tasks) : new Map<number, RunCollectorJson>();
  // What this command has simulated already (a report's ranking reruns the comparison's baseline) counts as saved.
  const reused = new Map<number, RunCollectorJson>();
  tasks.forEach((_, i) => {
    const known = saved.has(i) ? undefined : options.session?.result(identities[i]);
    if (known !== undefined) reused.set(i, known);
  });
  for (const [i, value] of saved) options.session?.keep(identities[i], value);
  const shard = options.shard;
  if (shard !== undefined && !options.stateFile) throw new Error('a shard needs a state file to keep its tasks in');
  // A shard keeps its own tasks alone, also those the session had: every task is in exactly one shard's state.
  const inShare = (i: number) => shard === undefined || inShard(i, shard);
  const have = new Map([...saved, ...reused].filter(([i]) => inShare(i)));
  const todo = tasks.map((_, i) => i).filter((i) => inShare(i) && !have.has(i));
  if (options.replayOnly === true && todo.length > 0)
    throw new UsageError(
      `the merged state ${options.stateFile ?? ''} lacks ${todo.length} of this experiment's ${tasks.length} tasks (e.g. ${tasks[todo[0]].label}, replication ${tasks[todo[0]].replication}); nothing was simulated – the shards do not cover this experiment`,
    );
  const checkpoint = options.stateFile ? new CheckpointWriter(options.stateFile, tasks, new Map(have)) : null;
  const ran = await (options.runner ?? runTasks)(
    todo.map((i) => tasks[i]),
    {
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      estimatedEvents: todo.reduce((sum, i) => sum + events[i], 0),
      ...(options.session ? { session: options.session } : {}),
      ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}),
      ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
      ...(options.onProgress ? { onProgress: (d: number) => options.onProgress!(have.size + d, tasks.length) } : {}),
      onResult: (k: number, o: TaskOutcome) => {
        if (!o.ok) return;
        options.session?.keep(identities[todo[k]], o.value);
        checkpoint?.taskDone(todo[k], o.value);
      },
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  const ranAt = new Map(todo.map((taskIndex, k) => [taskIndex, k]));
  const outcomes: (TaskOutcome | null)[] = tasks.map((_, i) => {
    const s = have.get(i);
    return s !== undefined ? { ok: true, value: s } : inShare(i) ? ran[ranAt.get(i)!] : null;
  });
  if (checkpoint && options.stateFile) {
    await checkpoint.close();
    options.onStateSaved?.(options.stateFile, outcomes.every((o) => o?.ok === true));
  }
  if (shard !== undefined) return shardEnd(arms.length, tasks, outcomes, options.stateFile!, shard, options);
  const failures: TaskFailure[] = [];
  let interrupted = false;
  const collectors = arms.map((_, a) => {
    const mine: RunCollector[] = [];
    let complete = true;
    for (let r = 0; r < options.replications; r++) {
      const i = a * options.replications + r;
      const o = outcomes[i]!;
      if (o.ok) mine.push(RunCollector.fromJSON(o.value));
      else {
        complete = false;
        if ('aborted' in o) interrupted = true;
        else failures.push({ label: tasks[i].label, replication: r, error: o.error });
      }
    }
    return complete ? mine : null;
  });
  return { collectors, status: { failures, interrupted } };
}

/**
 * A shard's experiment ends here: its share's failures and interruption
 * named as always, what its state holds told to the command
 * (onShardSaved), and no arm returned – a shard's results are a part only
 * (`coordgap merge` makes them whole).
 */
function shardEnd(
  arms: number,
  tasks: readonly SimTask[],
  outcomes: readonly (TaskOutcome | null)[],
  stateFile: string,
  shard: Shard,
  options: ExperimentOptions,
): { collectors: null[]; status: ExperimentStatus } {
  const failures: TaskFailure[] = [];
  let interrupted = false;
  let share = 0;
  let done = 0;
  outcomes.forEach((o, i) => {
    if (o === null) return;
    share++;
    if (o.ok) done++;
    else if ('aborted' in o) interrupted = true;
    else failures.push({ label: `${tasks[i].label} (shard ${shardText(shard)})`, replication: tasks[i].replication, error: o.error });
  });
  const status = { failures, interrupted };
  options.onShardSaved?.({ state: basename(stateFile), tasksHash: tasksHash(tasks), tasks: tasks.length, share, done }, status);
  return { collectors: new Array<null>(arms).fill(null), status };
}

/** The scenario as written, as an arm. */
export function baselineArm(loaded: LoadedScenario): ArmSpec {
  return { label: 'baseline', model: loaded.model, scenarioHash: loaded.hash };
}

export async function runScenario(loaded: LoadedScenario, options: ExperimentOptions): Promise<{ result: RunResult | null; status: ExperimentStatus }> {
  const { collectors, status } = await runArms([baselineArm(loaded)], options);
  const mine = collectors[0];
  if (mine === null) return { result: null, status };
  return { result: mergeReplications(loaded.model, mine, { version: options.version, scenarioHash: loaded.hash, node: process.version }), status };
}

export async function compareScenario(
  loaded: LoadedScenario,
  options: ExperimentOptions,
): Promise<{ comparison: ComparisonResult | null; status: ExperimentStatus; missing: string[] }> {
  const arms: ArmSpec[] = [
    baselineArm(loaded),
    ...loaded.variants.map((v) => ({
      label: `variant ${v.name}`,
      model: v.model,
      scenarioHash: v.hash,
      ...(options.independent ? { seed: independentSeed(loaded.model.seed, v.name) } : {}),
    })),
  ];
  const { collectors, status } = await runArms(arms, options);
  const base = collectors[0];
  const missing = arms.filter((_, i) => collectors[i] === null).map((a) => a.label);
  if (base === null) return { comparison: null, status, missing };
  const baseline: ArmRuns = { model: loaded.model, scenarioHash: loaded.hash, collectors: base };
  const variants = loaded.variants.flatMap((v, i) => {
    const c = collectors[i + 1];
    return c === null
      ? []
      : [{ name: v.name, kind: v.kind as VariantKind, ...(v.description !== undefined ? { description: v.description } : {}), model: v.model, scenarioHash: v.hash, collectors: c }];
  });
  return { comparison: summarizeComparison(baseline, variants, { version: options.version, node: process.version }), status, missing };
}
