/**
 * What the experiments of one command share: one pool of worker threads and
 * the runs already finished. A report runs a comparison, a sensitivity ranking
 * and a study; each started and ended its own pool (about 1 CPU-s of thread
 * start-up, module loading and cold JIT each), and the ranking simulated again
 * the baseline and compute arms the comparison had just run. With a session
 * the workers start once and stay warm, and a run already finished – the same
 * model, seed, replication and limits (sim-task.ts taskIdentity) – is taken
 * from memory: the simulation is deterministic, so the bytes are the same.
 *
 * The command closes the session at its end (`close`); experiments run
 * without one get a session of their own, closed when they end.
 */
import { availableParallelism } from 'node:os';
import { compiledModuleUrl } from '../bench/compiled-path.js';
import { WorkerPool } from './task-pool.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';

export class ExperimentSession {
  private readonly pools = new Map<string, WorkerPool>();
  private readonly finished = new Map<string, RunCollectorJson>();

  /** @param maxThreads worker threads at most (default: the cores). */
  constructor(readonly maxThreads: number = defaultThreads()) {}

  /** The pool running `workerUrl` (default: the simulation worker); its threads start when a task needs them. */
  pool(workerUrl: URL = SIM_WORKER): WorkerPool {
    let pool = this.pools.get(workerUrl.href);
    if (pool === undefined) {
      pool = new WorkerPool(workerUrl, this.maxThreads);
      this.pools.set(workerUrl.href, pool);
    }
    return pool;
  }

  /** A run this session has finished, by task identity (sim-task.ts taskIdentity). */
  result(identity: string): RunCollectorJson | undefined {
    return this.finished.get(identity);
  }

  /** Keeps a finished run for the experiments after this one. */
  keep(identity: string, value: RunCollectorJson): void {
    this.finished.set(identity, value);
  }

  /** Ends every worker thread (once each has loaded) and forgets the finished runs. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.finished.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}

/** The simulation worker module. */
const SIM_WORKER = compiledModuleUrl(import.meta.url, './sim-worker.js');

/** The machine's available parallelism: the most threads that run at once. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}
