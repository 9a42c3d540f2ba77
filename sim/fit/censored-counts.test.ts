import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { productLimitCounts, type CensoredCount } from './censored-counts.js';

describe('productLimitCounts (Kaplan–Meier over whole counts)', () => {
  it('matches the estimator worked by hand', () => {
    // Risk sets: at 1 all five runs (stop 1); at 2 three (the run that failed during 2 never reached the
    // decision): S = 4/5 · 2/3; at 3 two (stop 3, cut after 3): S = 4/5 · 2/3 · 1/2.
    const runs: CensoredCount[] = [
      { value: 1, ending: 'stopped' },
      { value: 2, ending: 'stopped' },
      { value: 2, ending: 'failedDuring' },
      { value: 3, ending: 'stopped' },
      { value: 3, ending: 'cutAfter' },
    ];
    const d = productLimitCounts(runs);
    expect(d.shares.map((s) => s.value)).toEqual([1, 2, 3]);
    expect(d.shares[0].share).toBeCloseTo(1 / 5, 12);
    expect(d.shares[1].share).toBeCloseTo((4 / 5) * (1 / 3), 12);
    expect(d.shares[2].share).toBeCloseTo((4 / 5) * (2 / 3) * (1 / 2), 12);
    expect(d.beyond).toBeCloseTo((4 / 5) * (2 / 3) * (1 / 2), 12);
  });

  it('without censoring it is the observed shares', () => {
    const d = productLimitCounts([1, 1, 2, 4].map((value) => ({ value, ending: 'stopped' as const })));
    expect(d.shares).toEqual([
      { value: 1, share: 0.5 },
      { value: 2, share: 0.25 },
      { value: 4, share: 0.25 },
    ]);
    expect(d.beyond).toBe(0);
  });

  it('recovers a geometric count that failures cut short, where the finished runs alone are biased short', () => {
    // An agent stops after each good iteration with p = 0.2 (P(n) = 0.2 · 0.8^(n−1)); each iteration fails with
    // q = 0.1, ending the run. Finished runs alone follow a geometric with ratio (1 − p)(1 − q) = 0.72, so
    // P(1) = 0.28 instead of 0.2 – biased short; the product-limit estimate recovers the agent's own law.
    const rng = seedrandom('censored-geometric');
    const p = 0.2, q = 0.1, n = 40_000;
    const runs: CensoredCount[] = [];
    for (let i = 0; i < n; i++) {
      let k = 1;
      for (;;) {
        if (rng() < q) {
          runs.push({ value: k, ending: 'failedDuring' });
          break;
        }
        if (rng() < p) {
          runs.push({ value: k, ending: 'stopped' });
          break;
        }
        k++;
      }
    }
    const d = productLimitCounts(runs);
    for (const k of [1, 2, 3, 5, 8]) {
      const truth = p * Math.pow(1 - p, k - 1);
      const got = d.shares.find((s) => s.value === k)!.share;
      // At risk at k: about n·((1 − q)(1 − p))^(k−1); Greenwood's variance of a point mass is under p(1 − p)/atRisk
      // times the survival squared – four of those standard errors, and never under 0.004.
      const atRisk = n * Math.pow((1 - q) * (1 - p), k - 1);
      const se = Math.pow(1 - p, k - 1) * Math.sqrt((p * (1 - p)) / atRisk);
      expect(Math.abs(got - truth)).toBeLessThan(Math.max(4 * se, 0.004));
    }
    const finishedOnly = runs.filter((r) => r.ending === 'stopped');
    const shareOfOnes = finishedOnly.filter((r) => r.value === 1).length / finishedOnly.length;
    expect(Math.abs(shareOfOnes - 0.28)).toBeLessThan(0.01);
  });

  it('refuses a count below 1', () => {
    expect(() => productLimitCounts([{ value: 0, ending: 'stopped' }])).toThrow(/whole number ≥ 1/);
  });
});
