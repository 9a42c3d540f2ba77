import { describe, expect, it } from 'vitest';
import type { KernelSpec } from './catalog.js';
import { toKernelResult } from './harness.js';
import { aggregateIsolates, spreadOf, summarizeSamples } from './stats.js';

describe('summarizeSamples (injected timings)', () => {
  it('computes type-7 quantiles, MAD and moments', () => {
    // 1 … 10 ms, shuffled. Type 7: p50 at index 4.5 → 5.5; p75 at 6.75 → 7.75; p99 at 8.91 → 9.91; p99.9 at 8.991 → 9.991.
    // MAD: |x − 5.5| = 4.5 3.5 2.5 1.5 .5 .5 1.5 2.5 3.5 4.5 → median 2.5.
    const s = summarizeSamples([3, 9, 1, 10, 5, 2, 8, 4, 7, 6]);
    expect(s).toEqual({
      samples: 10,
      meanMs: 5.5,
      medianMs: 5.5,
      p50Ms: 5.5,
      p75Ms: 7.75,
      p99Ms: expect.closeTo(9.91, 12),
      p999Ms: expect.closeTo(9.991, 12),
      madMs: 2.5,
      minMs: 1,
      maxMs: 10,
      sdMs: expect.closeTo(3.0276503540974917, 12), // √(82.5 / 9)
    });
  });

  it('handles a single sample', () => {
    expect(summarizeSamples([2])).toMatchObject({ samples: 1, medianMs: 2, p99Ms: 2, madMs: 0, sdMs: 0 });
  });

  it('rejects empty and invalid samples', () => {
    expect(() => summarizeSamples([])).toThrow(/no samples/);
    expect(() => summarizeSamples([1, Number.NaN])).toThrow(/invalid sample/);
  });
});

describe('aggregating isolates', () => {
  const isolate = (medianMs: number, meanMs: number, p99Ms: number) => ({ ...summarizeSamples([medianMs]), medianMs, p50Ms: medianMs, meanMs, p99Ms });

  it('takes medians of isolate figures and the mean of isolate means', () => {
    const figures = aggregateIsolates([isolate(1, 1.2, 3), isolate(2, 2.4, 5), isolate(1.1, 1.2, 4)]);
    expect(figures.medianMs).toBe(1.1);
    expect(figures.p99Ms).toBe(4);
    expect(figures.meanMs).toBeCloseTo(1.6, 12);
    expect(figures.throughputPerSec).toBeCloseTo(625, 9); // 1000 / 1.6
    expect(figures.spread).toEqual({ ratio: 2, minMedianMs: 1, maxMedianMs: 2, flagged: true });
  });

  it('flags disagreement above 1.3× only', () => {
    expect(spreadOf([1, 1.3]).flagged).toBe(false);
    expect(spreadOf([1, 1.31]).flagged).toBe(true);
    expect(spreadOf([2, 2, 2])).toEqual({ ratio: 1, minMedianMs: 2, maxMedianMs: 2, flagged: false });
  });

  it('turns raw isolate measurements into a profile entry with derived GB/s', () => {
    const spec: KernelSpec = { id: 'memory.stream-read', group: 'memory', suite: 'stream', title: 'read', quick: true, params: { bytes: 1e6 } };
    const m = (samplesMs: number[]) => ({ id: spec.id, samplesMs, batch: 1, tinybenchRmePct: 0.5, work: { bytes: 1e6 }, quality: {} });
    const result = toKernelResult(
      spec,
      [
        { isolate: 0, setupMs: 5, m: m([0.1, 0.1, 0.1]) },
        { isolate: 1, setupMs: 5, m: m([0.1, 0.12, 0.08]) },
        { isolate: 2, setupMs: 5, m: m([0.2, 0.2, 0.2]) },
      ],
      1.3,
    );
    expect(result.medianMs).toBe(0.1);
    expect(result.derived).toEqual({ gbPerSec: 10 }); // 1e6 bytes in 0.1 ms
    expect(result.spread.flagged).toBe(true);
    expect(result.runs.map((r) => r.isolate)).toEqual([0, 1, 2]);
  });
});
