/**
 * recall@k of an approximate search against exact ground truth:
 * the mean over queries of |approx_k ∩ exact_k| / k (the ANN-Benchmarks
 * definition, Aumüller et al. 2020, without distance-tie tolerance).
 */
export function recallAtK(approx: readonly ArrayLike<number>[], exact: readonly ArrayLike<number>[], k: number): number {
  if (approx.length !== exact.length) throw new Error(`recallAtK: ${approx.length} approximate results vs ${exact.length} exact ones`);
  if (approx.length === 0) throw new Error('recallAtK: no queries');
  if (!Number.isInteger(k) || k < 1) throw new Error(`recallAtK: k must be a positive integer, got ${k}`);
  let hits = 0;
  for (let q = 0; q < approx.length; q++) {
    const truth = new Set<number>();
    const exactRow = exact[q];
    if (exactRow.length < k) throw new Error(`recallAtK: exact result ${q} has ${exactRow.length} < k = ${k} items`);
    for (let i = 0; i < k; i++) truth.add(exactRow[i]);
    const approxRow = approx[q];
    const found = new Set<number>();
    for (let i = 0; i < Math.min(k, approxRow.length); i++) {
      const id = approxRow[i];
      if (truth.has(id) && !found.has(id)) {
        found.add(id);
        hits++;
      }
    }
  }
  return hits / (approx.length * k);
}
