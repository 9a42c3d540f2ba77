/**
 * The digamma ψ(x) = d/dx ln Γ(x) and trigamma ψ'(x), for x > 0: what the
 * gamma distribution's maximum-likelihood equation (distributions.ts) and its
 * Fisher information need. Neither the kernel (sim/kernel/special.ts) nor
 * simple-statistics has them.
 *
 * Method, both functions: shift x up to at least 10 with the recurrences
 * ψ(x) = ψ(x + 1) − 1/x and ψ'(x) = ψ'(x + 1) + 1/x² (Abramowitz & Stegun,
 * Handbook of Mathematical Functions, 6.3.5 and 6.4.6), then sum the
 * asymptotic series in Bernoulli numbers (A&S 6.3.18 and 6.4.12) through the
 * x⁻¹⁴ / x⁻¹⁵ term. At x ≥ 10 the first omitted term is below 1e-17 relative,
 * so the error is the rounding of the sums: a few ulp of the larger of the
 * result and the shift's sum (ψ(1) comes out 6e-16 from −γ).
 */

/** Where the asymptotic series takes over. */
const SHIFT_TO = 10;

/** ln x − ψ(x) for x ≥ SHIFT_TO: 1/(2x) + Σ B₂ₖ/(2k x²ᵏ), B2/2 … B14/14 = 1/12, −1/120, 1/252, −1/240, 1/132, −691/32760, 1/12 (A&S 6.3.18). */
function lnMinusDigammaSeries(x: number): number {
  const r = 1 / (x * x);
  return 0.5 / x + r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r * (1 / 132 - r * (691 / 32760 - r / 12))))));
}

/** ψ'(x) − 1/x for x ≥ SHIFT_TO: 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹, B2 … B14 = 1/6, −1/30, 1/42, −1/30, 5/66, −691/2730, 7/6 (A&S 6.4.12). */
function trigammaExcessSeries(x: number): number {
  const r = 1 / (x * x);
  return 0.5 * r + r * (1 / 6 - r * (1 / 30 - r * (1 / 42 - r * (1 / 30 - r * (5 / 66 - r * (691 / 2730 - r * 7 / 6)))))) / x;
}

/**
 * ψ(x) for x > 0 (NaN otherwise). ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2 (A&S 6.3.2, 6.3.3).
 * Near its root x₀ ≈ 1.4616 the result is accurate in absolute, not relative, terms.
 */
export function digamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Number.NaN;
  let shift = 0;
  while (x < SHIFT_TO) { shift += 1 / x; x += 1; }
  return Math.log(x) - lnMinusDigammaSeries(x) - shift;
}

/** ψ'(x) for x > 0 (NaN otherwise). ψ'(1) = π²/6, ψ'(1/2) = π²/2 (A&S 6.4.2, 6.4.4). */
export function trigamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Number.NaN;
  let shift = 0;
  while (x < SHIFT_TO) { shift += 1 / (x * x); x += 1; }
  return 1 / x + trigammaExcessSeries(x) + shift;
}

/**
 * ln x − ψ(x), x > 0: the left side of the gamma likelihood equation. For large
 * x both terms are near ln x and their difference near 1/(2x); the series gives
 * it without that cancellation, so a nearly constant sample still has a shape.
 */
export function lnMinusDigamma(x: number): number {
  return x >= SHIFT_TO ? lnMinusDigammaSeries(x) : Math.log(x) - digamma(x);
}

/** ψ'(x) − 1/x, x > 0 (minus the derivative of lnMinusDigamma), by the series for large x as there. */
export function trigammaExcess(x: number): number {
  return x >= SHIFT_TO ? trigammaExcessSeries(x) : trigamma(x) - 1 / x;
}
