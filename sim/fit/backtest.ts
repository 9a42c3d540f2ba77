/**
 * The back-test: a fitted scenario's simulated figures beside the traces'
 * observed ones, each with its interval and a verdict. A figure is `inside`
 * when observed and simulated agree within their combined uncertainty, else
 * `outside` – and a fit that cannot reproduce its own data says so.
 *
 * - Rates (success, per-node errors): Newcombe's interval for the difference
 *   of two proportions (metrics/intervals.ts newcombeDifference) must hold 0.
 * - Quantiles (end-to-end p50/p95/p99): the observed quantile's
 *   distribution-free interval from order statistics (the ranks j < k with
 *   P(X₍ⱼ₎ ≤ ξ_q ≤ X₍ₖ₎) ≥ 95 % under Binomial(n, q); Conover, "Practical
 *   Nonparametric Statistics", 3rd ed., §3.2) must hold the simulated one –
 *   the simulation's sample is far larger, so its own spread is left out.
 * - Means (LLM calls, steps per request): Welch's difference of means must
 *   hold 0.
 */
import { newcombeDifference, wilson, type Estimate } from '../metrics/intervals.js';
import { regIncBeta, studentTQuantile } from '../kernel/student-t.js';

export type Verdict = 'inside' | 'outside' | 'not measured';

export interface BacktestRow {
  figure: string;
  observed: Estimate;
  simulated: Estimate;
  verdict: Verdict;
}

/** A proportion k/n observed against k'/n' simulated. */
export function rateRow(figure: string, observed: [number, number], simulated: [number, number]): BacktestRow {
  const [k, n] = observed;
  const [ks, ns] = simulated;
  if (n === 0 || ns === 0) return { figure, observed: est(n === 0 ? NaN : k / n), simulated: est(ns === 0 ? NaN : ks / ns), verdict: 'not measured' };
  const d = newcombeDifference(ks, ns, k, n);
  return {
    figure,
    observed: wilson(k, n),
    simulated: wilson(ks, ns),
    verdict: d.ci95[0] <= 0 && 0 <= d.ci95[1] ? 'inside' : 'outside',
  };
}

function est(x: number): Estimate {
  return { estimate: x, ci95: [NaN, NaN] };
}


/** Binomial(n, q) CDF at k: P(X ≤ k) = I_{1−q}(n − k, k + 1), the regularized incomplete beta (kernel/student-t.ts). */
function binomialCdf(k: number, n: number, q: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return regIncBeta(1 - q, n - k, k + 1);
}

/**
 * The q-quantile of sorted samples with its distribution-free 95 % interval:
 * X₍ⱼ₎ … X₍ₖ₎ (1-based ranks) with j the largest rank whose Binomial(n, q)
 * CDF at j − 1 is ≤ 2.5 % and k the smallest with CDF at k − 1 ≥ 97.5 %.
 * Too few samples for such ranks: the interval is the sample's range.
 */
export function quantileWithInterval(sorted: readonly number[], q: number): Estimate {
  const n = sorted.length;
  if (n === 0) return est(NaN);
  const point = sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  // Normal approximation for the ranks, then exact binomial checks nudge them outwards.
  const centre = n * q;
  const spread = 1.959964 * Math.sqrt(n * q * (1 - q));
  let j = Math.max(1, Math.floor(centre - spread));
  let k = Math.min(n, Math.ceil(centre + spread) + 1);
  while (j > 1 && binomialCdf(j - 1, n, q) > 0.025) j--;
  while (k < n && binomialCdf(k - 1, n, q) < 0.975) k++;
  return { estimate: point, ci95: [sorted[j - 1], sorted[k - 1]] };
}

/** An observed quantile (its order-statistic interval) against the simulated value. */
export function quantileRow(figure: string, observed: Estimate, simulatedValue: number): BacktestRow {
  const verdict: Verdict = !Number.isFinite(observed.estimate) || !Number.isFinite(simulatedValue)
    ? 'not measured'
    : observed.ci95[0] <= simulatedValue && simulatedValue <= observed.ci95[1] ? 'inside' : 'outside';
  return { figure, observed, simulated: est(simulatedValue), verdict };
}

/** Mean, variance and count of a sample. */
export interface Moments {
  mean: number;
  variance: number;
  n: number;
}

export function momentsOf(values: readonly number[]): Moments {
  const n = values.length;
  const mean = n > 0 ? values.reduce((a, b) => a + b, 0) / n : NaN;
  const variance = n > 1 ? values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, variance, n };
}

/** Welch's t interval for the difference of two means must hold 0. */
export function meanRow(figure: string, observed: Moments, simulated: Moments): BacktestRow {
  const interval = (m: Moments): Estimate => {
    const se = Math.sqrt(m.variance / m.n);
    const t = m.n > 1 ? studentTQuantile(0.975, m.n - 1) : NaN;
    return { estimate: m.mean, ci95: [m.mean - t * se, m.mean + t * se] };
  };
  if (observed.n < 2 || simulated.n < 2) return { figure, observed: interval(observed), simulated: interval(simulated), verdict: 'not measured' };
  const v1 = observed.variance / observed.n;
  const v2 = simulated.variance / simulated.n;
  const se = Math.sqrt(v1 + v2);
  // Welch–Satterthwaite degrees of freedom.
  const df = se === 0 ? Infinity : (v1 + v2) ** 2 / ((v1 * v1) / (observed.n - 1) + (v2 * v2) / (simulated.n - 1));
  const t = Number.isFinite(df) ? studentTQuantile(0.975, df) : 1.959964;
  const diff = simulated.mean - observed.mean;
  return { figure, observed: interval(observed), simulated: interval(simulated), verdict: Math.abs(diff) <= t * se ? 'inside' : 'outside' };
}
