/**
 * Maximum-likelihood estimators of the parametric latency families, with the
 * maximised log-likelihood and the asymptotic standard errors (inverse Fisher
 * information at the estimate, divided by n). Each reads a LatencySummary of
 * a sorted, validated sample (distributions.ts builds it); O(n) per family,
 * O(n) per Newton step for the Weibull.
 */
import { variance } from 'simple-statistics';
import { lnGamma } from '../kernel/index.js';
import { lnMinusDigamma, trigamma, trigammaExcess } from './polygamma.js';

/** A sample ready for the estimators: values sorted ascending, all > 0, at least two distinct. */
export interface LatencySummary {
  readonly n: number;
  readonly sortedMs: readonly number[];
  /** ln of sortedMs, same order. */
  readonly logs: readonly number[];
  /** x̄, ms. */
  readonly meanMs: number;
  /** Mean of ln x (ln of the geometric mean). */
  readonly meanLog: number;
}

/** A parametric family's parameters as a scenario file spells them (durations as numbers of ms). */
export type ParametricLatency =
  | { dist: 'lognormal'; mu: number; sigma: number }
  | { dist: 'gamma'; shape: number; scale: number }
  | { dist: 'weibull'; shape: number; scale: number }
  | { dist: 'exponential'; mean: number };

export interface Estimate {
  params: ParametricLatency;
  /** Free parameters, k in AIC = 2k − 2 ln L. */
  parameterCount: number;
  logLikelihood: number;
  /** Asymptotic standard error of each parameter, keyed as in params. */
  standardErrors: Record<string, number>;
}

const LN_2PI = Math.log(2 * Math.PI);
/** Euler–Mascheroni γ. */
const EULER_GAMMA = 0.5772156649015329;
const MAX_STEPS = 200;

/**
 * Lognormal: μ̂ = mean of ln x, σ̂² = the divisor-n variance of ln x (the
 * normal MLE on ln x). ln L = −n(μ̂ + ln σ̂ + ½ ln 2π + ½), the Jacobian 1/x
 * included. Standard errors σ/√n and σ/√(2n) (the normal's Fisher information).
 */
export function lognormalMle(s: LatencySummary): Estimate {
  const mu = s.meanLog;
  const sigma = Math.sqrt(variance(s.logs as number[]));
  const n = s.n;
  return {
    params: { dist: 'lognormal', mu, sigma },
    parameterCount: 2,
    logLikelihood: -n * (mu + Math.log(sigma) + 0.5 * LN_2PI + 0.5),
    standardErrors: { mu: sigma / Math.sqrt(n), sigma: sigma / Math.sqrt(2 * n) },
  };
}

/** Exponential: the mean is x̄; ln L = −n(ln x̄ + 1); standard error x̄/√n. */
export function exponentialMle(s: LatencySummary): Estimate {
  const m = s.meanMs;
  return {
    params: { dist: 'exponential', mean: m },
    parameterCount: 1,
    logLikelihood: -s.n * (Math.log(m) + 1),
    standardErrors: { mean: m / Math.sqrt(s.n) },
  };
}

/**
 * Gamma(shape k, scale θ). The likelihood equations reduce to
 * ln k − ψ(k) = s with s = ln x̄ − mean(ln x) > 0, and θ = x̄/k. Newton's
 * method on k from Minka's starting point k₀ = (3 − s + √((s − 3)² + 24s)) / (12s)
 * (T. P. Minka 2002, "Estimating a Gamma distribution", Microsoft Research
 * technical note), which he finds within 1.5 % of the root, so a few steps reach double
 * precision. ln k − ψ(k) is decreasing and convex, so Newton from the left
 * approaches the root monotonically; a step that would leave k > 0 is halved.
 * ln k − ψ(k) and ψ'(k) − 1/k come from their own series (polygamma.ts), so a
 * nearly constant sample (s tiny, k large) loses nothing to cancellation.
 * s is taken as log1p(mean(e^y − 1 − y)), y = ln x − mean(ln x) – the same
 * quantity without the cancellation of ln x̄ − mean(ln x) when the spread is small.
 * ln L = n[(k − 1)·mean(ln x) − k − k ln θ − ln Γ(k)]. Standard errors from the
 * Fisher information per draw [[ψ'(k), 1/θ], [1/θ, k/θ²]]:
 * var k̂ = k / (n(kψ'(k) − 1)), var θ̂ = θ²ψ'(k) / (n(kψ'(k) − 1)).
 */
export function gammaMle(s: LatencySummary): Estimate {
  // s = ln mean(e^y) for y = ln x − mean(ln x); recentred so mean(y) is 0 to rounding, then
  // ln mean(e^y) = log1p(mean(e^y − 1 − y)): every term ≥ 0, no cancellation against mean(y).
  let drift = 0;
  for (const l of s.logs) drift += l - s.meanLog;
  const centre = s.meanLog + drift / s.n;
  let acc = 0;
  for (const l of s.logs) { const y = l - centre; acc += Math.expm1(y) - y; }
  const spread = Math.log1p(acc / s.n);
  if (!(spread > 0)) throw new Error('the sample\'s spread is below what double precision resolves');
  let k = (3 - spread + Math.sqrt((spread - 3) ** 2 + 24 * spread)) / (12 * spread);
  let converged = false;
  for (let step = 0; step < MAX_STEPS && !converged; step++) {
    const f = lnMinusDigamma(k) - spread;
    const slope = -trigammaExcess(k);
    let next = k - f / slope;
    if (!(next > 0)) next = k / 2;
    converged = Math.abs(next - k) <= 1e-12 * k;
    k = next;
  }
  if (!converged) throw new Error(`Newton's method for the gamma shape did not converge in ${MAX_STEPS} steps`);
  const theta = s.meanMs / k;
  const n = s.n, tri = trigamma(k), det = k * trigammaExcess(k); // kψ'(k) − 1 without the cancellation at large k
  return {
    params: { dist: 'gamma', shape: k, scale: theta },
    parameterCount: 2,
    logLikelihood: n * ((k - 1) * s.meanLog - k - k * Math.log(theta) - lnGamma(k)),
    standardErrors: { shape: Math.sqrt(k / (n * det)), scale: theta * Math.sqrt(tri / (n * det)) },
  };
}

/**
 * Weibull(shape k, scale λ). Profiling λ out (λ^k = mean of x^k) leaves one
 * equation in k, g(k) = Σ xᵏ ln x / Σ xᵏ − 1/k − mean(ln x) = 0 (A. C. Cohen 1965,
 * "Maximum likelihood estimation in the Weibull distribution based on complete
 * and on censored samples", Technometrics 7(4), 579–588). g' is a weighted
 * variance of ln x plus 1/k², so g rises and the root is unique. Newton's method
 * from the log-moment estimate k₀ = π / (√6 · sd(ln x)) (Var ln X = π²/(6k²)),
 * kept inside a bracket that every step narrows, with bisection when a step
 * leaves it. Powers are taken as exp(k(ln x − max ln x)) ≤ 1: no overflow.
 * ln L = n[ln k − k ln λ + (k − 1)·mean(ln x) − 1]. Standard errors from the
 * Fisher information (E ~ Exp(1) moments: E ln E = −γ, E[E ln E] = 1 − γ):
 * sd k̂ = k √6 / (π √n), sd λ̂ = (λ/k) √((1 + 6(1 − γ)²/π²) / n).
 */
export function weibullMle(s: LatencySummary): Estimate {
  const { n, logs, meanLog } = s;
  const top = logs[n - 1] - meanLog; // the largest centred log
  const at = (k: number): { g: number; slope: number; weightSum: number } => {
    let s0 = 0, s1 = 0, s2 = 0;
    for (const l of logs) {
      const y = l - meanLog, w = Math.exp(k * (y - top));
      s0 += w; s1 += w * y; s2 += w * y * y;
    }
    const a = s1 / s0;
    return { g: a - 1 / k, slope: Math.max(0, s2 / s0 - a * a) + 1 / (k * k), weightSum: s0 };
  };
  let k = Math.PI / (Math.sqrt(6 * variance(logs as number[])));
  let lo = 0, hi = Infinity, converged = false;
  for (let step = 0; step < MAX_STEPS && !converged; step++) {
    const { g, slope } = at(k);
    if (g === 0) { converged = true; break; }
    if (g < 0) lo = k; else hi = k;
    let next = k - g / slope;
    if (!(next > lo && next < hi)) next = hi === Infinity ? 2 * k : (lo + hi) / 2;
    converged = Math.abs(next - k) <= 1e-12 * k;
    k = next;
  }
  if (!converged) throw new Error(`Newton's method for the Weibull shape did not converge in ${MAX_STEPS} steps`);
  const lambda = Math.exp(meanLog + top + Math.log(at(k).weightSum / n) / k);
  return {
    params: { dist: 'weibull', shape: k, scale: lambda },
    parameterCount: 2,
    logLikelihood: n * (Math.log(k) - k * Math.log(lambda) + (k - 1) * meanLog - 1),
    standardErrors: {
      shape: k * Math.sqrt(6) / (Math.PI * Math.sqrt(n)),
      scale: (lambda / k) * Math.sqrt((1 + 6 * (1 - EULER_GAMMA) ** 2 / (Math.PI * Math.PI)) / n),
    },
  };
}

/** The parametric families the fit tries, each with its estimator. */
export const ESTIMATORS = {
  lognormal: lognormalMle,
  gamma: gammaMle,
  weibull: weibullMle,
  exponential: exponentialMle,
} as const;
