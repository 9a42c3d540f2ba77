/**
 * Runs tasks – in this thread or on worker threads (task-pool.ts) – and
 * gathers their results in task order, so what is merged afterwards does not
 * depend on the thread count or on which task finished first. A task that
 * throws, or whose worker dies, is recorded with its label and message while
 * the others complete; a task that runs past its time limit has its worker
 * thread ended and is reported as hung. An abort (Ctrl-C) cancels what has not
 * finished and keeps what has.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { runSimTask, type SimTask } from './sim-task.js';
import { ExperimentSession } from './session.js';
import type { TaskOutcome } from './task-pool.js';

export type { TaskOutcome } from './task-pool.js';

/** Default time one task may run before its worker is ended as hung: far beyond any normal replication. */
export const DEFAULT_TASK_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * Estimated engine events below which an experiment left to choose its
 * threads runs in this thread: about half a second of simulation at the
 * 6–7 M events/s fintech-underwriting runs at. Two worker threads cost about
 * 0.3 s of wall time and 0.5 CPU-s to start (a thread each, the engine's
 * modules, a cold JIT each) and win back half the work: they pay from about
 * twice that. Measured on a shared 2-core machine, compare on
 * fintech-underwriting (4 arms × 4 replications, 7.8 events per request):
 * 2.6e6 events took 1.0 s in this thread and 1.3 s on two workers (1.2 vs
 * 1.9 CPU-s); at 5.2e6, 1.4–1.5 s both ways; at 1.3e7, 2.4 s vs 1.9 s. In
 * this thread a signal is heard only between tasks, so the same bound keeps
 * Ctrl-C prompt: no task here lasts longer than the whole.
 */
export const IN_THREAD_MAX_EVENTS = 3e6;

export interface RunTasksOptions {
  /**
   * Worker threads at most. Unset, the work decides (`placement`): this
   * thread for small work, else the session's threads. 1 runs in this thread
   * when neither `signal` nor `taskTimeoutMs` is given, else on one worker.
   */
  threads?: number;
  /** Engine events the tasks are estimated to take, together (for the choice above). */
  estimatedEvents?: number;
  /** The pool and finished runs shared with the command's other experiments (default: a session for this call alone). */
  session?: ExperimentSession;
  /** Worker module (tests use a fixture that fails on purpose); always runs on worker threads. */
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
   * count. Given, the tasks run on worker threads (only a worker can be
   * ended); default DEFAULT_TASK_TIMEOUT_MS there.
   */
  taskTimeoutMs?: number;
}

/**
 * Where tasks run: 0 = this thread, else the number of worker threads.
 *
 * - A worker module or a time limit given: worker threads (only a worker can
 *   be ended when its task hangs).
 * - Threads given: that many workers – or this thread for 1 with no signal
 *   to hear (a simulation here holds the thread, and a signal handler with
 *   it, until the task ends; on a worker it reads the cancellation flag).
 * - Threads left to choose: the session's workers when they are already
 *   running (their start-up is paid), this thread for work under
 *   IN_THREAD_MAX_EVENTS, else the session's workers.
 */
export function placement(options: Pick<RunTasksOptions, 'threads' | 'estimatedEvents' | 'workerUrl' | 'taskTimeoutMs' | 'signal'>, workers: { max: number; running: boolean }): number {
  const forced = options.workerUrl !== undefined || options.taskTimeoutMs !== undefined;
  if (options.threads !== undefined) return options.threads <= 1 && !forced && options.signal === undefined ? 0 : Math.max(1, options.threads);
  if (forced || workers.running) return workers.max;
  return options.estimatedEvents !== undefined && options.estimatedEvents < IN_THREAD_MAX_EVENTS ? 0 : workers.max;
}

/**
 * Where an experiment's tasks run: this machine's threads (runTasks) or a job
 * queue (experiments/queue/). Either way the same contract – one outcome per
 * task, in task order, `onResult`/`onProgress` as each ends, unfinished ones
 * marked aborted when `signal` trips – so what is merged afterwards, and the
 * files written, do not depend on where the work ran.
 */
export type TaskRunner = (tasks: readonly SimTask[], options: RunTasksOptions) => Promise<TaskOutcome[]>;

export async function runTasks(tasks: readonly SimTask[], options: RunTasksOptions = {}): Promise<TaskOutcome[]> {
  const results: TaskOutcome[] = new Array(tasks.length);
  let done = 0;
  const finished = (i: number, outcome: TaskOutcome) => {
    results[i] = outcome;
    options.onResult?.(i, outcome);
    options.onProgress?.(++done, tasks.length);
  };
  if (tasks.length === 0) return results;
  const session = options.session ?? new ExperimentSession(options.threads);
  try {
    const pool = session.pool(options.workerUrl);
    const threads = placement(options, { max: session.maxThreads, running: pool.started });
    if (threads === 0) await runHere(tasks, options.signal, finished);
    else await pool.run(tasks, { threads, timeoutMs: options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) }, finished);
  } finally {
    if (options.session === undefined) await session.close();
  }
  return results;
}

/**
 * Runs the tasks one after another in this thread. Between tasks it lets the
 * event loop turn, so a signal (Ctrl-C) is heard and the rest are called off:
 * twice, because an immediate set from a poll-phase callback runs before the
 * loop polls again – and polling is when a signal that arrived is handled.
 */
async function runHere(tasks: readonly SimTask[], signal: AbortSignal | undefined, finished: (i: number, outcome: TaskOutcome) => void): Promise<void> {
  for (let i = 0; i < tasks.length; i++) {
    if (signal?.aborted === true) {
      finished(i, { ok: false, aborted: true, error: 'interrupted before it ran' });
      continue;
    }
    let outcome: TaskOutcome;
    try {
      outcome = { ok: true, value: runSimTask(tasks[i]) };
    } catch (e) {
      outcome = { ok: false, error: (e as Error).message };
    }
    finished(i, outcome);
    if (signal !== undefined && i + 1 < tasks.length) {
      await nextTurn();
      await nextTurn();
    }
  }
}
