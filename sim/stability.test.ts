import { describe, expect, it } from 'vitest';
import { modelOf, singleStage } from './test-support.js';
import { stabilityOf, workAmplification } from './stability.js';
import { inFlightCap } from './budget.js';
import { PipelineSimulation } from './pipeline.js';
import { simulateModel } from './simulate.js';
import { buildResult } from './result.js';

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
    expect(s.pools).toEqual([{ id: 'cpu', offeredLoad: 10, growthPerSec: 900, bounded: false }]);
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

  it('a bounded queue sheds overload at admission: stable', () => {
    const s = stabilityOf(modelOf(singleStage({ latency: 10 }, { arrivals: { kind: 'poisson', rate: 1000 }, pools: { cpu: { servers: 1, queueCapacity: 50 } } })));
    expect(s.stable).toBe(true);
    expect(s.pools[0]).toMatchObject({ offeredLoad: 10, growthPerSec: 0, bounded: true });
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

describe('workAmplification', () => {
  it('flags measured ≥ 1.5 × expected attempts, from 100 admitted requests on', () => {
    expect(workAmplification(2, 300, 100)).toEqual({ attemptsPerRequest: { expected: 2, measured: 3 }, workAmplified: true });
    expect(workAmplification(2, 290, 100).workAmplified).toBe(false); // 1.45×
    expect(workAmplification(2, 297, 99).workAmplified).toBe(false); // too few requests to say
    expect(workAmplification(2, 0, 0)).toEqual({});
    expect(workAmplification(Infinity, 10, 100)).toEqual({});
  });
});
