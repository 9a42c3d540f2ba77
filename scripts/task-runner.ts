/**
 * Fans tasks out to Piscina worker threads and gathers their results in task
 * order, so what is merged afterwards does not depend on the thread count or
 * on which task finished first. A task that throws, or whose worker dies, is
 * recorded with its label and message while the others complete; a task that
 * runs past its time limit has its worker thread ended and is reported as
 * hung. An abort (Ctrl-C) cancels what has not finished and keeps what has.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { compiledModuleUrl } from '../bench/compiled-path.js';
import { runSimTask, type SimTask } from './sim-task.js';
import { isTaskStarted, type TaskEnvelope, type TaskReply } from './task-protocol.js';
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
   * A task whose own run lasts longer is ended (its worker thread terminated)
   * and reported as hung. The clock starts when the worker begins the task –
   * time spent waiting for a free thread or for the worker to load does not
   * count. Default DEFAULT_TASK_TIMEOUT_MS on worker threads; with one thread
   * tasks run in this thread, without a limit, unless one is given.
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
  // One thread runs in this thread – unless a time limit was asked for: only
  // a worker thread can be ended when its task hangs.
  if (threads <= 1 && options.workerUrl === undefined && options.taskTimeoutMs === undefined) {
    for (let i = 0; i < tasks.length; i++) {
      if (options.signal?.aborted) {
        results[i] = { ok: false, aborted: true, error: 'interrupted before it ran' };
        continue;
      }
      try {
        finished(i, { ok: true, value: runSimTask(tasks[i]) });
      } catch (e) {
        finished(i, { ok: false, error: (e as Error).message });
      }
      // Let a pending SIGINT be delivered between tasks.
      await new Promise((r) => setImmediate(r));
    }
    return results;
  }
  if (tasks.length === 0) return results;
  await runOnWorkers(tasks, Math.min(threads, tasks.length), options, finished);
  return results;
}

/** A task on its way through the pool: how to end it, and its time limit once it has started. */
interface InFlight {
  controller: AbortController;
  timer?: NodeJS.Timeout;
  hung: boolean;
}

/**
 * Keeps at most `threads` tasks in the pool at a time, taken in task order;
 * the others wait here, where no clock runs for them. Each task's time limit
 * starts when its worker reports the task started (task-protocol.ts).
 */
async function runOnWorkers(
  tasks: readonly SimTask[],
  threads: number,
  options: RunTasksOptions,
  finished: (i: number, outcome: TaskOutcome) => void,
): Promise<void> {
  const timeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  const pool = new Piscina({
    filename: (options.workerUrl ?? compiledModuleUrl(import.meta.url, './sim-worker.js')).href,
    minThreads: threads,
    maxThreads: threads,
    // Tasks are CPU-bound and long; one per thread at a time keeps order fair.
    concurrentTasksPerWorker: 1,
  });
  const inFlight = new Map<number, InFlight>();
  pool.on('message', (message: unknown) => {
    if (!isTaskStarted(message)) return;
    const run = inFlight.get(message.coordgapTaskStarted);
    if (run === undefined || run.timer !== undefined) return;
    run.timer = setTimeout(() => {
      run.hung = true;
      run.controller.abort();
    }, timeoutMs);
  });

  const runOne = async (i: number): Promise<TaskOutcome> => {
    const run: InFlight = { controller: new AbortController(), hung: false };
    inFlight.set(i, run);
    const onAbort = () => run.controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const envelope: TaskEnvelope = { runId: i, task: tasks[i] };
      const reply = (await pool.run(envelope, { signal: run.controller.signal })) as TaskReply;
      return { ok: true, value: reply.value };
    } catch (e) {
      if (run.hung) return { ok: false, error: `hung: no result ${timeoutMs} ms after it started; its worker thread was ended` };
      if (options.signal?.aborted === true) return { ok: false, aborted: true, error: 'interrupted before it finished' };
      return { ok: false, error: (e as Error).message };
    } finally {
      clearTimeout(run.timer);
      inFlight.delete(i);
      options.signal?.removeEventListener('abort', onAbort);
    }
  };

  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      if (options.signal?.aborted === true) finished(i, { ok: false, aborted: true, error: 'interrupted before it ran' });
      else finished(i, await runOne(i));
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    await pool.destroy();
  }
}
