/**
 * Runs tasks on Piscina worker threads with two guarantees:
 *
 * - A task's time limit is its own: the clock starts when its worker reports
 *   the task started (task-protocol.ts), never while it waits for a thread or
 *   for a worker to load. At most one task per thread is in the pool at a time;
 *   the rest wait here, unclocked, and are taken in task order.
 * - No worker thread is ended while it loads its modules (bench/pool-teardown.ts
 *   says why: Node aborts the process). A worker is ended only for a task it has
 *   started – which proves it loaded – or by the teardown, which waits until
 *   every worker has loaded. Cancelling (Ctrl-C) ends no worker at all: tasks
 *   read a shared flag before they start and while they simulate.
 */
import { Piscina } from 'piscina';
import { destroyWhenLoaded } from '../bench/pool-teardown.js';
import { cancel, cancellationFlag, isTaskStarted, type TaskEnvelope, type TaskReply } from './task-protocol.js';
import type { SimTask } from './sim-task.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';

/** How one task ended: its result, a failure (named in the message), or cut short by an interrupt. */
export type TaskOutcome = { ok: true; value: RunCollectorJson } | { ok: false; error: string } | { ok: false; aborted: true; error: string };

export interface PoolRunOptions {
  /** Worker threads, at most the number of tasks. */
  threads: number;
  workerUrl: URL;
  /** Time limit of one task's own run. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** setTimeout's largest delay (2^31 − 1 ms, about 24.8 days); a longer limit is no limit in practice. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A task handed to the pool: how to end it and whether its worker has begun it. */
interface InFlight {
  controller: AbortController;
  started: boolean;
  hung: boolean;
  timer?: NodeJS.Timeout;
}

/** Why the experiment stopped early: an interrupt (Ctrl-C), or a worker that failed outside any task. */
type Halt = { interrupted: true } | { error: string };

export async function runOnWorkers(
  tasks: readonly SimTask[],
  options: PoolRunOptions,
  finished: (i: number, outcome: TaskOutcome) => void,
): Promise<void> {
  const { timeoutMs } = options;
  const pool = new Piscina({
    filename: options.workerUrl.href,
    // No workers at start: Piscina counts those as ready before they have
    // loaded, and the teardown's wait relies on "ready" meaning loaded.
    minThreads: 0,
    maxThreads: options.threads,
    // An idle worker stays until the teardown (no idle reaping and respawning).
    idleTimeout: Infinity,
    // Tasks are CPU-bound and long; one per thread at a time keeps order fair.
    concurrentTasksPerWorker: 1,
  });
  const cancelFlag = cancellationFlag();
  const inFlight = new Map<number, InFlight>();
  let halted: Halt | null = null;
  // Stopping early ends no worker: a task not started reads the flag when it
  // starts and returns at once, a running simulation reads it every few
  // milliseconds and stops. (A task that hangs – ignoring the flag – is still
  // ended by its time limit.)
  const halt = (why: Halt) => {
    halted ??= why;
    cancel(cancelFlag);
  };
  const onAbort = () => halt({ interrupted: true });
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  pool.on('message', (message: unknown) => {
    if (!isTaskStarted(message)) return;
    const run = inFlight.get(message.coordgapTaskStarted);
    if (run === undefined || run.started) return;
    run.started = true;
    run.timer = setTimeout(() => {
      run.hung = true;
      run.controller.abort();
    }, Math.min(timeoutMs, MAX_TIMER_MS));
  });
  // A worker failed outside any task (its module did not load): stop.
  pool.on('error', (error: Error) => {
    halt({ error: `a worker thread failed: ${error.message}` });
    // With no worker left, every task in flight waits in Piscina's queue, on
    // no thread: withdrawing it ends nothing.
    if (pool.threads.length === 0) for (const run of inFlight.values()) run.controller.abort();
  });

  const haltedOutcome = (started: boolean): TaskOutcome =>
    halted !== null && 'error' in halted
      ? { ok: false, error: halted.error }
      : { ok: false, aborted: true, error: started ? 'interrupted before it finished' : 'interrupted before it ran' };

  const runOne = async (i: number): Promise<TaskOutcome> => {
    const run: InFlight = { controller: new AbortController(), started: false, hung: false };
    inFlight.set(i, run);
    try {
      const envelope: TaskEnvelope = { runId: i, task: tasks[i], cancel: cancelFlag };
      const reply = (await pool.run(envelope, { signal: run.controller.signal })) as TaskReply;
      return reply.kind === 'done' ? { ok: true, value: reply.value } : haltedOutcome(run.started);
    } catch (e) {
      if (run.hung) return { ok: false, error: `hung: no result ${timeoutMs} ms after it started; its worker thread was ended` };
      if (halted !== null) return haltedOutcome(run.started);
      return { ok: false, error: (e as Error).message };
    } finally {
      clearTimeout(run.timer);
      inFlight.delete(i);
    }
  };

  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      finished(i, halted !== null ? haltedOutcome(false) : await runOne(i));
    }
  };
  const lanes = Array.from({ length: options.threads }, lane);
  try {
    await Promise.all(lanes);
  } catch (e) {
    // A caller's callback threw: call off the rest before tearing down.
    halt({ error: (e as Error).message });
    await Promise.allSettled(lanes);
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await destroyWhenLoaded(pool);
  }
}
