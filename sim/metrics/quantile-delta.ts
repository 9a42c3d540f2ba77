/**
 * The change in a latency quantile (p95) from the baseline to a variant – one
 * definition, so the headline, the tables, the charts and the terminal all
 * print the same number.
 *
 * The estimate is the difference of the two arms' pooled quantiles: the p95s
 * every table shows (each arm's replications merged into one histogram), so
 * "1,518 ms → 1,444 ms" and "−74 ms (−4.9 %)" always agree. A mean of
 * per-replication differences would be another estimator (−81 ms on the
 * fintech scenario at 4 × 100,000 requests): a quantile of a pooled sample is
 * not the mean of the replications' quantiles.
 *
 * The interval is sectioning (Asmussen & Glynn 2007, "Stochastic Simulation:
 * Algorithms and Analysis", Springer, §III.5a; for quantiles Nakayama 2014,
 * "Confidence intervals for quantiles using sectioning when applying
 * variance-reduction techniques", ACM TOMACS 24(4):19): centred on the
 * full-sample estimate, half-width t_{0.975, R−1}·s/√R with s the standard
 * deviation of the R per-replication paired differences (common random
 * numbers make them tight).
 *
 * The histogram keeps every latency only to a relative accuracy α (0.5 %,
 * histogram.ts), so a difference of two quantiles is resolved only to
 * {@link quantileResolutionMs}; an interval narrower than that is below what
 * was measured, and the printers say so instead of "± 0".
 */
import { LatencyHistogram } from '../kernel/histogram.js';
import { pairedDifference, type Estimate } from './intervals.js';

/**
 * Variant minus baseline quantile with its sectioning interval.
 * @param pooled the two arms' quantiles over all replications merged (NaN when an arm has no record)
 * @param perReplication each arm's quantile per replication, replication r of both on the same seed
 * @returns ci95 [NaN, NaN] with fewer than two replications or when a replication has no record
 * @throws {RangeError} if the two arms have different replication counts.
 */
export function quantileDifference(
  pooled: { baseline: number; variant: number },
  perReplication: { baseline: readonly number[]; variant: readonly number[] },
): Estimate {
  const estimate = pooled.variant - pooled.baseline;
  const { baseline, variant } = perReplication;
  if (baseline.length !== variant.length) throw new RangeError(`both arms need the same replications (got ${baseline.length} and ${variant.length})`);
  if (baseline.length < 2 || ![...baseline, ...variant].every(Number.isFinite)) return { estimate, ci95: [NaN, NaN] };
  const sections = pairedDifference(baseline, variant);
  const half = (sections.ci95[1] - sections.ci95[0]) / 2;
  return { estimate, ci95: [estimate - half, estimate + half] };
}

/**
 * The most by which the histogram can misplace the difference of two of its
 * quantiles a and b (ms): each lies within relative error α of the order
 * statistic x it stands for, so |â − a_x| ≤ α·x ≤ α/(1 − α)·â (DDSketch,
 * Masson, Rim & Lee 2019, PVLDB 12(12)), and the two errors can add. About
 * 1 % of the p95. NaN when either is.
 */
export function quantileResolutionMs(a: number, b: number): number {
  const alpha = LatencyHistogram.relativeAccuracy;
  return (alpha / (1 - alpha)) * (Math.abs(a) + Math.abs(b));
}
