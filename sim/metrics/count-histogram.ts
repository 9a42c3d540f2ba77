/**
 * Exact histograms of small counts (loop iterations per exit, LLM calls per
 * request): bucket k holds the records of exactly k, the last bucket every
 * record of at least that many. Kept as a slice of a Float64Array so they
 * merge by adding, like every other counter.
 */

/** The p-quantile of the histogram in counts[from, from + buckets): the smallest k whose cumulative count reaches p · total. */
export function countQuantile(counts: Float64Array, from: number, buckets: number, total: number, p: number): number {
  let running = 0;
  for (let k = 0; k < buckets; k++) {
    running += counts[from + k];
    if (running >= p * total && running > 0) return k;
  }
  return buckets - 1;
}

/** The largest k with a record (0 when empty). */
export function countMax(counts: Float64Array, from: number, buckets: number): number {
  let max = 0;
  for (let k = 0; k < buckets; k++) if (counts[from + k] > 0) max = k;
  return max;
}
