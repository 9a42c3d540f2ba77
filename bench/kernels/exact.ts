/**
 * Exact (brute-force) top-k retrieval by inner product, plain TypeScript.
 *
 * Embeddings are unit vectors, so the inner product is the cosine similarity.
 * The scan reads every corpus byte once per query; at 100k × 384 float32
 * (154 MB, far beyond the last-level cache) it is bound by memory bandwidth,
 * which is why the profile holds it against the STREAM-style read kernel.
 */
import { type TopK, TopKCollector, selectTopK } from './topk.js';

/**
 * Writes `out[i] = corpus[i] · query` for `count` rows of `dim` floats.
 * Four independent accumulators break the add dependency chain (one chain
 * would make the loop latency-bound at about one add per 4 cycles).
 */
export function dotScoresTs(corpus: Float32Array, count: number, dim: number, query: Float32Array, out: Float32Array): void {
  if (dim % 4 !== 0) throw new Error(`dim must be a multiple of 4, got ${dim}`);
  for (let row = 0; row < count; row++) {
    const base = row * dim;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < dim; j += 4) {
      a0 += corpus[base + j] * query[j];
      a1 += corpus[base + j + 1] * query[j + 1];
      a2 += corpus[base + j + 2] * query[j + 2];
      a3 += corpus[base + j + 3] * query[j + 3];
    }
    out[row] = a0 + a1 + (a2 + a3);
  }
}

/** Scores every row, then keeps the k best. */
export function exactTopKTs(
  corpus: Float32Array,
  count: number,
  dim: number,
  query: Float32Array,
  scratch: Float32Array,
  collector: TopKCollector,
): TopK {
  dotScoresTs(corpus, count, dim, query, scratch);
  return selectTopK(scratch, count, collector);
}
