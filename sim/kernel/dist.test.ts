import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { DistParamError, makeSampler, type DistSpec } from './dist.js';
import type { Uniform01 } from './uniform.js';

/**
 * Statistical checks use n = 200,000 seeded draws and a 5-standard-error band:
 * - mean: |x̄ − μ| <= 5·σ/√n;
 * - variance: |s² − σ²| <= 5·√((μ₄ − σ⁴)/n), the asymptotic SE of the sample variance;
 * - CDF: n·F_n(x) ~ Binomial(n, F(x)) for any law, so |F_n(x) − F(x)| <= 5·√(F(1 − F)/n).
 * Expected values come from closed forms (cited inline), never from the code under test.
 */
const N = 200_000;
const K = 5;
const Z = { p50: 0, p75: 0.6744897501960817, p90: 1.2815515655446004, p95: 1.6448536269514722,
  p975: 1.959963984540054, p99: 2.3263478740408408, p995: 2.5758293035489004 }; // Φ⁻¹, A&S Table 26.5
const PHI_1 = 0.8413447460685429; // Φ(1), A&S Table 26.1
const PHI_NEG_3 = 0.0013498980316300946; // Φ(−3)
const ERF_1 = 0.8427007929497149; // erf(1), A&S Table 7.1
const PHI_DENSITY_1 = 0.24197072451914337; // φ(1) = e^(−1/2)/√(2π)

function draw(spec: DistSpec, seed = 'dist-test', n = N): Float64Array {
  const s = makeSampler(spec), u = seedrandom.xor128(seed), xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = s.sample(u);
  return xs;
}

/** Central fourth moment from raw moments m1..m4. */
function mu4(m1: number, m2: number, m3: number, m4: number): number {
  return m4 - 4 * m3 * m1 + 6 * m2 * m1 * m1 - 3 * m1 ** 4;
}

interface Law { mean: number; variance: number; raw: [number, number, number, number]; F: [number, number][] }

function checkLaw(spec: DistSpec, law: Law): void {
  const xs = draw(spec), n = xs.length;
  let sum = 0, minX = Infinity;
  for (const x of xs) { sum += x; minX = Math.min(minX, x); }
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const variance = ss / (n - 1);
  const [m1, m2, m3, m4] = law.raw;
  expect(minX).toBeGreaterThanOrEqual(0);
  expect(Math.abs(mean - law.mean)).toBeLessThanOrEqual(K * Math.sqrt(law.variance / n));
  expect(Math.abs(variance - law.variance)).toBeLessThanOrEqual(K * Math.sqrt((mu4(m1, m2, m3, m4) - law.variance ** 2) / n));
  for (const [x, F] of law.F) {
    let below = 0;
    for (const v of xs) if (v <= x) below++;
    expect(Math.abs(below / n - F)).toBeLessThanOrEqual(K * Math.sqrt((F * (1 - F)) / n));
  }
  const s = makeSampler(spec);
  expect(s.meanMs).toBeCloseTo(law.mean, 9);
  expect(s.varianceMs2 / law.variance).toBeCloseTo(1, 11);
  for (const [x, F] of law.F) expect(s.cdf(x)).toBeCloseTo(F, 12);
}

/** Raw moments E[X^k], k = 1..4, from a closed-form moment function. */
const raw = (m: (k: number) => number): [number, number, number, number] => [m(1), m(2), m(3), m(4)];
const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));

describe('makeSampler: sampled moments and CDF against closed forms', () => {
  it('constant: every draw is the value; consumes one uniform per draw', () => {
    let calls = 0;
    const u: Uniform01 = () => { calls++; return 0.5; };
    const s = makeSampler({ dist: 'constant', valueMs: 7 });
    expect([s.sample(u), s.sample(u), s.meanMs, s.varianceMs2, calls]).toEqual([7, 7, 7, 0, 2]);
    expect([s.cdf(6.999), s.cdf(7)]).toEqual([0, 1]);
  });

  it('uniform [10, 30]: E[X^k] = (b^(k+1) − a^(k+1))/((k+1)(b − a)), F(x) = (x − a)/(b − a)', () => {
    checkLaw({ dist: 'uniform', minMs: 10, maxMs: 30 }, {
      mean: 20, variance: 400 / 12, raw: raw((k) => (30 ** (k + 1) - 10 ** (k + 1)) / ((k + 1) * 20)),
      F: [[12, 0.1], [20, 0.5], [28, 0.9]],
    });
  });

  it('exponential mean 100: E[X^k] = k!·100^k, quantile −100·ln(1 − p)', () => {
    checkLaw({ dist: 'exponential', meanMs: 100 }, {
      mean: 100, variance: 1e4, raw: raw((k) => factorial(k) * 100 ** k),
      F: [[-100 * Math.log(0.5), 0.5], [100, 1 - Math.exp(-1)], [-100 * Math.log(0.01), 0.99]],
    });
  });

  it('normal mean 0 truncated at 0 is the half-normal: E|Z| = √(2/π), Var = 1 − 2/π, F(x) = 2Φ(x) − 1', () => {
    const m1 = Math.sqrt(2 / Math.PI);
    checkLaw({ dist: 'normal', meanMs: 0, sdMs: 1 }, {
      mean: m1, variance: 1 - 2 / Math.PI, raw: [m1, 1, 2 * m1, 3], // E|Z|^3 = 2√(2/π), E Z^4 = 3
      F: [[Z.p75, 0.5], [1, 2 * PHI_1 - 1], [Z.p95, 0.9], [Z.p995, 0.99]],
    });
  });

  it('normal far from 0 (μ = 100, σ = 10): truncation is negligible (Φ(−10) ≈ 7.6e-24)', () => {
    checkLaw({ dist: 'normal', meanMs: 100, sdMs: 10 }, {
      mean: 100, variance: 100, raw: [100, 100 ** 2 + 100, 100 ** 3 + 3 * 100 * 100, 100 ** 4 + 6 * 100 ** 2 * 100 + 3 * 1e4],
      F: [[70, PHI_NEG_3], [100, 0.5], [110, PHI_1], [100 + 10 * Z.p975, 0.975], [100 + 10 * Z.p99, 0.99]],
    });
  });

  it('normal truncated at 0 with μ = σ = 10: JKB §10.1 moments, raw moments by the recursion m_k = μm_{k−1} + (k−1)σ²m_{k−2}', () => {
    const mu = 10, sd = 10, tail = PHI_1; // P(N(μ, σ²) > 0) = Φ(μ/σ) = Φ(1)
    const lambda = PHI_DENSITY_1 / tail, alpha = -1;
    const m = [1, mu + sd * lambda];
    for (let k = 2; k <= 4; k++) m.push(mu * m[k - 1] + (k - 1) * sd * sd * m[k - 2]);
    checkLaw({ dist: 'normal', meanMs: mu, sdMs: sd }, {
      mean: mu + sd * lambda, variance: sd * sd * (1 + alpha * lambda - lambda * lambda), raw: [m[1], m[2], m[3], m[4]],
      F: [[0, 0], [10, (0.5 - (1 - PHI_1)) / tail], [20, (PHI_1 - (1 - PHI_1)) / tail]],
    });
  });

  it('lognormal (μ = 4, σ = 0.5): E[X^k] = exp(kμ + k²σ²/2), quantile exp(μ + σz_p)', () => {
    const mu = 4, s = 0.5;
    checkLaw({ dist: 'lognormal', mu, sigma: s }, {
      mean: Math.exp(mu + s * s / 2), variance: Math.expm1(s * s) * Math.exp(2 * mu + s * s),
      raw: raw((k) => Math.exp(k * mu + (k * k * s * s) / 2)),
      F: [[Math.exp(mu - s * Z.p90), 0.1], [Math.exp(mu), 0.5], [Math.exp(mu + s * Z.p99), 0.99]],
    });
  });

  it('lognormal from median/p99: cdf(median) = 0.5 and cdf(p99) = 0.99', () => {
    const spec: DistSpec = { dist: 'lognormal', medianMs: 100, p99Ms: 1000 };
    const s = makeSampler(spec), sigma = Math.log(10) / Z.p99;
    expect(s.cdf(100)).toBeCloseTo(0.5, 14);
    expect(s.cdf(1000)).toBeCloseTo(0.99, 12);
    expect(s.meanMs).toBeCloseTo(100 * Math.exp(sigma * sigma / 2), 9);
    checkLaw(spec, {
      mean: s.meanMs, variance: Math.expm1(sigma ** 2) * 1e4 * Math.exp(sigma ** 2),
      raw: raw((k) => 100 ** k * Math.exp((k * k * sigma * sigma) / 2)), F: [[100, 0.5], [1000, 0.99]],
    });
  });

  it('gamma shape 3 (Erlang): F(x) = 1 − e^(−x/θ)(1 + x/θ + (x/θ)²/2); excess kurtosis 6/k', () => {
    const erlang3 = (y: number): number => 1 - Math.exp(-y) * (1 + y + (y * y) / 2);
    const variance = 3 * 100;
    checkLaw({ dist: 'gamma', shape: 3, scaleMs: 10 }, {
      mean: 30, variance, raw: raw((k) => [30, 1200, 60000, 3600000][k - 1]), // θ^k·Γ(3+k)/Γ(3)
      F: [[10, erlang3(1)], [30, erlang3(3)], [60, erlang3(6)]],
    });
  });

  it('gamma shape 0.5 (shape < 1 boost): X = θχ²₁/2, so F(x) = 2Φ(√(2x/θ)) − 1 = erf(√(x/θ))', () => {
    const th = 10; // E[X^k] = θ^k Γ(0.5 + k)/Γ(0.5) = θ^k·(1/2)(3/2)…(k − 1/2)
    checkLaw({ dist: 'gamma', shape: 0.5, scaleMs: th }, {
      mean: 5, variance: 50, raw: raw((k) => th ** k * [0.5, 0.75, 1.875, 6.5625][k - 1]),
      F: [[(th * Z.p75 ** 2) / 2, 0.5], [th, ERF_1], [(th * Z.p975 ** 2) / 2, 0.95]],
    });
  });

  it('gamma cdf at large shape (continued-fraction branch) equals the Erlang/Poisson sum', () => {
    const s = makeSampler({ dist: 'gamma', shape: 50, scaleMs: 1 });
    const erlang = (k: number, x: number): number => {
      let term = 1, sum = 1;
      for (let j = 1; j < k; j++) { term *= x / j; sum += term; }
      return 1 - Math.exp(-x) * sum;
    };
    for (const x of [30, 45, 50, 60, 80]) expect(s.cdf(x)).toBeCloseTo(erlang(50, x), 12);
    expect([s.meanMs, s.varianceMs2]).toEqual([50, 50]);
  });

  it('weibull shape 2 (Rayleigh): E[X^k] = λ^k Γ(1 + k/2), F(x) = 1 − exp(−(x/λ)²)', () => {
    const l = 100, sqrtPi = Math.sqrt(Math.PI);
    checkLaw({ dist: 'weibull', shape: 2, scaleMs: l }, {
      mean: (l * sqrtPi) / 2, variance: l * l * (1 - Math.PI / 4),
      raw: [(l * sqrtPi) / 2, l ** 2, (l ** 3 * 3 * sqrtPi) / 4, 2 * l ** 4],
      F: [[l * Math.sqrt(-Math.log(0.9)), 0.1], [l, 1 - Math.exp(-1)], [l * Math.sqrt(-Math.log(0.01)), 0.99]],
    });
  });

  it('weibull shape 0.5 (heavy tail): E[X^k] = λ^k (2k)!', () => {
    checkLaw({ dist: 'weibull', shape: 0.5, scaleMs: 10 }, {
      mean: 20, variance: 2000, raw: raw((k) => 10 ** k * factorial(2 * k)),
      F: [[10 * Math.log(2) ** 2, 0.5], [10, 1 - Math.exp(-1)]],
    });
  });

  it('pareto shape 6, x_m 10: E[X^k] = αx_m^k/(α − k), quantile x_m(1 − p)^(−1/α)', () => {
    checkLaw({ dist: 'pareto', shape: 6, scaleMs: 10 }, {
      mean: 12, variance: 6, raw: raw((k) => (6 * 10 ** k) / (6 - k)),
      F: [[10, 0], [10 * 0.5 ** (-1 / 6), 0.5], [20, 1 - 2 ** -6], [10 * 0.01 ** (-1 / 6), 0.99]],
    });
    expect(makeSampler({ dist: 'pareto', shape: 1, scaleMs: 10 }).meanMs).toBe(Infinity);
    expect(makeSampler({ dist: 'pareto', shape: 2, scaleMs: 10 }).varianceMs2).toBe(Infinity);
  });

  it('empirical quantiles: a mixture of uniform segments, flat segment = atom', () => {
    // Segments: [10,20] w 0.5, {20} w 0.1, [20,100] w 0.4. Mean 0.5·15 + 0.1·20 + 0.4·60 = 33.5;
    // E[X²] = 0.5·700/3 + 0.1·400 + 0.4·12400/3 = 1810, so Var = 1810 − 33.5² = 687.75.
    const seg = (k: number): number => 0.5 * (20 ** (k + 1) - 10 ** (k + 1)) / ((k + 1) * 10) + 0.1 * 20 ** k
      + 0.4 * (100 ** (k + 1) - 20 ** (k + 1)) / ((k + 1) * 80);
    checkLaw({ dist: 'empirical', quantiles: [{ p: 0, valueMs: 10 }, { p: 0.5, valueMs: 20 }, { p: 0.6, valueMs: 20 }, { p: 1, valueMs: 100 }] }, {
      mean: 33.5, variance: 687.75, raw: raw(seg), F: [[5, 0], [15, 0.25], [20, 0.6], [60, 0.8], [100, 1]],
    });
  });

  it('empirical samples: resampling law of {1, 2, 2, 5, 10} (mean 4, variance 54/5)', () => {
    checkLaw({ dist: 'empirical', samplesMs: [5, 2, 10, 1, 2] }, {
      mean: 4, variance: 10.8, raw: raw((k) => (1 + 2 * 2 ** k + 5 ** k + 10 ** k) / 5),
      F: [[0.5, 0], [1, 0.2], [2, 0.6], [9.99, 0.8], [10, 1]],
    });
    for (const x of draw({ dist: 'empirical', samplesMs: [5, 2, 10, 1, 2] }, 's', 1000)) expect([1, 2, 5, 10]).toContain(x);
  });

  it('mixture 7:3 of constant 5 and exponential 100 (weights normalised): E[X^k] = 0.7·5^k + 0.3·k!·100^k', () => {
    const m = (k: number): number => 0.7 * 5 ** k + 0.3 * factorial(k) * 100 ** k;
    checkLaw({ dist: 'mixture', components: [{ weight: 7, of: { dist: 'constant', valueMs: 5 } }, { weight: 3, of: { dist: 'exponential', meanMs: 100 } }] }, {
      mean: 33.5, variance: m(2) - 33.5 ** 2, raw: raw(m),
      F: [[4.99, 0.3 * -Math.expm1(-0.0499)], [5, 0.7 + 0.3 * -Math.expm1(-0.05)], [200, 0.7 + 0.3 * -Math.expm1(-2)]],
    });
    const heavy = makeSampler({ dist: 'mixture', components: [{ weight: 1, of: { dist: 'pareto', shape: 1.5, scaleMs: 1 } }, { weight: 1, of: { dist: 'constant', valueMs: 1 } }] });
    expect([heavy.meanMs, heavy.varianceMs2]).toEqual([2, Infinity]); // 0.5·3 + 0.5·1
  });
});

describe('makeSampler: determinism and uniform consumption', () => {
  it('the same seed gives the same draws; another seed does not', () => {
    const spec: DistSpec = { dist: 'gamma', shape: 0.7, scaleMs: 30 };
    expect(draw(spec, 'a', 1000)).toEqual(draw(spec, 'a', 1000));
    expect(draw(spec, 'a', 1000)).not.toEqual(draw(spec, 'b', 1000));
  });

  it('inverse-transform kinds consume exactly one uniform per draw (common random numbers)', () => {
    const specs: DistSpec[] = [{ dist: 'uniform', minMs: 0, maxMs: 1 }, { dist: 'exponential', meanMs: 1 },
      { dist: 'normal', meanMs: 1, sdMs: 1 }, { dist: 'lognormal', mu: 0, sigma: 1 }, { dist: 'weibull', shape: 2, scaleMs: 1 },
      { dist: 'pareto', shape: 2, scaleMs: 1 }, { dist: 'empirical', samplesMs: [1, 2] }];
    for (const spec of specs) {
      const base = seedrandom.xor128('c');
      let calls = 0;
      const u: Uniform01 = () => { calls++; return base(); };
      const s = makeSampler(spec);
      for (let i = 0; i < 1000; i++) expect(s.sample(u)).toBeGreaterThanOrEqual(0);
      expect(calls).toBe(1000);
    }
  });

  it('extreme uniforms 0 and 1 − 2⁻⁵³ still give finite draws >= 0', () => {
    const specs: DistSpec[] = [{ dist: 'exponential', meanMs: 1 }, { dist: 'normal', meanMs: 0, sdMs: 1 },
      { dist: 'lognormal', mu: 0, sigma: 1 }, { dist: 'empirical', samplesMs: [1, 2, 3] }];
    for (const spec of specs) {
      for (const u of [0, 1 - 2 ** -53]) {
        const x = makeSampler(spec).sample(() => u);
        expect(x >= 0 && Number.isFinite(x)).toBe(true);
      }
    }
  });
});

describe('makeSampler: validation names the field', () => {
  const cases: [string, unknown][] = [
    ['valueMs', { dist: 'constant', valueMs: -1 }],
    ['maxMs', { dist: 'uniform', minMs: 5, maxMs: 5 }],
    ['meanMs', { dist: 'exponential', meanMs: NaN }],
    ['meanMs', { dist: 'exponential', meanMs: 0 }],
    ['sdMs', { dist: 'normal', meanMs: 10, sdMs: -1 }],
    ['meanMs', { dist: 'normal', meanMs: -1, sdMs: 1 }],
    ['sigma', { dist: 'lognormal', mu: 0, sigma: 0 }],
    ['mu', { dist: 'lognormal', mu: Infinity, sigma: 1 }],
    ['p99Ms', { dist: 'lognormal', medianMs: 100, p99Ms: 50 }],
    ['medianMs', { dist: 'lognormal', medianMs: 0, p99Ms: 50 }],
    ['shape', { dist: 'gamma', shape: 0, scaleMs: 1 }],
    ['scaleMs', { dist: 'gamma', shape: 1, scaleMs: -2 }],
    ['shape', { dist: 'weibull', shape: -1, scaleMs: 1 }],
    ['shape', { dist: 'pareto', shape: 0, scaleMs: 1 }],
    ['scaleMs', { dist: 'pareto', shape: 2, scaleMs: '3' }],
    ['quantiles[2].p', { dist: 'empirical', quantiles: [{ p: 0, valueMs: 1 }, { p: 0.5, valueMs: 2 }, { p: 0.4, valueMs: 3 }, { p: 1, valueMs: 4 }] }],
    ['quantiles[0].p', { dist: 'empirical', quantiles: [{ p: 0.1, valueMs: 1 }, { p: 1, valueMs: 2 }] }],
    ['quantiles[1].p', { dist: 'empirical', quantiles: [{ p: 0, valueMs: 1 }, { p: 0.9, valueMs: 2 }] }],
    ['quantiles[1].valueMs', { dist: 'empirical', quantiles: [{ p: 0, valueMs: 5 }, { p: 1, valueMs: 2 }] }],
    ['quantiles', { dist: 'empirical', quantiles: [{ p: 0, valueMs: 5 }] }],
    ['samplesMs', { dist: 'empirical', samplesMs: [] }],
    ['samplesMs[1]', { dist: 'empirical', samplesMs: [1, -2] }],
    ['components', { dist: 'mixture', components: [] }],
    ['components[1].weight', { dist: 'mixture', components: [{ weight: 1, of: { dist: 'constant', valueMs: 1 } }, { weight: 0, of: { dist: 'constant', valueMs: 2 } }] }],
    ['components[0].weight', { dist: 'mixture', components: [{ weight: -1, of: { dist: 'constant', valueMs: 1 } }] }],
    ['components[0].of.sdMs', { dist: 'mixture', components: [{ weight: 1, of: { dist: 'normal', meanMs: 1, sdMs: 0 } }] }],
    ['components[0].of', { dist: 'mixture', components: [{ weight: 1 }] }],
    ['dist', { dist: 'cauchy', scaleMs: 1 }],
  ];
  it.each(cases)('%s', (field, spec) => {
    let caught: unknown;
    try { makeSampler(spec as DistSpec); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(DistParamError);
    expect((caught as DistParamError).field).toBe(field);
    expect((caught as DistParamError).message).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')} must be `));
  });
});
