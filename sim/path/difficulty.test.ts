/**
 * Per-request difficulty against its closed form (issue 12.4). A request's
 * fault probability is f ~ Beta(pκ, (1 − p)κ), drawn once, and each of its k
 * attempts fails with probability f, so it fails all of them with probability
 * E[f^k] = Π_{i<k} (pκ + i)/(κ + i) – the Beta-binomial moment (Johnson, Kotz
 * & Balakrishnan, "Continuous Univariate Distributions" vol. 2, §25.4). The
 * success rate with k attempts is 1 − E[f^k], whatever κ: as κ → 0 the draw
 * becomes "always fails" with probability p, so the success rate tends to
 * 1 − p; as κ → ∞ it tends to 1 − p^k. The Beta draw used to underflow for a
 * small κ and give 0.26 (κ = 0.001) or 0 (κ ≤ 1e-8) where 0.5 is right.
 *
 * Seeded: every figure below is the same on every run. Each simulated rate
 * must lie within 4 standard errors of the closed form.
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { BetaSampler } from '../kernel/index.js';
import { runReplication } from './simulate.js';
import { modelOf, singleStage } from '../test-support.js';
import { SUCCESS } from './outcomes.js';

/** E[f^k] for f ~ Beta(a, b): Π_{i<k} (a + i)/(a + b + i). */
function betaMoment(a: number, b: number, k: number): number {
  let m = 1;
  for (let i = 0; i < k; i++) m *= (a + i) / (a + b + i);
  return m;
}

const KAPPAS = [1e-6, 1e-4, 1e-2, 0.1, 1, 10, 1e3];

describe('Beta draws for every shape', () => {
  it('the mean and the share above 1/2 match Beta(a, b) from tiny to large shapes (20,000 seeded draws each)', () => {
    const n = 20_000;
    for (const [a, b] of [[5e-7, 5e-7], [2e-7, 8e-7], [5e-4, 5e-4], [0.05, 0.05], [0.5, 0.5], [1, 1], [2, 5], [500, 500]]) {
      const beta = new BetaSampler(a, b);
      const u = seedrandom.xor128(`beta/${a}/${b}`);
      let sum = 0;
      let outside = 0;
      for (let i = 0; i < n; i++) {
        const q = beta.sample(u);
        if (!(q >= 0 && q <= 1)) outside++;
        sum += q;
      }
      expect(outside).toBe(0);
      // Var = ab / ((a + b)²(a + b + 1)) (JKB vol. 2, §25.2).
      const mean = a / (a + b);
      const se = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)) / n);
      expect(Math.abs(sum / n - mean)).toBeLessThan(4 * se);
    }
  });

  it('tiny shapes give 0 or 1 in proportion a : b, never one side for all (the linear draw gave 0/0)', () => {
    const n = 20_000;
    const beta = new BetaSampler(1e-9, 3e-9); // P(near 1) = a / (a + b) = 0.25
    const u = seedrandom.xor128('tiny');
    let high = 0;
    for (let i = 0; i < n; i++) if (beta.sample(u) > 0.5) high++;
    const se = Math.sqrt((0.25 * 0.75) / n);
    expect(Math.abs(high / n - 0.25)).toBeLessThan(4 * se);
  });
});

describe('success with k attempts is 1 − E[f^k] for κ from 1e-6 to 1e3', () => {
  const requests = 20_000;
  const successRate = (p: number, kappa: number, k: number): number => {
    const input = singleStage(
      { faults: { error: p }, difficulty: { concentration: kappa }, retry: { maxAttempts: k, backoff: { base: 0, jitter: 'none' } } },
      { requests, seed: 11 },
    );
    const c = runReplication(modelOf(input), 0);
    return c.outcomes[SUCCESS] / c.requestsFinished;
  };

  for (const [p, k] of [[0.5, 3], [0.2, 4]] as const) {
    it(`error ${p}, ${k} attempts`, () => {
      for (const kappa of KAPPAS) {
        const exact = 1 - betaMoment(p * kappa, (1 - p) * kappa, k);
        const se = Math.sqrt((exact * (1 - exact)) / requests);
        const got = successRate(p, kappa, k);
        expect({ kappa, off: Math.abs(got - exact) < 4 * se }).toEqual({ kappa, off: true });
      }
    });
  }

  it('the issue\'s figures: error 0.5, 3 attempts, κ = 0.001 and 1e-9 succeed about half the time, not 0.26 or 0', () => {
    for (const kappa of [1e-3, 1e-9]) expect(Math.abs(successRate(0.5, kappa, 3) - 0.5)).toBeLessThan(0.02);
  });
});
