import { describe, expect, it } from 'vitest';
import { compareProfiles, formatCompareLines, formatCompareMarkdown, speedupFromMedians } from './compare.js';
import { fixtureProfile } from './profile-fixture.js';

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
    // se = √(0.1²/3) = 0.057735, Welch df = 2, t_{0.975, 2} = 0.95/√(2·0.975·0.025) = 4.302653
    // (closed form) → 2·e^(∓0.248414) = [1.560074, 2.563981]
    expect(est.ci95![0]).toBeCloseTo(1.560074, 5);
    expect(est.ci95![1]).toBeCloseTo(2.563981, 5);
  });

  it('has no interval with a single isolate on a side', () => {
    expect(speedupFromMedians([3], [1, 1, 1]).ci95).toBeNull();
  });

  it('rejects empty sides and non-positive medians', () => {
    expect(() => speedupFromMedians([], [1])).toThrow(/at least one isolate/);
    expect(() => speedupFromMedians([0, 1], [1])).toThrow(/positive/);
  });
});

describe('Welch interval with fractional degrees of freedom', () => {
  it('uses the exact t quantile at the Welch–Satterthwaite df, not a table', () => {
    // A: ln 4 + {0, ±0.1} (3 isolates), B: ln 2 + {0, ±0.2, 0} (4 isolates): speedup 2,
    // va = 0.01/3, vb = (0.08/3)/4, se = 0.1, df = 0.01²/(va²/2 + vb²/3) = 54/11 = 4.909…
    // t_{0.975, 54/11} = 2.5849660476057963 (mpmath 1.3, 30 digits; scipy 1.17
    // stats.t.ppf gives 2.5849660476057954) → 2·e^(∓0.1 t) = [1.5444233057763575,
    // 2.5899635061446204]. The NIST table interpolated in 1/df gave t = 2.58619 and
    // [1.544235, 2.590279], up to 3.2e-4 off.
    const e = (x: number) => Math.exp(x);
    const est = speedupFromMedians([4, 4 * e(0.1), 4 * e(-0.1)], [2, 2 * e(0.2), 2 * e(-0.2), 2]);
    expect(est.speedup).toBeCloseTo(2, 14);
    expect(est.ci95![0]).toBeCloseTo(1.5444233057763575, 13);
    expect(est.ci95![1]).toBeCloseTo(2.5899635061446204, 13);
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
