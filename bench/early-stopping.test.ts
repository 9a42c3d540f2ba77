import { describe, expect, it } from 'vitest';
import { earlyStopping, minPassingQueries, overLatencyOdds } from './early-stopping.js';

describe('LoadGen early stopping (Server scenario, p = 0.99, d = 0, c = 0.99)', () => {
  it('needs 459 queries when none is over the bound', () => {
    // ⌈ln 0.01 / ln 0.99⌉ = ⌈458.2⌉; LoadGen logs "Processed 21 queries … at least 438 more" (21 + 438 = 459).
    expect(minPassingQueries(0)).toBe(459);
  });

  it('matches a brute-force binomial search for small t', () => {
    // Smallest h with Σ_{x≤t} C(h+t, x) 0.01^x 0.99^(h+t−x) < 0.01, found by a linear scan in Python:
    // t = 1 → 661, t = 2 → 836, t = 9 → 1865, t = 10 → 2000.
    expect(minPassingQueries(1)).toBe(661);
    expect(minPassingQueries(2)).toBe(836);
    expect(minPassingQueries(9)).toBe(1865);
    expect(minPassingQueries(10)).toBe(2000);
  });

  it('computes the binomial CDF', () => {
    expect(overLatencyOdds(10, 0)).toBeCloseTo(0.99 ** 10, 14);
    expect(overLatencyOdds(10, 1)).toBeCloseTo(0.99 ** 11 + 11 * 0.01 * 0.99 ** 10, 14);
  });

  it('judges a run', () => {
    const fast = new Array<number>(500).fill(1);
    expect(earlyStopping(fast, 10)).toEqual({ issued: 500, overBound: 0, requiredQueries: 459, satisfied: true });
    const someSlow = [...fast.slice(0, 490), ...new Array<number>(10).fill(50)];
    expect(earlyStopping(someSlow, 10)).toEqual({ issued: 500, overBound: 10, requiredQueries: 2010, satisfied: false });
  });
});
