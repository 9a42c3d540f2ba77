import { describe, expect, it } from 'vitest';
import { modelOf, singleStage } from '../test-support.js';
import { runReplication } from '../path/index.js';
import { summarizeComparison } from '../experiment/index.js';
import { clampInterval, pairedDifference } from './intervals.js';

describe('a rate difference and its interval stay within [−1, 1] (issue 12.20)', () => {
  it('clampInterval cuts the interval, keeps the estimate and NaN', () => {
    expect(clampInterval({ estimate: 0.1, ci95: [-6.25, 6.45] }, -1, 1)).toEqual({ estimate: 0.1, ci95: [-1, 1] });
    expect(clampInterval({ estimate: NaN, ci95: [NaN, NaN] }, -1, 1)).toEqual({ estimate: NaN, ci95: [NaN, NaN] });
  });

  it('two noisy replications: the paired t-interval runs past ±100 pp, the reported one does not', () => {
    // 10 requests a replication at 50 % error: per-replication rates move by tenths, and t(1) = 12.7.
    const base = modelOf(singleStage({ faults: { error: 0.5 } }, { requests: 10 }));
    const variant = modelOf(singleStage({ faults: { error: 0.4 } }, { requests: 10, seed: 99 }));
    const runs = (m: typeof base) => [0, 1].map((r) => runReplication(m, r));
    const b = runs(base);
    const v = runs(variant);
    const rate = (c: ReturnType<typeof runReplication>) => c.outcomes[0] / c.requestsFinished;
    const raw = pairedDifference(b.map(rate), v.map(rate));
    expect(raw.ci95[1] - raw.ci95[0]).toBeGreaterThan(2);
    const c = summarizeComparison({ model: base, scenarioHash: 'b', collectors: b }, [{ name: 'v', kind: 'coordination', model: variant, scenarioHash: 'v', collectors: v }]);
    const d = c.variants[0].delta.successRate;
    expect(d.estimate).toBeCloseTo(raw.estimate, 12);
    expect(d.ci95[0]).toBeGreaterThanOrEqual(-1);
    expect(d.ci95[1]).toBeLessThanOrEqual(1);
  });
});
