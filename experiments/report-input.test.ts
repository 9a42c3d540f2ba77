import { describe, expect, it } from 'vitest';
import { latencyChange, leaks, reportFigures, reportInput } from './report-input.js';
import { fintechComparison, measuredProfile } from '../reports/fixtures/load.js';
import { gateVerdict, Z95, type ArmThresholds } from '../sim/metrics/index.js';
import type { ComparisonResult } from '../sim/experiment/index.js';
import type { HardwareProfile } from '../bench/profile.js';

/** The histogram keeps each latency to within α = 0.5 % (sim/kernel/histogram.ts), so two p95s a and b differ by at most α/(1 − α)·(a + b) of error (DDSketch, Masson et al. 2019). */
const resolution = (a: number, b: number) => (0.005 / 0.995) * (a + b);

describe('latencyChange: the ± printed for a change in p95', () => {
  it('is the interval when that is wider than the histogram can resolve', () => {
    // −74 ms ± 20 ms at p95s of 1,518 and 1,444 ms: resolution 0.005/0.995 × 2,962 ≈ 14.9 ms < 20 ms.
    expect(latencyChange({ estimate: -74, ci95: [-94, -54] }, 1518, 1444)).toEqual({ estimateMs: -74, halfMs: 20, resolutionLimited: false, relative: -74 / 1518 });
  });

  it('is the resolution, said so, when the interval is narrower – never a false "± 0"', () => {
    // fintech-underwriting at 4 × 100,000: bigger-cpu-box's paired interval is ±0.3 ms; two p95s near 1.5 s resolve to about ±15 ms.
    const c = latencyChange({ estimate: -15.14, ci95: [-15.45, -14.84] }, 1518, 1503);
    expect(c.resolutionLimited).toBe(true);
    expect(c.halfMs).toBeCloseTo(resolution(1518, 1503), 12);
    expect(c.halfMs).toBeCloseTo(15.18, 2);
  });

  it('has no ± without an interval (one replication), and no relative change against a baseline of 0 ms', () => {
    expect(latencyChange({ estimate: 12, ci95: [NaN, NaN] }, 0, 12)).toEqual({ estimateMs: 12, halfMs: NaN, resolutionLimited: false, relative: NaN });
  });
});

describe('leaks: where the unsuccessful requests first went wrong', () => {
  const withAttribution = (attribution: { origin: string; count: number }[], failed: number): ComparisonResult => {
    const c = fintechComparison();
    return { ...c, baseline: { ...c.baseline, requests: 100, outcomes: { ...c.baseline.outcomes, success: 100 - failed }, attribution } };
  };

  it('shares of the unsuccessful requests with 95 % Wilson intervals, most first, ties by name, and the running total', () => {
    const list = leaks(withAttribution([{ origin: 'b', count: 5 }, { origin: 'a', count: 5 }, { origin: 'c', count: 10 }], 20));
    expect(list.map((l) => [l.origin, l.share, l.cumulative])).toEqual([['c', 0.5, 0.5], ['a', 0.25, 0.75], ['b', 0.25, 1]]);
    // All n of n: the Wilson interval is [n / (n + z²), 1] (Wilson 1927, with p̂ = 1).
    const [all] = leaks(withAttribution([{ origin: 'retrieval→analysis', count: 10 }], 10));
    expect(all.share).toBe(1);
    expect(all.low).toBeCloseTo(10 / (10 + Z95 ** 2), 12);
    expect(all.high).toBeCloseTo(1, 12);
  });

  it('the ten largest one by one, the rest summed into one row', () => {
    const attribution = Array.from({ length: 13 }, (_, i) => ({ origin: `s${String(i).padStart(2, '0')}`, count: 20 - i }));
    const list = leaks(withAttribution(attribution, 200));
    expect(list).toHaveLength(11);
    expect(list[10]).toMatchObject({ origin: '3 others', count: 10 + 9 + 8 });
  });
});

describe('reportFigures', () => {
  /** Machine B: every isolate of every kernel takes half A's time – a speedup of exactly 2 everywhere. */
  const twiceAsFast = (a: HardwareProfile): HardwareProfile => ({
    ...a,
    name: 'b',
    kernels: Object.fromEntries(Object.entries(a.kernels).map(([id, k]) => [id, { ...k, medianMs: k.medianMs / 2, runs: k.runs.map((r) => ({ ...r, medianMs: r.medianMs / 2 })) }])),
  });

  it('two profiles: the geometric-mean speedup over the kernels that did the same work, and how many are faster', () => {
    const a = measuredProfile();
    const b = twiceAsFast(a);
    const [first] = Object.keys(b.kernels);
    // A kernel that did other work on B leaves the mean (its own speedup is still listed).
    b.kernels[first] = { ...b.kernels[first], params: { ...b.kernels[first].params, changed: 1 } };
    const hw = reportFigures({ comparison: fintechComparison(), profiles: [a, b] }).hardware!;
    const n = Object.keys(a.kernels).length;
    expect(hw.comparison.kernels).toHaveLength(n);
    expect(hw.sameParamsKernels).toBe(n - 1);
    expect(hw.geometricMeanSpeedup).toBeCloseTo(2, 12);
    expect(hw.fasterKernels).toBe(n);
    expect(reportFigures({ comparison: fintechComparison(), profiles: [a] }).hardware).toBeUndefined();
  });

  it('thresholds: the verdict in the words the terminal prints, each measured value with digits enough not to look passed', () => {
    const arms: ArmThresholds[] = [
      { arm: 'baseline', pass: false, checks: [{ metric: 'successRate', op: '>=', value: 0.95, expression: '>= 0.95', actual: 0.949996, pass: false }] },
      { arm: 'fix', pass: false, checks: [{ metric: 'costUsd.perSuccess', op: '<', value: 0.05, expression: '< 0.05', actual: null, pass: false, note: 'no request succeeded' }] },
    ];
    const figures = reportFigures({ comparison: fintechComparison(), thresholds: gateVerdict('any', arms) });
    expect(figures.thresholds).toEqual({
      verdictLine: 'thresholds (gate any: at least one arm must pass every threshold): FAIL – no arm passes; failing: baseline fails 1 of 1; fix fails 1 of 1',
      actuals: [['0.949996'], [null]],
    });
  });
});

describe('reportInput', () => {
  it('keeps the results as they are, in their order, and adds the figures last', () => {
    const results = { comparison: fintechComparison(), scenarioFile: 'x.yaml' };
    const input = reportInput(results);
    expect(Object.keys(input)).toEqual(['comparison', 'scenarioFile', 'figures']);
    expect(input.comparison).toBe(results.comparison);
    expect(input.figures.variantP95).toHaveLength(results.comparison.variants.length);
  });
});
