/**
 * A rate counted per request (evaluation labels: did the answer pass?) turned
 * into the rate per visit of one step, for a step some requests run many
 * times (an agent loop's planning call) and some never.
 *
 * With c the step's per-visit rate and V_i the visits of request i, request i
 * fails with probability 1 − (1 − c)^V_i; the fitted c solves
 *   mean_i [1 − (1 − c)^V_i] = p̂,
 * the per-request share observed (the method of moments on each request's
 * own count). Spreading p̂ over the *average* count instead, c = 1 − (1 − p̂)^(1/V̄),
 * is exact only when every request visits equally often; by Jensen's
 * inequality it underestimates c when counts vary – on the ReAct agent (mean
 * 8.3 visits over all requests, ~5 over those that finished) the simulated
 * success came out 5 points high.
 *
 * The left side is increasing in c, so the interval's ends map through the
 * same equation, and the rate's distribution for `uncertainty:` is a Beta with
 * the mean and variance the per-request Beta maps to (the delta method:
 * Var c ≈ Var p / g′(c)²) – the same Beta when every V_i is 1.
 */
import type { Estimate } from '../metrics/intervals.js';
import type { FittedRate } from './rates.js';
import type { ParameterDist } from '../experiment/uncertainty.js';

export interface PerVisitRate extends Estimate {
  uncertainty: ParameterDist & { dist: 'beta' };
  /** Mean visits per request over the requests counted. */
  meanVisits: number;
  /** p̂ is more than even c = 1 explains (some requests never visit the step): the estimate is held at 1. */
  saturated: boolean;
}

/** g(c) = mean_i [1 − (1 − c)^V_i] and its derivative. */
function shareFailing(c: number, visits: readonly number[]): { g: number; slope: number } {
  let g = 0;
  let slope = 0;
  for (const v of visits) {
    if (v === 0) continue;
    g += 1 - Math.pow(1 - c, v);
    slope += v * Math.pow(1 - c, v - 1);
  }
  return { g: g / visits.length, slope: slope / visits.length };
}

/** The c in [0, 1] with g(c) = p (bisection: g is increasing); 1 when even c = 1 falls short. */
function solve(p: number, visits: readonly number[]): number {
  if (p <= 0) return 0;
  if (shareFailing(1, visits).g <= p) return 1;
  let lo = 0, hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (shareFailing(mid, visits).g < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** `perRequest` counted over the requests whose visits to the step are `visits` (same requests, any order). */
export function perVisitRate(perRequest: FittedRate, visits: readonly number[]): PerVisitRate {
  if (visits.length === 0) throw new RangeError('perVisitRate needs the visits of at least one request');
  const estimate = solve(perRequest.estimate, visits);
  const ci95: [number, number] = [solve(perRequest.ci95[0], visits), solve(perRequest.ci95[1], visits)];
  const { alpha, beta } = perRequest.uncertainty;
  const meanP = alpha / (alpha + beta);
  const varP = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));
  const meanC = solve(meanP, visits);
  const slope = shareFailing(meanC, visits).slope;
  const saturated = shareFailing(1, visits).g < perRequest.estimate;
  let uncertainty: PerVisitRate['uncertainty'] = perRequest.uncertainty;
  if (!saturated && slope > 0 && meanC > 0 && meanC < 1) {
    const varC = varP / slope ** 2;
    const k = (meanC * (1 - meanC)) / varC - 1;
    if (k > 0) uncertainty = { dist: 'beta', alpha: meanC * k, beta: (1 - meanC) * k };
  }
  return { estimate, ci95, uncertainty, meanVisits: visits.reduce((a, b) => a + b, 0) / visits.length, saturated };
}
