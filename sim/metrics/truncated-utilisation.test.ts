/**
 * A run cut short at T (the event limit or the in-flight cap) ends at T: its
 * busy time is the servers' work inside [0, T], so utilisation never passes
 * 100 %. Attempts book their whole service time when they start, so the ones
 * still in service at the cut used to count their time past T too (issue 12
 * item 20: 1983.8 % on a truncated run).
 *
 * The scenarios are deterministic – evenly spaced arrivals, constant service
 * times – so the expected busy time at any T follows from the schedule alone,
 * by hand, not from the simulator.
 */
import { describe, expect, it } from 'vitest';
import { PipelineSimulation } from '../path/index.js';
import { simulateModel } from '../path/index.js';
import { modelOf, singleStage } from '../test-support.js';
import { TRUNCATED_BY_EVENTS, TRUNCATED_BY_MEMORY } from './collector.js';

const SERVICE_MS = 1000;

/**
 * One server, an arrival every 100 ms, 1000 ms of service each: from t = 0
 * the queue never empties, so a work-conserving server is busy throughout
 * [0, T] – busy time T, utilisation exactly 1, wherever the cut falls.
 */
const saturated = modelOf(
  singleStage({ latency: SERVICE_MS }, { requests: 1000, arrivals: { kind: 'fixed', interval: 100 }, pools: { cpu: { servers: 1 } } }),
);

/**
 * Three servers, an arrival every 400 ms, 1000 ms of service: request k
 * arrives at 400k and finds a server free (request k − 3 left at 400k − 200),
 * so it is in service over [400k, 400k + 1000) and the busy time at T is
 * Σ_k clamp(T − 400k, 0, 1000) – with idle time, and two or three attempts
 * in service at most cuts.
 */
const INTERVAL_MS = 400;
const SERVERS = 3;
const spaced = modelOf(
  singleStage({ latency: SERVICE_MS }, { requests: 1000, arrivals: { kind: 'fixed', interval: INTERVAL_MS }, pools: { cpu: { servers: SERVERS } } }),
);

function spacedBusyMs(tMs: number): number {
  let busy = 0;
  for (let k = 0; INTERVAL_MS * k <= tMs; k++) busy += Math.min(SERVICE_MS, tMs - INTERVAL_MS * k);
  return busy;
}

describe('utilisation of a run cut short', () => {
  it('cut by the event limit while the server is mid-service: busy time is T, utilisation exactly 1', () => {
    let midService = 0;
    for (let maxEvents = 2; maxEvents <= 60; maxEvents++) {
      const c = new PipelineSimulation(saturated).run(maxEvents);
      expect(c.truncatedBy).toBe(TRUNCATED_BY_EVENTS);
      const tMs = c.truncatedAtMs;
      if (tMs % SERVICE_MS !== 0) midService++;
      expect(c.spanMs).toBe(tMs);
      expect(c.poolBusyMs[0]).toBe(tMs);
      expect(c.defBusyMs[0]).toBe(tMs);
    }
    expect(midService).toBeGreaterThan(40); // the cases the old books got wrong (above 1)
    const r = simulateModel(saturated, { maxEvents: 25 }); // cut at 2200 ms; the old books said 3000 ms busy (136 %)
    expect(r.stability?.truncatedAtMs).toBe(2200);
    expect(r.pools[0].utilization).toBe(1);
    expect(r.stages[0].utilization).toBe(1);
  });

  it('cut by the in-flight cap: busy time is T, utilisation exactly 1', () => {
    for (const maxInFlight of [2, 5, 9]) {
      // The (maxInFlight + 1)-th arrival, at 100 · maxInFlight ms, finds the cap
      // reached: nothing has finished before 1000 ms.
      const c = new PipelineSimulation(saturated, { maxInFlight }).run();
      expect(c.truncatedBy).toBe(TRUNCATED_BY_MEMORY);
      expect(c.truncatedAtMs).toBe(100 * maxInFlight);
      expect(c.poolBusyMs[0]).toBe(100 * maxInFlight);
    }
    const r = simulateModel(saturated, { maxInFlight: 5 }); // cut at 500 ms, one attempt in service until 1000 ms (old: 200 %)
    expect(r.pools[0].utilization).toBe(1);
  });

  it('several servers with idle time: busy time equals the schedule’s work inside [0, T] at every cut', () => {
    const cuts = new Set<number>();
    for (let maxEvents = 1; maxEvents <= 80; maxEvents++) {
      const c = new PipelineSimulation(spaced).run(maxEvents);
      const tMs = c.truncatedAtMs;
      cuts.add(tMs);
      expect(c.poolBusyMs[0]).toBe(spacedBusyMs(tMs));
      expect(c.poolBusyMs[0]).toBeLessThanOrEqual(SERVERS * tMs);
    }
    expect(cuts.size).toBeGreaterThan(50);
  });

  it('a run that drains keeps every attempt’s whole service time', () => {
    const c = new PipelineSimulation(spaced).run();
    expect(c.truncatedRuns).toBe(0);
    expect(c.poolBusyMs[0]).toBe(1000 * SERVICE_MS);
    expect(c.spanMs).toBe(INTERVAL_MS * 999 + SERVICE_MS);
  });
});
