import { describe, expect, it } from 'vitest';
import { Bm25Scratch, buildBm25Index, bm25Search, syntheticCorpus } from './kernels/bm25.js';
import { mulberry32 } from './kernels/prng.js';

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

  it('the bench corpus and its index are exactly what binary-search sampling and per-term lists give (the fast build changes no posting)', () => {
    // Reference: the straightforward forms the fast ones replaced – inversion by binary
    // search over the Zipf CDF, and a growing list per term.
    const spec = { docs: 1000, vocabulary: 50_000, zipfExponent: 1.07, minDocLength: 50, maxDocLength: 250, seed: 11 };
    const cdf = new Float64Array(spec.vocabulary);
    let total = 0;
    for (let r = 0; r < spec.vocabulary; r++) cdf[r] = total += 1 / Math.pow(r + 1, spec.zipfExponent);
    for (let r = 0; r < spec.vocabulary; r++) cdf[r] /= total;
    const lowerBound = (u: number) => {
      let lo = 0;
      let hi = cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const uniform = mulberry32(spec.seed);
    const expected: number[][] = [];
    for (let d = 0; d < spec.docs; d++) {
      const length = spec.minDocLength + Math.floor(uniform() * (spec.maxDocLength - spec.minDocLength + 1));
      expected.push(Array.from({ length }, () => lowerBound(uniform())));
    }
    const docs = syntheticCorpus(spec);
    expect(docs).toEqual(expected);

    const lists = new Map<number, { docs: number[]; tfs: number[] }>();
    docs.forEach((doc, id) => {
      const counts = new Map<number, number>();
      for (const t of doc) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, n] of [...counts].sort((a, b) => a[0] - b[0])) {
        const l = lists.get(t) ?? { docs: [], tfs: [] };
        l.docs.push(id);
        l.tfs.push(n);
        lists.set(t, l);
      }
    });
    const built = buildBm25Index(docs, spec.vocabulary);
    const differ: number[] = [];
    const same = (a: ArrayLike<number>, b: readonly number[]) => a.length === b.length && b.every((x, i) => a[i] === x);
    for (let t = 0; t < spec.vocabulary; t++) {
      const want = lists.get(t);
      const got = built.postings[t];
      const idf = want ? Math.log(1 + (docs.length - want.docs.length + 0.5) / (want.docs.length + 0.5)) : 0;
      const ok = want === undefined ? got === undefined : got !== undefined && same(got.docs, want.docs) && same(got.tfs, want.tfs) && built.idf[t] === idf;
      if (!ok) differ.push(t);
    }
    expect(lists.size).toBeGreaterThan(10_000);
    expect(differ).toEqual([]);
  });

  it('rejects term ids outside the vocabulary', () => {
    expect(() => buildBm25Index([[0, 5]], 4)).toThrow(/outside vocabulary/);
  });
});
