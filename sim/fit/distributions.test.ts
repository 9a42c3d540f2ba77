import { describe, expect, it } from 'vitest';
import { RandomStreams, invPhi, makeSampler, type DistSpec } from '../kernel/index.js';
import { EMPIRICAL_PS, LatencyFitError, chooseFit, type LatencyChoice, type LatencyFit } from './distributions.js';
import { kolmogorovQ, ksDistance } from './kolmogorov.js';
import { digamma, lnMinusDigamma, trigamma, trigammaExcess } from './polygamma.js';

/**
 * Seeded draws from the kernel's own samplers; every expected value below comes
 * from theory, never from the code under test:
 * - fitted parameters within 5 asymptotic standard errors of the truth, the SE from
 *   the family's Fisher information at the true parameters (formulas inline);
 * - the maximised ln L / n within 5·sd(ln f(X))/√n (+ 10/n for the MLE's own gain,
 *   χ²_k/2) of minus the differential entropy −H;
 * - KS: the 5 % critical value of √n·D is 1.3581 (the Kolmogorov distribution's 0.95
 *   quantile, Smirnov 1948, Ann. Math. Stat. 19(2), 279–281).
 */
const N = 10_000;
const K = 5;
const EULER_GAMMA = 0.5772156649015329; // A&S 6.1.3
const KS_CRITICAL_05 = 1.3580986;
const PI2_6 = Math.PI ** 2 / 6;

function draw(spec: DistSpec, name: string, n = N): number[] {
  const sampler = makeSampler(spec), u = new RandomStreams('fit-test').stream(`draws/${name}`);
  return Array.from({ length: n }, () => sampler.sample(u));
}
const fitOf = (c: LatencyChoice, family: string): LatencyFit => {
  const f = c.ranking.find((r) => r.family === family);
  if (f === undefined) throw new Error(`${family} was not fitted`);
  return f;
};
/** |got − want| <= K·se. */
const within = (got: number, want: number, se: number): void => { expect(Math.abs(got - want)).toBeLessThanOrEqual(K * se); };
const perN = (c: LatencyChoice, f: LatencyFit): number => (f.logLikelihood as number) / c.n;

describe('digamma and trigamma', () => {
  it('match their closed-form values (A&S 6.3.2, 6.3.3, 6.3.19, 6.4.2, 6.4.4)', () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 14);
    expect(trigamma(1)).toBeCloseTo(PI2_6, 14);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 14);
    expect(Math.abs(digamma(1.4616321449683623))).toBeLessThan(1e-15); // the positive root x₀
  });
  it('follow ψ(n) = H(n−1) − γ and ψ\'(n) = π²/6 − Σ_{j<n} 1/j² at n = 2, 20, 200 (A&S 6.3.2, 6.4.2)', () => {
    for (const n of [2, 20, 200]) {
      let h = 0, s2 = 0;
      for (let j = 1; j < n; j++) { h += 1 / j; s2 += 1 / (j * j); }
      expect(digamma(n)).toBeCloseTo(h - EULER_GAMMA, 13);
      expect(trigamma(n)).toBeCloseTo(PI2_6 - s2, 13);
    }
  });
  it('near 0 follow ψ(x) = −1/x − γ + (π²/6)x + O(x²) and ψ\'(x) = 1/x² + π²/6 + O(x)', () => {
    const x = 1e-7;
    expect(digamma(x) - (-1 / x - EULER_GAMMA + PI2_6 * x)).toBeCloseTo(0, 8);
    expect(trigamma(x) - (1 / (x * x) + PI2_6)).toBeCloseTo(0, 0);
    expect(digamma(0)).toBeNaN();
    expect(trigamma(-1)).toBeNaN();
  });

  it('give ln x − ψ(x) and ψ\'(x) − 1/x at large x without cancellation: 1/(2x) + 1/(12x²) and 1/(2x²) + 1/(6x³) (A&S 6.3.18, 6.4.12)', () => {
    for (const x of [1e6, 1e8, 1e14]) { // the next terms are below 1e-19 relative here
      expect(lnMinusDigamma(x) / (1 / (2 * x) + 1 / (12 * x * x)) - 1).toBeCloseTo(0, 12);
      expect(trigammaExcess(x) / (1 / (2 * x * x) + 1 / (6 * x ** 3)) - 1).toBeCloseTo(0, 12);
    }
    expect(lnMinusDigamma(2) - (Math.log(2) - (1 - EULER_GAMMA))).toBeCloseTo(0, 14); // ψ(2) = 1 − γ
    expect(trigammaExcess(2) - (PI2_6 - 1 - 0.5)).toBeCloseTo(0, 14);
  });
});

describe('Kolmogorov–Smirnov', () => {
  it('Q_KS gives the tabulated quantiles of the Kolmogorov distribution (0.90: 1.2238478, 0.95: 1.3580986, 0.99: 1.6276236)', () => {
    expect(kolmogorovQ(1.2238478)).toBeCloseTo(0.1, 6);
    expect(kolmogorovQ(KS_CRITICAL_05)).toBeCloseTo(0.05, 6);
    expect(kolmogorovQ(1.6276236)).toBeCloseTo(0.01, 6);
  });
  it('its small-t series agrees with the alternating series 2Σ(−1)^(j−1)e^(−2j²t²) at t = 0.5 and 1.0', () => {
    for (const t of [0.5, 1.0]) {
      let q = 0;
      for (let j = 1; j <= 60; j++) q += 2 * (j % 2 === 1 ? 1 : -1) * Math.exp(-2 * j * j * t * t);
      expect(kolmogorovQ(t)).toBeCloseTo(q, 12);
    }
    expect(kolmogorovQ(0)).toBe(1);
  });
  it('D counts a run of ties as one step of the empirical CDF', () => {
    const uniform04 = (x: number) => Math.min(1, Math.max(0, x / 4));
    expect(ksDistance([1, 2, 3, 4], uniform04)).toBeCloseTo(0.25, 15); // F(x_i) − (i − 1)/n = 1/4
    expect(ksDistance([1, 1, 1, 3], uniform04)).toBeCloseTo(0.5, 15); // F_n(1) = 3/4 against F(1) = 1/4
    // A point mass at 2 against two draws of 2: D = 0 (the left limit F(2⁻) = 0, not F(2) = 1).
    expect(ksDistance([2, 2], (x) => (x >= 2 ? 1 : 0))).toBe(0);
  });
});

describe('chooseFit on draws from each family (n = 10,000)', () => {
  it('lognormal(μ = ln 200, σ = 0.6): μ̂ within 5σ/√n, σ̂ within 5σ/√(2n); ln L/n near −H; AIC picks it; KS below critical', () => {
    const mu = Math.log(200), sigma = 0.6;
    const c = chooseFit(draw({ dist: 'lognormal', mu, sigma }, 'lognormal'));
    const f = fitOf(c, 'lognormal');
    if (f.params.dist !== 'lognormal') throw new Error('wrong params');
    within(f.params.mu, mu, sigma / Math.sqrt(N));
    within(f.params.sigma, sigma, sigma / Math.sqrt(2 * N));
    expect(f.standardErrors.mu).toBeCloseTo(sigma / Math.sqrt(N), 3);
    // H = μ + ½ ln(2πeσ²); ln f(X) = const − σZ − Z²/2 has variance σ² + ½.
    within(perN(c, f) + 10 / N, -(mu + 0.5 * Math.log(2 * Math.PI * Math.E * sigma * sigma)), Math.sqrt((sigma ** 2 + 0.5) / N));
    expect(f.aic).toBeCloseTo(4 - 2 * (f.logLikelihood as number), 8);
    expect(c.best?.family).toBe('lognormal');
    expect(c.ranking[1].deltaAic).toBeGreaterThan(10); // Burnham & Anderson (2002) §2.6: ΔAIC > 10, essentially no support
    expect(f.ks.d).toBeLessThan(KS_CRITICAL_05 / Math.sqrt(N));
    expect(c.use).toBe(c.best);
    expect(c.why).toBe('lowest-aic');
    expect(c.note).toMatch(/^lognormal by AIC \(ΔAIC to (gamma|weibull|exponential) \d+\.\d\); KS D = 0\.\d{3} \(p = 0\.\d+\)$/);
    expect(c.warnings).toEqual([]);
  });

  it('Weibull(shape 3, scale 100): shape within 5·k√6/(π√n), scale within 5·(λ/k)√((1 + 6(1 − γ)²/π²)/n); AIC picks it over lognormal', () => {
    const k = 3, lambda = 100;
    const c = chooseFit(draw({ dist: 'weibull', shape: k, scaleMs: lambda }, 'weibull'));
    const f = fitOf(c, 'weibull');
    if (f.params.dist !== 'weibull') throw new Error('wrong params');
    within(f.params.shape, k, k * Math.sqrt(6) / (Math.PI * Math.sqrt(N)));
    within(f.params.scale, lambda, (lambda / k) * Math.sqrt((1 + 6 * (1 - EULER_GAMMA) ** 2 / Math.PI ** 2) / N));
    // H = γ(1 − 1/k) + ln(λ/k) + 1; ln f = ln(k/λ) + a ln E − E with E ~ Exp(1), a = (k − 1)/k: variance a²π²/6 + 1 − 2a.
    const a = (k - 1) / k;
    within(perN(c, f) + 10 / N, -(EULER_GAMMA * (1 - 1 / k) + Math.log(lambda / k) + 1), Math.sqrt((a * a * PI2_6 + 1 - 2 * a) / N));
    expect(c.best?.family).toBe('weibull');
    expect(fitOf(c, 'lognormal').aic as number).toBeGreaterThan((f.aic as number) + 10);
    expect(f.ks.d).toBeLessThan(KS_CRITICAL_05 / Math.sqrt(N));
    // The exponential of the same mean, λΓ(4/3), is clearly wrong: its population D to Weibull(3) (sup over a fine
    // grid of the two closed-form CDFs) is 0.2+, far above the critical value; and the lognormal fails too.
    const m = lambda * 0.8929795115692492; // Γ(4/3), A&S Table 6.1
    let popD = 0;
    for (let x = 0.1; x < 400; x += 0.1) popD = Math.max(popD, Math.abs(Math.exp(-x / m) - Math.exp(-((x / lambda) ** k))));
    expect(popD).toBeGreaterThan(0.2);
    const expo = fitOf(c, 'exponential');
    expect(expo.ks.d).toBeGreaterThan(KS_CRITICAL_05 / Math.sqrt(N));
    expect(expo.ks.d).toBeGreaterThan(popD - 1.6276236 / Math.sqrt(N) - 0.01);
    expect(expo.ks.pValue).toBeLessThan(0.05);
    expect(fitOf(c, 'lognormal').ks.d).toBeGreaterThan(KS_CRITICAL_05 / Math.sqrt(N));
  });

  it('gamma(shape 2, scale 50): SEs from the Fisher information with ψ\'(2) = π²/6 − 1; ln L/n near −H', () => {
    const k = 2, theta = 50, tri = PI2_6 - 1, det = k * tri - 1;
    const c = chooseFit(draw({ dist: 'gamma', shape: k, scaleMs: theta }, 'gamma'));
    const f = fitOf(c, 'gamma');
    if (f.params.dist !== 'gamma') throw new Error('wrong params');
    within(f.params.shape, k, Math.sqrt(k / (N * det)));
    within(f.params.scale, theta, theta * Math.sqrt(tri / (N * det)));
    // H = k + ln θ + ln Γ(k) + (1 − k)ψ(k) = 2 + ln 50 − (1 − γ); Var ln f = (k − 1)²ψ'(k) + k − 2(k − 1) = π²/6 − 1.
    within(perN(c, f) + 10 / N, -(2 + Math.log(theta) - (1 - EULER_GAMMA)), Math.sqrt(tri / N));
    expect(c.best?.family).toBe('gamma');
    expect(f.ks.d).toBeLessThan(KS_CRITICAL_05 / Math.sqrt(N));
  });

  it('exponential(mean 80): mean within 5·80/√n; gamma and Weibull shapes within 5 SE of 1 (the nested case)', () => {
    const m = 80;
    const c = chooseFit(draw({ dist: 'exponential', meanMs: m }, 'exponential'));
    const f = fitOf(c, 'exponential');
    if (f.params.dist !== 'exponential') throw new Error('wrong params');
    within(f.params.mean, m, m / Math.sqrt(N));
    within(perN(c, f) + 10 / N, -(1 + Math.log(m)), 1 / Math.sqrt(N)); // H = 1 + ln m; Var ln f = Var(X/m) = 1
    const g = fitOf(c, 'gamma'), w = fitOf(c, 'weibull');
    if (g.params.dist !== 'gamma' || w.params.dist !== 'weibull') throw new Error('wrong params');
    within(g.params.shape, 1, Math.sqrt(1 / (N * (PI2_6 - 1)))); // k = 1: var k̂ = 1/(n(ψ'(1) − 1))
    within(w.params.shape, 1, Math.sqrt(6) / (Math.PI * Math.sqrt(N)));
    expect(f.ks.d).toBeLessThan(KS_CRITICAL_05 / Math.sqrt(N));
  });
});

describe('the empirical quantile table', () => {
  it('holds the sample quantiles at EMPIRICAL_PS, each within 5 SE of the true quantile (SE √(p(1−p)/n)/f(q_p)), min and max at the ends', () => {
    const mu = Math.log(200), sigma = 0.6;
    const xs = draw({ dist: 'lognormal', mu, sigma }, 'lognormal-table');
    const c = chooseFit(xs, { empirical: 'always' });
    expect(c.use).toBe(c.empirical);
    expect(c.why).toBe('asked-for-empirical');
    expect(c.note).toMatch(/^the empirical quantile table \(KS D = 0\.\d{3}\), as asked; the best family: lognormal by AIC/);
    const e = c.empirical;
    if (e.params.dist !== 'empirical') throw new Error('wrong params');
    expect(e.params.quantiles.map((q) => q.p)).toEqual(EMPIRICAL_PS);
    expect(e.aic).toBeNull();
    expect(e.ks.pValue).toBeNull();
    const qs = e.params.quantiles;
    expect(qs[0].value).toBe(Math.min(...xs));
    expect(qs[qs.length - 1].value).toBe(Math.max(...xs));
    for (const { p, value } of qs.filter((q) => q.p >= 0.01 && q.p <= 0.99)) {
      const z = invPhi(p), q = Math.exp(mu + sigma * z);
      const density = Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * sigma * q);
      within(value, q, Math.sqrt(p * (1 - p) / N) / density);
    }
    expect(() => makeSampler(e.spec)).not.toThrow();
  });

  it('is used when no family passes the KS check: a two-humped mixture', () => {
    const xs = draw({ dist: 'mixture', components: [
      { weight: 0.5, of: { dist: 'lognormal', mu: Math.log(20), sigma: 0.2 } },
      { weight: 0.5, of: { dist: 'lognormal', mu: Math.log(400), sigma: 0.2 } },
    ] }, 'mixture');
    const c = chooseFit(xs);
    for (const f of c.ranking) expect(f.ks.pValue).toBeLessThan(0.05);
    expect(c.use).toBe(c.empirical);
    expect(c.why).toBe('no-family-passes-ks');
    // Between table points both CDFs climb from about p_i to p_(i+1): D is at most the widest step, 0.1, plus 1/n.
    expect(c.empirical.ks.d).toBeLessThanOrEqual(0.1 + 1 / N);
    expect(c.note).toMatch(/fails the KS check at the 5 % level, as every family does: the empirical quantile table \(KS D = 0\.\d{3}\) is used$/);
    const kept = chooseFit(xs, { empirical: 'never' });
    expect(kept.use).toBe(kept.best);
    expect(kept.note).toMatch(/fails the KS check at the 5 % level and is kept, as asked$/);
  });
});

describe('the choice rule', () => {
  it('uses the lowest-AIC family that passes KS when the lowest of all fails it (a level between their p-values)', () => {
    const xs = draw({ dist: 'exponential', meanMs: 80 }, 'exponential');
    const first = chooseFit(xs);
    const best = first.best as LatencyFit;
    const later = first.ranking.slice(1).find((f) => (f.ks.pValue as number) > (best.ks.pValue as number));
    if (later === undefined) throw new Error('no later family with a larger p-value in this sample');
    const level = ((best.ks.pValue as number) + (later.ks.pValue as number)) / 2;
    const c = chooseFit(xs, { ksLevel: level });
    const expected = c.ranking.find((f) => (f.ks.pValue as number) >= level) as LatencyFit;
    expect(c.use.family).toBe(expected.family);
    expect(c.use.family).not.toBe(best.family);
    expect(c.why).toBe('lowest-aic-passing-ks');
    expect(c.note).toMatch(new RegExp(`^${best.family} by AIC .*, which fails the KS check at the [\\d.]+ % level; ${expected.family} is used, the lowest AIC that passes \\(ΔAIC \\d+\\.\\d; KS D = 0\\.\\d{3} \\(p = 0\\.\\d+\\)\\)$`));
  });
});

describe('awkward samples', () => {
  it('refuses zero, negative, non-finite, oversized, empty and spread-less samples, naming the entry', () => {
    const refusal = (xs: number[]): LatencyFitError => {
      try { chooseFit(xs); } catch (e) { if (e instanceof LatencyFitError) return e; throw e; }
      throw new Error('accepted');
    };
    expect(refusal([3, 0, 5])).toMatchObject({ index: 1, message: expect.stringMatching(/^latency 1 is 0 ms: a fit needs durations > 0 ms/) });
    expect(refusal([3, 4, -2]).index).toBe(2);
    expect(refusal([3, Number.NaN]).message).toBe('latency 1 is NaN: a latency must be a finite number of ms');
    expect(refusal([3, 2e12]).message).toMatch(/past the longest duration .* nanoseconds read as milliseconds/);
    expect(refusal([]).message).toBe('a latency fit needs at least 2 latencies; got 0');
    expect(refusal([7, 7, 7]).message).toBe('all 3 latencies are 7 ms: there is no spread to fit – write the latency as the constant 7ms');
    expect(() => chooseFit([1, 2, 3], { ksLevel: 1.5 })).toThrow(LatencyFitError);
  });

  it('fits a gamma to a nearly constant sample: for two values x, x(1 + δ), ln k − ψ(k) = s = ln(1 + δ/2) − ½ ln(1 + δ) gives k = 1/(2s) − 1/6 + O(s)', () => {
    const xs = [100, 100.0001];
    const delta = xs[1] / xs[0] - 1, s = Math.log1p(delta / 2) - 0.5 * Math.log1p(delta);
    const g = fitOf(chooseFit(xs), 'gamma');
    if (g.params.dist !== 'gamma') throw new Error('wrong params');
    expect(g.params.shape / (1 / (2 * s) - 1 / 6) - 1).toBeCloseTo(0, 6); // k ≈ 4/δ² = 4e12
  });

  it('fits fewer than 20 latencies with a warning, and all families still', () => {
    const c = chooseFit(draw({ dist: 'lognormal', mu: 3, sigma: 0.5 }, 'few', 12));
    expect(c.ranking.map((f) => f.family).sort()).toEqual(['exponential', 'gamma', 'lognormal', 'weibull']);
    expect(c.warnings[0]).toBe('only 12 latencies: a fit from fewer than 20 is unreliable (see the standard errors); it is returned anyway');
  });

  it('warns when rounding makes ties, and the ties do not break the fit', () => {
    const xs = draw({ dist: 'lognormal', mu: Math.log(5), sigma: 0.4 }, 'rounded', 2000).map((x) => Math.max(1, Math.round(x)));
    const c = chooseFit(xs);
    expect(c.warnings.some((w) => /of the latencies repeat another's value \(rounded durations\?\)/.test(w))).toBe(true);
    expect(c.ranking).toHaveLength(4);
  });

  it('gives the same result for the same latencies in any order', () => {
    const xs = draw({ dist: 'gamma', shape: 0.7, scaleMs: 30 }, 'order', 3000);
    expect(chooseFit([...xs].reverse())).toEqual(chooseFit(xs));
  });

  it('fits 200,000 latencies (one sort, O(n) per family) and recovers μ within 5σ/√n', () => {
    const n = 200_000, mu = Math.log(900), sigma = 1.1;
    const c = chooseFit(draw({ dist: 'lognormal', mu, sigma }, 'large', n));
    const f = fitOf(c, 'lognormal');
    if (f.params.dist !== 'lognormal') throw new Error('wrong params');
    within(f.params.mu, mu, sigma / Math.sqrt(n));
    expect(c.best?.family).toBe('lognormal');
  });
});
