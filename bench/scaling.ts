/**
 * Thread scaling: closed-loop throughput of one kernel at 1 … N threads, each
 * thread its own isolate and fixture, all starting together at a barrier.
 * Efficiency(T) = throughput(T) / (T · throughput(1)).
 *
 * On a shared machine another process can take a core for seconds and halve
 * one point. The sweep is therefore repeated (1, 2, …, N, then again) and each
 * thread count keeps its best pass: interference only ever slows a pass down.
 */
import { Piscina } from 'piscina';
import type { KernelSpec } from './catalog.js';
import { compiledModuleUrl } from './compiled-path.js';
import { destroyWhenLoaded } from './pool-teardown.js';
import type { ScalingSeries } from './profile.js';
import type { ThroughputResult, ThroughputTask } from './protocol.js';

/** 1, 2, 4, … below `max`, then `max` itself. */
export function threadCountsUpTo(max: number): number[] {
  if (!Number.isInteger(max) || max < 1) throw new Error(`threads must be a positive integer, got ${max}`);
  const counts: number[] = [];
  for (let t = 1; t < max; t *= 2) counts.push(t);
  counts.push(max);
  return counts;
}

/**
 * Adds efficiency relative to the 1-thread point.
 * @throws Error when the series has no 1-thread point.
 */
export function withEfficiency(points: readonly { threads: number; callsPerSec: number }[]): ScalingSeries['points'] {
  const single = points.find((p) => p.threads === 1);
  if (!single) throw new Error('scaling series needs a 1-thread point');
  return points.map((p) => ({ ...p, efficiency: single.callsPerSec > 0 ? p.callsPerSec / (p.threads * single.callsPerSec) : 0 }));
}

/** What a scaling run needs. */
export interface ScalingOptions {
  readonly kernel: KernelSpec;
  readonly threadCounts: readonly number[];
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Passes over the thread counts; each count keeps its best. */
  readonly repeats: number;
  readonly seed: number;
  readonly cacheDir: string;
}

/** Closed-loop calls per second of one kernel on `threads` fresh threads. */
async function throughputAt(options: ScalingOptions, threads: number, filename: string): Promise<number> {
  const pool = new Piscina<ThroughputTask, ThroughputResult>({ filename, name: 'throughput', minThreads: threads, maxThreads: threads });
  try {
    const task: ThroughputTask = {
      suite: options.kernel.suite,
      kernel: options.kernel.id,
      seed: options.seed,
      cacheDir: options.cacheDir,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      barrier: new SharedArrayBuffer(4),
      parties: threads,
    };
    const results = await Promise.all(Array.from({ length: threads }, () => pool.run(task)));
    return results.reduce((sum, r) => sum + (r.calls * 1000) / r.elapsedMs, 0);
  } finally {
    await destroyWhenLoaded(pool);
  }
}

/** Measures one kernel's scaling curve. */
export async function measureScaling(options: ScalingOptions): Promise<ScalingSeries> {
  const filename = compiledModuleUrl(import.meta.url, './worker.js').href;
  const best = new Map<number, number>();
  for (let pass = 0; pass < options.repeats; pass++) {
    for (const threads of options.threadCounts) {
      const callsPerSec = await throughputAt(options, threads, filename);
      best.set(threads, Math.max(best.get(threads) ?? 0, callsPerSec));
    }
  }
  const points = options.threadCounts.map((threads) => ({ threads, callsPerSec: best.get(threads) ?? 0 }));
  return { kernel: options.kernel.id, durationMs: options.durationMs, repeats: options.repeats, points: withEfficiency(points) };
}
