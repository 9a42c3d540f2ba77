import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { backoffDelayMs, meanBackoffDelayMs, nominalDelayMs, type BackoffSpec } from './backoff.js';
import { passProbability } from '../retry/retry.js';

const exp: BackoffSpec = { kind: 'exponential', baseMs: 100, factor: 2, maxMs: 1000, jitter: 'none', additiveMs: 1000 };

describe('backoff schedules', () => {
  it('exponential doubles and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((k) => nominalDelayMs(exp, k))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('constant and linear', () => {
    expect([1, 2, 3].map((k) => nominalDelayMs({ ...exp, kind: 'constant' }, k))).toEqual([100, 100, 100]);
    expect([1, 2, 3, 20].map((k) => nominalDelayMs({ ...exp, kind: 'linear' }, k))).toEqual([100, 200, 300, 1000]);
  });

  /** Mean of n seeded draws against the closed form, within 5 standard errors (σ/√n). */
  function checkMean(spec: BackoffSpec, retry: number, expected: number, sd: number) {
    const u = seedrandom.xor128('backoff-test');
    const n = 200_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += backoffDelayMs(spec, retry, spec.baseMs, u);
    expect(Math.abs(sum / n - expected)).toBeLessThan((5 * sd) / Math.sqrt(n));
  }

  it('full jitter U(0, d) has mean d/2', () => {
    // d = 400 at retry 3; sd of U(0, d) = d/√12.
    checkMean({ ...exp, jitter: 'full' }, 3, 200, 400 / Math.sqrt(12));
    expect(meanBackoffDelayMs({ ...exp, jitter: 'full' }, 3)).toBe(200);
  });
  it('equal jitter d/2 + U(0, d/2) has mean 3d/4', () => {
    checkMean({ ...exp, jitter: 'equal' }, 3, 300, 200 / Math.sqrt(12));
    expect(meanBackoffDelayMs({ ...exp, jitter: 'equal' }, 3)).toBe(300);
  });
  it("LangGraph's additive jitter adds U(0, 1 s) after the cap", () => {
    checkMean({ ...exp, jitter: 'additive' }, 10, 1500, 1000 / Math.sqrt(12));
    const u = seedrandom.xor128('x');
    for (let i = 0; i < 1000; i++) {
      const d = backoffDelayMs({ ...exp, jitter: 'additive' }, 10, 100, u);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThan(2000);
    }
  });
  it('decorrelated jitter stays within [base, min(cap, 3·previous)]', () => {
    const spec: BackoffSpec = { ...exp, jitter: 'decorrelated' };
    const u = seedrandom.xor128('d');
    let prev = spec.baseMs;
    for (let k = 1; k < 2000; k++) {
      const d = backoffDelayMs(spec, k, prev, u);
      expect(d).toBeGreaterThanOrEqual(spec.baseMs);
      expect(d).toBeLessThanOrEqual(Math.min(spec.maxMs, 3 * prev));
      prev = d;
    }
  });
});

describe('retry pass probability', () => {
  it('independent transient faults with k attempts pass with 1 − p^k', () => {
    expect(passProbability(0.1, 0, 1)).toBeCloseTo(0.9, 15);
    expect(passProbability(0.1, 0, 3)).toBeCloseTo(1 - 0.001, 15);
    expect(passProbability(0.03, 0, 3)).toBeCloseTo(1 - 0.03 ** 3, 15);
  });
  it('terminal faults are not retried: o(1 − r^k)/(1 − r)', () => {
    // r = 0.1 retried, t = 0.05 terminal, k = 2: o + r·o = 0.85 · 1.1
    expect(passProbability(0.1, 0.05, 2)).toBeCloseTo(0.935, 15);
    expect(passProbability(1, 0, 5)).toBe(0);
  });
});
