/**
 * Properties over generated scenarios (fast-check): invariants every run must
 * keep whatever the scenario – counts add up, time never runs backwards, rates
 * are rates – and the comparative claims the tool's conclusions rest on,
 * checked sample path by sample path under common random numbers.
 *
 * Every run is seeded (seed 42) so CI cannot flake; a failure prints the
 * shrunk scenario and the path to replay it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PipelineSimulation, type TraceEvent } from './composites.js';
import { buildResult, type RunResult } from '../metrics/index.js';
import { compareModels } from '../experiment/index.js';
import { runReplication } from './simulate.js';
import { modelOf } from '../test-support.js';
import { OUTCOMES, SUCCESS } from './outcomes.js';
import type { ScenarioInput } from '../scenario/index.js';

type StageIn = ScenarioInput['stages'][number];
type PoolIn = ScenarioInput['pools'][string];
type LatencyIn = StageIn['latency'];

const SEED = 42;
/**
 * A value in [min, max] on a grid of 1/1000 of the range, mostly spread evenly:
 * fc.double's own bias towards tiny exponents (1e-300) would make most
 * generated probabilities and times zero in effect.
 */
const between = (min: number, max: number) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.double({ min, max, noNaN: true }) },
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 1000 }).map((n) => min + ((max - min) * n) / 1000) },
  );
const ms = between;
const probability = between(0, 1);
const optional = <T>(arb: fc.Arbitrary<T>, freq = 3) => fc.option(arb, { nil: undefined, freq });

// ------------------------------------------------------------------ generator

const latencyArb: fc.Arbitrary<LatencyIn> = fc.oneof(
  ms(0.2, 40).map((mean): LatencyIn => ({ dist: 'exponential', mean })),
  fc.tuple(ms(0.2, 30), ms(1.05, 8)).map(([median, spread]): LatencyIn => ({ dist: 'lognormal', median, p99: median * spread })),
  ms(0, 30).map((value): LatencyIn => ({ dist: 'constant', value })),
);

/** Shares of `total` ≤ 1 split three ways (error, timeout, corruption). */
const faultShares = fc.tuple(probability, probability, probability, probability).map(([total, a, b, c]) => {
  const w = a + b + c;
  return w === 0 ? [total, 0, 0] : [(total * a) / w, (total * b) / w, (total * c) / w];
});

const retryArb = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  retryOn: fc.subarray(['error', 'timeout', 'caught'] as ('error' | 'timeout' | 'caught')[], { minLength: 1 }),
  backoff: fc.record({
    kind: fc.constantFrom('constant' as const, 'linear' as const, 'exponential' as const),
    base: ms(0, 20),
    max: ms(0, 200),
    jitter: fc.constantFrom('none' as const, 'full' as const, 'equal' as const, 'decorrelated' as const, 'additive' as const),
    additive: ms(0, 10),
  }),
});

const handoffArb = fc.tuple(probability, probability, fc.boolean()).map(([loss, mismatch, strict]) => ({
  contextLoss: loss,
  formatMismatch: mismatch * (1 - loss),
  strict,
}));

/** One stage before it is tied to the pools and the other stages. */
const stageDraft = fc.record({
  pool: fc.nat(),
  latency: latencyArb,
  timeout: optional(ms(1, 150), 2),
  faults: optional(faultShares, 4),
  transientShare: optional(probability, 2),
  retry: optional(retryArb, 2),
  validate: optional(fc.record({ catchRate: probability, latency: optional(ms(0, 3).map((value): LatencyIn => ({ dist: 'constant', value }))) }), 2),
  handoff: optional(handoffArb, 2),
  breaker: optional(fc.record({ failures: fc.integer({ min: 1, max: 5 }), openFor: ms(0, 100) }), 6),
  budget: optional(fc.record({ capacity: ms(1, 50), retryCost: ms(0, 10) }), 6),
  hedge: optional(ms(0, 50), 6),
  fallback: fc.boolean(),
  escalate: fc.boolean(),
  propagate: fc.boolean(),
});
type StageDraft = typeof stageDraft extends fc.Arbitrary<infer T> ? T : never;

const scenarioDraft = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  requests: fc.integer({ min: 200, max: 2000 }),
  arrivals: fc.oneof(
    ms(1, 500).map((rate) => ({ kind: 'poisson' as const, rate })),
    ms(0, 50).map((interval) => ({ kind: 'fixed' as const, interval })),
  ),
  pools: fc.array(fc.record({ servers: fc.integer({ min: 1, max: 8 }), queueCapacity: optional(fc.integer({ min: 0, max: 20 }), 4) }), {
    minLength: 1,
    maxLength: 3,
  }),
  stages: fc.array(stageDraft, { minLength: 1, maxLength: 5 }),
  deadline: optional(ms(5, 2000), 2),
  handoffs: optional(handoffArb, 3),
  state: optional(fc.record({ kind: fc.constantFrom('fragmented' as const, 'persisted' as const), staleRead: ms(0, 0.1) }), 3),
  fallback: optional(fc.record({ latency: latencyArb, error: ms(0, 0.5), corruption: ms(0, 0.3) }), 3),
  escalation: optional(fc.record({ servers: fc.integer({ min: 1, max: 3 }), handlingTime: latencyArb, resolutionRate: probability }), 3),
});
type ScenarioDraft = typeof scenarioDraft extends fc.Arbitrary<infer T> ? T : never;

function stageInput(d: StageDraft, i: number, s: ScenarioDraft): StageIn {
  const st: StageIn = { id: `s${i}`, pool: `p${d.pool % s.pools.length}`, latency: d.latency };
  if (d.timeout !== undefined) st.timeout = d.timeout;
  if (d.faults !== undefined) {
    // Fragmented state's stale reads share each attempt with the faults: the faults get what they leave (a sum over 1 is refused).
    const room = s.state?.kind === 'fragmented' ? 1 - s.state.staleRead : 1;
    const [error, timeout, corruption] = d.faults.map((x) => x * room);
    // A timeout fault needs an attempt time limit; without one its share is a plain error.
    st.faults = d.timeout !== undefined ? { error, timeout, corruption } : { error: error + timeout, corruption };
    if (d.transientShare !== undefined) st.faults.transientShare = d.transientShare;
  }
  if (d.retry !== undefined) st.retry = d.retry;
  if (d.validate !== undefined) st.validate = d.validate;
  if (d.handoff !== undefined && i > 0) st.handoff = d.handoff;
  if (d.breaker !== undefined) st.breaker = { kind: 'consecutive', ...d.breaker };
  if (d.budget !== undefined) st.retryBudget = d.budget;
  if (d.hedge !== undefined) st.hedge = { delay: d.hedge };
  // Not on the caller of a propagating stage: recovery.ts re-enters the caller's
  // fallback on every failure passed up to it, with a fresh attempt count, so a
  // callee that always fails sends the request round fallback → callee → caller
  // → fallback for ever (see 'known bugs' at the end).
  const callsPropagating = s.stages[i + 1]?.propagate === true;
  if (d.fallback && s.fallback !== undefined && !callsPropagating) st.fallback = 'fb';
  if (d.escalate && s.escalation !== undefined) st.escalate = true;
  if (d.propagate && i > 0) st.propagate = true;
  return st;
}

/** A small valid scenario: 1–5 stages on 1–3 pools, with any mix of faults, layers and policies. */
function scenarioInput(s: ScenarioDraft): ScenarioInput {
  const pools: Record<string, PoolIn> = {};
  s.pools.forEach((p, i) => {
    pools[`p${i}`] = p.queueCapacity === undefined ? { servers: p.servers } : { servers: p.servers, queueCapacity: p.queueCapacity };
  });
  const input: ScenarioInput = {
    name: 'prop',
    seed: s.seed,
    requests: s.requests,
    arrivals: s.arrivals,
    pools,
    stages: s.stages.map((d, i) => stageInput(d, i, s)),
  };
  if (s.deadline !== undefined) input.deadline = s.deadline;
  if (s.handoffs !== undefined) input.handoffs = s.handoffs;
  if (s.state !== undefined) input.state = s.state;
  if (s.fallback !== undefined) {
    const f = s.fallback;
    input.fallbacks = [{ id: 'fb', pool: 'p0', latency: f.latency, faults: { error: f.error, corruption: f.corruption } }];
  }
  if (s.escalation !== undefined) {
    const e = s.escalation;
    pools.people = { kind: 'human', servers: e.servers };
    input.escalation = { pool: 'people', handlingTime: e.handlingTime, resolutionRate: e.resolutionRate };
  }
  return input;
}

const scenarioArb = scenarioDraft.map(scenarioInput);

// ------------------------------------------------------------------ running

interface Observed {
  result: RunResult;
  /** Outcome by request index (from the trace). */
  outcomes: Map<number, string>;
  arrivals: Map<number, number>;
  /** Problems seen while the run went on: times going backwards, negative latencies. */
  problems: string[];
  /** First attempt start of each request, for queue waits. */
  firstStart: Map<number, number>;
}

/** Runs a scenario once with the trace and the engine observer on. */
function observe(input: ScenarioInput): Observed {
  const model = modelOf(input);
  const outcomes = new Map<number, string>();
  const arrivals = new Map<number, number>();
  const firstStart = new Map<number, number>();
  const problems: string[] = [];
  let lastTrace = 0;
  const sim = new PipelineSimulation(model, {
    onTrace: (e: TraceEvent) => {
      if (!(e.timeMs >= lastTrace)) problems.push(`trace time ${e.timeMs} after ${lastTrace}`);
      lastTrace = e.timeMs;
      if (e.kind === 'arrive') arrivals.set(e.request, e.timeMs);
      if (e.kind === 'start' && !firstStart.has(e.request)) firstStart.set(e.request, e.timeMs);
      if (e.kind === 'end') {
        if (outcomes.has(e.request)) problems.push(`request ${e.request} ended twice`);
        outcomes.set(e.request, String(e.detail));
        const latency = e.timeMs - (arrivals.get(e.request) ?? NaN);
        if (!(latency >= 0)) problems.push(`request ${e.request} latency ${latency}`);
      }
    },
  });
  let lastEvent = 0;
  sim.engine.observer = (timeMs) => {
    if (!(timeMs >= lastEvent) || !Number.isFinite(timeMs)) problems.push(`event at ${timeMs} after ${lastEvent}`);
    lastEvent = timeMs;
  };
  const result = buildResult(model, sim.run(eventGuard(input)), { replications: 1, version: 'test', scenarioHash: '' });
  if (sim.engine.pending > 0) problems.push(`still running after ${sim.engine.eventCount} events`);
  return { result, outcomes, arrivals, problems, firstStart };
}

/**
 * Far above what a run of these scenarios needs (at most ~20 events per
 * request), so a run that reaches it is stuck, and fails instead of hanging.
 */
const eventGuard = (input: ScenarioInput) => 1000 * input.requests!;

/** The plain run without trace hooks, as the CLI does it. */
function resultOf(input: ScenarioInput): RunResult {
  const model = modelOf(input);
  const sim = new PipelineSimulation(model);
  const collector = sim.run(eventGuard(input));
  expect(sim.engine.pending, 'the run ended by itself').toBe(0);
  return buildResult(model, collector, { replications: 1, version: 'test', scenarioHash: '' });
}

const inUnit = (x: number) => x >= 0 && x <= 1;
/** Utilisation is a ratio of float sums; allow the last bits of rounding. */
const UTILISATION_SLACK = 1e-9;

// ------------------------------------------------------------------ properties

describe('properties over generated scenarios', () => {
  it('outcome counts sum to the requests; attribution sums to the non-successes (300 cases)', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const r = resultOf(input);
        const counts = OUTCOMES.map((o) => r.outcomes[o]);
        expect(counts.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(input.requests);
        expect(r.requests).toBe(input.requests);
        expect(r.attribution.reduce((a, x) => a + x.count, 0)).toBe(input.requests! - r.outcomes.success);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('no negative times; the clock never goes backwards; every request ends once (200 cases)', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const o = observe(input);
        expect(o.problems).toEqual([]);
        expect(o.outcomes.size).toBe(input.requests);
        for (const [request, start] of o.firstStart) expect(start).toBeGreaterThanOrEqual(o.arrivals.get(request)!);
        const r = o.result;
        expect(r.simulatedSpanMs).toBeGreaterThanOrEqual(0);
        for (const s of [r.latencyMs, r.latencyAllMs]) {
          if (s.count === 0) continue;
          for (const v of [s.mean, s.p50, s.p90, s.p95, s.p99, s.p999, s.max]) expect(v).toBeGreaterThanOrEqual(0);
        }
        for (const row of [...r.stages, ...r.fallbacks, ...r.pools]) expect(row.meanQueueMs).toBeGreaterThanOrEqual(0);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('every rate is in [0, 1] and every Wilson interval contains its estimate (300 cases)', () => {
    // Utilisation = busy / (servers × span) with span running to the end of the
    // last work, abandoned work included, so it cannot pass 1 either: a pool
    // never runs more attempts at once than it has servers.
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const r = resultOf(input);
        for (const e of [r.successRate, r.silentFailureRate]) {
          const [lo, hi] = e.ci95;
          expect(inUnit(e.estimate) && inUnit(lo) && inUnit(hi)).toBe(true);
          expect(lo).toBeLessThanOrEqual(e.estimate);
          expect(hi).toBeGreaterThanOrEqual(e.estimate);
        }
        const resolution = r.escalation.resolutionRate;
        if (r.escalation.count > 0) {
          expect(inUnit(resolution.estimate)).toBe(true);
          expect(resolution.ci95[0]).toBeLessThanOrEqual(resolution.estimate);
          expect(resolution.ci95[1]).toBeGreaterThanOrEqual(resolution.estimate);
        }
        for (const o of OUTCOMES) expect(inUnit(r.outcomes[o] / r.requests)).toBe(true);
        for (const row of [...r.pools, ...r.stages, ...r.fallbacks]) {
          expect(row.utilization).toBeGreaterThanOrEqual(0);
          expect(row.utilization).toBeLessThanOrEqual(1 + UTILISATION_SLACK);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a variant equal to the baseline differs by exactly 0 with a zero-width interval (100 cases × 2 replications)', () => {
    // Only where both replications have a success: with none, p95 and cost per
    // success are NaN and compareModels throws (see 'known bugs' below).
    fc.assert(
      fc.property(scenarioArb, (input) => {
        fc.pre([0, 1].every((r) => runReplication(modelOf(input), r, { maxEvents: eventGuard(input) }).outcomes[SUCCESS] > 0));
        const c = compareModels(modelOf(input), [{ name: 'same', kind: 'compute', model: modelOf(input), scenarioHash: '' }], { replications: 2 });
        const d = c.variants[0].delta;
        for (const e of [d.successRate, d.silentFailureRate, d.p95Ms, d.costPerSuccessUsd, d.spendPerSuccessUsd, d.assumedPenaltyPerSuccessUsd]) expect(e).toEqual({ estimate: 0, ci95: [0, 0] });
        expect(c.variants[0].result.outcomes).toEqual(c.baseline.outcomes);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a guard with catch rate 1.0 on the last stage lets no silent failure through (300 cases)', () => {
    // Nothing may corrupt the output after the guard: the last stage's own
    // corruption is off, there is no state layer (stale reads), and the last
    // stage has no fallback (a fallback definition runs without the guard).
    fc.assert(
      fc.property(scenarioArb, (generated) => {
        const input = structuredClone(generated);
        delete input.state;
        const last = input.stages[input.stages.length - 1];
        last.validate = { ...last.validate, catchRate: 1 };
        if (last.faults) last.faults.corruption = 0;
        delete last.fallback;
        expect(resultOf(input).outcomes.silentFailure).toBe(0);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('raising one stage\'s error probability never raises task success, request by request (300 cases)', () => {
    // Under common random numbers every attempt's fault is one keyed uniform u
    // against fixed bands, so a larger error probability only adds errors –
    // but an added error is only harmless sample path by sample path when the
    // request then meets no draw the baseline did not make. Each restriction
    // below was a counterexample found here (seed 42) before it was added; in
    // expectation success still falls in every one of those cases:
    // - time-free scenarios (timeFree): no deadline, bounded queue, attempt
    //   timeout, breaker, retry budget or hedge, whose outcomes depend on when
    //   things happen, which an extra attempt shifts for every request;
    // - the raised stage has no corruption: the bands share one uniform,
    //   error | timeout | corruption, so a wider error band moves the
    //   corruption band – an attempt that corrupted silently now errors loudly,
    //   and its retry can succeed (silent failure → success);
    // - the hand-off out of the raised stage is clean: its draw is keyed by the
    //   producing attempt, so the retry's output crosses on a fresh draw that
    //   may be clean where the baseline's mismatched;
    // - no recovery that re-runs other stages or definitions after the extra
    //   error (redo on caught corruption, restart from the first stage under
    //   fragmented state, nested retries, fallbacks – a fallback's attempt
    //   counter is shared by every stage that falls back to it): each hands
    //   the request fresh draws, which can be luckier.
    // What is left: a request that passes the raised stage in the variant
    // passes it with the same input and a clean hand-off, and every stage
    // after it draws exactly what it drew in the baseline.
    fc.assert(
      fc.property(scenarioArb, fc.nat(), probability, (generated, pick, share) => {
        const base = timeFree(generated);
        const k = pick % base.stages.length;
        const stage = base.stages[k];
        if (stage.faults) stage.faults.corruption = 0;
        if (k + 1 < base.stages.length) base.stages[k + 1].handoff = { contextLoss: 0, formatMismatch: 0 };
        const error = stage.faults?.error ?? 0;
        const raised = structuredClone(base);
        raised.stages[k].faults = { ...raised.stages[k].faults, error: error + share * (1 - error - (stage.faults?.corruption ?? 0)) };
        const before = observe(base);
        const after = observe(raised);
        for (const [request, outcome] of after.outcomes) if (outcome === 'success') expect(before.outcomes.get(request), `request ${request}`).toBe('success');
        expect(after.result.outcomes.success).toBeLessThanOrEqual(before.result.outcomes.success);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('more servers never raise the mean queue wait', () => {
  // FIFO multi-server queue, same arrival times and the same service time per
  // request (keyed draws): each request's wait is non-increasing in the
  // number of servers (Kiefer & Wolfowitz 1955; Wolff, "Stochastic Modeling
  // and the Theory of Queues", 1989, §7.3). One stage only: with several
  // stages a faster upstream pool delivers requests downstream in bunches,
  // and the overall mean wait can rise – e.g. s0 on p1, s1 and s2 on p0,
  // exponential means 1.49, 2.01 and 0.5 ms, 400 req/s Poisson, one server
  // each, seed 0, 500 requests: a second server on p1 raises the mean wait
  // over all attempts from 23.64 to 23.88 ms (p0's own from 34.4 to 35.7 ms).
  const singleStage = fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    requests: fc.integer({ min: 200, max: 2000 }),
    servers: fc.integer({ min: 1, max: 6 }),
    extra: fc.integer({ min: 1, max: 4 }),
    meanMs: ms(0.5, 40),
    arrivals: fc.oneof(
      ms(1, 800).map((rate) => ({ kind: 'poisson' as const, rate })),
      ms(0, 20).map((interval) => ({ kind: 'fixed' as const, interval })),
    ),
    error: probability,
  });
  const input = (d: typeof singleStage extends fc.Arbitrary<infer T> ? T : never, servers: number): ScenarioInput => ({
    name: 'servers',
    seed: d.seed,
    requests: d.requests,
    arrivals: d.arrivals,
    pools: { p0: { servers } },
    // Faults without retries change outcomes, not the queue's input.
    stages: [{ id: 's0', pool: 'p0', latency: { dist: 'exponential', mean: d.meanMs }, faults: { error: d.error } }],
  });

  it('per request and on average, single stage, exponential service (300 cases)', () => {
    fc.assert(
      fc.property(singleStage, (d) => {
        const fewer = observe(input(d, d.servers));
        const more = observe(input(d, d.servers + d.extra));
        expect(more.result.pools[0].meanQueueMs).toBeLessThanOrEqual(fewer.result.pools[0].meanQueueMs * (1 + 1e-12) + 1e-9);
        for (const [request, start] of more.firstStart) {
          const waitMore = start - more.arrivals.get(request)!;
          const waitFewer = fewer.firstStart.get(request)! - fewer.arrivals.get(request)!;
          expect(waitMore, `request ${request}`).toBeLessThanOrEqual(waitFewer + 1e-9);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/**
 * The scenario with everything that makes an outcome depend on timing taken
 * out – deadline, bounded queues, attempt timeouts, breakers, retry budgets,
 * hedges – and the recoveries that revisit a stage from elsewhere (fallbacks,
 * nested retries, redo on caught corruption, restart from the first stage
 * under fragmented state). What is left decides each request from its own
 * keyed draws alone.
 */
function timeFree(generated: ScenarioInput): ScenarioInput {
  const s = structuredClone(generated);
  delete s.deadline;
  delete s.state;
  delete s.fallbacks;
  delete s.escalation;
  for (const p of Object.values(s.pools)) delete p.queueCapacity;
  delete s.pools.people;
  for (const st of s.stages) {
    delete st.timeout;
    delete st.breaker;
    delete st.retryBudget;
    delete st.hedge;
    delete st.fallback;
    delete st.escalate;
    delete st.propagate;
    if (st.faults) st.faults.timeout = 0;
    if (st.retry) st.retry.retryOn = ['error'];
  }
  return s;
}

describe('bugs the properties found (fixed)', () => {
  it('compareModels gives a delta when a replication has no successes (p95 and cost per success have none)', () => {
    const input: ScenarioInput = {
      name: 'nothing-succeeds',
      requests: 50,
      arrivals: { kind: 'fixed', interval: 1 },
      pools: { p0: { servers: 1 } },
      stages: [{ id: 's0', pool: 'p0', latency: 1, faults: { error: 1 } }],
    };
    const c = compareModels(modelOf(input), [{ name: 'same', kind: 'compute', model: modelOf(input), scenarioHash: '' }], { replications: 2 });
    expect(c.variants[0].delta.successRate).toEqual({ estimate: 0, ci95: [0, 0] });
  });

  it('a request ends when the callee of a stage with a fallback keeps failing (no fallback → callee → caller loop)', () => {
    const input: ScenarioInput = {
      name: 'loop',
      requests: 1,
      arrivals: { kind: 'fixed', interval: 1 },
      pools: { p0: { servers: 1 } },
      stages: [
        { id: 'a', pool: 'p0', latency: 1, fallback: 'fb' },
        { id: 'b', pool: 'p0', latency: 1, propagate: true, faults: { error: 1 } },
      ],
      fallbacks: [{ id: 'fb', pool: 'p0', latency: 1 }],
    };
    const sim = new PipelineSimulation(modelOf(input));
    const c = sim.run(10_000);
    expect(sim.engine.pending).toBe(0);
    expect(c.requestsFinished).toBe(1);
  });
});
