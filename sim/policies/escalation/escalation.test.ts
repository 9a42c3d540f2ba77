/** The escalation in a run. */
import { describe, expect, it } from 'vitest';
import { simulateInput as run, singleStage, expectInside } from '../../test-support.js';

describe('escalation', () => {
  it('escalates to a human pool and reports how many were resolved', () => {
    const r = run({
      ...singleStage({ faults: { error: 0.5 }, escalate: true }, { requests: 20_000, arrivals: { kind: 'poisson', rate: 5 } }),
      pools: { cpu: { servers: 1 }, human: { kind: 'human', servers: 50, pricePerHourUsd: 60 } },
      escalation: { pool: 'human', handlingTime: 1000, resolutionRate: 0.8, costUsd: 2 },
    });
    expect(r.outcomes.escalated).toBe(r.escalation.count);
    expectInside(r.outcomes.escalated, r.requests, 0.5);
    expectInside(r.escalation.resolved, r.escalation.count, 0.8);
    // Human cost: 1 s of a 60 $/h person per escalation, plus 2 $ each.
    expect(r.costUsd.breakdown.human).toBeCloseTo((r.escalation.count * 60) / 3600, 9);
    expect(r.costUsd.breakdown.escalation).toBe(2 * r.escalation.count);
  });
});
