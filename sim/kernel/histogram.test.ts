import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { makeSampler, type DistSpec } from './dist.js';
import { LatencyHistogram } from './histogram.js';

const ALPHA = LatencyHistogram.relativeAccuracy;
/** Floating-point slack on α: log and ceil can put a value exactly on a bucket edge one bucket over. */
const ALPHA_SLACK = ALPHA * (1 + 1e-9);
const QS = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999];

function values(spec: DistSpec, n: number, seed: string): number[] {
  const s = makeSampler(spec), u = seedrandom.xor128(seed), out: number[] = [];
  for (let i = 0; i < n; i++) out.push(s.sample(u));
  return out;
}

function histogramOf(xs: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const x of xs) h.record(x);
  return h;
}

/** Exact lower-rank order statistic: the ceil(q·n)-th smallest value (q = 0 → min). */
function orderStatistic(sorted: readonly number[], q: number): number {
  return q === 0 ? sorted[0] : sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

describe('LatencyHistogram quantiles', () => {
  // The guarantee is deterministic, not statistical: the k-th smallest value lies in some bucket
  // (γ^(i−1), γ^i], the cumulative count first reaches k in that same bucket, and its
  // representative 2γ^i/(γ+1) is within relative error α of every point of the bucket
  // (Masson et al. 2019). So each quantile must be within α of the exact order statistic.
  // simple-statistics' quantileSorted interpolates (R type 7), so we index the sorted array.
  const cases: [string, DistSpec][] = [
    ['lognormal median 100 ms, p99 1 s', { dist: 'lognormal', medianMs: 100, p99Ms: 1000 }],
    ['exponential mean 50 ms', { dist: 'exponential', meanMs: 50 }],
    ['pareto shape 1.2 (heavy tail)', { dist: 'pareto', shape: 1.2, scaleMs: 20 }],
  ];
  it.each(cases)('%s: within α of the exact order statistics', (_name, spec) => {
    const xs = values(spec, 200_000, 'hist');
    const h = histogramOf(xs);
    const sorted = [...xs].sort((a, b) => a - b);
    for (const q of QS) {
      const exact = orderStatistic(sorted, q);
      expect(exact).toBeGreaterThanOrEqual(1e-3); // inside the indexable range, where α holds
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(ALPHA_SLACK);
    }
    expect([h.quantile(0), h.quantile(1)]).toEqual([sorted[0], sorted[sorted.length - 1]]);
    expect([h.count, h.minMs, h.maxMs]).toEqual([xs.length, sorted[0], sorted[sorted.length - 1]]);
    expect(h.sumMs / xs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('1 ms sits in bucket 0 = (1/γ, 1], whose representative is 2/(γ + 1) = 1 − α', () => {
    expect(histogramOf([0.5, 1, 3]).quantile(0.5)).toBeCloseTo(1 - ALPHA, 15);
    expect(histogramOf([1, 3]).quantile(0.5)).toBe(1); // 0.995 clamped up to the exact min
  });

  it('empty: count 0 and NaN statistics', () => {
    const h = new LatencyHistogram();
    expect([h.count, h.quantile(0.5), h.quantile(0), h.meanMs, h.minMs, h.maxMs]).toEqual([0, NaN, NaN, NaN, NaN, NaN]);
  });

  it('rejects q outside [0, 1] and values that are negative, NaN or infinite', () => {
    const h = histogramOf([1]);
    expect(() => h.quantile(1.5)).toThrow(RangeError);
    expect(() => h.quantile(NaN)).toThrow(RangeError);
    for (const bad of [-1, NaN, Infinity]) expect(() => h.record(bad)).toThrow(/valueMs must be a finite number >= 0/);
    expect(h.count).toBe(1);
  });
});

describe('LatencyHistogram range edges', () => {
  it('values below 1e-3 ms count in the zero bucket and report as 0 (clamped to min)', () => {
    const h = histogramOf([0, 5e-4, 10]);
    expect(h.toJSON().zeroCount).toBe(2);
    expect(h.quantile(0.5)).toBe(0);
    const tiny = histogramOf([5e-4, 6e-4]);
    expect(tiny.quantile(0.5)).toBe(5e-4); // zero-bucket value 0 clamped up to the exact min
  });

  it('values above 1e9 ms go to the top bucket and count as overflow; max stays exact', () => {
    const h = histogramOf([1, 2e9, 3e9]);
    expect([h.overflowCount, h.maxMs, h.quantile(1)]).toEqual([2, 3e9, 3e9]);
    // Rank 2 lands in the top bucket, whose representative is about 1e9 ms (within α of 1e9).
    expect(Math.abs(h.quantile(0.5) - 1e9) / 1e9).toBeLessThanOrEqual(2 * ALPHA_SLACK);
    expect(histogramOf([2e9]).quantile(0.5)).toBe(2e9); // clamped to [min, max]
  });

  it('record(v, also) records v in both histograms exactly as two separate records would, edges included', () => {
    const values = [0, 5e-4, 1e-3, 1, 2, 123.456, 1e9, 2e9];
    const pairA = new LatencyHistogram();
    const pairB = new LatencyHistogram();
    for (const v of values) pairA.record(v, pairB);
    const single = histogramOf(values);
    expect(pairA.toJSON()).toEqual(single.toJSON());
    expect(pairB.toJSON()).toEqual(single.toJSON());
    expect(single.toJSON().zeroCount).toBe(2);
    expect(single.overflowCount).toBe(1); // 1e9 itself is in range
  });

  it('memory does not grow: 10^6 records leave the bucket array length unchanged', () => {
    const h = new LatencyHistogram();
    const before = h.bucketCapacity;
    const u = seedrandom.xor128('mem');
    for (let i = 0; i < 1_000_000; i++) h.record(Math.exp(40 * u() - 10)); // ~4.5e-5 … 2.4e13 ms
    expect(h.bucketCapacity).toBe(before);
    // ceil(ln 1e9 / ln γ) − ceil(ln 1e-3 / ln γ) + 1 = 2073 − (−690) + 1, with ln γ = ln(1.005/0.995).
    expect(before).toBe(2764);
  });
});

describe('LatencyHistogram merge and JSON', () => {
  it('merging two halves equals recording everything (sum up to float reassociation)', () => {
    const xs = values({ dist: 'lognormal', mu: 4, sigma: 1.2 }, 100_000, 'merge');
    const whole = histogramOf(xs);
    const a = histogramOf(xs.slice(0, 40_000));
    a.merge(histogramOf(xs.slice(40_000)));
    const { sumMs: sumA, ...restA } = a.toJSON();
    const { sumMs: sumWhole, ...restWhole } = whole.toJSON();
    expect(restA).toEqual(restWhole);
    expect(sumA / sumWhole).toBeCloseTo(1, 12);
    for (const q of QS) expect(a.quantile(q)).toBe(whole.quantile(q));
  });

  it('merging an empty histogram changes nothing', () => {
    const h = histogramOf([3, 4]);
    const before = h.toJSON();
    h.merge(new LatencyHistogram());
    expect(h.toJSON()).toEqual(before);
  });

  it('toJSON is sparse: bucket i = ceil(ln v / ln γ); 1 → 0, 2 → 70 (69.31…), 5e9 → top 2073', () => {
    expect(histogramOf([0, 1, 1, 2, 5e9]).toJSON()).toEqual({
      v: 1, alpha: 0.005, count: 5, sumMs: 5_000_000_004, minMs: 0, maxMs: 5e9,
      zeroCount: 1, overflowCount: 1, offsets: [0, 70, 2073], counts: [2, 1, 1],
    });
    expect(new LatencyHistogram().toJSON()).toEqual({
      v: 1, alpha: 0.005, count: 0, sumMs: 0, minMs: 0, maxMs: 0, zeroCount: 0, overflowCount: 0, offsets: [], counts: [],
    });
  });

  it('round-trips exactly through JSON text', () => {
    const h = histogramOf(values({ dist: 'exponential', meanMs: 80 }, 50_000, 'json').concat([0, 2e9]));
    const back = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(h)));
    expect(back.toJSON()).toEqual(h.toJSON());
    for (const q of [0, ...QS, 1]) expect(back.quantile(q)).toBe(h.quantile(q));
    expect([back.count, back.sumMs, back.minMs, back.maxMs, back.overflowCount]).toEqual([h.count, h.sumMs, h.minMs, h.maxMs, h.overflowCount]);
    const empty = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(new LatencyHistogram())));
    expect([empty.count, empty.minMs, empty.quantile(0.5)]).toEqual([0, NaN, NaN]);
  });

  it('fromJSON rejects inconsistent input, naming the field', () => {
    const good = histogramOf([1, 2, 3]).toJSON();
    expect(() => LatencyHistogram.fromJSON({ ...good, alpha: 0.01 })).toThrow(/json\.alpha/);
    expect(() => LatencyHistogram.fromJSON({ ...good, count: 4 })).toThrow(/json\.count/);
    expect(() => LatencyHistogram.fromJSON({ ...good, offsets: [0, 70, 99999] })).toThrow(/json\.offsets\[2\]/);
    expect(() => LatencyHistogram.fromJSON({ ...good, counts: [1, 1] })).toThrow(/json\.offsets/);
    expect(() => LatencyHistogram.fromJSON({ ...good, overflowCount: 1 })).toThrow(/json\.overflowCount/);
  });
});
