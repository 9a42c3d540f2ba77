import { describe, expect, it } from 'vitest';
import { maxRateUnderBound, poissonArrivalsMs, summarizeServerRun } from './server.js';
import { threadCountsUpTo, withEfficiency } from './scaling.js';

describe('server mode arithmetic', () => {
  it('draws seeded Poisson arrivals with the offered mean gap', () => {
    const arrivals = poissonArrivalsMs(1000, 20_000, 42);
    expect(arrivals).toEqual(poissonArrivalsMs(1000, 20_000, 42));
    const meanGapMs = arrivals[arrivals.length - 1] / arrivals.length;
    expect(meanGapMs).toBeGreaterThan(0.97); // 1 ms ± 3 %: the sd of a mean of 20,000 exponential gaps is 0.7 %
    expect(meanGapMs).toBeLessThan(1.03);
  });

  it('measures latency from the scheduled arrival', () => {
    // 500 queries scheduled every 2 ms from t = 100; each completes 1 ms after it was due, except the last five (30 ms).
    const scheduled = Array.from({ length: 500 }, (_, i) => 100 + 2 * i);
    const completed = scheduled.map((s, i) => s + (i >= 495 ? 30 : 1));
    const point = summarizeServerRun(500, scheduled, completed, 20);
    expect(point).toMatchObject({ offeredRatePerSec: 500, queries: 500, p50Ms: 1, maxMs: 30, overBound: 5, earlyStoppingMet: false, meetsBound: false });
    // last completion 100 + 998 + 30 = 1128 ms; span from first arrival 1028 ms → 500 / 1.028 s
    expect(point.achievedRatePerSec).toBeCloseTo(486.381, 3);
    // p99 at type-7 index 494.01 → 1 + 0.01 · 29 = 1.29
    expect(point.p99Ms).toBeCloseTo(1.29, 10);
  });

  it('reports the highest rate below the first failing one', () => {
    const base = { achievedRatePerSec: 1, queries: 500, p50Ms: 1, p90Ms: 1, p99Ms: 1, maxMs: 1, overBound: 0, requiredQueries: 459, earlyStoppingMet: true };
    expect(maxRateUnderBound([{ ...base, offeredRatePerSec: 100, meetsBound: true }, { ...base, offeredRatePerSec: 200, meetsBound: false }])).toBe(100);
    expect(maxRateUnderBound([{ ...base, offeredRatePerSec: 100, meetsBound: false }])).toBeNull();
    // a pass above a failure does not count
    const bumpy = [100, 200, 300].map((rate) => ({ ...base, offeredRatePerSec: rate, meetsBound: rate !== 200 }));
    expect(maxRateUnderBound(bumpy)).toBe(100);
  });
});

describe('thread scaling arithmetic', () => {
  it('steps through powers of two up to the limit', () => {
    expect(threadCountsUpTo(1)).toEqual([1]);
    expect(threadCountsUpTo(2)).toEqual([1, 2]);
    expect(threadCountsUpTo(6)).toEqual([1, 2, 4, 6]);
    expect(() => threadCountsUpTo(0)).toThrow(/positive integer/);
  });

  it('computes efficiency against one thread', () => {
    expect(withEfficiency([{ threads: 1, callsPerSec: 100 }, { threads: 2, callsPerSec: 150 }])).toEqual([
      { threads: 1, callsPerSec: 100, efficiency: 1 },
      { threads: 2, callsPerSec: 150, efficiency: 0.75 },
    ]);
    expect(() => withEfficiency([{ threads: 2, callsPerSec: 1 }])).toThrow(/1-thread point/);
  });
});
