import { describe, expect, it } from 'vitest';
import { recallAtK } from './kernels/recall.js';

describe('recall@k', () => {
  it('is the mean share of the exact top-k found', () => {
    // query 1 finds 2 of {1, 2, 9}; query 2 finds 1 of {7, 8, 6} → (2 + 1) / 6
    expect(recallAtK([[1, 2, 3], [4, 5, 6]], [[1, 2, 9], [7, 8, 6]], 3)).toBe(0.5);
  });

  it('ignores order, counts duplicates once and looks only at the first k', () => {
    expect(recallAtK([[3, 2, 1]], [[1, 2, 3]], 3)).toBe(1);
    expect(recallAtK([[1, 1, 1]], [[1, 2, 3]], 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK([[9, 1, 2, 3]], [[1, 2, 3, 4]], 2)).toBe(0.5);
  });

  it('works on typed arrays', () => {
    expect(recallAtK([Int32Array.from([5, 6])], [Int32Array.from([6, 5])], 2)).toBe(1);
  });

  it('rejects mismatched inputs', () => {
    expect(() => recallAtK([[1]], [], 1)).toThrow(/1 approximate results vs 0 exact/);
    expect(() => recallAtK([[1]], [[1]], 2)).toThrow(/has 1 < k = 2/);
    expect(() => recallAtK([], [], 1)).toThrow(/no queries/);
  });
});
