/**
 * Top-k selection shared by the exact scan, BM25 and the recall reference.
 *
 * Order: higher score first; equal scores by lower index first, so every
 * kernel and the naive reference agree on ties.
 */

/** The k best items, best first. */
export interface TopK {
  readonly indices: Int32Array;
  readonly scores: Float32Array;
}

/**
 * Keeps the k best (index, score) pairs in a sorted array: O(k) per accepted
 * item, O(1) per rejected one. For k = 10 this beats a heap because almost
 * every item is rejected by the first comparison.
 */
export class TopKCollector {
  readonly k: number;
  private readonly indices: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
    this.k = k;
    this.indices = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  /** Empties the collector for reuse. */
  reset(): void {
    this.size = 0;
  }

  /** Offers one item; keeps it if it ranks among the k best so far. */
  push(index: number, score: number): void {
    const last = this.size - 1;
    if (this.size === this.k) {
      const worst = this.scores[last];
      if (score < worst || (score === worst && index > this.indices[last])) return;
    }
    let pos = this.size < this.k ? this.size : last;
    while (pos > 0) {
      const s = this.scores[pos - 1];
      if (s > score || (s === score && this.indices[pos - 1] < index)) break;
      this.scores[pos] = s;
      this.indices[pos] = this.indices[pos - 1];
      pos--;
    }
    this.scores[pos] = score;
    this.indices[pos] = index;
    if (this.size < this.k) this.size++;
  }

  /** A copy of the current ranking, best first. */
  result(): TopK {
    return { indices: this.indices.slice(0, this.size), scores: Float32Array.from(this.scores.subarray(0, this.size)) };
  }
}

/** Top-k over a dense score array (index = position). */
export function selectTopK(scores: Float32Array, count: number, collector: TopKCollector): TopK {
  collector.reset();
  for (let i = 0; i < count; i++) collector.push(i, scores[i]);
  return collector.result();
}

/**
 * Reference top-k: score every row with a plain loop, sort everything.
 * O(n·d + n log n). Used by tests and as ground truth for recall.
 */
export function naiveTopK(corpus: Float32Array, count: number, dim: number, query: Float32Array, k: number): TopK {
  const scored: { index: number; score: number }[] = [];
  for (let i = 0; i < count; i++) {
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += corpus[i * dim + j] * query[j];
    scored.push({ index: i, score: Math.fround(dot) });
  }
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  const top = scored.slice(0, k);
  return { indices: Int32Array.from(top.map((t) => t.index)), scores: Float32Array.from(top.map((t) => t.score)) };
}
