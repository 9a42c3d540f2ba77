import { describe, expect, it } from 'vitest';
import { reliabilityVsSteps, studyPointSeed } from './studies.js';
import { simulateModel } from '../path/index.js';
import { modelOf } from '../test-support.js';
import { wilson } from '../metrics/index.js';
import { lnGamma, regGamma } from '../kernel/index.js';

/** P(X = k) for X ~ Binomial(n, p). */
function binomialPmf(k: number, n: number, p: number): number {
  return Math.exp(lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * Exact coverage of the 95 % Wilson interval for a true proportion p from n
 * independent trials: Σ P(S = k) over the k whose interval holds p. It is
 * not exactly 0.95 – Wilson's coverage oscillates with n and p (Brown, Cai &
 * DasGupta 2001, "Interval estimation for a binomial proportion", Stat. Sci.
 * 16:101–133) – so the test takes it from here, per point.
 */
function wilsonCoverage(p: number, n: number): number {
  const sd = Math.sqrt(n * p * (1 - p));
  let c = 0;
  for (let k = Math.max(0, Math.floor(n * p - 12 * sd) - 2); k <= Math.min(n, Math.ceil(n * p + 12 * sd) + 2); k++) {
    const [lo, hi] = wilson(k, n).ci95;
    if (p >= lo && p <= hi) c += binomialPmf(k, n, p);
  }
  return c;
}

describe('reliability-vs-steps study', () => {
  it('gives every point a seed of its own, derived from the study seed and the point', () => {
    const points = reliabilityVsSteps(1000, 7);
    expect(points).toHaveLength(60);
    expect(new Set(points.map((p) => p.input.seed)).size).toBe(60);
    expect(points.find((p) => p.values.perStepReliability === 0.97 && p.values.steps === 6)!.input.seed).toBe(
      studyPointSeed(7, 'reliability-0.97-steps-6'),
    );
    expect(reliabilityVsSteps(1000, 7).map((p) => p.input.seed)).toEqual(points.map((p) => p.input.seed)); // deterministic
  });

  it('the count of points whose interval holds rⁿ behaves as a sum of 60 independent coin flips across seeds', () => {
    // Each point is n stages in series with no coupling, so its successes
    // are Binomial(N, rⁿ) and its interval holds rⁿ with probability c_j
    // (wilsonCoverage, ≈ 0.95). With independent points, the count Y of the
    // 60 that hold it is a Poisson-binomial: mean m = Σc_j ≈ 57, variance
    // v = Σc_j(1 − c_j) ≈ 2.9. Over S independent study seeds:
    // - the total ΣY is within 4 standard deviations of S·m;
    // - D = Σ(Y_s − m)²/v is about χ²(S): the spread of Y across seeds is the
    //   spread of independent coin flips. Points that share random numbers
    //   fail together, which inflates it (Y swung from 50 to 60 with the seed
    //   before; that spread gives a D several times S).
    // Seeded throughout (study seeds 1..S), so the test cannot flake.
    const requests = 2000;
    const seeds = 10;
    const coverage = reliabilityVsSteps(requests, 1).map((p) => wilsonCoverage(p.closedFormSuccess!, requests));
    const m = coverage.reduce((a, c) => a + c, 0);
    const v = coverage.reduce((a, c) => a + c * (1 - c), 0);
    expect(m).toBeGreaterThan(56);
    expect(m).toBeLessThan(58);

    const counts: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      let inside = 0;
      for (const p of reliabilityVsSteps(requests, seed)) {
        const [lo, hi] = simulateModel(modelOf(p.input)).successRate.ci95;
        if (p.closedFormSuccess! >= lo && p.closedFormSuccess! <= hi) inside++;
      }
      counts.push(inside);
    }
    const total = counts.reduce((a, c) => a + c, 0);
    expect(Math.abs(total - seeds * m), `counts ${counts.join(', ')}`).toBeLessThan(4 * Math.sqrt(seeds * v));
    const d = counts.reduce((a, y) => a + (y - m) ** 2, 0) / v;
    const pValue = regGamma(seeds / 2, d / 2, true); // P(χ²(S) ≥ D)
    expect(pValue, `counts ${counts.join(', ')}, D = ${d.toFixed(1)}`).toBeGreaterThan(0.001);
  });
});
