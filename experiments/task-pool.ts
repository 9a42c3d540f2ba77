/**
 * Worker threads for simulation tasks: one Piscina pool that every experiment
 * of a command shares (session.ts), started on first use and closed at the
 * end – a pool costs its workers' start-up (a thread, the engine's modules,
 * a cold JIT), which a command of several steps paid once per step before.
 * Each run of tasks on it keeps two guarantees:
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
import type { Piscina } from 'piscina';
import { destroyWhenLoaded } from '../bench/pool-teardown.js';
import { cancel, cancellationFlag, isTaskStarted, type TaskEnvelope, type TaskReply } from './task-protocol.js';
import type { SimTask } from './sim-task.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';

/** How one task ended: its result, a failure (named in the message), or cut short by an interrupt. */
export type TaskOutcome = { ok: true; value: RunCollectorJson } | { ok: false; error: string } | { ok: false; aborted: true; error: string };

export interface PoolRunOptions {
  /** Tasks in flight at once: the worker threads this run uses, at most the pool's. */
  threads: number;
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

/** Why the run stopped early: an interrupt (Ctrl-C), or a worker that failed outside any task. */
type Halt = { interrupted: true } | { error: string };

/** A pool of up to `maxThreads` workers running `workerUrl`; no thread starts before a task needs it. */
export class WorkerPool {
  private pool: Piscina | null = null;
  /** Unique across this pool's runs: a worker's "started" message names its task by it. */
  private nextRunId = 0;
  /** Each run in progress hears the pool's messages and errors through these. */
  private readonly listeners = new Set<{ message(m: unknown): void; error(e: Error): void }>();

  constructor(
    readonly workerUrl: URL,
    readonly maxThreads: number,
  ) {}

  /** Whether workers have been started (their start-up is paid: using them is cheap). */
  get started(): boolean {
    return this.pool !== null;
  }

  private async open(): Promise<Piscina> {
    if (this.pool !== null) return this.pool;
    // Loaded on first use: a command that simulates in its own thread never pays for it.
    const { Piscina } = await import('piscina');
    if (this.pool !== null) return this.pool;
    const pool = new Piscina({
      filename: this.workerUrl.href,
      // No workers at start: Piscina counts those as ready before they have
      // loaded, and the teardown's wait relies on "ready" meaning loaded.
      minThreads: 0,
      maxThreads: this.maxThreads,
      // An idle worker stays until the teardown (no idle reaping and respawning).
      idleTimeout: Infinity,
      // Tasks are CPU-bound and long; one per thread at a time keeps order fair.
      concurrentTasksPerWorker: 1,
    });
    pool.on('message', (m: unknown) => {
      for (const l of this.listeners) l.message(m);
    });
    // Always heard, also between runs: an 'error' event nobody listens to would end the process.
    pool.on('error', (e: Error) => {
      for (const l of this.listeners) l.error(e);
    });
    this.pool = pool;
    return pool;
  }

  /**
   * Runs `tasks` on up to `options.threads` workers; `finished(i, outcome)`
   * is called as each ends. Resolves once every task has an outcome.
   */
  async run(tasks: readonly SimTask[], options: PoolRunOptions, finished: (i: number, outcome: TaskOutcome) => void): Promise<void> {
    const pool = await this.open();
    const { timeoutMs } = options;
    const firstRunId = this.nextRunId;
    this.nextRunId += tasks.length;
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

    const listener = {
      message: (message: unknown) => {
        if (!isTaskStarted(message)) return;
        const run = inFlight.get(message.coordgapTaskStarted - firstRunId);
        if (run === undefined || run.started) return;
        run.started = true;
        run.timer = setTimeout(() => {
          run.hung = true;
          run.controller.abort();
        }, Math.min(timeoutMs, MAX_TIMER_MS));
      },
      // A worker failed outside any task (its module did not load): stop.
      error: (error: Error) => {
        halt({ error: `a worker thread failed: ${error.message}` });
        // With no worker left, every task in flight waits in Piscina's queue, on
        // no thread: withdrawing it ends nothing.
        if (pool.threads.length === 0) for (const run of inFlight.values()) run.controller.abort();
      },
    };
    this.listeners.add(listener);

    const haltedOutcome = (started: boolean): TaskOutcome =>
      halted !== null && 'error' in halted
        ? { ok: false, error: halted.error }
        : { ok: false, aborted: true, error: started ? 'interrupted before it finished' : 'interrupted before it ran' };

    const runOne = async (i: number): Promise<TaskOutcome> => {
      const run: InFlight = { controller: new AbortController(), started: false, hung: false };
      inFlight.set(i, run);
      try {
        const envelope: TaskEnvelope = { runId: firstRunId + i, task: tasks[i], cancel: cancelFlag };
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
    const lanes = Array.from({ length: Math.max(1, Math.min(options.threads, this.maxThreads, tasks.length)) }, lane);
    try {
      await Promise.all(lanes);
    } catch (e) {
      // A caller's callback threw: call off the rest before handing the error on.
      halt({ error: (e as Error).message });
      await Promise.allSettled(lanes);
      throw e;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.listeners.delete(listener);
    }
  }

  /** Ends the workers, once every one has loaded (bench/pool-teardown.ts); the pool can be opened again after. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool !== null) await destroyWhenLoaded(pool);
  }
}
