import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, mmcMeanWaitSec, littlesLawMeanInSystem } from './queueing.js';
import { simulateModel } from '../path/index.js';
import { PipelineSimulation } from '../path/index.js';
import { modelOf, singleStage } from '../test-support.js';
import { meanInterval } from '../metrics/index.js';

/** ln k! summed exactly enough for the test (k ≤ 2000). */
function lnFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

describe('closed forms', () => {
  it('Erlang C matches textbook values', () => {
    // M/M/1: P(wait) = ρ.
    expect(erlangC(1, 0.7, 1)).toBeCloseTo(0.7, 12);
    // c = 2, a = 1 (ρ = 0.5): C = (1/2 · 2) / (1 + 1 + 1) = 1/3.
    expect(erlangC(2, 1, 1)).toBeCloseTo(1 / 3, 12);
    // M/M/1 Wq = ρ/(μ − λ) = 0.7/0.3 s for λ = 0.7, μ = 1.
    expect(mmcMeanWaitSec(1, 0.7, 1)).toBeCloseTo(0.7 / 0.3, 12);
    expect(mmcMeanWaitSec(2, 2, 1)).toBe(Infinity);
    // Large c does not overflow: c = 200, ρ = 0.5 hardly ever waits.
    expect(erlangC(200, 100, 1)).toBeLessThan(1e-10);
    // Large offered load (a hosted-LLM pool: 2,000 connections, a = 1,900 Erlang): the textbook
    // sum in log space (log-sum-exp over k·ln a − ln k!) against the recurrence; the plain sum overflowed to NaN.
    const logTerm = (k: number, a: number) => k * Math.log(a) - lnFactorial(k);
    const textbook = (c: number, a: number) => {
      const logs = Array.from({ length: c }, (_, k) => logTerm(k, a));
      const top = logTerm(c, a) - Math.log(1 - a / c);
      const max = Math.max(top, ...logs);
      const sum = logs.reduce((acc, l) => acc + Math.exp(l - max), 0);
      return Math.exp(top - max) / (sum + Math.exp(top - max));
    };
    expect(erlangC(2000, 1900, 1)).toBeCloseTo(textbook(2000, 1900), 10);
    expect(erlangC(2000, 1990, 1)).toBeCloseTo(textbook(2000, 1990), 10);
    expect(littlesLawMeanInSystem(10, 0.25)).toBe(2.5);
    // Erlang B: one server, B = a/(1 + a); the classic table value B(10, 5 Erl) = 0.01838.
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 12);
    expect(erlangB(10, 5)).toBeCloseTo(0.018385, 5);
  });
});

/**
 * Mean queue wait of a one-stage pipeline against Erlang C. Ten seeded
 * replications give a Student-t interval on the mean wait (replications are
 * independent, so the interval is honest despite autocorrelation within a
 * run); checked at 99.9 % (t_{0.9995, 9} = 4.781) so that a change of random
 * streams does not fail a correct model one time in twenty.
 */
function expectWaitMatches(theoryMs: number, est: { estimate: number; ci95: [number, number] }) {
  const halfWidth95 = (est.ci95[1] - est.ci95[0]) / 2;
  const halfWidth999 = (halfWidth95 / 2.262) * 4.781; // t_{0.975, 9} = 2.262
  expect(Math.abs(est.estimate - theoryMs)).toBeLessThan(halfWidth999);
}

function simulatedMeanWaitMs(servers: number, ratePerSec: number, meanServiceMs: number, seedBase: number) {
  const waits: number[] = [];
  for (let r = 0; r < 10; r++) {
    const result = simulateModel(
      modelOf(
        singleStage(
          { latency: { dist: 'exponential', mean: meanServiceMs } },
          { seed: seedBase + r, requests: 40_000, arrivals: { kind: 'poisson', rate: ratePerSec }, pools: { cpu: { servers } } },
        ),
      ),
    );
    waits.push(result.stages[0].meanQueueMs);
  }
  return meanInterval(waits);
}

describe('simulated queues against theory', () => {
  it('M/M/1 at ρ = 0.6: mean wait inside the replication interval of the closed form', () => {
    const theoryMs = mmcMeanWaitSec(1, 60, 100) * 1000; // λ = 60/s, μ = 100/s → 15 ms
    const est = simulatedMeanWaitMs(1, 60, 10, 100);
    expect(theoryMs).toBeCloseTo(15, 10);
    expectWaitMatches(theoryMs, est);
  });

  it('M/M/4 at ρ = 0.75: mean wait matches Erlang C', () => {
    const theoryMs = mmcMeanWaitSec(4, 300, 100) * 1000;
    const est = simulatedMeanWaitMs(4, 300, 10, 200);
    expectWaitMatches(theoryMs, est);
  });

  it("Little's law: time-average number in system equals throughput × mean time in system", () => {
    // On a sample path that starts and ends empty, ∫N(t)dt = Σ W_i exactly
    // (Little 1961; Stidham 1974), so L = λW holds to rounding.
    let inSystem = 0;
    let lastMs = 0;
    let area = 0;
    let sumLatencyMs = 0;
    const arrivals = new Map<number, number>();
    const sim = new PipelineSimulation(
      modelOf(singleStage({ latency: { dist: 'exponential', mean: 8 } }, { requests: 20_000, arrivals: { kind: 'poisson', rate: 100 } })),
      {
        onTrace: (e) => {
          if (e.kind !== 'arrive' && e.kind !== 'end') return;
          area += inSystem * (e.timeMs - lastMs);
          lastMs = e.timeMs;
          if (e.kind === 'arrive') {
            inSystem++;
            arrivals.set(e.request, e.timeMs);
          } else {
            inSystem--;
            sumLatencyMs += e.timeMs - arrivals.get(e.request)!;
          }
        },
      },
    );
    const c = sim.run();
    const L = area / c.spanMs;
    const lambdaPerMs = c.requestsFinished / c.spanMs;
    const W = sumLatencyMs / c.requestsFinished;
    expect(L).toBeCloseTo(lambdaPerMs * W, 9);
    expect(W).toBeCloseTo(c.allLatency.meanMs, 6);
  });
});
