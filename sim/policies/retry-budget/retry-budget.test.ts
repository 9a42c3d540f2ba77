import { describe, expect, it } from 'vitest';
import { RetryBudget, AWS_STANDARD_RETRY_BUDGET } from './retry-budget.js';
import { simulateModel } from '../../path/index.js';
import { PipelineSimulation, type TraceEvent } from '../../path/index.js';
import { modelOf, singleStage, simulateInput as run, NO_WAIT } from '../../test-support.js';
import { wilson } from '../../metrics/index.js';

describe('RetryBudget (AWS standard mode)', () => {
  it('pays 5 per retry, 10 after a timeout; a first-try success puts back 1, a retried one what its last retry cost', () => {
    // botocore retries/standard.py RetryQuotaChecker: _RETRY_COST = 5,
    // _TIMEOUT_RETRY_REQUEST = 10, _NO_RETRY_INCREMENT = 1; release_retry_quota
    // gives back the amount acquired, or 1 when nothing was; quota.py caps at 500.
    const b = new RetryBudget(AWS_STANDARD_RETRY_BUDGET);
    for (let i = 0; i < 100; i++) expect(b.tryRetry(false)).toBe(true);
    expect(b.tokens).toBe(0);
    expect(b.tryRetry(false)).toBe(false);
    for (let i = 0; i < 9; i++) b.onSuccess(false, false);
    expect(b.tokens).toBe(9);
    expect(b.tryRetry(true)).toBe(false); // 9 < 10
    b.onSuccess(false, false);
    expect(b.tryRetry(true)).toBe(true); // 10 → 0
    b.onSuccess(true, true); // the retried call worked: its 10 come back
    expect(b.tokens).toBe(10);
    expect(b.tryRetry(false)).toBe(true); // 10 → 5
    b.onSuccess(true, false);
    expect(b.tokens).toBe(10);
    b.onSuccess(true, true);
    expect(b.tokens).toBe(20);
    expect(b.denied).toBe(2);
    for (let i = 0; i < 1000; i++) b.onSuccess(true, true);
    expect(b.tokens).toBe(500); // never past the capacity
  });
});

/**
 * One stage, error probability p per attempt, 2 attempts, the AWS bucket.
 * Per call, with q the share of failed first tries the bucket pays a retry
 * for: first-try success (1 − p) puts back 1; a paid retry costs 5 and, when
 * it works (1 − p), puts the 5 back; so the bucket drifts by
 *   (1 − p)·1 − p·q·p·5 tokens per call.
 * It never binds (q = 1) while (1 − p) ≥ 5p², and success is then 1 − p².
 * Otherwise it settles where refunds match costs, q = (1 − p)/(5p²), and
 * success is (1 − p) + p·q·(1 − p). The old rule (1 back per success, retried
 * or not) gives 0.814 at p = 0.3 and 5/9 at p = 0.5.
 */
describe('retry budget in the simulation: the drift of the bucket decides success', () => {
  function run(p: number, requests: number, seed: number) {
    return simulateModel(
      modelOf(
        singleStage(
          { faults: { error: p }, retry: { maxAttempts: 2, backoff: NO_WAIT }, retryBudget: {} },
          { requests, seed, arrivals: { kind: 'poisson', rate: 100 } },
        ),
      ),
    );
  }

  it('p = 0.3: the bucket gains 0.25 tokens per call, never runs dry, success 1 − p² = 0.91 (the old rule: 0.814)', () => {
    // (1 − p) = 0.7 ≥ 5p² = 0.45. Running dry means falling 495 tokens
    // against that drift: by Lundberg's bound, at most e^(−θ·495) ≈ 6e−31 per
    // call, θ ≈ 0.1407 solving 0.7e^(−θ) + 0.21 + 0.09e^(5θ) = 1 (a call moves
    // the bucket by +1, 0 or −5).
    const r = run(0.3, 60_000, 11);
    expect(r.stages[0].retryBudgetDenied).toBe(0);
    expect(r.stages[0].retries).toBe(r.stages[0].errors - r.outcomes.failed);
    const { ci95 } = wilson(r.outcomes.success, r.requests, 3.2905); // 99.9 %: seeded, cannot flake
    expect(0.91).toBeGreaterThanOrEqual(ci95[0]);
    expect(0.91).toBeLessThanOrEqual(ci95[1]);
  });

  it('p = 0.5: the bucket binds and pays q = 0.4 of retries, success 0.6 (the old rule: 5/9 ≈ 0.556)', () => {
    // Exact books: with S1 first-try successes and F2 failed retries,
    // 5·F2 = S1 + (500 − tokens at the end) − (refunds lost at the cap), so
    // 5·F2 = S1 within about 500 tokens. Paid retries are independent trials
    // that work half the time, so the S2 that work number F2 in mean (variance
    // 2·F2, negative binomial), and success S1 + S2 ≈ 1.2·S1 within
    // ±100 calls: mean 0.6·n, variance 1.44·0.25·n + 2·0.1·n = 0.56·n.
    const n = 100_000;
    const r = run(0.5, n, 5);
    const sd = Math.sqrt(0.56 / n);
    const tolerance = 4 * sd + 110 / n; // 4σ (seeded: cannot flake) + the 500-token boundary
    expect(Math.abs(r.successRate.estimate - 0.6)).toBeLessThan(tolerance);
    expect(Math.abs(0.6 - 5 / 9)).toBeGreaterThan(3 * tolerance); // and the old rule is far outside
    // q: paid retries per failed first try ≈ 0.4.
    const paid = r.stages[0].retries;
    expect(Math.abs(paid / (paid + r.stages[0].retryBudgetDenied) - 0.4)).toBeLessThan(0.02);
  });

  it('a retry after a timeout that works gets its 10 tokens back (exact replay of the rule over the trace)', () => {
    // A bucket of 10 that pays exactly one timeout retry, and no refund for a
    // first-try success: retries go on while each one works (10 back), and
    // stop for good at the first retry that fails. Old rule (nothing back
    // for a retried success either) or a refund of the plain cost (5):
    // retries stop after the first one.
    const events: TraceEvent[] = [];
    new PipelineSimulation(
      modelOf(
        singleStage(
          {
            timeout: 50,
            faults: { timeout: 0.3 },
            retry: { maxAttempts: 2, retryOn: ['timeout'], backoff: NO_WAIT },
            retryBudget: { capacity: 10, retryCost: 5, timeoutRetryCost: 10, successRefund: 0 },
          },
          { requests: 400, seed: 1, arrivals: { kind: 'fixed', interval: 1000 } },
        ),
      ),
      { onTrace: (e) => events.push(e) },
    ).run();
    const byRequest = new Map<number, string[]>();
    for (const e of events)
      if (e.kind === 'ok' || e.kind === 'timeout' || e.kind === 'retry') byRequest.set(e.request, [...(byRequest.get(e.request) ?? []), e.kind]);
    let tokens = 10;
    let retries = 0;
    let refunded = 0;
    for (let i = 0; i < 400; i++) {
      const k = byRequest.get(i)!;
      if (k[0] === 'ok') {
        expect(k).toEqual(['ok']);
        continue;
      }
      if (tokens < 10) {
        expect(k, `request ${i}: denied`).toEqual(['timeout']);
        continue;
      }
      expect(k.slice(0, 2), `request ${i}: retried`).toEqual(['timeout', 'retry']);
      tokens -= 10;
      retries++;
      if (k[2] === 'ok') {
        tokens = Math.min(10, tokens + 10);
        refunded++;
      } else expect(k[2]).toBe('timeout');
    }
    // Seed 1 gives a run of 2 retries that worked before one failed, so the
    // refund is exercised (seed 4 starts with a failed retry, which every
    // rule agrees on).
    expect(refunded).toBeGreaterThanOrEqual(2);
    expect(retries).toBe(refunded + 1);
  });

  it('a caller whose nested chain succeeds after its retry gets that retry back (exact replay over the trace)', () => {
    // Caller a retries the whole chain below it when callee b fails (b
    // propagates). Its call succeeded when the request does; it was retried
    // when a's attempt count passed 1. A bucket of 5 pays one retry; a
    // first-try success puts nothing back, a retried success its 5.
    const events: TraceEvent[] = [];
    new PipelineSimulation(
      modelOf({
        name: 'nested',
        seed: 1,
        requests: 200,
        arrivals: { kind: 'fixed', interval: 1000 },
        pools: { cpu: { servers: 1 } },
        stages: [
          { id: 'a', pool: 'cpu', latency: 1, retry: { maxAttempts: 2, backoff: NO_WAIT }, retryBudget: { capacity: 5, retryCost: 5, successRefund: 0 } },
          { id: 'b', pool: 'cpu', latency: 1, faults: { error: 0.4 }, propagate: true },
        ],
      }),
      { onTrace: (e) => events.push(e) },
    ).run();
    let tokens = 5;
    let retries = 0;
    for (let i = 0; i < 200; i++) {
      const mine = events.filter((e) => e.request === i);
      const retried = mine.some((e) => e.kind === 'retry');
      const firstCallFailed = mine.some((e) => e.kind === 'error' && e.stage === 'b');
      const outcome = mine.find((e) => e.kind === 'end')!.detail;
      expect(retried, `request ${i}`).toBe(firstCallFailed && tokens >= 5);
      if (!retried) continue;
      retries++;
      tokens -= 5;
      if (outcome === 'success') tokens = Math.min(5, tokens + 5);
    }
    expect(retries).toBeGreaterThanOrEqual(2); // seed 1: request 0's retry works, so request 3 can retry
  });
});

describe('retry budget', () => {
  it('a retry budget stops retrying once the bucket is empty', () => {
    const r = run(
      singleStage(
        { faults: { error: 1 }, retry: { maxAttempts: 3, backoff: NO_WAIT }, retryBudget: { capacity: 50, retryCost: 5 } },
        { requests: 100, arrivals: { kind: 'fixed', interval: 10 } },
      ),
    );
    // 50 tokens pay for 10 retries; nothing ever succeeds, so nothing refills.
    expect(r.stages[0].retries).toBe(10);
    expect(r.stages[0].attempts).toBe(110);
    expect(r.stages[0].retryBudgetDenied).toBe(100 - 5);
  });
});
