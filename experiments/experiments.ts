/**
 * Runs, comparisons and sweeps as sets of (arm, replication) tasks on worker
 * threads. Results are merged in task order, so the output is byte-identical
 * whatever the thread count. Failed tasks are named; their arm is left out
 * and the caller exits 3. An interrupted experiment keeps its finished arms.
 */
import type { LoadedScenario } from './load-scenario.js';
import type { ArmSpec } from './arm.js';
export type { ArmSpec };
import { runTasks, type TaskOutcome } from './task-runner.js';
import { loadCheckpoint, CheckpointWriter } from './checkpoint.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';
import type { SimTask } from './sim-task.js';
import { RunCollector } from '../sim/metrics/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import { summarizeComparison, mergeReplications, type ArmRuns, type ComparisonResult, type VariantKind } from '../sim/experiment/index.js';
import type { LimitsModel } from '../sim/path/index.js';
import { checkBudget, limitsOf, withLimits } from '../sim/analysis/index.js';
import { checkExperimentBudget, DEFAULT_EXPERIMENT_LIMITS, type ArmWork, type ExperimentEstimate } from '../sim/analysis/index.js';

export interface ExperimentOptions {
  replications: number;
  threads: number;
  /** Give every variant its own seed: no common random numbers (to measure what they buy). */
  independent?: boolean;
  version: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Worker module override (tests). */
  workerUrl?: URL;
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
 * before a single task is built, so `--replications 1e9` costs nothing.
 */
export function planExperiment(
  loaded: Pick<LoadedScenario, 'traceTimestampsMs'>,
  arms: readonly ArmSpec[],
  options: Pick<ExperimentOptions, 'replications' | 'limits' | 'maxTotalEvents'>,
): { tasks: SimTask[]; estimate: ExperimentEstimate } {
  const work: ArmWork[] = [];
  const limits = arms.map((arm) => {
    const model = withLimits(arm.model, options.limits);
    const subject = arm.label === 'baseline' ? 'the scenario' : arm.label;
    work.push({ subject, events: checkBudget(model, subject).events });
    return limitsOf(model);
  });
  const estimate = checkExperimentBudget(work, options.replications, {
    ...DEFAULT_EXPERIMENT_LIMITS,
    ...(options.maxTotalEvents !== undefined ? { maxTotalEvents: options.maxTotalEvents } : {}),
  });
  const tasks: SimTask[] = [];
  arms.forEach((arm, a) => {
    for (let r = 0; r < options.replications; r++)
      tasks.push({
        label: arm.label,
        input: arm.input,
        replication: r,
        limits: limits[a],
        ...(loaded.traceTimestampsMs !== undefined ? { traceTimestampsMs: loaded.traceTimestampsMs } : {}),
        ...(arm.seed !== undefined ? { seed: arm.seed } : {}),
        ...(arm.hardware !== undefined ? { hardware: arm.hardware } : {}),
      });
  });
  return { tasks, estimate };
}

/**
 * Runs every arm × replication; returns each arm's collectors (null where a
 * task failed). The experiment is planned first (planExperiment): one arm, or
 * the whole, over budget refuses it (BudgetError) before anything runs.
 */
export async function runArms(
  loaded: Pick<LoadedScenario, 'traceTimestampsMs'>,
  arms: readonly ArmSpec[],
  options: ExperimentOptions,
): Promise<{ collectors: (RunCollector[] | null)[]; status: ExperimentStatus }> {
  const { tasks } = planExperiment(loaded, arms, options);
  const saved = options.stateFile && options.resume ? await loadCheckpoint(options.stateFile, tasks) : new Map<number, RunCollectorJson>();
  const todo = tasks.map((_, i) => i).filter((i) => !saved.has(i));
  const checkpoint = options.stateFile ? new CheckpointWriter(options.stateFile, tasks, new Map(saved)) : null;
  const ran = await runTasks(
    todo.map((i) => tasks[i]),
    {
      threads: options.threads,
      ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}),
      ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
      ...(options.onProgress ? { onProgress: (d: number) => options.onProgress!(saved.size + d, tasks.length) } : {}),
      ...(checkpoint ? { onResult: (k: number, o: TaskOutcome) => o.ok && checkpoint.taskDone(todo[k], o.value) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  const ranAt = new Map(todo.map((taskIndex, k) => [taskIndex, k]));
  const outcomes: TaskOutcome[] = tasks.map((_, i) => {
    const s = saved.get(i);
    return s !== undefined ? { ok: true, value: s } : ran[ranAt.get(i)!];
  });
  if (checkpoint && options.stateFile) {
    await checkpoint.close();
    options.onStateSaved?.(options.stateFile, outcomes.every((o) => o.ok));
  }
  const failures: TaskFailure[] = [];
  let interrupted = false;
  const collectors = arms.map((_, a) => {
    const mine: RunCollector[] = [];
    let complete = true;
    for (let r = 0; r < options.replications; r++) {
      const i = a * options.replications + r;
      const o = outcomes[i];
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

/** The scenario as written, as an arm. */
export function baselineArm(loaded: LoadedScenario): ArmSpec {
  return {
    label: 'baseline',
    input: loaded.input,
    model: loaded.model,
    scenarioHash: loaded.hash,
    ...(loaded.hardware ? { hardware: loaded.hardware } : {}),
  };
}

export async function runScenario(loaded: LoadedScenario, options: ExperimentOptions): Promise<{ result: RunResult | null; status: ExperimentStatus }> {
  const { collectors, status } = await runArms(loaded, [baselineArm(loaded)], options);
  const mine = collectors[0];
  if (mine === null) return { result: null, status };
  return { result: mergeReplications(loaded.model, mine, { version: options.version, scenarioHash: loaded.hash }), status };
}

export async function compareScenario(
  loaded: LoadedScenario,
  options: ExperimentOptions,
): Promise<{ comparison: ComparisonResult | null; status: ExperimentStatus; missing: string[] }> {
  const arms: ArmSpec[] = [
    baselineArm(loaded),
    ...loaded.variants.map((v) => ({
      label: `variant ${v.name}`,
      input: v.input,
      model: v.model,
      scenarioHash: v.hash,
      ...(v.hardware ? { hardware: v.hardware } : {}),
      ...(options.independent ? { seed: independentSeed(loaded.model.seed, v.name) } : {}),
    })),
  ];
  const { collectors, status } = await runArms(loaded, arms, options);
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
  return { comparison: summarizeComparison(baseline, variants, { version: options.version }), status, missing };
}
