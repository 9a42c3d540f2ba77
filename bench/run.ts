/**
 * `bench` end to end: plan → measure kernels in fresh isolates → thread
 * scaling → server mode → hardware profile. No printing: progress and notices
 * go to callbacks, the profile is returned.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { median } from 'simple-statistics';
import { type KernelSpec, type SuiteId, kernelSpec, selectKernels } from './catalog.js';
import { type HarnessProgress, type MeasureBudget, measureKernels, suitesOf } from './harness.js';
import { cpuSimdFlags, cpuSimdLevel, hostInfo } from './host.js';
import { describeHnswlibBuild, loadHnswlib } from './native.js';
import { packageVersion } from './package-info.js';
import { PROFILE_SCHEMA_ID, PROFILE_VERSION, type HardwareProfile, type ScalingSeries, type ServerCurve, type StabilityInfo } from './profile.js';
import { measureScaling, threadCountsUpTo } from './scaling.js';
import { runServerMode } from './server.js';
import { SPREAD_THRESHOLD } from './stats.js';

/** Bumped when the method changes in a way that makes old profiles incomparable. */
export const HARNESS_VERSION = '1.0.0';

/** Everything `bench` can be told. All optional; see {@link BENCH_DEFAULTS}. */
export interface BenchOptions {
  readonly quick?: boolean;
  /** Kernel ids or dotted prefixes. */
  readonly kernels?: readonly string[];
  /** Threads for scaling and server mode (default: available parallelism). */
  readonly threads?: number;
  readonly seed?: number;
  readonly isolates?: number;
  readonly timeMs?: number;
  readonly name?: string;
  readonly cacheDir?: string;
  readonly scaling?: boolean;
  readonly server?: boolean;
  readonly serverKernel?: string;
  readonly p99BoundMs?: number;
}

/** Budgets of the two modes. */
interface ModeSettings extends MeasureBudget {
  readonly scalingKernels: readonly string[];
  readonly scalingDurationMs: number;
  readonly scalingWarmupMs: number;
  readonly scalingRepeats: number;
  readonly serverFractions: readonly number[];
  readonly serverDurationSec: number;
  readonly serverMinQueries: number;
}

/**
 * Quick mode: the CI budget – about 50 s of CPU time (45–49 s user + sys
 * measured on the 2-vCPU EPYC VM of the bundled profile), roughly a minute on
 * an idle 2-core machine and 70–100 s when other work keeps both cores busy;
 * peak memory about 0.55 GB (bench/README.md). Full mode: the numbers to quote.
 */
export const MODES: Readonly<Record<'quick' | 'full', ModeSettings>> = {
  quick: {
    isolates: 3,
    timeMs: 100,
    warmupMs: 40,
    minIterations: 5,
    warmupIterations: 2,
    minSampleMs: 0.02,
    scalingKernels: ['retrieval.exact-wasm-384-1k'],
    scalingDurationMs: 400,
    scalingWarmupMs: 100,
    scalingRepeats: 1,
    serverFractions: [0.3, 0.6, 0.9],
    serverDurationSec: 0.3,
    serverMinQueries: 500, // ≥ 459, LoadGen's minimum with no query over the bound
  },
  full: {
    isolates: 3,
    timeMs: 1000,
    warmupMs: 250,
    minIterations: 10,
    warmupIterations: 3,
    minSampleMs: 0.02,
    scalingKernels: ['retrieval.exact-wasm-384-1k', 'retrieval.exact-wasm-384-100k', 'orchestration.json-state', 'retrieval.bm25'],
    scalingDurationMs: 1500,
    scalingWarmupMs: 300,
    scalingRepeats: 2,
    serverFractions: [0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5],
    serverDurationSec: 3,
    serverMinQueries: 1000,
  },
};

/** Defaults that do not depend on the mode. */
export const BENCH_DEFAULTS = {
  seed: 1,
  cacheDir: 'out/bench/cache',
  serverKernel: 'retrieval.bm25',
  /** A retrieval step's CPU share of a sub-second RAG budget. */
  p99BoundMs: 20,
  serverMaxQueries: 20_000,
} as const;

/** What will run, what is skipped, how long it should take. */
export interface BenchPlan {
  readonly mode: 'quick' | 'full' | 'custom';
  readonly settings: ModeSettings;
  readonly kernels: readonly KernelSpec[];
  readonly skipped: readonly { kernel: string; reason: string }[];
  readonly threads: number;
  readonly scalingKernels: readonly KernelSpec[];
  readonly serverKernel: KernelSpec | null;
  readonly estimatedMs: number;
}

/** Rough per-suite setup cost (ms) on a ~2.5 GHz core: data generation, index load, imports. */
const SETUP_MS: Partial<Record<SuiteId, number>> = {
  'exact-384-100k': 900, 'exact-768-100k': 1700, 'exact-1536-100k': 3400, 'hnsw-384': 1200, bm25: 1500, tokenize: 600, state: 300, handoff: 300, stream: 900,
};
/** Rough per-call cost (ms) of slow kernels, so minimum iteration counts enter the estimate. */
function typicalCallMs(k: KernelSpec): number {
  const bytes = Number(k.params.bytesPerQuery ?? k.params.bytes ?? 0);
  if (k.params.impl === 'ts') return bytes / 4e6; // ~4 GB/s
  return bytes / 20e6; // ~20 GB/s
}

/** Expected wall time of a plan (ms), stated before a run starts. */
export function estimateDurationMs(plan: Omit<BenchPlan, 'estimatedMs'>): number {
  const s = plan.settings;
  let ms = 0;
  for (const [suite, kernels] of suitesOf(plan.kernels)) {
    const perIsolate =
      350 + (SETUP_MS[suite] ?? 200) + kernels.reduce((sum, k) => sum + Math.max(s.timeMs, s.minIterations * typicalCallMs(k)) + s.warmupMs + 60, 0);
    ms += perIsolate * s.isolates;
    if (suite === 'hnsw-384') ms += 5000; // first build of the index (cached afterwards)
  }
  const threadSteps = threadCountsUpTo(plan.threads).length;
  ms += plan.scalingKernels.length * threadSteps * s.scalingRepeats * (s.scalingDurationMs + s.scalingWarmupMs + 1500);
  if (plan.serverKernel) ms += 2000 + s.serverFractions.length * (s.serverDurationSec * 1000 + 400);
  return ms;
}

/** Resolves options into a plan. Throws (usage errors) on unknown kernels or bad numbers. */
export async function planBench(options: BenchOptions): Promise<BenchPlan> {
  const quick = options.quick ?? false;
  const base = MODES[quick ? 'quick' : 'full'];
  const isolates = options.isolates ?? base.isolates;
  if (!Number.isInteger(isolates) || isolates < 3) throw new Error(`--isolates must be an integer ≥ 3 (each kernel runs in at least 3 fresh isolates), got ${isolates}`);
  const timeMs = options.timeMs ?? base.timeMs;
  if (!(timeMs > 0)) throw new Error(`--time-ms must be positive, got ${timeMs}`);
  const settings: ModeSettings = { ...base, isolates, timeMs };
  const threads = options.threads ?? os.availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a positive integer, got ${threads}`);
  const selected = selectKernels(options.kernels, quick);
  const native = await loadHnswlib();
  const skipped = native.ok ? [] : selected.filter((k) => k.native === 'hnswlib-node').map((k) => ({ kernel: k.id, reason: native.reason }));
  const kernels = selected.filter((k) => !skipped.some((s) => s.kernel === k.id));
  const usable = (id: string) => !skipped.some((s) => s.kernel === id) && kernelSpec(id) !== undefined;
  const scalingKernels = options.scaling === false ? [] : settings.scalingKernels.filter(usable).map((id) => kernelSpec(id)!);
  const serverId = options.serverKernel ?? BENCH_DEFAULTS.serverKernel;
  if (!kernelSpec(serverId)) throw new Error(`--server-kernel: unknown kernel "${serverId}"`);
  const serverKernel = options.server === false || !usable(serverId) ? null : kernelSpec(serverId)!;
  const custom = options.kernels !== undefined || options.isolates !== undefined || options.timeMs !== undefined;
  const partial = { mode: custom ? ('custom' as const) : quick ? ('quick' as const) : ('full' as const), settings, kernels, skipped, threads, scalingKernels, serverKernel };
  return { ...partial, estimatedMs: estimateDurationMs(partial) };
}

/** Progress events of a whole run. */
export type BenchProgress =
  | { readonly stage: 'kernels'; readonly progress: HarnessProgress }
  | { readonly stage: 'scaling'; readonly kernel: string; readonly index: number; readonly total: number }
  | { readonly stage: 'server'; readonly kernel: string; readonly index: number; readonly total: number; readonly ratePerSec: number };

/**
 * Share of CPU time the whole machine was busy over `ms` (Linux /proc/stat),
 * sampled before the run so the bench's own threads are not counted; null
 * where /proc/stat does not exist.
 */
async function cpuBusyPct(ms: number): Promise<number | null> {
  const sample = (): { idle: number; total: number } | null => {
    try {
      const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      return { idle: fields[3] + (fields[4] ?? 0), total: fields.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const before = sample();
  await new Promise((r) => setTimeout(r, ms));
  const after = sample();
  if (!before || !after || after.total === before.total) return null;
  return 100 * (1 - (after.idle - before.idle) / (after.total - before.total));
}

function stabilityOf(profile: Pick<HardwareProfile, 'kernels'>, isolates: number, loadStart: number[], loadEnd: number[], busyBeforePct: number | null): StabilityInfo {
  const ratios = Object.values(profile.kernels).map((k) => k.spread.ratio).sort((a, b) => a - b);
  const flaggedKernels = Object.entries(profile.kernels).filter(([, k]) => k.spread.flagged).map(([id]) => id);
  const rmes = Object.values(profile.kernels)
    .flatMap((k) => k.runs.map((r) => r.tinybenchRmePct))
    .filter((r): r is number => r !== null);
  const medianTinybenchRmePct = rmes.length ? median(rmes) : null;
  const notes: string[] = [];
  if (flaggedKernels.length > 0) notes.push(`${flaggedKernels.length} kernel(s) disagree across isolates by more than ${SPREAD_THRESHOLD}×; quote their median with the spread`);
  if (busyBeforePct !== null && busyBeforePct > 25) notes.push(`other work kept the CPUs ${busyBeforePct.toFixed(0)} % busy just before the run; expect more spread`);
  return {
    isolatesPerKernel: isolates,
    spreadThreshold: SPREAD_THRESHOLD,
    flaggedKernels,
    maxSpreadRatio: ratios.length ? ratios[ratios.length - 1] : 1,
    medianSpreadRatio: ratios.length ? ratios[Math.floor((ratios.length - 1) / 2)] : 1,
    medianTinybenchRmePct,
    cpuBusyBeforePct: busyBeforePct,
    loadAverageStart: loadStart,
    loadAverageEnd: loadEnd,
    notes,
  };
}

/** Runs a plan and returns the profile. */
export async function runBench(plan: BenchPlan, options: BenchOptions, onProgress?: (event: BenchProgress) => void): Promise<HardwareProfile> {
  const startedAt = new Date();
  const t0 = performance.now();
  const busyBeforePct = await cpuBusyPct(500);
  const loadStart = os.loadavg();
  const seed = options.seed ?? BENCH_DEFAULTS.seed;
  const cacheDir = options.cacheDir ?? BENCH_DEFAULTS.cacheDir;
  const native = await loadHnswlib();
  const kernelResults = await measureKernels({
    ...plan.settings,
    kernels: plan.kernels,
    seed,
    cacheDir,
    spreadThreshold: SPREAD_THRESHOLD,
    onProgress: (progress) => onProgress?.({ stage: 'kernels', progress }),
  });
  const scaling: ScalingSeries[] = [];
  for (const [index, kernel] of plan.scalingKernels.entries()) {
    onProgress?.({ stage: 'scaling', kernel: kernel.id, index, total: plan.scalingKernels.length });
    scaling.push(
      await measureScaling({
        kernel,
        threadCounts: threadCountsUpTo(plan.threads),
        durationMs: plan.settings.scalingDurationMs,
        warmupMs: plan.settings.scalingWarmupMs,
        repeats: plan.settings.scalingRepeats,
        seed,
        cacheDir,
      }),
    );
  }
  let server: ServerCurve | null = null;
  if (plan.serverKernel) {
    const kernel = plan.serverKernel;
    server = await runServerMode({
      kernel,
      threads: plan.threads,
      loadFractions: plan.settings.serverFractions,
      durationSec: plan.settings.serverDurationSec,
      minQueries: plan.settings.serverMinQueries,
      maxQueries: BENCH_DEFAULTS.serverMaxQueries,
      p99BoundMs: options.p99BoundMs ?? BENCH_DEFAULTS.p99BoundMs,
      warmupMs: plan.settings.scalingWarmupMs,
      seed,
      cacheDir,
      onRate: (index, total, ratePerSec) => onProgress?.({ stage: 'server', kernel: kernel.id, index, total, ratePerSec }),
    });
  }
  const kernels = Object.fromEntries(kernelResults);
  const cpuLevel = cpuSimdLevel(cpuSimdFlags(), process.arch);
  const host = hostInfo([describeHnswlibBuild(native.ok, cpuLevel === 'avx512' || cpuLevel === 'avx2' || cpuLevel === 'avx' ? cpuLevel : 'sse')]);
  const loadEnd = os.loadavg();
  return {
    schema: PROFILE_SCHEMA_ID,
    version: PROFILE_VERSION,
    name: options.name ?? `${host.hostname}-${host.availableParallelism}c`,
    createdAt: startedAt.toISOString(),
    host,
    method: {
      harness: 'coordgap-bench',
      harnessVersion: HARNESS_VERSION,
      tinybench: packageVersion('tinybench'),
      piscina: packageVersion('piscina'),
      mode: plan.mode,
      isolatesPerKernel: plan.settings.isolates,
      timeMsPerKernel: plan.settings.timeMs,
      warmupMsPerKernel: plan.settings.warmupMs,
      minIterations: plan.settings.minIterations,
      minSampleMs: plan.settings.minSampleMs,
      quantiles: 'type 7 (linear interpolation) per isolate; kernel figures are medians over isolates, mean is the mean of isolate means',
      spreadThreshold: SPREAD_THRESHOLD,
      seed,
      isolateOrder: 'interleaved: isolate 1 of every suite, then isolate 2, …; kernel order rotated per isolate',
      startedAt: startedAt.toISOString(),
      durationMs: performance.now() - t0,
    },
    kernels,
    skipped: [...plan.skipped],
    scaling,
    server,
    stability: stabilityOf({ kernels }, plan.settings.isolates, loadStart, loadEnd, busyBeforePct),
  };
}
