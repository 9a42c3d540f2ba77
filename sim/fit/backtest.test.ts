/** The back-test's verdicts: intervals that cover as their theory says, and verdicts that tell a match from a miss. */
import { describe, expect, it } from 'vitest';
import { meanRow, momentsOf, quantileRow, quantileWithInterval, rateRow } from './backtest.js';
import { RandomStreams } from '../kernel/rng.js';
import { wilson } from '../metrics/intervals.js';

describe('back-test rows', () => {
  it('the order-statistic interval of a quantile covers the true one about 95 % of the time (Exp(1), p95 = ln 20)', () => {
    const u = new RandomStreams(9).stream('x');
    const truth = Math.log(20);
    const trials = 600;
    let covered = 0;
    for (let r = 0; r < trials; r++) {
      const xs = Array.from({ length: 500 }, () => -Math.log(1 - u())).sort((a, b) => a - b);
      const e = quantileWithInterval(xs, 0.95);
      if (e.ci95[0] <= truth && truth <= e.ci95[1]) covered++;
    }
    // At least 95 % by construction (the ranks are widened until the binomial mass reaches it); the observed share's
    // 99.9 % Wilson interval must reach 0.95.
    expect(wilson(covered, trials, 3.2905).ci95[1]).toBeGreaterThanOrEqual(0.95);
    expect(covered / trials).toBeLessThan(0.995);
  });

  it('rates: the same law is inside, a doubled rate outside', () => {
    expect(rateRow('errors', [50, 1000], [500, 10_000]).verdict).toBe('inside');
    expect(rateRow('errors', [50, 1000], [1000, 10_000]).verdict).toBe('outside');
    expect(rateRow('errors', [0, 0], [1, 10]).verdict).toBe('not measured');
  });

  it('quantiles and means: inside when the simulated value is in the observed interval, outside when not', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i + 1);
    const p50 = quantileWithInterval(xs, 0.5);
    expect(p50.estimate).toBe(500);
    expect(quantileRow('p50', p50, 505).verdict).toBe('inside');
    expect(quantileRow('p50', p50, 600).verdict).toBe('outside');
    const obs = momentsOf(Array.from({ length: 400 }, (_, i) => 3 + (i % 5) - 2));
    expect(meanRow('calls', obs, { mean: 3.02, variance: 2, n: 100_000 }).verdict).toBe('inside');
    expect(meanRow('calls', obs, { mean: 3.5, variance: 2, n: 100_000 }).verdict).toBe('outside');
  });
});
