/**
 * The statistics pipeline: raw per-call samples of one isolate → a summary;
 * the summaries of all isolates → the kernel's figures and its cross-isolate
 * spread. Pure functions, so tests feed them injected timings.
 *
 * Quantiles are type 7 (linear interpolation, R's and numpy's default) via
 * simple-statistics; MAD is the unscaled median absolute deviation (multiply
 * by 1.4826 for a normal-consistent sd), the same convention as tinybench.
 */
import { mean, median, medianAbsoluteDeviation, quantileSorted, sampleStandardDeviation } from 'simple-statistics';

/** Summary of one isolate's samples (ms). */
export interface SampleSummary {
  readonly samples: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly p50Ms: number;
  readonly p75Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly madMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly sdMs: number;
}

/**
 * Summarises latency samples. O(n log n).
 * @throws Error on an empty or non-finite sample.
 */
export function summarizeSamples(samplesMs: readonly number[]): SampleSummary {
  if (samplesMs.length === 0) throw new Error('summarizeSamples: no samples');
  for (const s of samplesMs) if (!Number.isFinite(s) || s < 0) throw new Error(`summarizeSamples: invalid sample ${s}`);
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const p50 = quantileSorted(sorted, 0.5);
  return {
    samples: sorted.length,
    meanMs: mean(sorted),
    medianMs: p50,
    p50Ms: p50,
    p75Ms: quantileSorted(sorted, 0.75),
    p99Ms: quantileSorted(sorted, 0.99),
    p999Ms: quantileSorted(sorted, 0.999),
    madMs: medianAbsoluteDeviation(sorted),
    minMs: sorted[0],
    maxMs: sorted[sorted.length - 1],
    sdMs: sorted.length > 1 ? sampleStandardDeviation(sorted) : 0,
  };
}

/** How much the isolates disagree. */
export interface Spread {
  /** Slowest isolate median / fastest isolate median (≥ 1). */
  readonly ratio: number;
  readonly minMedianMs: number;
  readonly maxMedianMs: number;
  /** ratio > threshold: the isolates disagree; trust the figure less. */
  readonly flagged: boolean;
}

/** Default disagreement threshold: JIT state alone makes isolates differ by up to ~2× on these machines. */
export const SPREAD_THRESHOLD = 1.3;

/** Spread of per-isolate medians. */
export function spreadOf(medians: readonly number[], threshold = SPREAD_THRESHOLD): Spread {
  if (medians.length === 0) throw new Error('spreadOf: no isolates');
  const minMedianMs = Math.min(...medians);
  const maxMedianMs = Math.max(...medians);
  const ratio = minMedianMs > 0 ? maxMedianMs / minMedianMs : maxMedianMs > 0 ? Infinity : 1;
  return { ratio, minMedianMs, maxMedianMs, flagged: ratio > threshold };
}

/** A kernel's figures over all isolates. */
export interface KernelFigures {
  readonly medianMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p75Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly madMs: number;
  /** 1000 / meanMs: calls per second of one thread. */
  readonly throughputPerSec: number;
  readonly spread: Spread;
}

/**
 * Combines isolates with equal weight: each location or tail statistic is the
 * median of the per-isolate values, the mean is the mean of the per-isolate
 * means. Pooling raw samples instead would over-weight fast isolates (they
 * produce more samples in the same time budget).
 */
export function aggregateIsolates(runs: readonly SampleSummary[], threshold = SPREAD_THRESHOLD): KernelFigures {
  if (runs.length === 0) throw new Error('aggregateIsolates: no isolates');
  const pick = (key: keyof SampleSummary) => median(runs.map((r) => r[key]));
  const meanMs = mean(runs.map((r) => r.meanMs));
  return {
    medianMs: pick('medianMs'),
    meanMs,
    p50Ms: pick('p50Ms'),
    p75Ms: pick('p75Ms'),
    p99Ms: pick('p99Ms'),
    p999Ms: pick('p999Ms'),
    madMs: pick('madMs'),
    throughputPerSec: meanMs > 0 ? 1000 / meanMs : 0,
    spread: spreadOf(runs.map((r) => r.medianMs), threshold),
  };
}
