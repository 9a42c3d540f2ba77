import { describe, expect, it } from 'vitest';
import { compareProfiles, formatCompareLines, formatCompareMarkdown, speedupFromMedians } from './compare.js';
import { fixtureProfile } from './profile-fixture.js';
import { tCritical95 } from './student-t.js';

describe('speedup arithmetic', () => {
  it('is exact when every isolate agrees', () => {
    expect(speedupFromMedians([2, 2, 2], [1, 1, 1])).toEqual({ speedup: 2, plusMinus: 0, ci95: [2, 2] });
  });

  it('uses geometric means, hyperfine propagation and a Welch interval on logs', () => {
    // A's log medians are ln 4 + {0, +0.1, −0.1}: geometric mean 4, sd of logs 0.1; B is constant 2.
    const a = [4, 4 * Math.exp(0.1), 4 * Math.exp(-0.1)];
    const est = speedupFromMedians(a, [2, 2, 2]);
    expect(est.speedup).toBeCloseTo(2, 12);
    // ± = 2 · sd(A)/mean(A) = 2 · 0.400834/4.013344 = 0.199750 (values from Python's statistics module)
    expect(est.plusMinus).toBeCloseTo(0.19975, 5);
    // se = √(0.1²/3) = 0.057735, Welch df = 2, t = 4.303 → 2·e^(∓0.248436) = [1.560043, 2.564032]
    expect(est.ci95![0]).toBeCloseTo(1.560043, 5);
    expect(est.ci95![1]).toBeCloseTo(2.564032, 5);
  });

  it('has no interval with a single isolate on a side', () => {
    expect(speedupFromMedians([3], [1, 1, 1]).ci95).toBeNull();
  });

  it('rejects empty sides and non-positive medians', () => {
    expect(() => speedupFromMedians([], [1])).toThrow(/at least one isolate/);
    expect(() => speedupFromMedians([0, 1], [1])).toThrow(/positive/);
  });
});

describe('Student t critical values', () => {
  it('matches the table and interpolates in 1/df', () => {
    expect(tCritical95(2)).toBe(4.303);
    expect(tCritical95(30)).toBe(2.042);
    expect(tCritical95(1e9)).toBeCloseTo(1.96, 6);
    // between 40 (2.021) and 60 (2.000): 1/48 lies 0.5 of the way from 1/60 to 1/40
    expect(tCritical95(48)).toBeCloseTo(2.0105, 10);
  });
});

describe('compareProfiles', () => {
  const a = fixtureProfile('box-a', {
    'retrieval.bm25': [2, 2, 2],
    'orchestration.json-state': [0.1, 0.1, 0.1],
    'ingress.hmac-sha256': [0.004, 0.004, 0.004],
  });
  const b = fixtureProfile('box-b', {
    'retrieval.bm25': [1, 1, 1],
    'orchestration.json-state': [0.2, 0.2, 0.2],
    'memory.stream-read': [5, 5, 5],
  });
  const comparison = compareProfiles(a, b);

  it('pairs kernels and lists the unpaired ones', () => {
    expect(comparison.kernels.map((k) => [k.id, Number(k.speedup.toFixed(12)), k.significant])).toEqual([
      ['retrieval.bm25', 2, true],
      ['orchestration.json-state', 0.5, true],
    ]);
    expect(comparison.onlyInA).toEqual(['ingress.hmac-sha256']);
    expect(comparison.onlyInB).toEqual(['memory.stream-read']);
    expect(comparison.groups.map((g) => ({ ...g, geometricMeanSpeedup: Number(g.geometricMeanSpeedup.toFixed(12)) }))).toEqual([
      { group: 'retrieval', kernels: 1, geometricMeanSpeedup: 2 },
      { group: 'orchestration', kernels: 1, geometricMeanSpeedup: 0.5 },
    ]);
  });

  it('flags kernels whose fixture parameters differ', () => {
    const changed = fixtureProfile('box-c', { 'retrieval.bm25': [1, 1, 1] });
    changed.kernels['retrieval.bm25'].params.docs = 1;
    expect(compareProfiles(a, changed).kernels[0].paramsDiffer).toBe(true);
  });

  it('prints hyperfine-style lines', () => {
    expect(formatCompareLines(comparison).join('\n')).toMatchInlineSnapshot(`
      "Comparing 'box-b' (B) against 'box-a' (A); speedup > 1 means B is faster.
      Times are geometric means of the per-isolate medians; the speedup is their ratio.

      retrieval.bm25            A   2.00 ms  B   1.00 ms
                                'box-b' ran 2.00 ± 0.00 times faster than 'box-a'  (95% CI of speedup 2.00–2.00)
      orchestration.json-state  A    100 µs  B    200 µs
                                'box-b' ran 2.00 ± 0.00 times slower than 'box-a'  (95% CI of speedup 0.50–0.50)

      Geometric mean speedup per group:
        retrieval      2.00× over 1 kernel
        orchestration  0.50× over 1 kernel

      Only in 'box-a': ingress.hmac-sha256

      Only in 'box-b': memory.stream-read"
    `);
  });

  it('renders a Markdown table', () => {
    expect(formatCompareMarkdown(comparison)).toMatchInlineSnapshot(`
      "| kernel | box-a (A) | box-b (B) | speedup B/A | ± | 95% CI | notes |
      |---|---:|---:|---:|---:|---:|---|
      | \`retrieval.bm25\` | 2.00 ms | 1.00 ms | 2.00× | 0.00 | 2.00–2.00 |  |
      | \`orchestration.json-state\` | 100 µs | 200 µs | 0.50× | 0.00 | 0.50–0.50 |  |
      | **retrieval** (geometric mean, 1) | | | **2.00×** | | | |
      | **orchestration** (geometric mean, 1) | | | **0.50×** | | | |
      "
    `);
  });
});
