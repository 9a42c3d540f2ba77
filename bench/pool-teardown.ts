/**
 * Ending a Piscina pool without ending a worker thread that is still loading
 * its modules.
 *
 * Why: since Node 20.19 a worker that `require()`s an ES module (Piscina's
 * worker tries `require` first) instantiates it synchronously, and a worker
 * terminated in the middle of that aborts the whole process:
 * `FATAL ERROR: v8::Module::IsGraphAsync … must be used on an instantiated
 * module`, from node::loader::ModuleWrap::InstantiateSync, which asks V8
 * whether the graph is async after an instantiation the termination cut short
 * (reproduced on Node 20.20: pools destroyed while their worker loads
 * dist/experiments/sim-worker.js abort about once in 100). `pool.destroy()`
 * terminates every worker, loaded or not.
 *
 * The rule, for every pool here: end a worker only once it has loaded. A
 * worker Piscina starts later (to replace one that died, or on demand) counts
 * as ready only when it has loaded its task module; but the workers started
 * with the pool (`minThreads`) are counted ready from the start, so each of
 * those must first have been given a task – or the pool must be created with
 * `minThreads: 0`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Piscina } from 'piscina';

/** How often the teardown looks again while a worker is still loading or busy. */
const POLL_MS = 10;

/**
 * Waits until every worker of `pool` is ready and idle (so none is still
 * loading), then destroys the pool. The caller has settled its tasks first;
 * the wait is at most one worker's start-up.
 */
export async function destroyWhenLoaded(pool: Pick<Piscina, 'threads' | 'idleThreads' | 'destroy'>): Promise<void> {
  while (pool.threads.length !== pool.idleThreads) await sleep(POLL_MS);
  await pool.destroy();
}
