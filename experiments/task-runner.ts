/**
 * Fans tasks out to worker threads (task-pool.ts) and gathers their results in
 * task order, so what is merged afterwards does not depend on the thread count
 * or on which task finished first. A task that throws, or whose worker dies,
 * is recorded with its label and message while the others complete; a task
 * that runs past its time limit has its worker thread ended and is reported as
 * hung. An abort (Ctrl-C) cancels what has not finished and keeps what has.
 */
import { availableParallelism } from 'node:os';
import { compiledModuleUrl } from '../bench/compiled-path.js';
import { runSimTask, type SimTask } from './sim-task.js';
import { runOnWorkers, type TaskOutcome } from './task-pool.js';

export type { TaskOutcome } from './task-pool.js';

/** Default time one task may run before its worker is ended as hung: far beyond any normal replication. */
export const DEFAULT_TASK_TIMEOUT_MS = 60 * 60 * 1000;

export interface RunTasksOptions {
  /**
   * Worker threads. 1 runs in this thread when neither `signal` nor
   * `taskTimeoutMs` is given, else on one worker thread. Default: the
   * machine's available parallelism.
   */
  threads?: number;
  /** Worker module (tests use a fixture that fails on purpose). */
  workerUrl?: URL;
  /** Called after every finished task with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Called with each task's outcome as it ends (index into `tasks`), before onProgress. */
  onResult?: (index: number, outcome: TaskOutcome) => void;
  /** Aborting it (Ctrl-C) calls off every run not finished, running ones within milliseconds; finished ones are kept. */
  signal?: AbortSignal;
  /**
   * A task whose own run lasts longer is ended (its worker thread terminated)
   * and reported as hung. The clock starts when the worker begins the task –
   * time spent waiting for a free thread or for the worker to load does not
   * count. Default DEFAULT_TASK_TIMEOUT_MS on worker threads; tasks run in
   * this thread have no limit.
   */
  taskTimeoutMs?: number;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export async function runTasks(tasks: readonly SimTask[], options: RunTasksOptions = {}): Promise<TaskOutcome[]> {
  const threads = options.threads ?? defaultThreads();
  const results: TaskOutcome[] = new Array(tasks.length);
  let done = 0;
  const finished = (i: number, outcome: TaskOutcome) => {
    results[i] = outcome;
    options.onResult?.(i, outcome);
    options.onProgress?.(++done, tasks.length);
  };
  // One thread runs in this thread – unless a time limit or an abort signal
  // was given. A simulation holds its thread until it ends, so a signal
  // handler on this thread would only run between tasks (a 10M-request run
  // would ignore Ctrl-C); on a worker thread this one stays free to take the
  // signal, and the worker's simulation reads the cancellation flag
  // (task-protocol.ts). Only a worker thread can be ended when its task hangs.
  if (threads <= 1 && options.workerUrl === undefined && options.taskTimeoutMs === undefined && options.signal === undefined) {
    for (let i = 0; i < tasks.length; i++) {
      let outcome: TaskOutcome;
      try {
        outcome = { ok: true, value: runSimTask(tasks[i]) };
      } catch (e) {
        outcome = { ok: false, error: (e as Error).message };
      }
      finished(i, outcome);
    }
    return results;
  }
  if (tasks.length === 0) return results;
  await runOnWorkers(
    tasks,
    {
      threads: Math.min(threads, tasks.length),
      workerUrl: options.workerUrl ?? compiledModuleUrl(import.meta.url, './sim-worker.js'),
      timeoutMs: options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    finished,
  );
  return results;
}
