import { describe, expect, it } from 'vitest';
import { referenceModelScenario, REFERENCE_SERVERS, REFERENCE_RATE_PER_SEC, REFERENCE_FAULT_PROBABILITY } from './reference-model.js';
import { simulateModel } from '../path/index.js';
import { modelOf } from '../test-support.js';
import { mmcMeanWaitSec } from './queueing.js';

/**
 * Mean latency of a successful request through the reference model, from
 * queueing theory: each station sees attempts at λ(1 + p + p²) and is treated
 * as M/M/c (Burke's theorem for the tandem; retries perturb it only slightly).
 * A request that succeeds made N attempts at a station with
 * P(N = n | success) = p^(n−1)(1 − p)/(1 − p³), each costing Wq + S, plus the
 * full-jitter backoffs (mean 5 ms after the first failure, 10 ms after the
 * second).
 */
function theoryMeanLatencySec(): number {
  const p = REFERENCE_FAULT_PROBABILITY;
  const attempts = 1 + p + p * p;
  const norm = 1 - p ** 3;
  const expectedAttempts = ((1 - p) * (1 + 2 * p + 3 * p * p)) / norm;
  const expectedBackoffSec = ((1 - p) * (p * 0.005 + p * p * 0.015)) / norm;
  let total = 0;
  for (const c of REFERENCE_SERVERS) {
    const meanServiceSec = (0.7 * c) / (REFERENCE_RATE_PER_SEC * attempts);
    const wq = mmcMeanWaitSec(c, REFERENCE_RATE_PER_SEC * attempts, 1 / meanServiceSec);
    total += expectedAttempts * (wq + meanServiceSec) + expectedBackoffSec;
  }
  return total;
}

describe('reference model', () => {
  it('the theory gives the figure of the issue (≈ 0.496 s)', () => {
    expect(theoryMeanLatencySec()).toBeCloseTo(0.496, 2);
  });

  it('matches (1 − p³)^6 success and the queueing-theory mean latency', () => {
    const r = simulateModel(modelOf(referenceModelScenario(200_000, 11)));
    const expected = (1 - REFERENCE_FAULT_PROBABILITY ** 3) ** 6;
    expect(r.analytic!.successRate).toBeCloseTo(expected, 12);
    expect(expected).toBeGreaterThan(r.successRate.ci95[0]);
    expect(expected).toBeLessThan(r.successRate.ci95[1]);
    // 2 %: the M/M/c treatment of retried traffic is an approximation, and the
    // run's own standard error is ~0.5 % at 200,000 requests.
    expect(r.latencyMs.mean / 1000).toBeGreaterThan(theoryMeanLatencySec() * 0.98);
    expect(r.latencyMs.mean / 1000).toBeLessThan(theoryMeanLatencySec() * 1.02);
    for (const s of r.stages) expect(s.utilization).toBeGreaterThan(0.68);
    for (const s of r.stages) expect(s.utilization).toBeLessThan(0.72);
  });
});
