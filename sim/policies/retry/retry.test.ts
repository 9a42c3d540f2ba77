/** Retries against their closed forms (retry.ts passProbability). */
import { describe, expect, it } from 'vitest';
import { simulateInput as run, singleStage, expectInside, NO_WAIT } from '../../test-support.js';

describe('retry closed forms', () => {
  it('independent transient faults with k attempts pass with 1 − p^k', () => {
    for (const k of [1, 2, 3]) {
      const r = run(singleStage({ faults: { error: 0.3 }, retry: { maxAttempts: k, backoff: NO_WAIT } }, { requests: 40_000, seed: 10 + k }));
      expectInside(r.outcomes.success, r.requests, 1 - 0.3 ** k);
      expect(r.analytic!.successRate).toBeCloseTo(1 - 0.3 ** k, 12);
    }
  });

  it('persistent faults: retries change nothing', () => {
    const r = run(singleStage({ faults: { error: 0.3, transientShare: 0 }, retry: { maxAttempts: 3, backoff: NO_WAIT } }, { requests: 40_000 }));
    expectInside(r.outcomes.success, r.requests, 0.7);
    // No retry ever succeeds: a request either passes at once or fails three times.
    expect(r.stages[0].attempts).toBe(r.outcomes.success + 3 * r.outcomes.failed);
  });

  it('half-persistent faults: each fault repeats with probability 1 − s', () => {
    // Fail all k attempts: f_k = p·((1 − s) + s·f_{k−1}), f_1 = p – a fault
    // either repeats to the end or the next attempt is a fresh draw.
    const p = 0.3;
    const s = 0.5;
    let fail = p;
    for (let k = 2; k <= 3; k++) fail = p * (1 - s + s * fail);
    const r = run(singleStage({ faults: { error: p, transientShare: s }, retry: { maxAttempts: 3, backoff: NO_WAIT } }, { requests: 60_000 }));
    expectInside(r.outcomes.success, r.requests, 1 - fail);
  });

  it('maxRetries counts retries only: maxRetries 2 equals maxAttempts 3', () => {
    const a = run(singleStage({ faults: { error: 0.4 }, retry: { maxAttempts: 3, backoff: NO_WAIT } }));
    const b = run(singleStage({ faults: { error: 0.4 }, retry: { maxRetries: 2, backoff: NO_WAIT } }));
    expect(b.outcomes).toEqual(a.outcomes);
  });
});
