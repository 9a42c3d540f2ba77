import { describe, expect, it } from 'vitest';
import { simulateInput as run, singleStage, expectInside, NO_WAIT } from '../test-support.js';
import type { ScenarioInput } from '../scenario/index.js';
import { OUTCOMES } from './outcomes.js';

describe('hand-offs: strict and lenient receivers', () => {



  it('a strict receiver turns a mismatch into a loud error; resume redoes only the producer with checkpoints', () => {
    const strict = (state: 'persisted' | 'fragmented'): ScenarioInput => ({
      name: 'strict',
      seed: 9,
      requests: 20_000,
      arrivals: { kind: 'fixed', interval: 10 },
      pools: { cpu: { servers: 1 } },
      state: { kind: state },
      stages: [
        { id: 'a', pool: 'cpu', latency: 1 },
        { id: 'b', pool: 'cpu', latency: 1 },
        { id: 'c', pool: 'cpu', latency: 1, handoff: { formatMismatch: 0.5, strict: true }, retry: { maxAttempts: 2, backoff: NO_WAIT } },
      ],
    });
    const p = run(strict('persisted'));
    const f = run(strict('fragmented'));
    expect(p.outcomes.silentFailure).toBe(0);
    expectInside(p.outcomes.success, p.requests, 0.75);
    expect(p.edges).toEqual([{ id: 'b→c', contextLoss: 0, formatMismatch: p.edges[0].formatMismatch }]);
    // With checkpoints only b is redone; without, a and b.
    const redos = p.stages[1].attempts - p.requests;
    expect(redos).toBeGreaterThan(0);
    expect(p.stages[0].attempts).toBe(p.requests);
    expect(f.stages[0].attempts - f.requests).toBe(f.stages[1].attempts - f.requests);
    expect(p.attribution[0].origin).toBe('b→c');
  });

  it('a lenient receiver builds on a mismatch silently, attributed to the edge', () => {
    const r = run({
      name: 'lenient',
      requests: 10_000,
      arrivals: { kind: 'fixed', interval: 10 },
      pools: { cpu: { servers: 1 } },
      stages: [
        { id: 'a', pool: 'cpu', latency: 1 },
        { id: 'b', pool: 'cpu', latency: 1, handoff: { formatMismatch: 0.2, contextLoss: 0.1 } },
      ],
    });
    expectInside(r.outcomes.silentFailure, r.requests, 0.3);
    expect(r.attribution).toEqual([{ origin: 'a→b', count: r.outcomes.silentFailure }]);
    expect(r.analytic!.silentFailureRate).toBeCloseTo(0.3, 12);
  });
});

describe('nested retries', () => {





  it('nested retries at five layers make 3^5 = 243 calls to a bottom that always fails', () => {
    const layer = (id: string, propagate: boolean) => ({
      id,
      pool: 'cpu',
      latency: 1,
      propagate,
      retry: { maxAttempts: 3, backoff: NO_WAIT },
    });
    const r = run({
      name: 'nested',
      requests: 10,
      arrivals: { kind: 'fixed', interval: 100_000 },
      pools: { cpu: { servers: 1 } },
      stages: [layer('l1', false), layer('l2', true), layer('l3', true), layer('l4', true), { ...layer('l5', true), faults: { error: 1 } }],
    });
    expect(r.stages.map((s) => s.attempts / r.requests)).toEqual([3, 9, 27, 81, 243]);
    expect(r.outcomes.failed).toBe(10);
  });
});

describe('outcomes and accounting', () => {
  const scenarios: [string, ScenarioInput][] = [
    ['success', singleStage({}, { requests: 100 })],
    ['silentFailure', singleStage({ faults: { corruption: 1 } }, { requests: 100 })],
    ['failed', singleStage({ faults: { error: 1 } }, { requests: 100 })],
    [
      'escalated',
      {
        ...singleStage({ faults: { error: 1 }, escalate: true }, { requests: 100 }),
        pools: { cpu: { servers: 1 }, human: { servers: 1 } },
        escalation: { pool: 'human', handlingTime: 1 },
      },
    ],
    ['timedOut', singleStage({ latency: 100 }, { requests: 100, deadline: 10 })],
    ['rejected', singleStage({ latency: 1000 }, { requests: 100, arrivals: { kind: 'fixed', interval: 1 }, pools: { cpu: { servers: 1, queueCapacity: 0 } } })],
  ];
  for (const [outcome, input] of scenarios) {
    it(`a scenario built for ${outcome} produces it, counts summing to the requests`, () => {
      const r = run(input);
      expect(r.outcomes[outcome as keyof typeof r.outcomes]).toBeGreaterThan(0);
      expect(OUTCOMES.reduce((s, o) => s + r.outcomes[o], 0)).toBe(100);
      expect(r.attribution.reduce((s, a) => s + a.count, 0)).toBe(100 - r.outcomes.success);
    });
  }
});
