import { describe, expect, it } from 'vitest';
import { simulateModel } from '../path/index.js';
import { modelOf, singleStage } from '../test-support.js';
import type { ScenarioInput } from '../scenario/index.js';

const run = (input: ScenarioInput) => simulateModel(modelOf(input));

const TOKENS = { input: 1000, output: 0, inputPricePerMTokUsd: 3, outputPricePerMTokUsd: 15 };

describe('costOf: spend and the assumed penalty apart', () => {
  it('a fault-free run spends exactly tokens + busy time × price, and assumes no penalty', () => {
    // 100 calls of 1,000 input tokens at $3 per million: $0.30. One server busy 1 s per call at $3.60/h: 100 s × $0.001/s = $0.10.
    const r = run({
      ...singleStage({ latency: 1000, tokens: TOKENS }, { requests: 100, arrivals: { kind: 'fixed', interval: 2000 }, pools: { cpu: { servers: 1, pricePerHourUsd: 3.6 } } }),
      costs: { silentFailureUsd: 150 },
    });
    expect(r.outcomes.success).toBe(100);
    expect(r.costUsd.breakdown.tokens).toBeCloseTo(0.3, 12);
    expect(r.costUsd.breakdown.compute).toBeCloseTo(0.1, 12);
    expect(r.costUsd.spend.total).toBeCloseTo(0.4, 12);
    expect(r.costUsd.spend.perSuccess).toBeCloseTo(0.004, 12);
    expect(r.costUsd.assumedPenalty).toEqual({ total: 0, perRequest: 0, perSuccess: 0, perSilentFailure: 150 });
    expect(r.costUsd.perSuccess).toBe(r.costUsd.spend.perSuccess);
  });

  it('every silent failure adds the scenario’s assumed cost to the penalty, never to the spend', () => {
    const r = run({
      ...singleStage(
        { latency: 1000, faults: { corruption: 1 }, tokens: TOKENS },
        { requests: 100, arrivals: { kind: 'fixed', interval: 2000 }, pools: { cpu: { servers: 1, pricePerHourUsd: 3.6 } } },
      ),
      costs: { silentFailureUsd: 150 },
    });
    expect(r.outcomes.silentFailure).toBe(100);
    // The same work is paid for whether or not its output is wrong: $0.40.
    expect(r.costUsd.spend.total).toBeCloseTo(0.4, 12);
    expect(r.costUsd.assumedPenalty.total).toBe(15_000);
    expect(r.costUsd.assumedPenalty.perRequest).toBe(150);
    // Nothing succeeded: no figure per success, of either kind.
    expect([r.costUsd.perSuccess, r.costUsd.spend.perSuccess, r.costUsd.assumedPenalty.perSuccess]).toEqual([null, null, null]);
  });

  it('the totals are the sum of spend and penalty, and spend is tokens + compute + human + escalation handling', () => {
    const r = run({
      ...singleStage(
        { faults: { error: 0.2, corruption: 0.1 }, escalate: true, tokens: { input: 500, output: 100, inputPricePerMTokUsd: 3, outputPricePerMTokUsd: 15 } },
        { requests: 5000, pools: { cpu: { servers: 2, pricePerHourUsd: 0.4 }, human: { kind: 'human', servers: 5, pricePerHourUsd: 50 } } },
      ),
      escalation: { pool: 'human', handlingTime: 5000, costUsd: 1 },
      costs: { silentFailureUsd: 100 },
    });
    const { breakdown: b, spend, assumedPenalty } = r.costUsd;
    expect(r.outcomes.silentFailure).toBeGreaterThan(0);
    expect(b.human).toBeGreaterThan(0);
    expect(spend.total).toBe(b.tokens + b.compute + b.human + b.escalation);
    expect(assumedPenalty.total).toBe(100 * r.outcomes.silentFailure);
    expect(r.costUsd.total).toBe(spend.total + assumedPenalty.total);
    expect(spend.perSuccess).toBe(spend.total / r.outcomes.success);
    expect(assumedPenalty.perSuccess).toBe(assumedPenalty.total / r.outcomes.success);
    expect(spend.perRequest).toBe(spend.total / r.requests);
    // Every attempt pays its tokens: 500 in at $3/MTok, 100 out at $15/MTok.
    expect(b.tokens).toBeCloseTo((r.stages[0].attempts * (500 * 3 + 100 * 15)) / 1e6, 9);
  });
});
