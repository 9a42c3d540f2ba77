import { describe, expect, it } from 'vitest';
import { quantileDifference, quantileResolutionMs } from './quantile-delta.js';
import { compareModels } from '../experiment/index.js';
import { modelOf } from '../test-support.js';
import type { ScenarioInput } from '../scenario/index.js';

describe('quantileDifference: the pooled difference with a sectioning interval', () => {
  it('centres on the pooled difference; half-width t(0.975, 3)·s/√4 of the paired differences', () => {
    // Paired differences −52, −49, −48, −54: mean −50.75, s² = 22.75/3, s/√4 = 1.37689;
    // t(0.975, 3) = 3.182446 (any t table) → half-width 4.38186. The centre is the
    // pooled difference, 950 − 1000 = −50, not the mean of the differences.
    const d = quantileDifference({ baseline: 1000, variant: 950 }, { baseline: [1000, 1010, 990, 1005], variant: [948, 961, 942, 951] });
    expect(d.estimate).toBe(-50);
    expect(d.ci95[0]).toBeCloseTo(-54.38186, 4);
    expect(d.ci95[1]).toBeCloseTo(-45.61814, 4);
  });

  it('has no interval with one replication, or when a replication measured nothing', () => {
    expect(quantileDifference({ baseline: 10, variant: 12 }, { baseline: [10], variant: [12] })).toEqual({ estimate: 2, ci95: [NaN, NaN] });
    expect(quantileDifference({ baseline: 10, variant: 12 }, { baseline: [10, NaN], variant: [12, 11] })).toEqual({ estimate: 2, ci95: [NaN, NaN] });
    expect(() => quantileDifference({ baseline: 1, variant: 1 }, { baseline: [1, 2], variant: [1] })).toThrow(RangeError);
  });

  it('resolution: α/(1 − α)·(a + b) with the histogram’s α = 0.005', () => {
    expect(quantileResolutionMs(1000, 990)).toBeCloseTo((0.005 / 0.995) * 1990, 10);
    expect(quantileResolutionMs(NaN, 1)).toBeNaN();
  });
});

describe('compareModels: one p95 change for every output', () => {
  it('Δ p95 is the variant’s p95 minus the baseline’s, the p95s each arm reports', () => {
    const base: ScenarioInput = {
      name: 'p95-delta',
      seed: 5,
      requests: 3000,
      arrivals: { kind: 'poisson', rate: 150 },
      pools: { cpu: { servers: 2 } },
      stages: [
        { id: 'a', pool: 'cpu', latency: { dist: 'exponential', mean: 5 } },
        { id: 'b', pool: 'cpu', latency: { dist: 'lognormal', median: 4, p99: 40 } },
      ],
    };
    const faster: ScenarioInput = { ...base, pools: { cpu: { servers: 3 } } };
    const c = compareModels(modelOf(base), [{ name: 'more-cpu', kind: 'compute', model: modelOf(faster), scenarioHash: '' }], { replications: 4 });
    const v = c.variants[0];
    expect(v.delta.p95Ms.estimate).toBe(v.result.latencyMs.p95 - c.baseline.latencyMs.p95);
    expect(v.delta.p95Ms.ci95[0]).toBeLessThan(v.delta.p95Ms.estimate);
    expect(v.delta.p95Ms.ci95[1]).toBeGreaterThan(v.delta.p95Ms.estimate);
  });
});
