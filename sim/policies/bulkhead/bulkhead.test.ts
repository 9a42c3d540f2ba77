import { describe, expect, it } from 'vitest';
import { Bulkhead } from './bulkhead.js';
import { simulateModel } from '../../path/index.js';
import { modelOf } from '../../test-support.js';
import { erlangB } from '../../analysis/index.js';

describe('Bulkhead', () => {
  it('hands out exactly maxConcurrent permits and takes each back once', () => {
    const b = new Bulkhead({ maxConcurrent: 2 });
    expect([b.tryAcquire(), b.tryAcquire(), b.tryAcquire()]).toEqual([true, true, false]);
    b.release();
    expect([b.tryAcquire(), b.tryAcquire()]).toEqual([true, false]);
  });

  it('in a run: a stage limited to c calls in progress refuses the Erlang-B share of Poisson arrivals (M/G/c/c loss system)', () => {
    // Poisson arrivals at λ = 40/s to a stage with a constant 0.75 s service
    // (the Erlang loss formula holds for any service law) on a pool of 100
    // servers, so the pool never queues, and a bulkhead of c = 30: exactly an
    // M/D/c/c loss system with offered load a = 30 – refusals are Erlang
    // B(30, 30) = 0.1325 (Kleinrock, Queueing Systems I, 1975, §3.6).
    const result = simulateModel(
      modelOf({
        name: 'bulkhead',
        seed: 7,
        requests: 200_000,
        arrivals: { kind: 'poisson', rate: 40 },
        pools: { cpu: { servers: 100 } },
        stages: [{ id: 'a', pool: 'cpu', latency: 750, bulkhead: { maxConcurrent: 30 } }],
      }),
    );
    const refused = result.stages[0].bulkheadRejected / result.requests;
    const expected = erlangB(30, 30);
    expect(expected).toBeCloseTo(0.1325, 4);
    // 200,000 arrivals: the standard error of the refused share is below 0.001.
    expect(Math.abs(refused - expected)).toBeLessThan(0.005);
    expect(result.outcomes.rejected).toBe(result.stages[0].bulkheadRejected);
  });
});
