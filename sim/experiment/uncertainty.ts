/**
 * Parameter uncertainty: a scenario's `uncertainty:` block gives some of its
 * parameters as distributions over their value – a fault rate fitted from 40
 * errors in 1,000 calls is Beta(41, 961), not 0.04 – and `compare
 * --uncertainty N` runs an outer loop over N draws of them, each an inner
 * paired comparison on common random numbers (Morgan & Henrion,
 * "Uncertainty", 1990, ch. 8: nested Monte Carlo; the two-level design
 * separates parameter from simulation variance as in Song, Nelson & Pegden,
 * "Input model uncertainty", WSC 2014).
 *
 * Only the *values* are drawn here; applying one to a scenario is the
 * overrides' job (sim/scenario/overrides.ts), so a drawn value is validated
 * exactly like one written in the file.
 */
import * as z from 'zod';
import { strictObject } from '../scenario/units.js';
import { RandomStreams } from '../kernel/rng.js';
import { attemptKey } from '../kernel/keyed.js';
import { BetaSampler } from '../kernel/beta.js';
import { invPhi } from '../kernel/special.js';
import { studentTQuantile } from '../kernel/student-t.js';
import { makeSampler } from '../kernel/dist.js';
import type { Estimate } from '../metrics/intervals.js';
import type { ComparisonResult, VariantDelta } from './comparison.js';

const positive = (what: string) => z.number().finite().gt(0, `must be > 0 (${what})`);

/** One parameter's distribution. */
export const parameterDistSchema = z.discriminatedUnion('dist', [
  strictObject({ dist: z.literal('beta'), alpha: positive('the Beta shape α: successes + 1 under a uniform prior'), beta: positive('the Beta shape β: failures + 1 under a uniform prior') }).describe(
    'a probability fitted from counts: k events in n trials is Beta(k + 1, n − k + 1) under a uniform prior',
  ),
  strictObject({ dist: z.literal('normal'), mean: z.number().finite(), sd: z.number().finite().min(0, 'must be at least 0') }).describe(
    'an estimate and its standard error (a fitted log-mean, a latency parameter)',
  ),
  strictObject({ dist: z.literal('gamma'), shape: positive('shape'), scale: positive('scale') }).describe('a positive quantity (a rate)'),
  strictObject({ dist: z.literal('uniform'), min: z.number().finite(), max: z.number().finite() }).describe('a range nobody measured (an assumption)'),
]);

export type ParameterDist = z.output<typeof parameterDistSchema>;

/** `uncertainty:` – scenario paths as `--set` writes them (`stages.plan.faults.error`) → their distributions. */
export const uncertaintySchema = z
  .record(z.string().min(1), parameterDistSchema)
  .describe(
    'parameters known only up to a distribution (from `coordgap fit`, or a range nobody measured): `compare --uncertainty N` draws N sets and reports intervals that include them; runs without the flag use the value in the file',
  );

export type UncertaintySpec = z.output<typeof uncertaintySchema>;

/** The distribution's mean: what a value drawn from it averages to (the check's example value). */
export function parameterMean(d: ParameterDist): number {
  switch (d.dist) {
    case 'beta':
      return d.alpha / (d.alpha + d.beta);
    case 'normal':
      return d.mean;
    case 'gamma':
      return d.shape * d.scale;
    case 'uniform':
      return (d.min + d.max) / 2;
  }
}

/** A value as `--set` text: 12 significant digits, so files and ids stay readable. */
function valueText(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/**
 * Draw `i` (0-based) of every parameter, as `path=value` overrides: keyed by
 * the draw's index and the parameter's path on the seed, so draw i is the
 * same whatever N is and whatever other parameters the block lists.
 */
export function drawParameters(spec: UncertaintySpec, seed: number | string, i: number): string[] {
  const rng = new RandomStreams(seed);
  return Object.entries(spec)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, d]) => {
      const u = rng.keyed(`uncertainty/${path}`).draws(attemptKey(i, 0));
      let x: number;
      switch (d.dist) {
        case 'beta':
          x = new BetaSampler(d.alpha, d.beta).sample(u);
          break;
        case 'normal':
          x = d.mean + d.sd * invPhi(Math.min(1 - 1e-12, Math.max(1e-12, u())));
          break;
        case 'gamma':
          x = makeSampler({ dist: 'gamma', shape: d.shape, scaleMs: d.scale }).sample(u);
          break;
        case 'uniform':
          x = d.min + (d.max - d.min) * u();
          break;
      }
      return `${path}=${valueText(x)}`;
    });
}

/** The simulation seed of draw i: its own, so the spread across draws carries simulation noise too (nested Monte Carlo). */
export function drawSeed(seed: number | string, i: number): string {
  return `${seed}/uncertainty-${i}`;
}

/** The deltas a comparison reports, and which direction is better. */
export const UNCERTAIN_METRICS = [
  { key: 'successRate', better: 'higher' },
  { key: 'silentFailureRate', better: 'lower' },
  { key: 'p95Ms', better: 'lower' },
  { key: 'spendPerSuccessUsd', better: 'lower' },
  { key: 'costPerSuccessUsd', better: 'lower' },
] as const satisfies readonly { key: keyof VariantDelta; better: 'higher' | 'lower' }[];

export type UncertainMetric = (typeof UNCERTAIN_METRICS)[number]['key'];

/** One variant's delta on one metric, with and without parameter uncertainty. */
export interface UncertainDelta {
  /** The point comparison (parameters at the file's values): its estimate and simulation-noise interval. */
  point: Estimate;
  /** The 2.5 % and 97.5 % points of the draws' estimates: parameter and simulation uncertainty together. */
  totalCi95: [number, number];
  /** Share of draws in which the variant beat the baseline on this metric (null: no draw gave a number). */
  pBetter: number | null;
  /** Share in which it did worse; the rest were ties (a metric the variant does not move). */
  pWorse: number | null;
  /**
   * Share of the draws' variance that the parameters explain: 1 − mean(simulation variance of a draw) /
   * variance across draws, clipped to [0, 1]. Near 1: more traces would narrow it; near 0: more simulation.
   */
  parameterShare: number | null;
  /** Draws that gave a number (a metric with no success has none). */
  draws: number;
}

export interface UncertaintyResult {
  /** Draws run. */
  draws: number;
  /** The paths drawn, in order. */
  parameters: string[];
  variants: { name: string; deltas: Record<UncertainMetric, UncertainDelta> }[];
}

/** The q-quantile of sorted values by linear interpolation (Hyndman & Fan type 7, R's default). */
function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The quantile a comparison's 95 % interval for a delta is that many standard
 * errors wide on each side: with R ≥ 2 replications every delta's interval is
 * Student t with R − 1 degrees of freedom across the replications
 * (comparison.ts: paired differences; quantile-delta.ts: sectioning) – 12.71
 * at R = 2, 3.18 at R = 4 – and with one replication the rates' interval is
 * Newcombe's, built on the normal's 1.96. Dividing a t interval by 1.96
 * overstated a draw's simulation variance (2.6× at R = 4, 42× at R = 2) and
 * so understated the parameters' share.
 */
function intervalQuantile95(replications: number | undefined): number {
  return replications !== undefined && replications >= 2 ? -studentTQuantile(0.025, replications - 1) : 1.959964;
}

/**
 * Combines the point comparison and the N draws' comparisons (each with the
 * same variants, in order) into per-variant, per-metric uncertain deltas.
 */
export function combineUncertainty(point: ComparisonResult, draws: readonly ComparisonResult[], parameters: readonly string[]): UncertaintyResult {
  return {
    draws: draws.length,
    parameters: [...parameters],
    variants: point.variants.map((v, vi) => {
      const deltas = {} as Record<UncertainMetric, UncertainDelta>;
      for (const { key, better } of UNCERTAIN_METRICS) {
        const estimates: number[] = [];
        const simVariances: number[] = [];
        for (const d of draws) {
          const e = d.variants[vi].delta[key];
          if (!Number.isFinite(e.estimate)) continue;
          estimates.push(e.estimate);
          // A 95 % interval's half-width over its quantile is the draw's simulation standard error.
          const half = (e.ci95[1] - e.ci95[0]) / 2;
          if (Number.isFinite(half)) simVariances.push((half / intervalQuantile95(d.baseline.replications)) ** 2);
        }
        const sorted = [...estimates].sort((a, b) => a - b);
        const n = sorted.length;
        const mean = n > 0 ? sorted.reduce((a, b) => a + b, 0) / n : NaN;
        const variance = n > 1 ? sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : NaN;
        const simVariance = simVariances.length > 0 ? simVariances.reduce((a, b) => a + b, 0) / simVariances.length : NaN;
        const wins = estimates.filter((x) => (better === 'higher' ? x > 0 : x < 0)).length;
        const losses = estimates.filter((x) => (better === 'higher' ? x < 0 : x > 0)).length;
        deltas[key] = {
          point: v.delta[key],
          totalCi95: n > 0 ? [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)] : [NaN, NaN],
          pBetter: n > 0 ? wins / n : null,
          pWorse: n > 0 ? losses / n : null,
          parameterShare: variance > 0 && Number.isFinite(simVariance) ? Math.min(1, Math.max(0, 1 - simVariance / variance)) : null,
          draws: n,
        };
      }
      return { name: v.name, deltas };
    }),
  };
}

/**
 * Which uncertainty dominates a delta: `parameters` when they explain at
 * least DOMINANT_SHARE of the draws' variance, `simulation` when they explain
 * at most 1 − DOMINANT_SHARE, `both` between.
 */
export type UncertaintySource = 'parameters' | 'simulation' | 'both';

/**
 * One source dominates when its variance is at least three times the other's
 * (a share of 3/4): then removing the other entirely would narrow the total
 * interval by at most 1 − √(3/4) ≈ 13 %.
 */
export const DOMINANT_SHARE = 0.75;

/** Why a delta has no reading: too few draws gave a number, the draws did not spread, or a draw had no simulation interval. */
export type NoReadingReason = 'too-few-draws' | 'no-spread' | 'no-simulation-interval';

/** What a delta's two intervals say about where its uncertainty comes from, and so what would narrow it. */
export type UncertaintyReading =
  | {
      dominant: UncertaintySource;
      /** Share of the draws' variance from the parameters (UncertainDelta.parameterShare). */
      parameterShare: number;
      /** Total interval width over the simulation interval's width: what a reader sees side by side; NaN when the simulation interval has no width. */
      widthRatio: number;
      /**
       * The most unlimited simulation could narrow the total interval: the
       * variances add (total = parameters + simulation), so with no simulation
       * noise the standard deviation is √share of what it is – 1 − √share narrower.
       */
      maxNarrowingBySimulation: number;
      /** The most unlimited traces (parameters known exactly) could narrow it: 1 − √(1 − share). */
      maxNarrowingByTraces: number;
    }
  | { dominant: null; reason: NoReadingReason; widthRatio: number };

/**
 * The one rule for "which uncertainty dominates" – the terminal
 * (scripts/format-uncertainty.ts) and the report (reports/uncertainty.ts)
 * both word this reading. It rests on the variance split (parameterShare:
 * the mean simulation variance of a draw against the variance across draws,
 * Song, Nelson & Pegden 2014), not on the two widths, because the total
 * interval's ends from a few draws are rough (percentiles of 5 values) while
 * the variances are not biased by it; the width ratio is reported beside it.
 */
export function readUncertainty(d: UncertainDelta): UncertaintyReading {
  const simWidth = d.point.ci95[1] - d.point.ci95[0];
  const totalWidth = d.totalCi95[1] - d.totalCi95[0];
  const widthRatio = simWidth > 0 && Number.isFinite(totalWidth) ? totalWidth / simWidth : NaN;
  const share = d.parameterShare;
  if (share === null) {
    const reason: NoReadingReason = d.draws < 2 ? 'too-few-draws' : !(totalWidth > 0) ? 'no-spread' : 'no-simulation-interval';
    return { dominant: null, reason, widthRatio };
  }
  return {
    dominant: share >= DOMINANT_SHARE ? 'parameters' : share <= 1 - DOMINANT_SHARE ? 'simulation' : 'both',
    parameterShare: share,
    widthRatio,
    maxNarrowingBySimulation: 1 - Math.sqrt(share),
    maxNarrowingByTraces: 1 - Math.sqrt(1 - share),
  };
}
