import { describe, expect, it } from 'vitest';
import { dotScoresTs, exactTopKTs } from './kernels/exact.js';
import { TopKCollector, naiveTopK, selectTopK } from './kernels/topk.js';
import { fillUniformUnitVectors } from './kernels/vectors.js';

describe('exact top-k (TypeScript)', () => {
  for (const dim of [384, 768, 1536]) {
    it(`equals a naive full sort at dim ${dim}`, () => {
      const count = 700;
      const corpus = new Float32Array(count * dim);
      fillUniformUnitVectors(corpus, count, dim, dim);
      const queries = new Float32Array(5 * dim);
      fillUniformUnitVectors(queries, 5, dim, dim + 1);
      const scratch = new Float32Array(count);
      const collector = new TopKCollector(10);
      for (let q = 0; q < 5; q++) {
        const query = queries.subarray(q * dim, (q + 1) * dim);
        const fast = exactTopKTs(corpus, count, dim, query, scratch, collector);
        const naive = naiveTopK(corpus, count, dim, query, 10);
        expect(Array.from(fast.indices)).toEqual(Array.from(naive.indices));
        for (let i = 0; i < 10; i++) expect(fast.scores[i]).toBeCloseTo(naive.scores[i], 5);
      }
    });
  }

  it('breaks score ties by the lower index, like the naive sort', () => {
    const dim = 4;
    // rows 1 and 3 are identical, so their scores tie exactly
    const corpus = Float32Array.from([0, 0, 0, 1, 1, 0, 0, 0, 0.5, 0.5, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
    const query = Float32Array.from([1, 0, 0, 0]);
    const top = exactTopKTs(corpus, 5, dim, query, new Float32Array(5), new TopKCollector(3));
    expect(Array.from(top.indices)).toEqual([1, 3, 2]);
    expect(Array.from(naiveTopK(corpus, 5, dim, query, 3).indices)).toEqual([1, 3, 2]);
  });

  it('returns fewer than k items when the corpus is smaller than k', () => {
    const top = selectTopK(Float32Array.from([0.1, 0.9, 0.5]), 3, new TopKCollector(10));
    expect(Array.from(top.indices)).toEqual([1, 2, 0]);
  });

  it('keeps the k best whatever the push order', () => {
    const collector = new TopKCollector(3);
    for (const [index, score] of [[5, 0.2], [1, 0.9], [7, 0.9], [2, 0.1], [3, 0.95], [0, 0.2]] as const) collector.push(index, score);
    const top = collector.result();
    expect(Array.from(top.indices)).toEqual([3, 1, 7]);
  });

  it('computes the dot products', () => {
    const out = new Float32Array(2);
    dotScoresTs(Float32Array.from([1, 2, 3, 4, -1, 0, 1, 0]), 2, 4, Float32Array.from([1, 1, 1, 1]), out);
    expect(Array.from(out)).toEqual([10, 0]);
  });

  it('rejects k < 1', () => {
    expect(() => new TopKCollector(0)).toThrow(/k must be a positive integer/);
  });
});
