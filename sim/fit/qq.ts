/**
 * Quantile–quantile points of a fitted latency law against the observed
 * durations: at m probabilities p = (i − ½)/m, the observed quantile (order
 * statistic ⌈p·n⌉) beside the fitted law's, found by bisection on the
 * sampler's own CDF – the law the simulator draws. On the diagonal, the fit
 * holds; a bend at the top is a tail the law misses.
 */
import { makeSampler, type DistSpec } from '../kernel/dist.js';

export interface QqPoint {
  p: number;
  observedMs: number;
  fittedMs: number;
}

/** The x with cdf(x) = p, to a relative 1e-9, between 0 and the sampler's largest draw. */
function inverse(cdf: (x: number) => number, p: number, maxMs: number): number {
  let lo = 0;
  let hi = Math.max(1e-9, maxMs);
  for (let k = 0; k < 200 && hi - lo > 1e-9 * Math.max(1, hi); k++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function qqPoints(samplesMs: readonly number[], spec: DistSpec, points = 99): QqPoint[] {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [];
  const sampler = makeSampler(spec);
  const m = Math.min(points, n);
  return Array.from({ length: m }, (_, i) => {
    const p = (i + 0.5) / m;
    return { p, observedMs: sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))], fittedMs: inverse((x) => sampler.cdf(x), p, sampler.maxMs) };
  });
}
