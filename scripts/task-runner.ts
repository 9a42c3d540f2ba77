/**
 * Fans tasks out to Piscina worker threads and gathers their results in task
 * order, so what is merged afterwards does not depend on the thread count or
 * on which task finished first. A task that throws, or whose worker dies, is
 * recorded with its label and message while the others complete; a task that
 * hangs past its time limit has its worker thread ended and is reported the
 * same way. An abort (Ctrl-C) cancels what has not finished and keeps what has.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { compiledModuleUrl } from '../bench/compiled-path.js';
import { runSimTask, type SimTask } from './sim-task.js';
import type { RunCollectorJson } from '../sim/collector.js';

export type TaskOutcome = { ok: true; value: RunCollectorJson } | { ok: false; error: string } | { ok: false; aborted: true; error: string };

/** Default time one task may run before its worker is ended as hung: far beyond any normal replication. */
export const DEFAULT_TASK_TIMEOUT_MS = 60 * 60 * 1000;

export interface RunTasksOptions {
  /** Worker threads; 1 runs in this thread. Default: the machine's available parallelism. */
  threads?: number;
  /** Worker module (tests use a fixture that fails on purpose). */
  workerUrl?: URL;
  /** Called after every finished task with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Called with each task's outcome as it ends (index into `tasks`), before onProgress. */
  onResult?: (index: number, outcome: TaskOutcome) => void;
  signal?: AbortSignal;
  /**
   * A task running longer is ended (its worker thread terminated) and reported
   * as hung. Default DEFAULT_TASK_TIMEOUT_MS on worker threads; with one
   * thread tasks run in this thread, without a limit, unless one is given.
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
  const finished = (i: number) => {
    options.onResult?.(i, results[i]);
    options.onProgress?.(++done, tasks.length);
  };
  // One thread runs in this thread – unless a time limit was asked for: only
  // a worker thread can be ended when its task hangs.
  if (threads <= 1 && options.workerUrl === undefined && options.taskTimeoutMs === undefined) {
    for (let i = 0; i < tasks.length; i++) {
      if (options.signal?.aborted) {
        results[i] = { ok: false, aborted: true, error: 'interrupted before it ran' };
        continue;
      }
      try {
        results[i] = { ok: true, value: runSimTask(tasks[i]) };
      } catch (e) {
        results[i] = { ok: false, error: (e as Error).message };
      }
      finished(i);
      // Let a pending SIGINT be delivered between tasks.
      await new Promise((r) => setImmediate(r));
    }
    return results;
  }
  const pool = new Piscina({
    filename: (options.workerUrl ?? compiledModuleUrl(import.meta.url, './sim-worker.js')).href,
    minThreads: Math.min(threads, tasks.length),
    maxThreads: threads,
    // Tasks are CPU-bound and long; one per thread at a time keeps order fair.
    concurrentTasksPerWorker: 1,
  });
  try {
    await Promise.all(
      tasks.map(async (task, i) => {
        const timeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
        const timer = AbortSignal.timeout(timeoutMs);
        const signal = options.signal ? AbortSignal.any([options.signal, timer]) : timer;
        try {
          results[i] = { ok: true, value: (await pool.run(task, { signal })) as RunCollectorJson };
        } catch (e) {
          if (options.signal?.aborted === true) results[i] = { ok: false, aborted: true, error: 'interrupted before it finished' };
          else if (timer.aborted) results[i] = { ok: false, error: `hung: no result after ${timeoutMs} ms; its worker thread was ended` };
          else results[i] = { ok: false, error: (e as Error).message };
        }
        finished(i);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return results;
}
