/** QQ points: the fitted law's quantiles by inverting its CDF – exact for known laws – against order statistics. */
import { describe, expect, it } from 'vitest';
import { qqPoints } from './qq.js';

describe('QQ points', () => {
  it("an exponential's fitted quantiles are −mean·ln(1 − p); a sample on the grid sits on the diagonal", () => {
    const mean = 20;
    // Observed values placed exactly at the law's quantiles (i − ½)/n.
    const n = 99;
    const samples = Array.from({ length: n }, (_, i) => -mean * Math.log(1 - (i + 0.5) / n));
    const qq = qqPoints(samples, { dist: 'exponential', meanMs: mean });
    expect(qq).toHaveLength(99);
    for (const q of qq) {
      expect(q.fittedMs).toBeCloseTo(-mean * Math.log(1 - q.p), 6);
      expect(q.observedMs).toBeCloseTo(q.fittedMs, 6);
    }
  });

  it('a gamma (no one-uniform inverse) is inverted through its CDF', () => {
    const qq = qqPoints([1, 2, 3], { dist: 'gamma', shape: 2, scaleMs: 10 }, 3);
    // Gamma(2, 10): CDF 1 − e^(−x/10)(1 + x/10); at p = 1/2 the median is 16.783 (10 × 1.678347).
    expect(qq[1].p).toBe(0.5);
    expect(qq[1].fittedMs).toBeCloseTo(16.78347, 3);
  });
});
