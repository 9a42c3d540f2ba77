/**
 * Graphs against their closed forms: routing mixtures Σ pᵢrᵢ, series-parallel
 * reliability (all-join Πrᵢ, any-join 1 − Π(1 − rᵢ), quorum and majority
 * vote as binomial sums), a loop with geometric iterations E[r^N] = p·r / (1
 * − (1 − p)r), its mean iterations under a step limit (1 − (1 − p)^L)/p, a
 * map over Poisson items E[r^N] = e^{λ(r − 1)}, and fork-join latency of n
 * exponential branches without queueing, H_n/μ (the mean of the largest of n
 * exponentials: Nelson & Tantawi, IEEE Trans. Computers 37(6), 1988). Each
 * expected value comes from the formula, never from a run; seeded, so
 * nothing flakes.
 */
import { describe, it, expect } from 'vitest';
import { modelOf, simulateInput, expectInside } from '../test-support.js';
import { simulateModel } from './simulate.js';
import { PipelineSimulation, type TraceEvent } from './composites.js';
import type { ScenarioInput } from '../scenario/index.js';

type Stage = ScenarioInput['stages'][number];

const stage = (id: string, extra: Partial<Stage> = {}): Stage => ({ id, pool: 'cpu', latency: 1, ...extra });
const err = (id: string, error: number): Stage => stage(id, { faults: { error } });
const bad = (id: string, corruption: number): Stage => stage(id, { faults: { corruption } });

function graphScenario(stages: Stage[], graph: NonNullable<ScenarioInput['graph']>, rest: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: 'graph',
    seed: 11,
    requests: 20_000,
    arrivals: { kind: 'poisson', rate: 100 },
    pools: { cpu: { servers: 1000 } },
    stages,
    graph,
    ...rest,
  };
}

const N = 20_000;

describe('routing', () => {
  it('a router splits requests by its shares: success is the mixture Σ pᵢ rᵢ, visits follow the shares', () => {
    const r = simulateInput(
      graphScenario([stage('router'), err('rag', 0.1), err('tools', 0.4)], { next: { router: { route: { rag: 0.7, tools: 0.3 } } } }),
    );
    expectInside(r.outcomes.success, N, 0.7 * 0.9 + 0.3 * 0.6);
    expect(r.analytic!.successRate).toBeCloseTo(0.7 * 0.9 + 0.3 * 0.6, 12);
    const visits = Object.fromEntries(r.graph!.nodes.map((n) => [n.id, n.visitsPerRequest]));
    expect(visits.router).toBe(1);
    expectInside(visits.rag * N, N, 0.7);
    expect(visits.rag + visits.tools).toBeCloseTo(1, 12);
    expect(r.analytic!.graph!.visitsPerRequest).toEqual({ router: 1, rag: expect.closeTo(0.7, 12), tools: expect.closeTo(0.3, 12) });
  });

  it('onFailure: a failure the stage cannot absorb goes to a repair node instead of failing the request', () => {
    // analyze fails 30 %; the repair succeeds 80 % → success 0.7 + 0.3 × 0.8.
    const r = simulateInput(graphScenario([stage('retrieve'), err('analyze', 0.3), stage('answer'), err('repair', 0.2)], {
      next: { retrieve: 'analyze', analyze: 'answer', repair: 'answer' },
      onFailure: { analyze: 'repair' },
    }));
    expectInside(r.outcomes.success, N, 0.7 + 0.3 * 0.8);
    // Every failure's first fault is analyze's or repair's.
    expect(r.attribution.map((a) => a.origin).sort()).toEqual(['analyze']);
  });

  it('onFailure after caught corruption: the repair node starts clean (LangGraph\'s error state → human review)', () => {
    // Every hand-off into analyze loses context and analyze's validation catches it all: every request is repaired, cleanly.
    const r = simulateInput(graphScenario(
      [stage('retrieve'), stage('analyze', { handoff: { contextLoss: 1 }, validate: { catchRate: 1 } }), stage('repair')],
      { next: { retrieve: 'analyze' }, onFailure: { analyze: 'repair' } },
    ));
    expect(r.outcomes.success).toBe(N);
    // A loud failure carries upstream corruption on: the repair builds on the same input.
    const loud = simulateInput(graphScenario(
      [stage('retrieve'), stage('analyze', { handoff: { contextLoss: 1 }, faults: { error: 1 } }), stage('repair')],
      { next: { retrieve: 'analyze' }, onFailure: { analyze: 'repair' } },
    ));
    expect(loud.outcomes.silentFailure).toBe(N);
  });

  it('a strict receiver refusing a composite\'s output redoes the composite with fresh draws: 1 − 0.3³ after 3 attempts', () => {
    const r = simulateInput(graphScenario(
      [stage('s0'), stage('s1', { handoff: { formatMismatch: 0.3, strict: true }, retry: { maxAttempts: 3, backoff: { kind: 'constant', base: 0, jitter: 'none' } } })],
      { start: 'c0', nodes: { c0: { subgraph: 'g' } }, next: { c0: 's1' } },
      { subgraphs: { g: { start: 's0' } } },
    ));
    expectInside(r.outcomes.success, N, 1 - 0.3 ** 3);
  });

  it('a graph that is a chain gives the chain\'s results exactly', () => {
    const stages = [err('a', 0.1), bad('b', 0.05), stage('c', { faults: { error: 0.2 }, retry: { maxAttempts: 3, backoff: { kind: 'constant', base: 0, jitter: 'none' } } })];
    const rest = { handoffs: { contextLoss: 0.03, formatMismatch: 0.02 } };
    const asChain = simulateModel(modelOf({ ...graphScenario(stages, { next: {} }, rest), graph: undefined }));
    const asGraph = simulateInput(graphScenario(stages, { next: { a: 'b', b: 'c' } }, rest));
    expect(asGraph.outcomes).toEqual(asChain.outcomes);
    expect(asGraph.latencyMs).toEqual(asChain.latencyMs);
    expect(asGraph.attribution).toEqual(asChain.attribution);
    expect(asGraph.edges).toEqual(asChain.edges);
  });
});

describe('fan-out and join', () => {
  const three = [err('x', 0.1), err('y', 0.2), err('z', 0.3)];
  const parallel = (join: unknown) =>
    graphScenario(three, { start: 'tools', nodes: { tools: { parallel: { branches: [['x'], ['y'], ['z']], join: join as 'all' } } } });

  it('all: every branch must succeed, Π rᵢ', () => {
    const r = simulateInput(parallel('all'));
    expectInside(r.outcomes.success, N, 0.9 * 0.8 * 0.7);
    expect(r.analytic!.successRate).toBeCloseTo(0.9 * 0.8 * 0.7, 12);
    expect(r.outcomes.success + r.outcomes.failed).toBe(N);
  });

  it('any: one success is enough, 1 − Π(1 − rᵢ); the losers are abandoned', () => {
    const r = simulateInput(parallel('any'));
    expectInside(r.outcomes.success, N, 1 - 0.1 * 0.2 * 0.3);
    expect(r.graph!.composites[0].abandoned).toBeGreaterThan(N); // two of three branches are still running when the first wins, nearly always
  });

  it('quorum 2 of 3: the binomial sum', () => {
    const [a, b, c] = [0.9, 0.8, 0.7];
    const atLeastTwo = a * b * (1 - c) + a * (1 - b) * c + (1 - a) * b * c + a * b * c;
    expectInside(simulateInput(parallel({ quorum: 2 })).outcomes.success, N, atLeastTwo);
  });

  it('all: one corrupted input corrupts the join, 1 − Π(1 − cᵢ) silent', () => {
    const r = simulateInput(graphScenario([bad('x', 0.1), bad('y', 0.2)], { start: 'f', nodes: { f: { parallel: { branches: [['x'], ['y']] } } } }));
    expectInside(r.outcomes.silentFailure, N, 1 - 0.9 * 0.8);
  });

  it('vote over 3 samples: clean when a majority is clean, 3c²(1 − c) + c³ with c the clean share', () => {
    const r = simulateInput(graphScenario([bad('solve', 0.2)], { start: 'sc', nodes: { sc: { map: { items: 3, body: ['solve'], join: 'vote' } } } }));
    expectInside(r.outcomes.success, N, 3 * 0.8 ** 2 * 0.2 + 0.8 ** 3);
    expect(r.analytic!.successRate).toBeCloseTo(3 * 0.8 ** 2 * 0.2 + 0.8 ** 3, 12);
    expect(r.outcomes.success + r.outcomes.silentFailure).toBe(N);
  });

  it('vote among the outputs that came back: a loud failure is no vote; with clean branches failing 30 %, success is 1 − 0.3²', () => {
    const r = simulateInput(graphScenario([err('a0', 0.3), err('a1', 0.3)], { start: 'f', nodes: { f: { parallel: { branches: [['a0'], ['a1']], join: 'vote' } } } }));
    expectInside(r.outcomes.success, N, 1 - 0.3 ** 2);
    expect(r.outcomes.silentFailure).toBe(0);
    expect(r.analytic!.successRate).toBeCloseTo(1 - 0.3 ** 2, 12);
    expect(r.analytic!.silentFailureRate).toBeCloseTo(0, 12);
  });

  it('map over Poisson(3) items, all-join: E[r^N] = e^{λ(r − 1)}; zero items pass through', () => {
    const r = simulateInput(graphScenario([err('doc', 0.1)], { start: 'docs', nodes: { docs: { map: { items: { dist: 'poisson', mean: 3 }, body: ['doc'] } } } }));
    expectInside(r.outcomes.success, N, Math.exp(3 * (0.9 - 1)));
    expect(r.analytic!.successRate).toBeCloseTo(Math.exp(3 * (0.9 - 1)), 9);
    // Mean items 3: the Poisson variance is 3, so 4 standard errors are 4·√(3/N).
    expect(Math.abs(r.graph!.composites[0].branchesPerEntry - 3)).toBeLessThan(4 * Math.sqrt(3 / N));
  });

  it('fork-join latency of n exponential branches without queueing is H_n / μ', () => {
    const exp = { dist: 'exponential', mean: '100ms' } as const;
    const r = simulateInput(
      graphScenario([stage('a', { latency: exp }), stage('b', { latency: exp }), stage('c', { latency: exp })], {
        start: 'f',
        nodes: { f: { parallel: { branches: [['a'], ['b'], ['c']] } } },
      }),
    );
    const expected = 100 * (1 + 1 / 2 + 1 / 3);
    expect(r.analytic!.graph!.forkJoins).toEqual([{ id: 'f', branches: 3, meanMs: expect.closeTo(expected, 9) }]);
    // Standard error of the mean: √(Σ 1/(kμ)²)/√N = 100·√(1 + 1/4 + 1/9)/√N ≈ 0.82 ms; allow 4.
    expect(Math.abs(r.latencyMs.mean - expected)).toBeLessThan(4 * 100 * Math.sqrt(1 + 1 / 4 + 1 / 9) / Math.sqrt(N));
  });
});

describe('agent loops', () => {
  const loopGraph = (loop: Record<string, unknown>) => ({ start: 'agent', nodes: { agent: { loop: { body: ['step'], ...loop } as never } } });

  it('geometric iterations: success E[r^N] = p·r / (1 − (1 − p)·r)', () => {
    const p = 0.25;
    const rel = 0.95;
    const r = simulateInput(graphScenario([err('step', 1 - rel)], loopGraph({ iterations: { stop: p }, limit: 1000 })));
    expectInside(r.outcomes.success, N, (p * rel) / (1 - (1 - p) * rel));
    // The limit of 1000 leaves (1 − p)^1000 ≈ 1e-125 out: the closed form is the infinite one.
    expect(r.analytic!.successRate).toBeCloseTo((p * rel) / (1 - (1 - p) * rel), 12);
  });

  it('a step limit: P(hit) = (1 − p)^L and mean iterations (1 − (1 − p)^L)/p', () => {
    const p = 0.25;
    const L = 5;
    const r = simulateInput(graphScenario([stage('step')], loopGraph({ iterations: { stop: p }, limit: L })));
    const it = r.graph!.composites[0].iterations!;
    expectInside(it.limitHits, N, (1 - p) ** L);
    expectInside(r.outcomes.failed, N, (1 - p) ** L);
    expect(r.analytic!.successRate).toBeCloseTo(1 - (1 - p) ** L, 12);
    // Mean iterations: Var(min(N, L)) ≤ Var(N) = (1 − p)/p² = 12; 4 standard errors.
    expect(Math.abs(it.mean - (1 - (1 - p) ** L) / p)).toBeLessThan((4 * Math.sqrt(12)) / Math.sqrt(N));
    expect(it.max).toBe(L);
    expect(r.analytic!.graph!.loops).toEqual([{ id: 'agent', meanIterations: expect.closeTo((1 - (1 - p) ** L) / p, 12), limitHitRate: expect.closeTo((1 - p) ** L, 12) }]);
    expect(r.attribution).toEqual([{ origin: 'loop:agent limit', count: r.outcomes.failed }]);
  });

  it('an error-observing loop goes on after a failed iteration instead of failing: stops come only from good iterations', () => {
    // Each iteration: good 0.8, then stop 0.5 → a stop per iteration 0.4, mean iterations 2.5; no failure below the limit.
    const r = simulateInput(graphScenario([err('step', 0.2)], loopGraph({ iterations: { stop: 0.5 }, limit: 1000, observeErrors: 1 })));
    expect(r.outcomes.success).toBe(N);
    const it = r.graph!.composites[0].iterations!;
    // Var of a geometric count with q = 0.4: (1 − q)/q² = 3.75.
    expect(Math.abs(it.mean - 2.5)).toBeLessThan((4 * Math.sqrt(3.75)) / Math.sqrt(N));
    expectInside(it.observedErrors, Math.round(it.mean * N), 0.2);
  });

  it('a drawn count is of good iterations: with observed failures the iterations are negative-binomial, mean k/(1 − e)', () => {
    const r = simulateInput(graphScenario([err('step', 0.5)], loopGraph({ iterations: 2, limit: 1000, observeErrors: 1 })));
    const it = r.graph!.composites[0].iterations!;
    // Var of a negative binomial count of trials for k = 2 successes at p = 0.5: k(1 − p)/p² = 4.
    expect(Math.abs(it.mean - 4)).toBeLessThan((4 * Math.sqrt(4)) / Math.sqrt(N));
    expect(r.outcomes.success).toBe(N);
  });

  it('at the limit with atLimit: escalate the request goes to the human', () => {
    const r = simulateInput(
      graphScenario([stage('step')], loopGraph({ iterations: { stop: 0 }, limit: 3, atLimit: 'escalate' }), {
        pools: { cpu: { servers: 1000 }, people: { kind: 'human', servers: 1000 } },
        escalation: { pool: 'people', handlingTime: 10 },
      }),
    );
    expect(r.outcomes.escalated).toBe(N);
    expect(r.graph!.composites[0].iterations!.limitHits).toBe(N);
  });

  it('corruption from before the loop, caught inside it, is not retried in place: the branch fails loudly (0.9), never slips through on a retry', () => {
    // Every hand-off into the tool is mismatched (lenient: corrupts); the tool's validation catches 90 %. The
    // producer (plan) is outside the loop, so no retry inside it can redo the input: caught → the loop fails.
    // Retrying in place used to let 0.1 + 0.9·0.1 + 0.81·0.1 = 27.1 % through silently.
    const r = simulateInput(
      graphScenario(
        [
          stage('plan'),
          stage('tool', { handoff: { formatMismatch: 1 }, validate: { catchRate: 0.9 }, retry: { maxAttempts: 3, retryOn: ['error', 'caught'], backoff: { base: 0, jitter: 'none' } } }),
        ],
        { start: 'plan', nodes: { tools: { loop: { body: ['tool'], iterations: 1, limit: 1 } } }, next: { plan: 'tools', tools: 'end' } },
      ),
    );
    expectInside(r.outcomes.failed, N, 0.9);
    expectInside(r.outcomes.silentFailure, N, 0.1);
    expect(r.stages[1].retries).toBe(0);
  });

  it('tokens per request follow the iterations', () => {
    const r = simulateInput(
      graphScenario([stage('step', { tokens: { input: 1000, output: 200 } })], loopGraph({ iterations: { dist: 'empirical', counts: [[2, 1], [4, 1]] }, limit: 10 })),
    );
    expect(r.graph!.composites[0].iterations!.mean).toBeGreaterThan(2.9);
    expect(r.graph!.tokensPerRequest.input).toBeCloseTo(1000 * r.graph!.composites[0].iterations!.mean, 6);
  });
});

describe('sub-graphs and common random numbers', () => {
  it('a sub-graph node runs its sub-graph: two in series multiply', () => {
    const r = simulateInput(
      graphScenario([err('draft', 0.1), err('check', 0.1), stage('publish')], {
        start: 'team',
        nodes: { team: { subgraph: 'review' } },
        next: { team: 'publish' },
      }, { subgraphs: { review: { start: 'draft', next: { draft: 'check' } } } }),
    );
    expectInside(r.outcomes.success, N, 0.9 * 0.9);
  });

  it('a variant that changes one branch leaves the other branch\'s draws alone', () => {
    const base = (y: number) =>
      graphScenario([err('x', 0.2), err('y', y)], { start: 'f', nodes: { f: { parallel: { branches: [['x'], ['y']], join: 'any' } } } });
    const errorsOfX = (y: number) => {
      const seen: string[] = [];
      new PipelineSimulation(modelOf({ ...base(y), requests: 2000 }), {
        onTrace: (e: TraceEvent) => {
          if (e.stage === 'x' && e.kind === 'error') seen.push(`${e.request}`);
        },
      }).run();
      return seen;
    };
    expect(errorsOfX(0.5)).toEqual(errorsOfX(0.1));
  });

  it('outcomes sum to requests with deadlines cutting fan-outs and loops short', () => {
    const r = simulateInput(
      graphScenario(
        [stage('a', { latency: { dist: 'exponential', mean: '50ms' } }), stage('b', { latency: { dist: 'exponential', mean: '50ms' } })],
        { start: 'agent', nodes: { agent: { loop: { body: 'pair', iterations: { stop: 0.2 }, limit: 50 } } } },
        { deadline: '300ms', subgraphs: { pair: { start: 'fan', nodes: { fan: { parallel: { branches: [['a'], ['b']] } } } } } },
      ),
    );
    const sum = Object.values(r.outcomes).reduce((a, b) => a + b, 0);
    expect(sum).toBe(N);
  });
});
