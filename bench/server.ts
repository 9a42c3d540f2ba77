/**
 * Server mode in the style of MLPerf LoadGen's Server scenario: queries
 * arrive by a Poisson process at an offered rate, each is sent to the worker
 * pool when it is due, and its latency runs from its *scheduled* arrival to
 * its completion, so dispatch lateness and queueing count against the system
 * (no coordinated omission). Per offered rate: achieved rate, p50/p90/p99,
 * the early-stopping verdict (bench/early-stopping.ts); over all rates, the
 * highest rate whose p99 met the bound.
 *
 * The dispatcher runs on Node timers (~1 ms granularity); that lateness is
 * part of the measured latency, as it would be in a Node service.
 */
import { Piscina } from 'piscina';
import { quantileSorted } from 'simple-statistics';
import type { KernelSpec } from './catalog.js';
import { compiledModuleUrl } from './compiled-path.js';
import { destroyWhenLoaded } from './pool-teardown.js';
import { LOADGEN_SERVER, earlyStopping } from './early-stopping.js';
import { childSeed, mulberry32 } from './kernels/prng.js';
import type { ServerCurve } from './profile.js';
import type { ServeTask, WarmResult, WarmTask } from './protocol.js';

/** Cumulative arrival offsets (ms from the start) of a Poisson process. */
export function poissonArrivalsMs(ratePerSec: number, count: number, seed: number): Float64Array {
  if (!(ratePerSec > 0)) throw new Error(`offered rate must be positive, got ${ratePerSec}`);
  const uniform = mulberry32(seed);
  const out = new Float64Array(count);
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += (-Math.log(1 - uniform()) * 1000) / ratePerSec; // exponential gap, mean 1000/rate ms
    out[i] = t;
  }
  return out;
}

/** One point of the curve. */
export type ServerPoint = ServerCurve['points'][number];

/**
 * Summarises one offered rate from scheduled and completion times (ms, same clock).
 * Achieved rate = completed queries / (last completion − first scheduled arrival).
 */
export function summarizeServerRun(offeredRatePerSec: number, scheduledMs: ArrayLike<number>, completedMs: ArrayLike<number>, boundMs: number): ServerPoint {
  const n = scheduledMs.length;
  if (n === 0 || completedMs.length !== n) throw new Error('summarizeServerRun: need one completion per scheduled query');
  const latencies = Array.from({ length: n }, (_, i) => completedMs[i] - scheduledMs[i]);
  const sorted = [...latencies].sort((a, b) => a - b);
  let lastDone = -Infinity;
  for (let i = 0; i < n; i++) lastDone = Math.max(lastDone, completedMs[i]);
  const span = lastDone - scheduledMs[0];
  const verdict = earlyStopping(latencies, boundMs);
  const p99Ms = quantileSorted(sorted, 0.99);
  return {
    offeredRatePerSec,
    achievedRatePerSec: span > 0 ? (n * 1000) / span : 0,
    queries: n,
    p50Ms: quantileSorted(sorted, 0.5),
    p90Ms: quantileSorted(sorted, 0.9),
    p99Ms,
    maxMs: sorted[n - 1],
    overBound: verdict.overBound,
    requiredQueries: verdict.requiredQueries,
    earlyStoppingMet: verdict.satisfied,
    meetsBound: p99Ms <= boundMs && verdict.satisfied,
  };
}

/**
 * Highest offered rate that met the bound with every lower offered rate
 * meeting it too. A pass above a failure is treated as luck (noise on a shared
 * machine), not capacity.
 */
export function maxRateUnderBound(points: readonly ServerPoint[]): number | null {
  let best: number | null = null;
  for (const p of [...points].sort((a, b) => a.offeredRatePerSec - b.offeredRatePerSec)) {
    if (!p.meetsBound) break;
    best = p.offeredRatePerSec;
  }
  return best;
}

/** What a server-mode run needs. */
export interface ServerOptions {
  readonly kernel: KernelSpec;
  readonly threads: number;
  /** Offered rates as fractions of the closed-loop capacity measured after warming. */
  readonly loadFractions: readonly number[];
  readonly durationSec: number;
  readonly minQueries: number;
  readonly maxQueries: number;
  readonly p99BoundMs: number;
  readonly warmupMs: number;
  readonly seed: number;
  readonly cacheDir: string;
  readonly onRate?: (index: number, total: number, ratePerSec: number) => void;
}

type ServerPool = Piscina<ServeTask | WarmTask, number | WarmResult>;

async function dispatch(pool: ServerPool, task: ServeTask, arrivals: Float64Array): Promise<{ scheduled: Float64Array; completed: Float64Array }> {
  const n = arrivals.length;
  const start = performance.now() + 20;
  const scheduled = arrivals.map((a) => start + a);
  const completed = new Float64Array(n);
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = (): void => {
      const now = performance.now();
      while (next < n && scheduled[next] <= now) {
        const i = next++;
        pending.push(
          pool.run(task, { name: 'serve' }).then(() => {
            completed[i] = performance.now();
          }),
        );
      }
      if (next >= n) return resolve();
      setTimeout(tick, Math.max(0, Math.floor(scheduled[next] - performance.now())));
    };
    setTimeout(tick, Math.max(0, Math.floor(start - performance.now())));
  });
  await Promise.all(pending);
  return { scheduled, completed };
}

/**
 * Capacity as the served system sees it: completions per second with
 * `inFlight` queries always outstanding for `durationMs` (includes the
 * pool's dispatch cost, which a kernel-only estimate would miss).
 */
async function closedLoopRate(pool: ServerPool, task: ServeTask, inFlight: number, durationMs: number): Promise<number> {
  const start = performance.now();
  let completed = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() - start < durationMs) {
      await pool.run(task, { name: 'serve' });
      completed++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  return (completed * 1000) / (performance.now() - start);
}

/** Runs the offered-rate sweep on a pool of `threads` workers. */
export async function runServerMode(options: ServerOptions): Promise<ServerCurve> {
  const filename = compiledModuleUrl(import.meta.url, './worker.js').href;
  const pool: ServerPool = new Piscina({ filename, minThreads: options.threads, maxThreads: options.threads });
  const fixture = { suite: options.kernel.suite, seed: options.seed, cacheDir: options.cacheDir };
  try {
    const barrier = new SharedArrayBuffer(4);
    const warmTask: WarmTask = { ...fixture, kernel: options.kernel.id, warmupMs: options.warmupMs, barrier, parties: options.threads };
    await Promise.all(Array.from({ length: options.threads }, () => pool.run(warmTask, { name: 'warm' })));
    const serveTask: ServeTask = { ...fixture, kernel: options.kernel.id };
    const capacity = await closedLoopRate(pool, serveTask, 2 * options.threads, Math.max(300, options.warmupMs));
    const points: ServerPoint[] = [];
    for (const [index, fraction] of options.loadFractions.entries()) {
      const rate = Math.max(1, capacity * fraction);
      options.onRate?.(index, options.loadFractions.length, rate);
      const count = Math.min(options.maxQueries, Math.max(options.minQueries, Math.ceil(rate * options.durationSec)));
      const arrivals = poissonArrivalsMs(rate, count, childSeed(options.seed, `server/${index}`));
      const { scheduled, completed } = await dispatch(pool, serveTask, arrivals);
      points.push(summarizeServerRun(rate, scheduled, completed, options.p99BoundMs));
      await new Promise((r) => setTimeout(r, 50)); // let the pool go idle between rates
    }
    return {
      kernel: options.kernel.id,
      threads: options.threads,
      p99BoundMs: options.p99BoundMs,
      earlyStopping: {
        ...LOADGEN_SERVER,
        rule: 'MLPerf LoadGen Server early stopping (loadgen/early_stopping.cc): with t queries over the bound, need h under it such that P(Binomial(h+t, 1-(p-d)) <= t) < 1-c',
      },
      capacityEstimatePerSec: capacity,
      points,
      maxRateUnderBoundPerSec: maxRateUnderBound(points),
    };
  } finally {
    await destroyWhenLoaded(pool);
  }
}
