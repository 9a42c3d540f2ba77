import { describe, expect, it } from 'vitest';
import { interventionGroup, interventions, rankInterventions, type Intervention, type Objective } from './sensitivity.js';
import type { VariantDelta } from './comparison.js';
import { modelOf } from '../test-support.js';

const est = (estimate: number) => ({ estimate, ci95: [estimate - 0.01, estimate + 0.01] as [number, number] });

/** A row with Δ task success `success` (a share) and Δ cost per success `cost` (USD). */
function row(name: string, kind: Intervention['kind'], success: number, cost: number) {
  const delta: VariantDelta = {
    successRate: est(success),
    silentFailureRate: est(0),
    p95Ms: est(0),
    costPerSuccessUsd: est(cost),
    spendPerSuccessUsd: est(0),
    assumedPenaltyPerSuccessUsd: est(cost),
  };
  return { name, kind, delta };
}

describe('interventions', () => {
  it('on a graph a fault-free hand-off patches the stage the edge enters; edges into one stage share one intervention', () => {
    const model = modelOf({
      name: 't',
      arrivals: { kind: 'poisson', rate: 1 },
      pools: { cpu: { servers: 1 } },
      handoffs: { contextLoss: 0.01 },
      stages: ['router', 'rag', 'tools', 'answer'].map((id) => ({ id, pool: 'cpu', latency: 1 })),
      graph: { next: { router: { route: { rag: 0.5, tools: 0.5 } }, rag: 'answer', tools: 'answer' } },
    });
    const handoffs = interventions(model, []).filter((i) => i.kind === 'fault-free hand-off');
    expect(handoffs.map((i) => [i.name, Object.keys((i.patch as { stages: object }).stages)[0]])).toEqual([
      ['router→rag hand-off fault-free', 'rag'],
      ['router→tools hand-off fault-free', 'tools'],
      ['hand-offs into answer fault-free', 'answer'],
    ]);
  });

  it('fault-free stages and hand-offs are what-if bounds; policies of coordination variants and compute variants are options', () => {
    const model = modelOf({
      name: 't',
      seed: 1,
      requests: 10,
      arrivals: { kind: 'poisson', rate: 1 },
      pools: { cpu: { servers: 1 } },
      stages: [
        { id: 'a', pool: 'cpu', latency: 1, faults: { error: 0.1 } },
        // A stage's hand-off is the edge into it: a→b.
        { id: 'b', pool: 'cpu', latency: 1, handoff: { contextLoss: 0.2 } },
      ],
    });
    const list = interventions(model, [
      { name: 'fix', kind: 'coordination', patch: { stages: { b: { validate: { catchRate: 0.9 }, retry: { maxAttempts: 2 }, timeout: 500 } } } },
      { name: 'faster', kind: 'compute', patch: { stages: { a: { latency: 0.5 } } } },
    ]);
    expect(list.map((iv) => [iv.name, iv.kind, interventionGroup(iv.kind)])).toEqual([
      ['a fault-free', 'fault-free stage', 'what-if'],
      ['a→b hand-off fault-free', 'fault-free hand-off', 'what-if'],
      // In the policies' nesting order (policies/registry.ts); the attempt
      // timeout was once missing from a hand-kept list and silently dropped.
      ['fix: b retry', 'coordination', 'option'],
      ['fix: b timeout', 'coordination', 'option'],
      ['fix: b validate', 'coordination', 'option'],
      ['faster', 'compute', 'option'],
    ]);
  });
});

describe('rankInterventions', () => {
  it('ranks options and what-if bounds apart, each by Δ task success, ties by Δ cost per success (lower first), then name', () => {
    const rows = [
      row('gpu', 'compute', 0, 0),
      row('validate', 'coordination', 0, -54),
      row('hand-off fault-free', 'fault-free hand-off', 0.237, -30),
      row('retry', 'coordination', 0.05, 0.2),
      row('stage fault-free', 'fault-free stage', 0.01, -1),
      row('also gpu', 'compute', 0, 0),
    ];
    const { options, whatIf } = rankInterventions(rows);
    // The validation that removes $54 of assumed penalty per success no longer ties with the GPU behind a bound nobody can buy.
    expect(options.map((r) => r.name)).toEqual(['retry', 'validate', 'also gpu', 'gpu']);
    expect(whatIf.map((r) => r.name)).toEqual(['hand-off fault-free', 'stage fault-free']);
  });

  it('ranks by the chosen objective – lower spend, total cost or p95 first – with Δ task success breaking ties', () => {
    const withDeltas = (name: string, success: number, spend: number, penalty: number, p95: number) => ({
      name,
      kind: 'coordination' as const,
      delta: { successRate: est(success), silentFailureRate: est(0), p95Ms: est(p95), spendPerSuccessUsd: est(spend), assumedPenaltyPerSuccessUsd: est(penalty), costPerSuccessUsd: est(spend + penalty) },
    });
    const rows = [withDeltas('validate', 0.1, 0.02, -0.5, 40), withDeltas('cache', 0, -0.01, 0, -300), withDeltas('retry', 0.05, 0.01, -0.2, 900), withDeltas('same-spend', 0.2, -0.01, 0, 0)];
    const names = (o: Objective) => rankInterventions(rows, o).options.map((r) => r.name);
    expect(names('success')).toEqual(['same-spend', 'validate', 'retry', 'cache']);
    // cache and same-spend both save $0.01: the one that also raises success comes first.
    expect(names('spend-per-success')).toEqual(['same-spend', 'cache', 'retry', 'validate']);
    expect(names('total-cost')).toEqual(['validate', 'retry', 'same-spend', 'cache']);
    expect(names('p95')).toEqual(['cache', 'same-spend', 'validate', 'retry']);
  });

  it('puts a row whose Δ could not be measured last', () => {
    const { options } = rankInterventions([row('unmeasured', 'coordination', NaN, NaN), row('worse', 'coordination', -0.1, 0), row('no cost', 'coordination', -0.1, NaN)]);
    expect(options.map((r) => r.name)).toEqual(['worse', 'no cost', 'unmeasured']);
  });
});
