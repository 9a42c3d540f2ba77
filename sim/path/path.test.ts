import { describe, expect, it } from 'vitest';
import { PipelineSimulation, type TraceEvent } from './composites.js';
import { simulateModel } from './simulate.js';
import { modelOf, singleStage } from '../test-support.js';
import { OUTCOMES } from './outcomes.js';

function traceOf(input: Parameters<typeof modelOf>[0]): string[] {
  const lines: string[] = [];
  const sim = new PipelineSimulation(modelOf(input), {
    onTrace: (e: TraceEvent) =>
      lines.push([e.timeMs, e.request, e.kind, e.stage, e.attempt, e.detail].filter((x) => x !== undefined).join(' ')),
  });
  sim.run();
  return lines;
}

describe('PipelineSimulation: exact traces', () => {
  it('queues FIFO on a shared pool and walks the stages in order', () => {
    // Two requests 4 ms apart; stage a (10 ms) and b (3 ms) share one server.
    // Hand computation: r0 a 0–10, r1 waits. At 10 the finishing attempt first
    // hands its server to r1 (queued since 4), then r0 moves on to b and
    // queues behind it: r1 a 10–20, r0 b 20–23, r1 b 23–26.
    const lines = traceOf({
      name: 't',
      requests: 2,
      arrivals: { kind: 'fixed', interval: 4 },
      pools: { cpu: { servers: 1 } },
      stages: [
        { id: 'a', pool: 'cpu', latency: 10 },
        { id: 'b', pool: 'cpu', latency: 3 },
      ],
    });
    expect(lines).toEqual([
      '0 0 arrive',
      '0 0 start a 1',
      '4 1 arrive',
      '10 1 start a 1',
      '10 0 ok a 1',
      '20 0 start b 1',
      '20 1 ok a 1',
      '23 1 start b 1',
      '23 0 ok b 1',
      '23 0 end b success',
      '26 1 ok b 1',
      '26 1 end b success',
    ]);
  });

  it('retries a failing attempt after its backoff, then fails', () => {
    // Always errors; 3 attempts; exponential backoff 5 ms · 2^(k−1), no jitter:
    // attempts at 0, 2+5=7, 9+10=19; each takes 2 ms; fails at 21.
    const lines = traceOf(
      singleStage({
        latency: 2,
        faults: { error: 1 },
        retry: { maxAttempts: 3, backoff: { kind: 'exponential', base: 5, factor: 2, jitter: 'none' } },
      }, { requests: 1, arrivals: { kind: 'fixed', interval: 1 } }),
    );
    expect(lines).toEqual([
      '0 0 arrive',
      '0 0 start only 1',
      '2 0 error only 1',
      '2 0 retry only 1 5',
      '7 0 start only 2',
      '9 0 error only 2',
      '9 0 retry only 2 10',
      '19 0 start only 3',
      '21 0 error only 3',
      '21 0 end only failed',
    ]);
  });

  it('times out an attempt, queues the retry behind the abandoned work, and ends at the deadline', () => {
    const input = singleStage({ latency: 50, timeout: 20, retry: { maxAttempts: 5, backoff: { kind: 'constant', base: 0, jitter: 'none' } } }, {
      requests: 1,
      arrivals: { kind: 'fixed', interval: 1 },
      deadline: 30,
    });
    // The caller gives up on attempt 1 at 20 ms, but the server keeps working
    // on it until 50 ms (no cancellation); attempt 2 waits behind it, and the
    // deadline at 30 ms ends the request first. The queued attempt 2 is still
    // served 50–100 ms: wasted work.
    expect(traceOf(input)).toEqual([
      '0 0 arrive',
      '0 0 start only 1',
      '20 0 timeout only 1',
      '20 0 retry only 1 0',
      '30 0 end only timedOut',
    ]);
    const r = simulateModel(modelOf(input));
    expect(r.outcomes.timedOut).toBe(1);
    expect(r.stages[0]).toMatchObject({ attempts: 2, timeouts: 1, wasted: 1 });
    // The span runs to the end of the last work (100 ms), all of it busy.
    expect(r.simulatedSpanMs).toBe(100);
    expect(r.pools[0].utilization).toBe(1);
  });
});

describe('PipelineSimulation: outcomes', () => {
  it('counts always sum to the requests simulated', () => {
    const r = simulateModel(
      modelOf({
        name: 'mixed',
        seed: 3,
        requests: 5000,
        arrivals: { kind: 'poisson', rate: 400 },
        deadline: 40,
        pools: { cpu: { servers: 1, queueCapacity: 3 } },
        stages: [
          { id: 'a', pool: 'cpu', latency: { dist: 'exponential', mean: 2 }, timeout: 6, faults: { error: 0.05, timeout: 0.02, corruption: 0.03 } },
          { id: 'b', pool: 'cpu', latency: { dist: 'exponential', mean: 1 }, faults: { error: 0.05 }, retry: { maxAttempts: 2 } },
        ],
      }),
    );
    const total = OUTCOMES.reduce((s, o) => s + r.outcomes[o], 0);
    expect(total).toBe(5000);
    for (const o of ['success', 'silentFailure', 'failed', 'timedOut', 'rejected'] as const) expect(r.outcomes[o]).toBeGreaterThan(0);
    expect(r.attribution.reduce((s, a) => s + a.count, 0)).toBe(5000 - r.outcomes.success);
  });

  it('carries corruption to the end as a silent failure', () => {
    const r = simulateModel(
      modelOf({
        name: 'chain',
        requests: 200,
        arrivals: { kind: 'fixed', interval: 10 },
        pools: { cpu: { servers: 1 } },
        stages: [
          { id: 'a', pool: 'cpu', latency: 1, faults: { corruption: 1 } },
          { id: 'b', pool: 'cpu', latency: 1 },
          { id: 'c', pool: 'cpu', latency: 1 },
        ],
      }),
    );
    expect(r.outcomes.silentFailure).toBe(200);
    expect(r.attribution).toEqual([{ origin: 'a', count: 200 }]);
  });

  it('is byte-identical for the same seed and differs for another seed', () => {
    const input = singleStage({ latency: { dist: 'exponential', mean: 50 }, faults: { error: 0.1 } }, { requests: 3000 });
    const a = JSON.stringify(simulateModel(modelOf(input)));
    const b = JSON.stringify(simulateModel(modelOf(input)));
    const c = JSON.stringify(simulateModel(modelOf({ ...input, seed: 8 })));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('runs closed-loop users and trace arrivals', () => {
    const closed = simulateModel(
      modelOf(singleStage({ latency: 10 }, { requests: 100, arrivals: { kind: 'closed', users: 2, thinkTime: 5 } })),
    );
    // Two users, each cycle 5 ms think + 10 ms service, one server: the server
    // is the bottleneck, so 100 requests finish at 5 + 100·10 = 1005 ms.
    expect(closed.outcomes.success).toBe(100);
    expect(closed.simulatedSpanMs).toBe(1005);
    const trace = simulateModel(modelOf(singleStage({ latency: 1 }, { arrivals: { kind: 'trace', timestamps: [0, 5, 5, 20] } })));
    expect(trace.requests).toBe(4);
    expect(trace.simulatedSpanMs).toBe(21);
    expect(trace.latencyMs.max).toBeCloseTo(2, 1);
  });
});
