import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanInterval, newcombeDifference, pairedDifference, wilson, Z95 } from './intervals.js';

/** Published figures have 4 decimals, so they match to within half a unit in the last place. */
const FOUR_DP = 5e-5;
const Z2 = Z95 * Z95;

function expectLimits(actual: [number, number], expected: [number, number], tol: number): void {
  expect(Math.abs(actual[0] - expected[0])).toBeLessThanOrEqual(tol);
  expect(Math.abs(actual[1] - expected[1])).toBeLessThanOrEqual(tol);
}

describe('wilson', () => {
  // Newcombe (1998a), "Two-sided confidence intervals for the single proportion: comparison of
  // seven methods", Stat. Med. 17:857–872, worked examples, method 3 (score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i → %f to %f (Newcombe 1998a)', (s, n, lo, hi) => {
    const w = wilson(s, n);
    expect(w.estimate).toBe(s / n);
    expectLimits(w.ci95, [lo, hi], FOUR_DP);
  });

  it('closed forms at the edges: s = 0 → [0, z²/(n + z²)], s = n → [n/(n + z²), 1]', () => {
    // With p̂ = 0 the centre and half-width are both (z²/2n)/(1 + z²/n), so the upper limit is z²/(n + z²).
    expect(wilson(0, 20).ci95).toEqual([0, expect.closeTo(Z2 / (20 + Z2), 15)]);
    expect(wilson(10, 10).ci95).toEqual([expect.closeTo(10 / (10 + Z2), 15), 1]);
  });

  it('n = 0 → estimate NaN, ci [0, 1]; bad counts throw', () => {
    expect(wilson(0, 0)).toEqual({ estimate: NaN, ci95: [0, 1] });
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
    expect(() => wilson(0.5, 2)).toThrow(RangeError);
  });

  it('property: the interval lies in [0, 1], contains p̂, mirrors under s → n − s, and widens with z', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
      const s = Math.floor(f * n);
      const { estimate, ci95: [lo, hi] } = wilson(s, n);
      const [mlo, mhi] = wilson(n - s, n).ci95;
      const [wlo, whi] = wilson(s, n, 2.576).ci95;
      return lo >= 0 && hi <= 1 && lo <= estimate && estimate <= hi
        && Math.abs(lo - (1 - mhi)) < 1e-12 && Math.abs(hi - (1 - mlo)) < 1e-12 && wlo <= lo && whi >= hi;
    }), { seed: 42, numRuns: 500 });
  });
});

describe('newcombeDifference (method 10)', () => {
  // Newcombe (1998b), "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Stat. Med. 17:873–890, examples (a) and (b), method 10.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
  ])('%i/%i − %i/%i → %f to %f (Newcombe 1998b)', (s1, n1, s2, n2, lo, hi) => {
    const d = newcombeDifference(s1, n1, s2, n2);
    expect(d.estimate).toBeCloseTo(s1 / n1 - s2 / n2, 15);
    expectLimits(d.ci95, [lo, hi], FOUR_DP);
  });

  it('zero-count examples reduce to Wilson edge closed forms', () => {
    // 0/10 − 0/20: d = 0, L = −u₂ = −z²/(20 + z²), U = u₁ = z²/(10 + z²) (≈ −0.1611, 0.2775).
    expectLimits(newcombeDifference(0, 10, 0, 20).ci95, [-Z2 / (20 + Z2), Z2 / (10 + Z2)], 1e-15);
    // 10/10 − 0/20: L = 1 − √((1 − 10/(10 + z²))² + (z²/(20 + z²))²) (≈ 0.6791), U = 1.
    const l = 1 - Math.hypot(1 - 10 / (10 + Z2), Z2 / (20 + Z2));
    expectLimits(newcombeDifference(10, 10, 0, 20).ci95, [l, 1], 1e-15);
  });

  it('either n = 0 → estimate NaN, ci [−1, 1]; swapping the groups negates the interval', () => {
    expect(newcombeDifference(0, 0, 1, 2)).toEqual({ estimate: NaN, ci95: [-1, 1] });
    const ab = newcombeDifference(56, 70, 48, 80), ba = newcombeDifference(48, 80, 56, 70);
    expectLimits(ba.ci95, [-ab.ci95[1], -ab.ci95[0]], 1e-15);
    expect(() => newcombeDifference(5, 4, 1, 2)).toThrow(/first successes/);
  });
});

/**
 * Values with mean 0 and standard error s/√n exactly 1, so the half-width of the interval is
 * t_{0.975, n−1} itself: ±c pairs with c = √(n − 1) for even n (Σx² = n(n − 1)), plus a 0 and
 * c = √n for odd n.
 */
function unitSeSample(n: number): number[] {
  const c = n % 2 === 0 ? Math.sqrt(n - 1) : Math.sqrt(n);
  const xs: number[] = n % 2 === 0 ? [] : [0];
  for (let i = 0; i < Math.floor(n / 2); i++) xs.push(c, -c);
  return xs;
}
const tQuantile = (df: number): number => meanInterval(unitSeSample(df + 1)).ci95[1];

describe('meanInterval: Student t quantiles', () => {
  it.each([
    [1, 12.7062], [2, 4.3027], [3, 3.1824], [4, 2.7764], [5, 2.5706], [10, 2.2281], [20, 2.086], [30, 2.0423], [120, 1.9799],
  ])('t_{0.975, %i} = %f (standard t table, e.g. Fisher & Yates)', (df, t) => {
    expect(Math.abs(tQuantile(df) - t)).toBeLessThanOrEqual(FOUR_DP);
  });

  it('df = 1 and 2 match their closed forms: tan(0.475π) and 0.95/√(2·0.975·0.025)', () => {
    expect(tQuantile(1) / Math.tan(0.475 * Math.PI)).toBeCloseTo(1, 12);
    expect(tQuantile(2) / (0.95 / Math.sqrt(2 * 0.975 * 0.025))).toBeCloseTo(1, 12);
  });

  it('df → ∞ approaches 1.96 along the Cornish–Fisher expansion z + g₁/df + g₂/df² (A&S 26.7.5)', () => {
    const g1 = (Z95 ** 3 + Z95) / 4, g2 = (5 * Z95 ** 5 + 16 * Z95 ** 3 + 3 * Z95) / 96;
    const df = 99_999; // next term g₂/df² ≈ 3e-10
    expect(Math.abs(tQuantile(df) - 1.96)).toBeLessThanOrEqual(FOUR_DP);
    expect(tQuantile(df) - Z95).toBeCloseTo(g1 / df, 9);
    expect(tQuantile(2000) - Z95).toBeCloseTo(g1 / 2000 + g2 / 2000 ** 2, 9); // next term g₃/df³ ≈ 3e-10
    expect(tQuantile(200) - Z95).toBeCloseTo(g1 / 200 + g2 / 200 ** 2, 6); // g₃/df³ ≈ 3e-7
  });

  it('mean of 1..5 = 3 ± t₄·√(2.5/5), t₄ = 2.7764 (table)', () => {
    const { estimate, ci95 } = meanInterval([1, 2, 3, 4, 5]);
    expect(estimate).toBe(3);
    expectLimits(ci95, [3 - 2.7764 * Math.sqrt(0.5), 3 + 2.7764 * Math.sqrt(0.5)], FOUR_DP);
  });

  it('n < 2 has no spread: ci [NaN, NaN]; non-finite values throw', () => {
    expect(meanInterval([])).toEqual({ estimate: NaN, ci95: [NaN, NaN] });
    expect(meanInterval([4])).toEqual({ estimate: 4, ci95: [NaN, NaN] });
    expect(meanInterval([2, 2, 2])).toEqual({ estimate: 2, ci95: [2, 2] });
    expect(() => meanInterval([1, NaN])).toThrow(/values\[1\]/);
  });
});

describe('pairedDifference', () => {
  it('mean of b − a with its t interval: diffs 1, 2, 3 → 2 ± t₂/√3', () => {
    const t2 = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
    const { estimate, ci95 } = pairedDifference([10, 12, 14], [11, 14, 17]);
    expect(estimate).toBe(2);
    expectLimits(ci95, [2 - t2 / Math.sqrt(3), 2 + t2 / Math.sqrt(3)], 1e-12);
  });

  it('rejects arrays of different length', () => {
    expect(() => pairedDifference([1, 2], [1])).toThrow(/equal length/);
  });
});
