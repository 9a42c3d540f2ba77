/**
 * Runs kernels in fresh Piscina isolates and turns their samples into profile
 * entries. Every suite (a fixture shared by sibling kernels) is measured in
 * `isolates` fresh worker threads; the isolates are interleaved across suites
 * (run 1 of every suite, then run 2, …) so a burst of machine noise hits one
 * isolate of many kernels rather than all isolates of one.
 */
import { Piscina } from 'piscina';
import type { KernelSpec, SuiteId } from './catalog.js';
import { compiledModuleUrl } from './compiled-path.js';
import { destroyWhenLoaded } from './pool-teardown.js';
import type { KernelResult } from './profile.js';
import type { KernelMeasurement, MeasureResult, MeasureTask, PrepareResult, PrepareTask } from './protocol.js';
import { type SampleSummary, aggregateIsolates, summarizeSamples } from './stats.js';

/** Timing budget of one kernel in one isolate. */
export interface MeasureBudget {
  readonly isolates: number;
  readonly timeMs: number;
  readonly warmupMs: number;
  readonly minIterations: number;
  readonly warmupIterations: number;
  readonly minSampleMs: number;
}

/** Progress of the measuring phase. */
export interface HarnessProgress {
  readonly phase: 'prepare' | 'measure';
  readonly suite: SuiteId;
  readonly run: number;
  readonly done: number;
  readonly total: number;
}

/** What the harness needs. */
export interface HarnessOptions extends MeasureBudget {
  readonly kernels: readonly KernelSpec[];
  readonly seed: number;
  readonly cacheDir: string;
  readonly spreadThreshold: number;
  readonly onProgress?: (progress: HarnessProgress) => void;
}

/** One isolate's outcome for one kernel. */
export interface IsolateRun extends SampleSummary {
  readonly isolate: number;
  readonly batch: number;
  readonly setupMs: number;
}

/** Suites that build something once before the isolates start. */
const PREPARED: ReadonlySet<SuiteId> = new Set(['hnsw-384']);

function workerUrl(): string {
  return compiledModuleUrl(import.meta.url, './worker.js').href;
}

/** Runs one task in a brand-new single-thread pool (a fresh isolate), then tears it down. */
export async function inFreshIsolate<T, R>(name: string, task: T): Promise<R> {
  const pool = new Piscina<T, R>({ filename: workerUrl(), name, minThreads: 1, maxThreads: 1 });
  try {
    return await pool.run(task);
  } finally {
    await destroyWhenLoaded(pool);
  }
}

/** Groups kernels by suite, keeping catalogue order. */
export function suitesOf(kernels: readonly KernelSpec[]): Map<SuiteId, KernelSpec[]> {
  const suites = new Map<SuiteId, KernelSpec[]>();
  for (const k of kernels) suites.set(k.suite, [...(suites.get(k.suite) ?? []), k]);
  return suites;
}

/** Builds a profile entry from the isolates' raw measurements. */
export function toKernelResult(spec: KernelSpec, measured: readonly { isolate: number; setupMs: number; m: KernelMeasurement }[], spreadThreshold: number): KernelResult {
  const runs = measured.map(({ isolate, setupMs, m }) => ({ ...summarizeSamples(m.samplesMs), isolate, batch: m.batch, setupMs, tinybenchRmePct: m.tinybenchRmePct }));
  const figures = aggregateIsolates(runs, spreadThreshold);
  const work = measured[0].m.work;
  const recall = measured[0].m.quality.recallAt10;
  const derived: KernelResult['derived'] = {};
  if (work.bytes !== undefined && figures.medianMs > 0) derived.gbPerSec = work.bytes / figures.medianMs / 1e6;
  if (work.tokens !== undefined && work.tokens > 0) derived.msPerToken = figures.medianMs / work.tokens;
  if (recall !== undefined) derived.recallAt10 = recall;
  return { group: spec.group, title: spec.title, params: { ...spec.params }, runs, ...figures, work: { ...work }, derived };
}

/** Measures every kernel in `options.isolates` fresh isolates. Returns entries in catalogue order. */
export async function measureKernels(options: HarnessOptions): Promise<Map<string, KernelResult>> {
  const suites = suitesOf(options.kernels);
  const total = suites.size * options.isolates;
  let done = 0;
  for (const suite of suites.keys()) {
    if (!PREPARED.has(suite)) continue;
    options.onProgress?.({ phase: 'prepare', suite, run: 0, done, total });
    await inFreshIsolate<PrepareTask, PrepareResult>('prepare', { suite, seed: options.seed, cacheDir: options.cacheDir });
  }
  const collected = new Map<string, { isolate: number; setupMs: number; m: KernelMeasurement }[]>();
  for (let run = 0; run < options.isolates; run++) {
    for (const [suite, kernels] of suites) {
      options.onProgress?.({ phase: 'measure', suite, run, done, total });
      const task: MeasureTask = {
        suite,
        seed: options.seed,
        cacheDir: options.cacheDir,
        kernels: kernels.map((k) => k.id),
        run,
        timeMs: options.timeMs,
        warmupMs: options.warmupMs,
        minIterations: options.minIterations,
        warmupIterations: options.warmupIterations,
        minSampleMs: options.minSampleMs,
      };
      let result: MeasureResult;
      try {
        result = await inFreshIsolate<MeasureTask, MeasureResult>('measure', task);
      } catch (error) {
        throw new Error(`suite ${suite} (${task.kernels.join(', ')}), isolate ${run + 1}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      for (const m of result.measurements) collected.set(m.id, [...(collected.get(m.id) ?? []), { isolate: run, setupMs: result.setupMs, m }]);
      done++;
    }
  }
  const results = new Map<string, KernelResult>();
  for (const spec of options.kernels) {
    const measured = collected.get(spec.id);
    if (measured && measured.length > 0) results.set(spec.id, toKernelResult(spec, measured, options.spreadThreshold));
  }
  const lastSuite = [...suites.keys()].at(-1);
  if (lastSuite) options.onProgress?.({ phase: 'measure', suite: lastSuite, run: options.isolates - 1, done, total });
  return results;
}
