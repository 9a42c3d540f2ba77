/**
 * Model routing (llm.route): a share of requests goes to a cheaper
 * definition, each request the same way on every visit. Expected values by
 * hand: success is the share-weighted mix of the two definitions' pass
 * probabilities; the routed share is a binomial proportion.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../scenario/index.js';
import { simulateModel, type TraceEvent } from '../path/index.js';
import { expectInside, modelOf, simulateInput } from '../test-support.js';

function routed(share: number, requests = 40_000): ScenarioInput {
  return {
    name: 'route',
    seed: 11,
    requests,
    arrivals: { kind: 'poisson', rate: 50 },
    pools: { external: { servers: 500 } },
    providers: {
      p: {
        models: {
          strong: { ttft: 400, tpot: 10, inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
          weak: { ttft: 200, tpot: 5, inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 },
        },
      },
    },
    stages: [
      {
        id: 'answer',
        pool: 'external',
        faults: { error: 0.05 },
        retry: { maxAttempts: 2, backoff: { base: 0, jitter: 'none' } },
        llm: { provider: 'p', model: 'strong', inputTokens: 1000, outputTokens: 100, route: { to: 'cheap', share } },
      },
    ],
    fallbacks: [{ id: 'cheap', pool: 'external', faults: { error: 0.2 }, retry: { maxAttempts: 2, backoff: { base: 0, jitter: 'none' } }, llm: { provider: 'p', model: 'weak', inputTokens: 1000, outputTokens: 100 } }],
  };
}

describe('model routing', () => {
  it('sends the share to the routed definition and mixes the two pass probabilities', () => {
    const share = 0.7;
    const r = simulateInput(routed(share));
    const n = r.requests;
    const routedCount = r.fallbacks[0].routed;
    expectInside(routedCount, n, share);
    // Each request passes with 1 − 0.2² on the weak model, 1 − 0.05² on the strong one (two attempts, transient errors).
    expectInside(r.outcomes.success, n, share * (1 - 0.2 ** 2) + (1 - share) * (1 - 0.05 ** 2));
    // Cost: every call pays its own model's price – 1000 in and 100 out, by the calls each made.
    const weakCall = (1000 * 0.15 + 100 * 0.6) / 1e6;
    const strongCall = (1000 * 2.5 + 100 * 10) / 1e6;
    expect(r.costUsd.breakdown.tokens).toBeCloseTo(r.fallbacks[0].attempts * weakCall + r.stages[0].attempts * strongCall, 9);
  });

  it('routes a request the same way on every attempt and visit', () => {
    const defsByRequest = new Map<number, Set<string>>();
    simulateModel(modelOf(routed(0.5, 3000)), {
      onTrace: (e: TraceEvent) => {
        if (e.kind !== 'start' || e.stage === undefined) return;
        const seen = defsByRequest.get(e.request) ?? new Set<string>();
        seen.add(e.stage);
        defsByRequest.set(e.request, seen);
      },
    });
    expect(defsByRequest.size).toBe(3000);
    for (const seen of defsByRequest.values()) expect(seen.size).toBe(1);
  });

  it('a share of 0 and of 1 route nothing and everything', () => {
    expect(simulateInput(routed(0, 2000)).fallbacks[0].attempts).toBe(0);
    expect(simulateInput(routed(1, 2000)).stages[0].attempts).toBe(0);
  });
});
