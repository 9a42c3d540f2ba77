/**
 * Latency distributions (all values in milliseconds). Every spec becomes a
 * small class with one monomorphic `sample`, constants precomputed, no
 * allocation per draw. Inverse-transform kinds consume exactly one uniform per
 * draw, so two scenario variants fed the same stream stay aligned (common
 * random numbers); gamma (rejection) and mixture (pick + draw) consume more.
 */
import { Z99, LN_SQRT_2PI, lnGamma, regGamma, phi, invPhi } from './special.js';
import { MAX_DURATION_MS, MAX_DURATION_TEXT, TOP_UNIFORM, roundBound as rounded, shownNumber } from './bounds.js';

import type { Uniform01 } from './uniform.js';


export type DistSpec =
  | { dist: 'constant'; valueMs: number }
  | { dist: 'uniform'; minMs: number; maxMs: number }
  | { dist: 'exponential'; meanMs: number }
  /** Normal truncated at 0; meanMs >= 0 keeps at least half the mass. */
  | { dist: 'normal'; meanMs: number; sdMs: number }
  /** mu, sigma of ln(ms). */
  | { dist: 'lognormal'; mu: number; sigma: number }
  /** mu = ln(median), sigma = ln(p99/median) / z_0.99. */
  | { dist: 'lognormal'; medianMs: number; p99Ms: number }
  | { dist: 'gamma'; shape: number; scaleMs: number }
  | { dist: 'weibull'; shape: number; scaleMs: number }
  /** Pareto Type I with x_m = scaleMs. */
  | { dist: 'pareto'; shape: number; scaleMs: number }
  /** Piecewise-linear inverse CDF through (p, valueMs); p runs 0 → 1 strictly increasing. */
  | { dist: 'empirical'; quantiles: { p: number; valueMs: number }[] }
  /** Resample uniformly from the samples. */
  | { dist: 'empirical'; samplesMs: number[] }
  /** Weights > 0, normalised to sum 1. */
  | { dist: 'mixture'; components: { weight: number; of: DistSpec }[] };

export interface Sampler {
  /** One draw in ms, >= 0. Consumes one or more uniforms from `u`. */
  sample(u: Uniform01): number;
  /**
   * The draw for one given uniform (inverse transform), on the kinds that use
   * exactly one: `sample(u)` equals `fromUniform(u())`. Lets the inner loop
   * skip the call through a stream function.
   */
  fromUniform?(u: number): number;
  /** Exact mean in ms (Infinity for pareto shape <= 1). */
  readonly meanMs: number;
  /** Exact variance in ms² (Infinity where it does not exist). */
  readonly varianceMs2: number;
  /**
   * The largest draw the streams' uniforms can give (their top is
   * 1 − 2^−32, bounds.ts), or a bound just above it: what makeSampler keeps
   * within MAX_DURATION_MS.
   */
  readonly maxMs: number;
  /** P(X <= xMs), for analytic results such as P(service > timeout). */
  cdf(xMs: number): number;
}

/**
 * A bad distribution parameter; `field` is its path, e.g. 'components[1].of.sdMs',
 * `rule` what it must be ("a finite number > 0") and `got` the value refused –
 * kept apart so the scenario loader can say it in the file's words.
 */
export class DistParamError extends Error {
  constructor(readonly field: string, message: string, readonly rule: string = message, readonly got?: unknown) {
    super(message);
    this.name = 'DistParamError';
  }
}

// ---------------------------------------------------------------- largest draws

/** −ln(1 − u) at the top uniform: 32 ln 2 ≈ 22.18, the tail of the 1 − u forms. */
const TOP_EXPONENTIAL = -Math.log(1 - TOP_UNIFORM);
/** Φ⁻¹ at the top uniform, ≈ 6.23: the largest standard normal draw. */
const TOP_NORMAL = invPhi(TOP_UNIFORM);


class Constant implements Sampler {
  readonly meanMs: number; readonly varianceMs2 = 0; readonly maxMs: number;
  constructor(private readonly v: number) { this.meanMs = v; this.maxMs = v; }
  /** Consumes one uniform anyway, keeping streams aligned when a variant swaps kinds. */
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(_u: number): number { return this.v; }
  cdf(x: number): number { return x >= this.v ? 1 : 0; }
}

class Uniform implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number; private readonly width: number;
  constructor(private readonly min: number, max: number) {
    this.width = max - min; this.meanMs = (min + max) / 2; this.varianceMs2 = this.width * this.width / 12; this.maxMs = max;
  }
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(u: number): number { return this.min + u * this.width; }
  cdf(x: number): number { return x <= this.min ? 0 : Math.min(1, (x - this.min) / this.width); }
}

class Exponential implements Sampler {
  readonly varianceMs2: number; readonly maxMs: number;
  constructor(readonly meanMs: number) { this.varianceMs2 = meanMs * meanMs; this.maxMs = meanMs * TOP_EXPONENTIAL; }
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(u: number): number { return -this.meanMs * Math.log(1 - u) + 0; } // + 0 turns -0 into 0
  cdf(x: number): number { return x <= 0 ? 0 : -Math.expm1(-x / this.meanMs); }
}

/**
 * Normal truncated to [0, ∞), sampled by inversion, X = μ + σΦ⁻¹(F₀ + U(1 − F₀)), which has
 * exactly the resample-until-non-negative law with one uniform and no loop. Moments:
 * with α = −μ/σ, λ = φ(α)/(1 − Φ(α)): mean μ + σλ, variance σ²(1 + αλ − λ²)
 * (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions vol. 1, 2nd ed., §10.1).
 */
class TruncatedNormal implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number; private readonly f0: number; private readonly span: number;
  constructor(private readonly mu: number, private readonly sigma: number) {
    const alpha = -mu / sigma;
    this.f0 = phi(alpha);
    this.span = phi(-alpha);
    const lambda = Math.exp(-0.5 * alpha * alpha - LN_SQRT_2PI) / this.span;
    this.meanMs = mu + sigma * lambda;
    this.varianceMs2 = sigma * sigma * (1 + alpha * lambda - lambda * lambda);
    this.maxMs = this.fromUniform(TOP_UNIFORM);
  }
  /** Reflected form μ − σΦ⁻¹((1 − U)(1 − F₀)): the argument never rounds to 1, so draws stay finite. */
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(u: number): number {
    const x = this.mu - this.sigma * invPhi((1 - u) * this.span);
    return x > 0 ? x : 0;
  }
  cdf(x: number): number { return x < 0 ? 0 : Math.max(0, (phi((x - this.mu) / this.sigma) - this.f0) / this.span); }
}

/** Moments exp(kμ + k²σ²/2) (Johnson, Kotz & Balakrishnan vol. 1, §14.3). */
class LogNormal implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number;
  constructor(private readonly mu: number, private readonly sigma: number) {
    const s2 = sigma * sigma;
    this.meanMs = Math.exp(mu + s2 / 2);
    this.varianceMs2 = Math.expm1(s2) * Math.exp(2 * mu + s2);
    this.maxMs = Math.exp(mu + sigma * TOP_NORMAL);
  }
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(u: number): number { return Math.exp(this.mu + this.sigma * invPhi(u)); }
  cdf(x: number): number { return x <= 0 ? 0 : phi((Math.log(x) - this.mu) / this.sigma); }
}

/** The largest Gamma(shape, 1) draw Marsaglia–Tsang can accept: d·(1 + c·TOP_NORMAL)³ (the boost below 1 only shrinks it). */
function gammaTop(shape: number): number {
  const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
  return d * (1 + TOP_NORMAL / Math.sqrt(9 * d)) ** 3;
}

/**
 * Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS
 * 26(3); for shape < 1 draw Gamma(shape + 1) and multiply by U^(1/shape) (same paper, §6).
 */
class Gamma implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number;
  private readonly d: number; private readonly c: number; private readonly boost: boolean; private readonly invShape: number;
  constructor(private readonly shape: number, private readonly scale: number) {
    this.meanMs = shape * scale; this.varianceMs2 = shape * scale * scale;
    this.boost = shape < 1; this.invShape = 1 / shape;
    this.d = (this.boost ? shape + 1 : shape) - 1 / 3; this.c = 1 / Math.sqrt(9 * this.d);
    // An accepted draw is d·(1 + c·x)³ with x a normal draw ≤ TOP_NORMAL; the boost only shrinks it.
    this.maxMs = gammaTop(shape) * scale;
  }
  sample(u: Uniform01): number {
    let g = marsagliaTsang(this.d, this.c, u);
    if (this.boost) g *= Math.pow(u(), this.invShape);
    return g * this.scale;
  }
  cdf(x: number): number { return x <= 0 ? 0 : regGamma(this.shape, x / this.scale, false); }
}

/**
 * One Gamma(d + 1/3) draw by Marsaglia & Tsang's squeeze-and-reject loop (the
 * paper's d = shape − 1/3 ≥ 2/3 and c = 1/√(9d)); shared by Gamma and the
 * Beta draws of per-request difficulty (beta.ts).
 */
export function marsagliaTsang(d: number, c: number, u: Uniform01): number {
  for (;;) {
    let x: number, v: number;
    do { x = invPhi(u()); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const w = u(), x2 = x * x;
    if (w < 1 - 0.0331 * x2 * x2 || Math.log(w) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** E[X^n] = λⁿ Γ(1 + n/k); inverse CDF λ(−ln(1 − u))^(1/k). */
class Weibull implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number; private readonly invShape: number;
  constructor(private readonly shape: number, private readonly scale: number) {
    this.invShape = 1 / shape;
    this.maxMs = scale * Math.pow(TOP_EXPONENTIAL, this.invShape);
    const g1 = Math.exp(lnGamma(1 + 1 / shape)), g2 = Math.exp(lnGamma(1 + 2 / shape));
    this.meanMs = scale * g1; this.varianceMs2 = scale * scale * Math.max(0, g2 - g1 * g1);
  }
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(u: number): number { return this.scale * Math.pow(-Math.log(1 - u), this.invShape); }
  cdf(x: number): number { return x <= 0 ? 0 : -Math.expm1(-Math.pow(x / this.scale, this.shape)); }
}

/** Pareto I: mean αx/(α−1) for α > 1, variance x²α/((α−1)²(α−2)) for α > 2. */
class Pareto implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number; private readonly negInvShape: number;
  constructor(private readonly shape: number, private readonly xm: number) {
    this.negInvShape = -1 / shape;
    this.maxMs = this.fromUniform(TOP_UNIFORM);
    this.meanMs = shape > 1 ? shape * xm / (shape - 1) : Infinity;
    this.varianceMs2 = shape > 2 ? xm * xm * shape / ((shape - 1) ** 2 * (shape - 2)) : Infinity;
  }
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(u: number): number { return this.xm * Math.pow(1 - u, this.negInvShape); }
  cdf(x: number): number { return x <= this.xm ? 0 : 1 - Math.pow(this.xm / x, this.shape); }
}

/** Largest i in [lo, hi] with a[i] <= x, assuming a[lo] <= x. */
function lastAtOrBelow(a: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) { const mid = (lo + hi + 1) >>> 1; if (a[mid] <= x) lo = mid; else hi = mid - 1; }
  return lo;
}

/** A mixture of uniforms on [v_i, v_{i+1}] with weights p_{i+1} − p_i: moments follow segment by segment. */
class EmpiricalQuantiles implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number; private readonly last: number;
  constructor(private readonly ps: Float64Array, private readonly vs: Float64Array) {
    this.last = ps.length - 1;
    this.maxMs = vs[this.last];
    let m1 = 0, m2 = 0;
    for (let i = 0; i < this.last; i++) {
      const w = ps[i + 1] - ps[i], a = vs[i], b = vs[i + 1];
      m1 += w * (a + b) / 2; m2 += w * (a * a + a * b + b * b) / 3;
    }
    this.meanMs = m1; this.varianceMs2 = Math.max(0, m2 - m1 * m1);
  }
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(p: number): number {
    const ps = this.ps, vs = this.vs;
    const i = lastAtOrBelow(ps, p, 0, this.last - 1);
    return vs[i] + (p - ps[i]) / (ps[i + 1] - ps[i]) * (vs[i + 1] - vs[i]);
  }
  cdf(x: number): number {
    const ps = this.ps, vs = this.vs;
    if (x < vs[0]) return 0;
    const i = lastAtOrBelow(vs, x, 0, this.last);
    return i === this.last ? 1 : ps[i] + (ps[i + 1] - ps[i]) * (x - vs[i]) / (vs[i + 1] - vs[i]);
  }
}

class EmpiricalSamples implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number; private readonly n: number;
  constructor(private readonly sorted: Float64Array) {
    const n = sorted.length;
    this.n = n;
    this.maxMs = sorted[n - 1];
    let s = 0; for (let i = 0; i < n; i++) s += sorted[i];
    const m = s / n;
    let ss = 0; for (let i = 0; i < n; i++) ss += (sorted[i] - m) ** 2;
    this.meanMs = m; this.varianceMs2 = ss / n; // the resampling law's own variance, divisor n
  }
  sample(u: Uniform01): number { return this.fromUniform(u()); }
  fromUniform(u: number): number { const i = Math.floor(u * this.n); return this.sorted[i < this.n ? i : this.n - 1]; }
  cdf(x: number): number { return x < this.sorted[0] ? 0 : (lastAtOrBelow(this.sorted, x, 0, this.n - 1) + 1) / this.n; }
}

/** Law of total variance: Var = Σw(σ² + μ²) − (Σwμ)². */
class Mixture implements Sampler {
  readonly meanMs: number; readonly varianceMs2: number; readonly maxMs: number; private readonly cum: Float64Array;
  constructor(private readonly weights: Float64Array, private readonly parts: Sampler[]) {
    this.cum = new Float64Array(weights.length);
    this.maxMs = Math.max(...parts.map((p) => p.maxMs));
    let c = 0, m1 = 0, m2 = 0;
    for (let i = 0; i < parts.length; i++) {
      const w = weights[i], p = parts[i];
      c += w; this.cum[i] = c;
      m1 += w * p.meanMs; m2 += w * (p.varianceMs2 + p.meanMs * p.meanMs);
    }
    this.cum[parts.length - 1] = 1;
    this.meanMs = m1;
    this.varianceMs2 = Number.isFinite(m2) ? Math.max(0, m2 - m1 * m1) : Infinity;
  }
  sample(u: Uniform01): number {
    const r = u(), cum = this.cum;
    let i = 0;
    while (cum[i] <= r && i < cum.length - 1) i++;
    return this.parts[i].sample(u);
  }
  cdf(x: number): number {
    let f = 0;
    for (let i = 0; i < this.parts.length; i++) f += this.weights[i] * this.parts[i].cdf(x);
    return Math.min(1, f);
  }
}

// ---------------------------------------------------------------- validation

function fail(field: string, rule: string, got: unknown): never {
  const shown = typeof got === 'number' || got === undefined ? String(got) : JSON.stringify(got);
  throw new DistParamError(field, `${field} must be ${rule} (got ${shown})`, rule, got);
}
function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'a finite number', v);
  return v;
}
function positive(v: unknown, field: string): number {
  if (!(finite(v, field) > 0)) fail(field, 'a finite number > 0', v);
  return v as number;
}
function nonNegative(v: unknown, field: string): number {
  if (!(finite(v, field) >= 0)) fail(field, 'a finite number >= 0', v);
  return v as number;
}
/** A duration parameter: >= 0 (> 0 when `positiveOnly`) and at most MAX_DURATION_MS. */
function duration(v: unknown, field: string, positiveOnly = false): number {
  const x = positiveOnly ? positive(v, field) : nonNegative(v, field);
  if (x > MAX_DURATION_MS) fail(field, `at most ${MAX_DURATION_MS} (ms, about 32 years)`, v);
  return x;
}

/**
 * Refuses a sampler whose largest draw (Sampler.maxMs) is past
 * MAX_DURATION_MS – a heavy tail whose extreme overflows the clock – on the
 * parameter `field`, with `valid` saying what that parameter may be.
 */
function withinBound(sampler: Sampler, field: string, valid: () => string, got: unknown): Sampler {
  if (sampler.maxMs <= MAX_DURATION_MS) return sampler;
  fail(field, `${valid()} – the largest draw, at the top uniform 1 − 2^-32, must stay within ${MAX_DURATION_TEXT}, and this one reaches ${shownNumber(sampler.maxMs)} ms`, got);
}

const LN_MAX_DURATION = Math.log(MAX_DURATION_MS);

/** A parameter's bound as a message shows it (bounds.ts roundBound, shownNumber). */
const roundBound = (x: number, direction: 'down' | 'up'): string => shownNumber(rounded(x, direction));

/** The spec each sampler made by makeSampler was built from (kept beside it, not in it: the classes keep their shape). */
const specs = new WeakMap<Sampler, DistSpec>();

/**
 * Validates every parameter and throws DistParamError naming the field and
 * the valid range – including that no draw can pass MAX_DURATION_MS (bounds.ts):
 * a Pareto of shape 0.01 or a lognormal of sigma 1000 has finite parameters
 * but draws Infinity at its extreme uniforms.
 */
export function makeSampler(spec: DistSpec): Sampler {
  const sampler = build(spec, '');
  try {
    // A copy: the caller's spec may change later, the sampler never does.
    specs.set(sampler, structuredClone(spec));
  } catch {
    // A spec carrying something that cannot be cloned (a library user's extra field): the sampler stays in this thread.
  }
  return sampler;
}

/**
 * The spec `sampler` was made from, or undefined when makeSampler did not make
 * it. A sampler is a class instance and does not survive structured clone;
 * its spec does, and makeSampler(spec) rebuilds the same sampler on the other
 * side – how a compiled model reaches a worker thread (experiments/model-wire.ts).
 */
export function samplerSpec(sampler: Sampler): DistSpec | undefined {
  return specs.get(sampler);
}

function build(spec: DistSpec, path: string): Sampler {
  const f = (name: string): string => (path === '' ? name : `${path}.${name}`);
  if (typeof spec !== 'object' || spec === null) fail(path === '' ? 'dist' : path, 'a distribution spec object', spec);
  switch (spec.dist) {
    case 'constant': return new Constant(duration(spec.valueMs, f('valueMs')));
    case 'uniform': {
      const min = duration(spec.minMs, f('minMs'));
      if (!(finite(spec.maxMs, f('maxMs')) > min)) fail(f('maxMs'), `> minMs (${min}); use 'constant' for a point`, spec.maxMs);
      return new Uniform(min, duration(spec.maxMs, f('maxMs')));
    }
    case 'exponential': {
      const mean = duration(spec.meanMs, f('meanMs'), true);
      return withinBound(new Exponential(mean), f('meanMs'), () => `at most ${roundBound(MAX_DURATION_MS / TOP_EXPONENTIAL, 'down')}`, mean);
    }
    case 'normal': {
      const mean = finite(spec.meanMs, f('meanMs'));
      if (mean < 0) fail(f('meanMs'), '>= 0 (truncation at 0 must keep at least half the mass)', mean);
      duration(mean, f('meanMs'));
      const sd = positive(spec.sdMs, f('sdMs'));
      // Truncation keeps at least half the mass, so the top draw is at most mean + sd·|Φ⁻¹(2^−33)|.
      return withinBound(new TruncatedNormal(mean, sd), f('sdMs'), () => `at most ${roundBound((MAX_DURATION_MS - mean) / -invPhi(2 ** -33), 'down')} for meanMs ${mean}`, sd);
    }
    case 'lognormal': {
      if ('mu' in spec) {
        const mu = finite(spec.mu, f('mu'));
        const sigma = positive(spec.sigma, f('sigma'));
        if (!(mu < LN_MAX_DURATION)) fail(f('mu'), `below ${roundBound(LN_MAX_DURATION, 'down')} (e^mu is the median in ms, at most ${MAX_DURATION_TEXT})`, mu);
        return withinBound(new LogNormal(mu, sigma), f('sigma'), () => `at most ${roundBound((LN_MAX_DURATION - mu) / TOP_NORMAL, 'down')} for mu ${mu}`, sigma);
      }
      const median = duration(spec.medianMs, f('medianMs'), true);
      if (!(finite(spec.p99Ms, f('p99Ms')) > median)) fail(f('p99Ms'), `> medianMs (${median})`, spec.p99Ms);
      const p99 = spec.p99Ms;
      return withinBound(new LogNormal(Math.log(median), Math.log(p99 / median) / Z99), f('p99Ms'),
        () => `at most ${roundBound(median * Math.exp((Z99 * (LN_MAX_DURATION - Math.log(median))) / TOP_NORMAL), 'down')} for medianMs ${median}`, p99);
    }
    case 'gamma': {
      const shape = positive(spec.shape, f('shape'));
      const scale = duration(spec.scaleMs, f('scaleMs'), true);
      return withinBound(new Gamma(shape, scale), f('scaleMs'), () => `at most ${roundBound(MAX_DURATION_MS / gammaTop(shape), 'down')} for shape ${shape}`, scale);
    }
    case 'weibull': {
      const shape = positive(spec.shape, f('shape'));
      const scale = duration(spec.scaleMs, f('scaleMs'), true);
      // scale · (32 ln 2)^(1/shape) ≤ max  ⇔  shape ≥ ln(32 ln 2) / ln(max / scale).
      if (!(scale < MAX_DURATION_MS)) fail(f('scaleMs'), `below ${MAX_DURATION_MS} (ms): a Weibull draws past its scale`, scale);
      return withinBound(new Weibull(shape, scale), f('shape'), () => `at least ${roundBound(Math.log(TOP_EXPONENTIAL) / Math.log(MAX_DURATION_MS / scale), 'up')} for scaleMs ${scale}`, shape);
    }
    case 'pareto': {
      const shape = positive(spec.shape, f('shape'));
      const scale = duration(spec.scaleMs, f('scaleMs'), true);
      // scale · 2^(32/shape) ≤ max  ⇔  shape ≥ 32 ln 2 / ln(max / scale).
      if (!(scale < MAX_DURATION_MS)) fail(f('scaleMs'), `below ${MAX_DURATION_MS} (ms): a Pareto draws past its scale`, scale);
      return withinBound(new Pareto(shape, scale), f('shape'), () => `at least ${roundBound(TOP_EXPONENTIAL / Math.log(MAX_DURATION_MS / scale), 'up')} for scaleMs ${scale}`, shape);
    }
    case 'empirical': return 'quantiles' in spec ? buildQuantiles(spec.quantiles, f('quantiles')) : buildSamples(spec.samplesMs, f('samplesMs'));
    case 'mixture': return buildMixture(spec.components, f('components'));
    default: return fail(f('dist'), "one of constant, uniform, exponential, normal, lognormal, gamma, weibull, pareto, empirical, mixture",
      (spec as { dist: unknown }).dist);
  }
}

function buildQuantiles(qs: readonly { p: number; valueMs: number }[], field: string): Sampler {
  if (!Array.isArray(qs) || qs.length < 2) fail(field, 'an array of at least 2 points including p = 0 and p = 1', qs);
  const ps = new Float64Array(qs.length), vs = new Float64Array(qs.length);
  for (let i = 0; i < qs.length; i++) {
    const p = finite(qs[i]?.p, `${field}[${i}].p`), v = duration(qs[i].valueMs, `${field}[${i}].valueMs`);
    if (i === 0 && p !== 0) fail(`${field}[0].p`, '0 (the first point anchors the minimum)', p);
    if (i > 0 && !(p > ps[i - 1])) fail(`${field}[${i}].p`, `> ${ps[i - 1]} (p must increase strictly)`, p);
    if (i > 0 && v < vs[i - 1]) fail(`${field}[${i}].valueMs`, `>= ${vs[i - 1]} (values must not decrease)`, v);
    ps[i] = p; vs[i] = v;
  }
  if (ps[qs.length - 1] !== 1) fail(`${field}[${qs.length - 1}].p`, '1 (the last point anchors the maximum)', ps[qs.length - 1]);
  return new EmpiricalQuantiles(ps, vs);
}

function buildSamples(xs: readonly number[], field: string): Sampler {
  if (!Array.isArray(xs) || xs.length === 0) fail(field, 'a non-empty array of numbers >= 0', xs);
  const sorted = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) sorted[i] = duration(xs[i], `${field}[${i}]`);
  return new EmpiricalSamples(sorted.sort());
}

function buildMixture(cs: readonly { weight: number; of: DistSpec }[], field: string): Sampler {
  if (!Array.isArray(cs) || cs.length === 0) fail(field, 'a non-empty array of { weight, of }', cs);
  const weights = new Float64Array(cs.length);
  const parts: Sampler[] = [];
  let total = 0;
  for (let i = 0; i < cs.length; i++) {
    weights[i] = positive(cs[i]?.weight, `${field}[${i}].weight`);
    total += weights[i];
    parts.push(build(cs[i].of, `${field}[${i}].of`));
  }
  if (!Number.isFinite(total)) fail(`${field}[0].weight`, 'part of weights with a finite sum', total);
  for (let i = 0; i < weights.length; i++) weights[i] /= total;
  return new Mixture(weights, parts);
}
