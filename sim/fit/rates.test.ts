/** Fitted rates carry their Wilson interval and Beta distribution; arrivals are flagged bursty only when their gaps are. */
import { describe, expect, it } from 'vitest';
import { fittedRate, fitArrivals } from './rates.js';
import { RandomStreams } from '../kernel/rng.js';

describe('fitted rates', () => {
  it('40 errors in 1,000 calls: 0.04, Wilson [0.0295, 0.0540], Beta(41, 961)', () => {
    const r = fittedRate(40, 1000);
    expect(r.estimate).toBe(0.04);
    // Wilson by hand: centre (0.04 + 1.96²/2000)/(1 + 1.96²/1000) = 0.041760, half-width
    // 1.96·√(0.04·0.96/1000 + 1.96²/4·10⁶)/(1 + 1.96²/1000) = 0.012250.
    expect(r.ci95[0]).toBeCloseTo(0.02951, 4);
    expect(r.ci95[1]).toBeCloseTo(0.05401, 4);
    expect(r.uncertainty).toEqual({ dist: 'beta', alpha: 41, beta: 961 });
  });
});

describe('fitted arrivals', () => {
  const u = new RandomStreams(5).stream('arrivals');
  it('Poisson arrivals at 20/s: the rate within 4 standard errors, CV near 1, not bursty', () => {
    let t = 0;
    const starts = Array.from({ length: 20_000 }, () => (t += (-1000 / 20) * Math.log(1 - u())));
    const a = fitArrivals(starts)!;
    // The rate estimate (n − 1)/T has relative standard error ≈ 1/√n.
    expect(Math.abs(a.ratePerSec - 20)).toBeLessThan((4 * 20) / Math.sqrt(20_000));
    expect(Math.abs(a.interArrivalCv - 1)).toBeLessThan(0.05);
    expect(a.bursty).toBe(false);
  });

  it('bursts (ten requests at once every 500 ms) and a metronome are both flagged', () => {
    const bursts = Array.from({ length: 2000 }, (_, i) => Math.floor(i / 10) * 500);
    // Gaps of 0 nine times in ten and 500 once: mean 50, sd ≈ 150, CV ≈ 3.
    expect(fitArrivals(bursts)!.bursty).toBe(true);
    const fixed = Array.from({ length: 2000 }, (_, i) => i * 100);
    expect(fitArrivals(fixed)!.interArrivalCv).toBe(0);
    expect(fitArrivals(fixed)!.bursty).toBe(true);
    expect(fitArrivals([5])).toBeNull();
  });
});
