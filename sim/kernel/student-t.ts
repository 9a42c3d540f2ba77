/**
 * Student's t quantile for any real degrees of freedom ν > 0: whole ν for the
 * replication intervals (sim/metrics/intervals.ts), fractional ν from
 * Welch–Satterthwaite for bench compare. simple-statistics has no t quantile.
 *
 * The two-sided tail of t is a regularized incomplete beta function,
 * P(|T| > t) = I_x(ν/2, 1/2) with x = ν/(ν + t²) (Abramowitz & Stegun 1964,
 * 26.7.1 with 26.5.27), so the quantile is its inverse: t² = ν(1/x − 1) with
 * x = I⁻¹_α(ν/2, 1/2), α = 2·min(p, 1 − p). The root is sought in ln t rather
 * than in x: near the normal limit x is 1 − O(1/ν), and forming 1 − x (or
 * 1/x − 1) by subtraction would lose digits; in ln t, both x and 1 − x come
 * from logarithms, and the tail of a heavy-tailed t (ν = 0.3 puts t_{0.975} at
 * 6582) is close to a straight line there, so Newton takes few steps. For
 * ν >= 1000 the Cornish–Fisher series takes over where it is the more accurate
 * (CORNISH_FISHER_MIN_DF). Accuracy on studentTQuantile; its tests hold the
 * reference values.
 */
import { invPhi, lnGamma } from './special.js';

const LN_SQRT_PI = 0.5723649429247001; // ln Γ(1/2) = ½ ln π
const TINY = 1e-300;

/**
 * Continued fraction of the incomplete beta, modified Lentz (Press et al.,
 * Numerical Recipes 3rd ed. §6.4, betacf): converges fast for x < (a + 1)/(a + b + 2).
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= 1e-16) break;
  }
  return h;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). For the t quantile's B(ν/2, 1/2) at
 * large ν this difference of two large ln Γ (5e5 at ν = 2e5) would cancel away digits
 * that lnGamma's relative accuracy does not hold; there ln Γ(a + ½) − ln Γ(a) comes
 * from its asymptotic series instead (the Bernoulli-polynomial expansion of
 * ln Γ(a + h), DLMF 5.11.8, with B_k(½) = (2^(1−k) − 1)B_k, DLMF 24.4.27):
 * ½ ln a − 1/(8a) + 1/(192a³) − 1/(640a⁵) + 17/(14336a⁷) − 31/(18432a⁹); the next
 * term, 3.8e-3/a¹¹, is < 3e-16 for a >= 16, while lnGamma's own error there is
 * ~1e-14 (special.ts).
 */
export function lnBeta(a: number, b: number): number {
  if (b === 0.5 && a >= 16) {
    const r = 1 / (a * a);
    const ratio = 0.5 * Math.log(a) - (1 / (8 * a)) * (1 - r * (1 / 24 - r * (1 / 80 - r * (17 / 1792 - r * (31 / 2304)))));
    return LN_SQRT_PI - ratio;
  }
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** ln(1 + e^s) without overflow. */
function softplus(s: number): number {
  return s > 36 ? s + Math.exp(-s) : Math.log1p(Math.exp(s));
}

/**
 * ln I_x(a, b) and ln(1 − I_x(a, b)), given ln x and ln(1 − x) so that neither x nor
 * 1 − x is formed by subtraction. Numerical Recipes §6.4 (betai): the continued
 * fraction on whichever side converges, the other side as 1 − that one; the side
 * computed directly is the small one whenever a value is small, and in logarithms it
 * keeps its relative accuracy down to 1e-300 and below (no underflow to subnormals).
 */
function lnIncompleteBetaPair(lnX: number, ln1mX: number, a: number, b: number, lnB: number): { lnLower: number; lnUpper: number } {
  if (lnX === -Infinity) return { lnLower: -Infinity, lnUpper: 0 };
  if (ln1mX === -Infinity) return { lnLower: 0, lnUpper: -Infinity };
  const lnFront = a * lnX + b * ln1mX - lnB;
  const x = Math.exp(lnX); // may underflow to 0 where lnFront does not
  if (x < (a + 1) / (a + b + 2)) {
    const lnLower = lnFront + Math.log(betaContinuedFraction(a, b, x) / a);
    return { lnLower, lnUpper: Math.log(-Math.expm1(lnLower)) };
  }
  const lnUpper = lnFront + Math.log(betaContinuedFraction(b, a, Math.exp(ln1mX)) / b);
  return { lnLower: Math.log(-Math.expm1(lnUpper)), lnUpper };
}

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b)/B(a, b), Numerical Recipes 3rd ed.
 * §6.4 (modified Lentz continued fraction). Relative accuracy ~1e-14 where the result is
 * not the complement of a value near 1, bounded below by the absolute error of ln B from
 * lnGamma as a + b grows (1.4e-13 at a = b = 100; not for b = ½, the t distribution's,
 * where lnBeta uses its series from a = 16).
 * @throws {RangeError} unless 0 <= x <= 1 and a, b > 0 are finite.
 * @example regIncBeta(0.5, 2, 2) // 0.4999999999999995 (I_½(a, a) = ½)
 */
export function regIncBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`x must be in [0, 1] (got ${x})`);
  if (!(a > 0 && b > 0 && a < Infinity && b < Infinity)) throw new RangeError(`a and b must be finite and > 0 (got ${a}, ${b})`);
  return Math.exp(lnIncompleteBetaPair(Math.log(x), Math.log1p(-x), a, b, lnBeta(a, b)).lnLower);
}

/**
 * Cornish–Fisher expansion of the t quantile about the normal one, x = Φ⁻¹(p)
 * (Abramowitz & Stegun 1964, 26.7.5): x + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴.
 */
function cornishFisher(x: number, df: number): number {
  const x2 = x * x;
  const g1 = ((x2 + 1) * x) / 4;
  const g2 = (((5 * x2 + 16) * x2 + 3) * x) / 96;
  const g3 = ((((3 * x2 + 19) * x2 + 17) * x2 - 15) * x) / 384;
  const g4 = (((((79 * x2 + 776) * x2 + 1482) * x2 - 1920) * x2 - 945) * x) / 92160;
  return x + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * ν from which, while z² <= ν/100 (z = Φ⁻¹(p)), the Cornish–Fisher series replaces
 * the incomplete beta. There the beta's continued fraction runs at x = ν/(ν + t²) ≈
 * 1 − t²/ν, where its terms cancel and the rounding of x grows to ~1e-16·ν/t²
 * relative (the beta route alone, measured against mpmath: 2e-14 at ν = 2000, 7e-14
 * at 1e4, 4e-13 at 1e5, 3e-10 at 1e8); the series' first omitted term is of order
 * z·(z²/4ν)⁵ + z/ν⁵ there (measured: <= 1.5e-14 at ν = 1000, <= 2.2e-15 from
 * ν = 1500, ~1e-16 from ν = 2e4).
 */
const CORNISH_FISHER_MIN_DF = 1000;

/**
 * The p-quantile of Student's t with ν > 0 degrees of freedom, any real ν (ν = ∞ is
 * the normal). Solves P(|T| > t) = α = 2·min(p, 1 − p) – or, when α > ½, the central
 * P(|T| <= t) = |1 − 2p|, exact in floating point there – for u = ln t by Newton's
 * method on the logarithm of that probability (its slope in u is ∓2t·f(t)/probability,
 * f the t density, A&S 26.7.1), inside a bracket that every evaluation narrows,
 * bisecting when a step would leave it; it stops once a step would move u by no
 * more than its own rounding (1e-15 relative) and applies that last step to t.
 * For ν >= 1000 outside the far tails, A&S 26.7.5 instead (see
 * CORNISH_FISHER_MIN_DF). Largest relative error against mpmath (40 digits) over
 * 563 points, ν from 0.05 to 1e8 and p from 1e-30 to 1 − 1e-6: 1.5e-14 for ν >= 0.5
 * (3.4e-15 for t_{0.975} at whole ν <= 1e5). Working in logarithms costs the rounding
 * of ln α, ~1e-16·|ln α|/ν relative, which shows only in far tails and at small ν:
 * 6e-14 at ν = 0.05, p = 1e-12 (t = 1.1e233), 4e-14 at ν = 1, p = 1e-300.
 * @throws {RangeError} unless 0 <= p <= 1 and ν > 0 (p = 0 and 1 give ∓∞).
 * @example studentTQuantile(0.975, 10) // 2.228138851986274 (mpmath: 2.2281388519862747)
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0 (got ${df})`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1] (got ${p})`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const z = invPhi(p);
  if (df === Infinity) return z;
  if (df >= CORNISH_FISHER_MIN_DF && z * z <= df / 100) return cornishFisher(z, df);
  const t = tailInverse(Math.min(p, 1 - p), df);
  return p < 0.5 ? -t : t;
}

/** t > 0 with P(T > t) = q, 0 < q < ½: the Newton iteration of studentTQuantile. */
function tailInverse(q: number, df: number): number {
  const alpha = 2 * q;
  const useTail = alpha <= 0.5;
  const target = Math.log(useTail ? alpha : 1 - alpha); // 1 − 2q is exact for q >= 1/4
  const a = df / 2;
  const lnB = lnBeta(a, 0.5);
  const lnDf = Math.log(df);
  // ln(probability) − target at u = ln t, and its derivative in u.
  const evaluate = (u: number): { f: number; slope: number } => {
    const s = 2 * u - lnDf; // ln(t²/ν)
    const lnX = -softplus(s); // ln x, x = ν/(ν + t²)
    const ln1mX = -softplus(-s); // ln(1 − x) = ln(t²/(ν + t²))
    const pair = lnIncompleteBetaPair(lnX, ln1mX, a, 0.5, lnB);
    const lnProb = useTail ? pair.lnLower : pair.lnUpper;
    const lnTDensityTimesT = u + (a + 0.5) * lnX - 0.5 * lnDf - lnB; // ln(t·f(t))
    return { f: lnProb - target, slope: (useTail ? -2 : 2) * Math.exp(lnTDensityTimesT - lnProb) };
  };
  let lo = -Infinity, hi = Infinity; // the root in u lies in (lo, hi)
  let u = Math.log(-invPhi(q)); // the normal quantile as the first guess
  for (let i = 0; i < 500; i++) {
    const { f, slope } = evaluate(u);
    if (f === 0) break;
    // The probability falls with t on the tail side and rises on the central side.
    const rootAbove = useTail ? f > 0 : f < 0;
    if (rootAbove) lo = u; else hi = u;
    const newton = u - f / slope;
    if (newton > lo && newton < hi) {
      // Converged. u resolves t only to ulp(u) relative (1.1e-13 at t = 1e299), so the
      // last Newton correction δ is applied to t = e^u as a factor, 1 − δ.
      if (Math.abs(f / slope) <= 1e-15 * Math.max(1, Math.abs(u))) return Math.exp(u) * (1 - f / slope);
      u = newton;
    } else {
      u = lo > -Infinity && hi < Infinity ? 0.5 * (lo + hi) : rootAbove ? u + 8 : u - 8;
    }
  }
  return Math.exp(u);
}
