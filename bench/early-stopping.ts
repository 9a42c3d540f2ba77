/**
 * MLPerf LoadGen's early-stopping rule for the Server scenario
 * (mlcommons/inference, loadgen/early_stopping.cc and
 * PerformanceSummary::EarlyStopping in loadgen/results.cc).
 *
 * With t of n queries over the latency bound, the run may claim "the p-th
 * percentile latency is within the bound" at confidence c only if h = n − t,
 * the under-bound count, is at least the smallest h with
 *
 *   P(X ≤ t) < 1 − c,   X ~ Binomial(h + t, 1 − (p − d))
 *
 * i.e. if the true over-bound rate were as high as 1 − p + d, seeing this few
 * over-bound queries would be unlikely. LoadGen uses p = target percentile
 * (0.99 here), tolerance d = 0 and confidence c = 0.99. With t = 0 this gives
 * h = ⌈ln 0.01 / ln 0.99⌉ = 459 queries, LoadGen's familiar minimum.
 *
 * LoadGen evaluates the binomial CDF through a regularised incomplete beta
 * function; here the same CDF is summed term by term in log space, which is
 * exact for the small t that matter.
 */

/** The rule's parameters. */
export interface EarlyStoppingParams {
  /** Target percentile as a fraction (0.99 for p99). */
  readonly percentile: number;
  /** LoadGen's tolerance d (0). */
  readonly tolerance: number;
  /** Confidence c (0.99). */
  readonly confidence: number;
}

/** LoadGen's Server-scenario defaults. */
export const LOADGEN_SERVER: EarlyStoppingParams = { percentile: 0.99, tolerance: 0, confidence: 0.99 };

/** P(X ≤ t) for X ~ Binomial(h + t, 1 − (p − d)): LoadGen's `odds(h, t, p, d)`. */
export function overLatencyOdds(h: number, t: number, params: EarlyStoppingParams = LOADGEN_SERVER): number {
  const under = params.percentile - params.tolerance; // probability a query is under the bound
  if (!(under > 0 && under < 1)) throw new Error(`percentile − tolerance must lie in (0, 1), got ${under}`);
  const n = h + t;
  const logUnder = Math.log(under);
  const logRatio = Math.log((1 - under) / under);
  // log of C(n, x)·(1−u)^x·u^(n−x), built up from x = 0.
  let logTerm = n * logUnder;
  const logs: number[] = [logTerm];
  for (let x = 0; x < t; x++) {
    logTerm += Math.log((n - x) / (x + 1)) + logRatio;
    logs.push(logTerm);
  }
  const peak = Math.max(...logs);
  let sum = 0;
  for (const l of logs) sum += Math.exp(l - peak);
  return Math.exp(peak) * sum;
}

/**
 * Smallest under-bound count h for which t over-bound queries still pass
 * (LoadGen's `MinPassingQueriesFinder`). O(t · log h).
 * @example minPassingQueries(0) // 459
 */
export function minPassingQueries(t: number, params: EarlyStoppingParams = LOADGEN_SERVER): number {
  if (!Number.isInteger(t) || t < 0) throw new Error(`over-latency count must be a non-negative integer, got ${t}`);
  const limit = 1 - params.confidence;
  let hi = 1;
  while (overLatencyOdds(hi, t, params) >= limit) {
    hi *= 2;
    if (hi > 1e12) throw new Error('minPassingQueries: no passing count below 1e12');
  }
  let lo = 0;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (overLatencyOdds(mid, t, params) < limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The verdict for one run. */
export interface EarlyStoppingVerdict {
  readonly issued: number;
  readonly overBound: number;
  /** h + t: queries the run needed for its over-bound count. */
  readonly requiredQueries: number;
  readonly satisfied: boolean;
}

/** Applies the rule to the latencies of one run against `boundMs`. */
export function earlyStopping(latenciesMs: readonly number[], boundMs: number, params: EarlyStoppingParams = LOADGEN_SERVER): EarlyStoppingVerdict {
  const overBound = latenciesMs.filter((l) => l > boundMs).length;
  const requiredQueries = minPassingQueries(overBound, params) + overBound;
  return { issued: latenciesMs.length, overBound, requiredQueries, satisfied: latenciesMs.length >= requiredQueries };
}
