import { describe, expect, it } from 'vitest';
import { modelOf, singleStage } from '../test-support.js';
import { stabilityOf, workAmplification } from './stability.js';
import { inFlightCap } from './run-limits.js';
import { PipelineSimulation } from '../path/index.js';
import { simulateModel } from '../path/index.js';
import { buildResult } from '../metrics/index.js';

/** Poisson 1,000/s into one server with a 10 ms mean: ρ = 10, growth (ρ − 1)·c/D = 900 requests/s. */
const overload = (requests: number, limits?: { maxMemoryMb: number }) =>
  singleStage(
    { latency: { dist: 'exponential', mean: 10 } },
    { requests, arrivals: { kind: 'poisson', rate: 1000 }, ...(limits ? { limits } : {}) },
  );

describe('stabilityOf', () => {
  it('reports the overload: offered load 10, growth 900 requests/s', () => {
    const s = stabilityOf(modelOf(overload(1000)));
    expect(s.stable).toBe(false);
    expect(s.arrivals).toBe('open');
    expect(s.pools).toEqual([{ id: 'cpu', offeredLoad: 10, growthPerSec: 900, bounded: false, shedAtLeast: 0 }]);
  });

  it('counts expected attempts in the offered load', () => {
    // 100/s × 5 ms × (1 + 0.5 + 0.25) attempts on 1 server: ρ = 0.875.
    const s = stabilityOf(
      modelOf(singleStage({ latency: 5, faults: { error: 0.5 }, retry: { maxAttempts: 3, retryOn: ['error'], backoff: { base: 1 } } }, { arrivals: { kind: 'poisson', rate: 100 } })),
    );
    expect(s.stable).toBe(true);
    expect(s.pools[0].offeredLoad).toBeCloseTo(0.875, 12);
    expect(s.pools[0].growthPerSec).toBe(0);
  });

  it('a bounded queue offered more than it serves is overloaded, not stable: at least 1 − 1/ρ of the work is shed', () => {
    const s = stabilityOf(modelOf(singleStage({ latency: 10 }, { arrivals: { kind: 'poisson', rate: 1000 }, pools: { cpu: { servers: 1, queueCapacity: 50 } } })));
    expect(s.stable).toBe(false);
    expect(s.pools).toEqual([{ id: 'cpu', offeredLoad: 10, growthPerSec: 0, bounded: true, shedAtLeast: 0.9 }]);
    expect(s.note).toBe('offered load ≥ 1 with a bounded queue on cpu (at least 90 % of its work refused): the excess is shed at admission');
  });

  it('a bounded queue with spare capacity is stable', () => {
    const s = stabilityOf(modelOf(singleStage({ latency: 5 }, { arrivals: { kind: 'poisson', rate: 100 }, pools: { cpu: { servers: 1, queueCapacity: 50 } } })));
    expect(s.stable).toBe(true);
    expect(s.pools[0]).toMatchObject({ offeredLoad: 0.5, shedAtLeast: 0 });
  });

  it('closed-loop arrivals are stable by construction, even when saturated', () => {
    const s = stabilityOf(modelOf(singleStage({ latency: 10 }, { arrivals: { kind: 'closed', users: 50, thinkTime: 0 } })));
    expect(s.stable).toBe(true);
    expect(s.arrivals).toBe('closed');
    expect(s.pools[0].offeredLoad).toBeGreaterThanOrEqual(1); // N/(Z + D) = 5,000/s against 100/s
    expect(s.pools[0].growthPerSec).toBe(0);
    expect(s.note).toMatch(/stable by construction/);
  });

  it('all requests at once (fixed interval 0) has no finite rate: unstable, load null', () => {
    const s = stabilityOf(modelOf(singleStage({ latency: 10 }, { arrivals: { kind: 'fixed', interval: 0 } })));
    expect(s.stable).toBe(false);
    expect(s.pools[0]).toMatchObject({ offeredLoad: null, growthPerSec: null });
  });
});

describe('an overloaded run is bounded by admission control', () => {
  it('stops admitting at the cap from the memory budget; counts sum; growth ≈ 900/s; memory bounded', () => {
    // 140 MB leaves about 10 MB past the runtime allowance: a cap of some 37,000 requests.
    const model = modelOf(overload(1_000_000, { maxMemoryMb: 140 }));
    const cap = inFlightCap(model);
    expect(cap).toBeGreaterThan(10_000);
    expect(cap).toBeLessThan(100_000);
    const sim = new PipelineSimulation(model);
    const c = sim.run();
    expect(sim.requestSlots).toBeLessThanOrEqual(cap);
    const r = buildResult(model, c, { replications: 1, version: 'test', scenarioHash: '' });
    const o = r.outcomes;
    expect(o.success + o.silentFailure + o.failed + o.escalated + o.timedOut + o.rejected).toBe(1_000_000);
    expect(r.stability!.stable).toBe(false);
    expect(r.stability!.pools[0].growthPerSec).toBe(900);
    expect(r.stability).toMatchObject({ truncated: true, truncatedBy: 'memory', truncatedRuns: 1, inFlightLimit: cap });
    expect(r.stability!.truncatedRequests).toBe(o.rejected);
    // The queue the simulation built grew at the predicted rate until the cut.
    const simulatedGrowth = r.pools[0].maxQueueLength / (r.stability!.truncatedAtMs! / 1000);
    expect(Math.abs(simulatedGrowth / 900 - 1)).toBeLessThan(0.05);
    expect(r.analytic).toBeUndefined(); // no closed form for a run cut short
  });

  it('the event limit cuts a run short the same way', () => {
    const r = simulateModel(modelOf(singleStage({ latency: 1 }, { requests: 10_000 })), { maxEvents: 5000 });
    expect(r.events).toBe(5000);
    expect(r.requests).toBe(10_000);
    expect(r.stability).toMatchObject({ truncated: true, truncatedBy: 'events' });
    expect(r.outcomes.success + r.outcomes.rejected).toBe(10_000);
  });

  it('a stable run is not cut and reports stable', () => {
    const r = simulateModel(modelOf(singleStage({ latency: { dist: 'exponential', mean: 5 } }, { requests: 5000, arrivals: { kind: 'poisson', rate: 100 } })));
    expect(r.stability).toMatchObject({ stable: true, truncated: false });
    expect(r.stability!.pools[0].offeredLoad).toBeCloseTo(0.5, 12);
  });
});

describe('shedding measured in a run', () => {
  /** Blocking probability of M/M/1/K (K in the system): (1 − ρ)ρ^K / (1 − ρ^(K+1)) (Kleinrock vol. 1, eq. 3.45). */
  const mm1kBlocking = (rho: number, k: number) => ((1 - rho) * rho ** k) / (1 - rho ** (k + 1));

  it('an overloaded bounded pool (ρ = 10, queue 50) refuses the M/M/1/K share of attempts and says so', () => {
    const model = modelOf(
      singleStage({ latency: { dist: 'exponential', mean: 10 } }, { requests: 20_000, arrivals: { kind: 'poisson', rate: 1000 }, pools: { cpu: { servers: 1, queueCapacity: 50 } } }),
    );
    const r = simulateModel(model);
    const expected = mm1kBlocking(10, 51); // 0.9000…, by PASTA the share of arrivals that find the system full
    expect(r.stability!.stable).toBe(false);
    expect(r.stability!.shedding).toBe(true);
    expect(r.stability!.shed).toHaveLength(1);
    const shed = r.stability!.shed![0];
    expect(shed.id).toBe('cpu');
    expect(shed.attempts).toBe(r.outcomes.rejected); // no retry, no fallback: every refusal is a rejected request
    expect(Math.abs(shed.share - expected)).toBeLessThan(0.01);
  });

  it('a small queue sheds bursts below ρ = 1: stable, but shedding (M/M/1/1, Erlang B: ρ/(1 + ρ))', () => {
    const model = modelOf(
      singleStage({ latency: { dist: 'exponential', mean: 9 } }, { requests: 20_000, arrivals: { kind: 'poisson', rate: 100 }, pools: { cpu: { servers: 1, queueCapacity: 0 } } }),
    );
    const r = simulateModel(model);
    expect(r.stability!.stable).toBe(true);
    expect(r.stability!.shedding).toBe(true);
    expect(Math.abs(r.stability!.shed![0].share - mm1kBlocking(0.9, 1))).toBeLessThan(0.015); // 0.4737
  });

  it('a run that sheds nothing carries no shedding fields', () => {
    const r = simulateModel(modelOf(singleStage({ latency: 5 }, { requests: 2000, arrivals: { kind: 'fixed', interval: 10 }, pools: { cpu: { servers: 1, queueCapacity: 0 } } })));
    expect(r.stability!.shed).toBeUndefined();
    expect(r.stability!.shedding).toBeUndefined();
  });
});

describe('workAmplification', () => {
  it('flags measured ≥ 1.5 × expected attempts, from 100 admitted requests on', () => {
    expect(workAmplification(2, 300, 100)).toEqual({ attemptsPerRequest: { expected: 2, measured: 3 }, workAmplified: true });
    expect(workAmplification(2, 290, 100).workAmplified).toBe(false); // 1.45×
    expect(workAmplification(2, 297, 99).workAmplified).toBe(false); // too few requests to say
    expect(workAmplification(2, 0, 0)).toEqual({});
    expect(workAmplification(Infinity, 10, 100)).toEqual({});
  });
});
