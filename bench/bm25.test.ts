import { describe, expect, it } from 'vitest';
import { Bm25Scratch, buildBm25Index, bm25Search, syntheticCorpus } from './kernels/bm25.js';

describe('BM25', () => {
  /*
   * Hand-computed case. Terms: a = 0, b = 1, c = 2, d = 3.
   *   doc0 = a b a (|d| = 3), doc1 = b c (2), doc2 = c c c d (4); N = 3, avgdl = 9/3 = 3; k1 = 1.2, b = 0.75.
   * Query "a c".
   *   idf(a): n = 1 → ln(1 + (3 − 1 + 0.5)/(1 + 0.5)) = ln(2.6667) = 0.980829
   *   idf(c): n = 2 → ln(1 + (3 − 2 + 0.5)/(2 + 0.5)) = ln(1.6)    = 0.470004
   *   doc0: a, tf 2, norm 1.2·(0.25 + 0.75·3/3) = 1.2 → 0.980829 · 2·2.2/(2 + 1.2) = 0.980829 · 1.375    = 1.348640
   *   doc1: c, tf 1, norm 1.2·(0.25 + 0.75·2/3) = 0.9 → 0.470004 · 1·2.2/(1 + 0.9) = 0.470004 · 1.157895 = 0.544215
   *   doc2: c, tf 3, norm 1.2·(0.25 + 0.75·4/3) = 1.5 → 0.470004 · 3·2.2/(3 + 1.5) = 0.470004 · 1.466667 = 0.689339
   * Ranking: doc0, doc2, doc1.
   */
  const index = buildBm25Index([[0, 1, 0], [1, 2], [2, 2, 2, 3]], 4);

  it('matches the hand-computed scores and ranking', () => {
    expect(index.avgDocLength).toBe(3);
    expect(index.idf[0]).toBeCloseTo(0.980829, 6);
    expect(index.idf[2]).toBeCloseTo(0.470004, 6);
    const top = bm25Search(index, [0, 2], new Bm25Scratch(3, 10));
    expect(Array.from(top.indices)).toEqual([0, 2, 1]);
    expect(top.scores[0]).toBeCloseTo(1.34864, 5);
    expect(top.scores[1]).toBeCloseTo(0.689339, 5);
    expect(top.scores[2]).toBeCloseTo(0.544215, 5);
  });

  it('ignores repeated query terms and unknown terms, and resets its scratch between queries', () => {
    const scratch = new Bm25Scratch(3, 10);
    const once = bm25Search(index, [0, 2], scratch);
    const twice = bm25Search(index, [0, 2, 2, 0], scratch);
    expect(Array.from(twice.scores)).toEqual(Array.from(once.scores));
    expect(Array.from(bm25Search(index, [3], scratch).indices)).toEqual([2]);
    expect(Array.from(scratch.scores)).toEqual([0, 0, 0]);
  });

  it('builds a deterministic synthetic corpus', () => {
    const spec = { docs: 20, vocabulary: 100, zipfExponent: 1.07, minDocLength: 5, maxDocLength: 9, seed: 3 };
    const docs = syntheticCorpus(spec);
    expect(docs).toEqual(syntheticCorpus(spec));
    expect(docs.every((d) => d.length >= 5 && d.length <= 9 && d.every((t) => t >= 0 && t < 100))).toBe(true);
  });

  it('rejects term ids outside the vocabulary', () => {
    expect(() => buildBm25Index([[0, 5]], 4)).toThrow(/outside vocabulary/);
  });
});
