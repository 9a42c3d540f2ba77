/** The hedging in a run. */
import { describe, expect, it } from 'vitest';
import { simulateInput as run, singleStage, expectInside } from '../../test-support.js';

describe('hedging', () => {
  it('hedges a slow attempt and the first result wins, extra cost counted', () => {
    const base = singleStage(
      { latency: { dist: 'exponential', mean: 100 }, tokens: { input: 1000, inputPricePerMTokUsd: 1 } },
      { requests: 20_000, pools: { cpu: { servers: 64 } }, arrivals: { kind: 'poisson', rate: 50 } },
    );
    const plain = run(base);
    const hedged = run({ ...base, stages: [{ ...base.stages[0], hedge: { delay: 100 } }] });
    // P(first attempt still running at 100 ms) = e^−1 for an exponential.
    expectInside(hedged.stages[0].hedges, hedged.requests, Math.exp(-1));
    expect(hedged.latencyMs.p99).toBeLessThan(plain.latencyMs.p99 * 0.8);
    expect(hedged.costUsd.breakdown.tokens).toBeCloseTo(plain.costUsd.breakdown.tokens * (1 + hedged.stages[0].hedges / hedged.requests), 9);
  });
});
