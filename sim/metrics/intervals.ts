/**
 * Confidence intervals for the report: proportions (failure rates), their
 * differences between variants, and means over replicate runs.
 */
import { studentTQuantile } from '../kernel/student-t.js';

/** Two-sided normal quantile for 95 %: Φ⁻¹(0.975) = 1.959963984540054. */
export const Z95: number = 1.959963984540054;

export interface Estimate {
  estimate: number;
  ci95: [number, number];
}

function checkCounts(successes: number, n: number, label: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${label}n must be an integer >= 0 (got ${n})`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`${label}successes must be an integer in [0, n = ${n}] (got ${successes})`);
  }
}

/**
 * Wilson score interval (Wilson 1927, JASA 22:209–212), recommended over the Wald and the
 * "exact" Clopper–Pearson intervals by Agresti & Coull (1998), "Approximate is better than
 * exact", Am. Stat. 52:119–126. Centre (p̂ + z²/2n)/(1 + z²/n), half-width
 * z/(1 + z²/n)·√(p̂(1 − p̂)/n + z²/4n²). The estimate is p̂ = successes/n; n = 0 gives
 * estimate NaN and ci [0, 1]. With a custom z the interval has that coverage instead.
 * @throws {RangeError} unless 0 <= successes <= n are integers.
 */
export function wilson(successes: number, n: number, z: number = Z95): Estimate {
  checkCounts(successes, n, '');
  if (n === 0) return { estimate: NaN, ci95: [0, 1] };
  const p = successes / n, z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const lower = successes === 0 ? 0 : Math.max(0, centre - half);
  const upper = successes === n ? 1 : Math.min(1, centre + half);
  return { estimate: p, ci95: [lower, upper] };
}

/**
 * Difference p₁ − p₂ of independent proportions, Newcombe (1998) method 10, "Interval
 * estimation for the difference between independent proportions: comparison of eleven
 * methods", Stat. Med. 17:873–890. With Wilson limits (l₁, u₁), (l₂, u₂):
 * L = d − √((p₁ − l₁)² + (u₂ − p₂)²), U = d + √((u₁ − p₁)² + (p₂ − l₂)²).
 * Either n = 0 gives estimate NaN and ci [−1, 1].
 */
export function newcombeDifference(s1: number, n1: number, s2: number, n2: number): Estimate {
  checkCounts(s1, n1, 'first ');
  checkCounts(s2, n2, 'second ');
  if (n1 === 0 || n2 === 0) return { estimate: NaN, ci95: [-1, 1] };
  const a = wilson(s1, n1), b = wilson(s2, n2);
  const p1 = a.estimate, p2 = b.estimate, d = p1 - p2;
  const [l1, u1] = a.ci95, [l2, u2] = b.ci95;
  const lower = d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2);
  const upper = d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2);
  return { estimate: d, ci95: [Math.max(-1, lower), Math.min(1, upper)] };
}

/**
 * Mean of replicate values with the Student-t 95 % interval x̄ ± t_{0.975, n−1}·s/√n
 * (s with divisor n − 1, two-pass). t_{0.975} is taken as −t_{0.025}: the double
 * 0.025 is 1.4e-18 from 1/40, while 1 − 0.975 in doubles is 2.2e-17 off (2e-15 in t at
 * n = 2).
 * n < 2 → ci95 [NaN, NaN] (no spread to estimate); n = 0 → estimate NaN too.
 * @throws {RangeError} if a value is not finite.
 */
export function meanInterval(values: readonly number[]): Estimate {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`values[${i}] must be finite (got ${values[i]})`);
    sum += values[i];
  }
  if (n === 0) return { estimate: NaN, ci95: [NaN, NaN] };
  const mean = sum / n;
  if (n === 1) return { estimate: mean, ci95: [NaN, NaN] };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const half = -studentTQuantile(0.025, n - 1) * Math.sqrt(ss / (n - 1) / n);
  return { estimate: mean, ci95: [mean - half, mean + half] };
}

/**
 * Paired difference: mean of (b_i − a_i) with its t interval. Pairing (same seed per
 * replicate in both variants) removes the shared noise, so the interval is much tighter
 * than comparing two independent means.
 * @throws {RangeError} if the arrays differ in length.
 */
export function pairedDifference(a: readonly number[], b: readonly number[]): Estimate {
  if (a.length !== b.length) throw new RangeError(`a and b must have equal length (got ${a.length} and ${b.length})`);
  const diffs: number[] = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) diffs[i] = b[i] - a[i];
  return meanInterval(diffs);
}

/**
 * `e` with its interval cut to what the quantity can be, [lo, hi]. A paired
 * t-interval over few replications is wide (t = 12.7 at two), and a difference
 * of two rates printed as "± 635 pp" claims values no rate can take; the
 * bounds of the quantity are also bounds of any interval for it. NaN stays NaN.
 */
export function clampInterval(e: Estimate, lo: number, hi: number): Estimate {
  const cut = (x: number) => (Number.isNaN(x) ? x : Math.min(hi, Math.max(lo, x)));
  return { estimate: e.estimate, ci95: [cut(e.ci95[0]), cut(e.ci95[1])] };
}
