import { describe, expect, it } from 'vitest';
import { modelOf, singleStage } from '../test-support.js';
import { referenceModelScenario, REFERENCE_FAULT_PROBABILITY, REFERENCE_SERVERS } from './reference-model.js';
import { checkBudget, estimateRun, formatCount, withLimits, BudgetError, DEFAULT_LIMITS } from './run-limits.js';
import { expectedDemand } from './demand.js';
import { runReplication } from '../path/index.js';
import type { ScenarioInput } from '../scenario/index.js';

/** Attempts per request the simulation made on every definition. */
function simulatedAttempts(input: ScenarioInput): number[] {
  const m = modelOf(input);
  const c = runReplication(m, 0);
  return Array.from(c.defAttempts, (a) => a / c.requestsFinished);
}

describe('expected attempts (demand.ts closed forms)', () => {
  const retry = { maxAttempts: 3, retryOn: ['error' as const], backoff: { base: 10 } };

  it('independent faults: 1 + f + f² for three attempts', () => {
    const d = expectedDemand(modelOf(singleStage({ faults: { error: 0.2 }, retry })));
    expect(d.defs[0].attempts).toBeCloseTo(1 + 0.2 + 0.04, 12);
    expect(d.defs[0].retries).toBeCloseTo(0.2 + 0.04, 12);
  });

  it('persistent faults repeat on every attempt: 1 + (k − 1)·f', () => {
    const d = expectedDemand(modelOf(singleStage({ faults: { error: 0.2, transientShare: 0 }, retry })));
    expect(d.defs[0].attempts).toBeCloseTo(1 + 2 * 0.2, 12);
  });

  it('a huge maxAttempts with certain failure is k attempts, summed in bounded time', () => {
    const d = expectedDemand(modelOf(singleStage({ faults: { error: 1 }, retry: { ...retry, maxAttempts: 1_000_000 } })));
    expect(d.defs[0].attempts).toBeCloseTo(1_000_000, 6);
  });

  // Seeded simulations: the closed forms for difficulty, nested retries and
  // restarts are checked against what the simulator does (200,000 requests;
  // the run's own standard error is well under 1 %).
  it('per-request difficulty (Beta moments) matches the simulation within 2 %', () => {
    const input = singleStage({ faults: { error: 0.3 }, difficulty: { concentration: 0.85 }, retry: { ...retry, maxAttempts: 4 } }, { requests: 200_000 });
    const expected = expectedDemand(modelOf(input)).defs[0].attempts;
    expect(expected).toBeGreaterThan(1 + 0.3 + 0.09 + 0.027); // harder requests fail again: more than independent
    expect(Math.abs(simulatedAttempts(input)[0] / expected - 1)).toBeLessThan(0.02);
  });

  it('nested retries (propagate) and fragmented-state restarts match the simulation within 3 %', () => {
    const stage = (id: string, error: number, propagate = false) => ({
      id, pool: 'cpu', latency: 1, faults: { error }, retry, ...(propagate ? { propagate } : {}),
    });
    for (const rest of [
      { stages: [stage('a', 0.05), stage('b', 0.1, true), stage('c', 0.3, true)] },
      { stages: [stage('a', 0.05), stage('b', 0.1), stage('c', 0.3)], state: { kind: 'fragmented' as const, staleRead: 0.02 } },
    ]) {
      const input: ScenarioInput = { name: 't', seed: 3, requests: 100_000, arrivals: { kind: 'poisson', rate: 10 }, pools: { cpu: { servers: 4 } }, ...rest };
      const expected = expectedDemand(modelOf(input)).defs.map((d) => d.attempts);
      simulatedAttempts(input).forEach((a, i) => expect(Math.abs(a / expected[i] - 1)).toBeLessThan(0.03));
    }
  });
});

describe('estimateRun: events', () => {
  it("the reference model's estimate is within 5 % of its closed-form event count, and of the simulated count", () => {
    // Per request: one arrival; per station 1 + p + p² attempts (one completion
    // each) and p + p² retries (one backoff timer each) – reference-model.ts.
    const p = REFERENCE_FAULT_PROBABILITY;
    const n = 200_000;
    const closedForm = n * (1 + REFERENCE_SERVERS.length * (1 + 2 * p + 2 * p * p));
    const model = modelOf(referenceModelScenario(n, 1));
    const e = estimateRun(model);
    expect(Math.abs(e.events / closedForm - 1)).toBeLessThan(0.05);
    const simulated = runReplication(model, 0).events;
    expect(Math.abs(e.events / simulated - 1)).toBeLessThan(0.05);
    expect(e.unstable).toBe(false);
    expect(e.memoryMb).toBeLessThan(DEFAULT_LIMITS.maxMemoryMb);
  });

  it('counts deadline timers, time-limit timers and hedges', () => {
    const plain = estimateRun(modelOf(singleStage({})));
    expect(plain.eventsPerRequest).toBe(2); // arrival + completion
    const timed = estimateRun(modelOf(singleStage({ timeout: 100 }, { deadline: 1000 })));
    expect(timed.eventsPerRequest).toBe(4); // + time limit + deadline
    // Constant 10 ms service, hedge after 5 ms: every attempt hedges (timer + second attempt).
    const hedged = estimateRun(modelOf(singleStage({ latency: 10, hedge: { delay: 5 } })));
    expect(hedged.eventsPerRequest).toBe(4);
  });
});

describe('checkBudget: refusal up front', () => {
  it('refuses a billion requests by the event limit, naming the estimate, the limit and how to raise it', () => {
    const model = modelOf(referenceModelScenario(1_000_000_000, 1));
    expect(() => checkBudget(model)).toThrow(BudgetError);
    expect(() => checkBudget(model)).toThrow(
      /^the scenario would take about 7\.4e9 events \(limit 2e9\); lower requests or raise limits\.maxEvents \/ --max-events$/,
    );
    // Raised, it passes.
    expect(checkBudget(withLimits(model, { maxEvents: 1e10 })).events).toBeCloseTo(7.37e9, -8);
  });

  it('refuses a stable scenario whose requests in memory would not fit', () => {
    // 100,000/s for 100 s each on twenty million servers: Little's law, ten million in flight.
    const model = modelOf(
      singleStage({ latency: { dist: 'exponential', mean: 100_000 } }, { requests: 50_000_000, arrivals: { kind: 'poisson', rate: 100_000 }, pools: { cpu: { servers: 20_000_000 } } }),
    );
    const e = estimateRun(model);
    expect(e.unstable).toBe(false);
    expect(e.peakInFlight / 1e7).toBeCloseTo(1, 3);
    expect(() => checkBudget(model)).toThrow(
      /^the scenario would need about [\d,]+ MB \(limit 1,500 MB\) with about 1e7 requests in memory at once; lower the arrival rate or requests, or raise limits\.maxMemoryMb \/ --max-memory-mb$/,
    );
  });

  it('names deadline timers when they are what fills memory', () => {
    const model = modelOf(singleStage({}, { requests: 500_000_000, arrivals: { kind: 'poisson', rate: 100_000 }, deadline: '1h', pools: { cpu: { servers: 10 } } }));
    expect(() => checkBudget(model)).toThrow(/shorten the deadline/);
  });

  it('does not refuse an unstable scenario: its memory is bounded by the in-flight cap instead', () => {
    const model = modelOf(singleStage({ latency: { dist: 'exponential', mean: 10 } }, { requests: 10_000_000, arrivals: { kind: 'poisson', rate: 1000 } }));
    const e = checkBudget(model);
    expect(e.unstable).toBe(true);
    expect(e.truncationExpected).toBe(true); // ~9 million would pile up
    expect(e.memoryMb).toBeLessThanOrEqual(DEFAULT_LIMITS.maxMemoryMb);
  });

  it('limits come from the scenario, and the CLI overrides them', () => {
    const model = modelOf(singleStage({}, { requests: 1000, limits: { maxEvents: 100 } }));
    expect(() => checkBudget(model, 'variant x')).toThrow(/^variant x would take about 2,000 events \(limit 100\)/);
    expect(() => checkBudget(withLimits(model, { maxEvents: 5000 }))).not.toThrow();
  });
});

describe('formatCount', () => {
  it('two significant digits in e-notation from a million up', () => {
    expect(formatCount(3.07e9)).toBe('3.1e9');
    expect(formatCount(2e9)).toBe('2e9');
    expect(formatCount(999_999)).toBe('999,999');
  });
});
