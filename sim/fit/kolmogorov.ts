/**
 * The Kolmogorov–Smirnov distance between a sample and a distribution, and
 * the Kolmogorov distribution's tail for its p-value: how far a fitted latency
 * law (distributions.ts) is from the spans it was fitted to.
 */

/**
 * D = sup_x |F_n(x) − F(x)| for a sample sorted ascending and a CDF F, in one
 * pass (O(n), the CDF evaluated once per distinct value). Ties are one step of
 * the empirical CDF: at a value v held by sample positions a … b (0-based),
 * F_n jumps from a/n to (b + 1)/n, so D takes both (b + 1)/n − F(v) and
 * F(v⁻) − a/n, with F(v⁻) the left limit – read just below v, which matters
 * only where F itself jumps (an empirical quantile table with repeated values).
 */
export function ksDistance(sorted: ArrayLike<number>, cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let a = 0; a < n;) {
    const v = sorted[a];
    let b = a;
    while (b + 1 < n && sorted[b + 1] === v) b++;
    const f = cdf(v);
    const below = f === 0 ? 0 : cdf(v - Math.abs(v) * Number.EPSILON);
    const up = (b + 1) / n - f, down = below - a / n;
    if (up > d) d = up;
    if (down > d) d = down;
    a = b + 1;
  }
  return d;
}

/**
 * Q_KS(t) = P(K > t) for the Kolmogorov distribution K, the limit law of
 * √n·D (Kolmogorov 1933, "Sulla determinazione empirica di una legge di
 * distribuzione", G. Ist. Ital. Attuari 4). Two series, each fast where the
 * other is slow (Press et al., Numerical Recipes 3rd ed., §6.14.12):
 *   t ≥ 1.18: Q = 2 Σ_{j≥1} (−1)^{j−1} exp(−2j²t²);
 *   t < 1.18: Q = 1 − (√(2π)/t) Σ_{j≥1} exp(−(2j − 1)²π² / (8t²)).
 * Either converges to double precision in a handful of terms.
 */
export function kolmogorovQ(t: number): number {
  if (!(t > 0)) return 1;
  if (t < 1.18) {
    const y = Math.exp(-Math.PI * Math.PI / (8 * t * t));
    if (y === 0) return 1;
    // exp(−(2j − 1)²c) = y^((2j − 1)²)
    let sum = 0;
    for (let j = 1; j <= 6; j++) sum += Math.pow(y, (2 * j - 1) ** 2);
    return 1 - Math.sqrt(2 * Math.PI) / t * sum;
  }
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * t * t);
    sum += j % 2 === 1 ? term : -term;
    if (term < 1e-17 * sum) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * The KS p-value P(D ≥ d) for a sample of n against a fully specified F:
 * Q_KS((√n + 0.12 + 0.11/√n)·d), Stephens' modification of the asymptotic law
 * (M. A. Stephens 1970, "Use of the Kolmogorov–Smirnov, Cramér–von Mises and
 * related statistics without extensive tables", JRSS B 32(1), 115–122; Numerical
 * Recipes 3rd ed. §14.3.3), good to a few per cent of p for n ≥ 5 or so.
 *
 * Optimistic for a fitted F: when F's parameters were estimated from the same
 * sample, F sits closer to the sample than the true law does, D is smaller than
 * this null distribution assumes, and the p-value too large – the test rejects
 * less often than its stated level (Lilliefors 1967, "On the Kolmogorov–Smirnov
 * test for normality with mean and variance unknown", JASA 62(318), 399–402).
 * A fit that fails this test fails it more clearly than the figure says.
 */
export function ksPValue(d: number, n: number): number {
  const rn = Math.sqrt(n);
  return kolmogorovQ((rn + 0.12 + 0.11 / rn) * d);
}
