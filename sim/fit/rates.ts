/**
 * Rates a fit reads off counted events – errors per attempt, timeouts,
 * evaluation failures – each with its Wilson 95 % interval and the Beta
 * distribution of the rate given the counts (uniform prior: Beta(k + 1,
 * n − k + 1)), which the fitted scenario's `uncertainty:` block carries; and
 * the arrival process of the traces' root spans.
 */
import { wilson, type Estimate } from '../metrics/intervals.js';
import type { ParameterDist } from '../experiment/uncertainty.js';

export interface FittedRate extends Estimate {
  /** Events and trials counted. */
  events: number;
  trials: number;
  /** The rate's distribution given the counts: Beta(k + 1, n − k + 1) (uniform prior). */
  uncertainty: ParameterDist & { dist: 'beta' };
}

export function fittedRate(events: number, trials: number): FittedRate {
  return { ...wilson(events, trials), events, trials, uncertainty: { dist: 'beta', alpha: events + 1, beta: trials - events + 1 } };
}

export interface FittedArrivals {
  /** Root spans counted. */
  requests: number;
  /** Mean rate over the observed span: (n − 1) / (last start − first start), per second. */
  ratePerSec: number;
  /** Coefficient of variation of the gaps between starts: 1 for a Poisson process. */
  interArrivalCv: number;
  /**
   * The gaps are too uneven (or too even) for Poisson arrivals: |CV − 1|
   * beyond max(0.2, 3/√gaps) – three standard errors of a Poisson sample's
   * CV (≈ 1/√n for exponential gaps) and never under 0.2. Then the trace's
   * own timestamps are the honest arrival model.
   */
  bursty: boolean;
  /** Starts relative to the first, ms, sorted (what a `trace` arrival model replays). */
  offsetsMs: number[];
}

/** The arrival process of requests that started at these times (ms, any order); null for fewer than 2. */
export function fitArrivals(startsMs: readonly number[]): FittedArrivals | null {
  if (startsMs.length < 2) return null;
  const sorted = [...startsMs].sort((a, b) => a - b);
  const first = sorted[0];
  const spanMs = sorted[sorted.length - 1] - first;
  const gaps = sorted.slice(1).map((t, i) => t - sorted[i]);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / Math.max(1, gaps.length - 1));
  const cv = mean > 0 ? sd / mean : Infinity;
  const tolerance = Math.max(0.2, 3 / Math.sqrt(gaps.length));
  return {
    requests: sorted.length,
    ratePerSec: spanMs > 0 ? ((sorted.length - 1) / spanMs) * 1000 : Infinity,
    interArrivalCv: cv,
    bursty: !(Math.abs(cv - 1) <= tolerance),
    offsetsMs: sorted.map((t) => t - first),
  };
}
