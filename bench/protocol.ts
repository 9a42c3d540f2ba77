/**
 * Typed messages between the harness (main thread) and bench/worker.ts.
 * Everything here crosses a structured-clone boundary: plain data only.
 */
import type { SuiteId } from './catalog.js';

/** What every fixture needs to build its data. */
export interface FixtureOptions {
  readonly suite: SuiteId;
  readonly seed: number;
  /** Directory for build-once artefacts (the HNSW index); created on demand. */
  readonly cacheDir: string;
}

/** Measure some kernels of one suite with tinybench in this (fresh) isolate. */
export interface MeasureTask extends FixtureOptions {
  readonly kernels: readonly string[];
  /** 0-based isolate number; rotates the kernel order to spread order effects. */
  readonly run: number;
  readonly timeMs: number;
  readonly warmupMs: number;
  readonly minIterations: number;
  readonly warmupIterations: number;
  /** Kernels faster than this per call are timed in batches (one sample = batch mean). */
  readonly minSampleMs: number;
}

/** Amount of work per call, for derived figures (GB/s, ms per token). */
export interface KernelWork {
  readonly bytes?: number;
  readonly tokens?: number;
}

/** One kernel's raw outcome in one isolate. */
export interface KernelMeasurement {
  readonly id: string;
  /** Per-sample latency in ms (per call, or per-call mean of a batch). */
  readonly samplesMs: number[];
  readonly batch: number;
  /** tinybench's relative margin of error (%, 95 %) within this isolate; null when undefined. */
  readonly tinybenchRmePct: number | null;
  readonly work: KernelWork;
  /** Quality figures measured alongside (recall@10 for HNSW). */
  readonly quality: Readonly<Record<string, number>>;
}

/** The result of a {@link MeasureTask}. */
export interface MeasureResult {
  readonly threadId: number;
  readonly setupMs: number;
  readonly measurements: KernelMeasurement[];
  /** Folded kernel outputs; returned so no kernel is dead code. */
  readonly checksum: number;
}

/** Closed-loop throughput of one kernel for thread scaling. */
export interface ThroughputTask extends FixtureOptions {
  readonly kernel: string;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Int32Array[1] over a SharedArrayBuffer: the start barrier. */
  readonly barrier: SharedArrayBuffer;
  readonly parties: number;
}

/** The result of a {@link ThroughputTask}. */
export interface ThroughputResult {
  readonly calls: number;
  readonly elapsedMs: number;
  readonly checksum: number;
}

/** Prepare a pool worker for server mode: build the fixture, warm up, meet at the barrier. */
export interface WarmTask extends FixtureOptions {
  readonly kernel: string;
  readonly warmupMs: number;
  readonly barrier: SharedArrayBuffer;
  readonly parties: number;
}

/** Mean per-call time seen while warming (ms). */
export interface WarmResult {
  readonly meanMs: number;
}

/** One server-mode query: run the kernel once on the cached fixture. */
export interface ServeTask extends FixtureOptions {
  readonly kernel: string;
}

/** Build-once artefacts for a suite (the HNSW index) before the isolates start. */
export type PrepareTask = FixtureOptions;

/** What preparation did. */
export interface PrepareResult {
  readonly built: boolean;
  readonly ms: number;
}
