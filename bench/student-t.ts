/**
 * Two-sided 95 % critical values of Student's t (the 0.975 quantile).
 * Values for df = 1…30, 40, 60, 120 and ∞ from the standard table
 * (NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2); between
 * entries, linear interpolation in 1/df, the usual rule for t tables.
 *
 * The simulator has the other Student-t quantile (sim/metrics/intervals.ts,
 * exact to ~1e-14 for the integer df of replications). They cannot be one:
 * bench/ and sim/ are peers that may not import each other (import-graph.test.ts),
 * simple-statistics has no t quantile, and bench compare needs fractional
 * (Welch–Satterthwaite) df, which the exact finite sums there do not take.
 */
const TABLE: readonly (readonly [number, number])[] = [
  [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [6, 2.447], [7, 2.365], [8, 2.306], [9, 2.262], [10, 2.228],
  [11, 2.201], [12, 2.179], [13, 2.16], [14, 2.145], [15, 2.131], [16, 2.12], [17, 2.11], [18, 2.101], [19, 2.093], [20, 2.086],
  [21, 2.08], [22, 2.074], [23, 2.069], [24, 2.064], [25, 2.06], [26, 2.056], [27, 2.052], [28, 2.048], [29, 2.045], [30, 2.042],
  [40, 2.021], [60, 2.0], [120, 1.98], [Infinity, 1.96],
];

/**
 * t_{0.975, df}. Fractional df (Welch–Satterthwaite) are interpolated.
 * @throws Error when df is not positive.
 * @example tCritical95(4) // 2.776
 */
export function tCritical95(df: number): number {
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  if (df <= 1) return TABLE[0][1];
  for (let i = 1; i < TABLE.length; i++) {
    const [hiDf, hiT] = TABLE[i];
    if (df <= hiDf) {
      const [loDf, loT] = TABLE[i - 1];
      if (df === hiDf) return hiT;
      const x = (1 / df - 1 / hiDf) / (1 / loDf - 1 / hiDf);
      return hiT + x * (loT - hiT);
    }
  }
  return 1.96;
}
