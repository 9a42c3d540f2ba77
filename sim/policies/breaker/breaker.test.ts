import { describe, expect, it } from 'vitest';
import { simulateInput as run, singleStage } from '../../test-support.js';
import { CircuitBreaker } from './breaker.js';

describe('CircuitBreaker', () => {
  it('opens after exactly N consecutive failures and half-opens on the first call after the wait', () => {
    const b = new CircuitBreaker({ kind: 'consecutive', failureThreshold: 3, openMs: 100, halfOpenCalls: 1 });
    const trace: string[] = [];
    const call = (t: number, ok: boolean) => {
      const allowed = b.tryAcquire(t);
      if (allowed) b.record(ok, t);
      trace.push(`${t}:${allowed ? (ok ? 'ok' : 'fail') : 'rejected'}:${b.state}`);
    };
    call(0, false);
    call(1, true); // resets the run
    call(2, false);
    call(3, false);
    call(4, false); // third in a row → open until 104
    call(50, true);
    call(103, true);
    call(104, false); // first call after the wait: half-open trial fails → open until 204
    call(150, true);
    call(204, true); // trial succeeds → closed
    call(205, false);
    expect(trace).toEqual([
      '0:fail:closed',
      '1:ok:closed',
      '2:fail:closed',
      '3:fail:closed',
      '4:fail:open',
      '50:rejected:open',
      '103:rejected:open',
      '104:fail:open',
      '150:rejected:open',
      '204:ok:closed',
      '205:fail:closed',
    ]);
    expect(b.opened).toBe(2);
    expect(b.rejected).toBe(3);
  });

  it('half-open admits only the trial calls until they finish', () => {
    const b = new CircuitBreaker({ kind: 'consecutive', failureThreshold: 1, openMs: 10, halfOpenCalls: 2 });
    b.tryAcquire(0);
    b.record(false, 0);
    expect(b.tryAcquire(10)).toBe(true);
    expect(b.tryAcquire(10)).toBe(true);
    expect(b.tryAcquire(11)).toBe(false); // third concurrent call while trials run
    b.record(true, 12);
    expect(b.state).toBe('halfOpen');
    b.record(true, 13);
    expect(b.state).toBe('closed');
  });

  it('rate breaker opens when the failure share over the window reaches the threshold', () => {
    const b = new CircuitBreaker({ kind: 'rate', failureRate: 0.5, windowCalls: 4, minCalls: 4, openMs: 10, halfOpenCalls: 1 });
    const results = [true, false, true, false]; // 2/4 = 0.5 on the 4th call
    results.forEach((ok, i) => {
      expect(b.tryAcquire(i)).toBe(true);
      b.record(ok, i);
      expect(b.state).toBe(i < 3 ? 'closed' : 'open');
    });
    const c = new CircuitBreaker({ kind: 'rate', failureRate: 0.5, windowCalls: 4, minCalls: 4, openMs: 10, halfOpenCalls: 1 });
    // A failure that slides out of the window stops counting: F T T T F T has
    // at most one failure in any four consecutive calls.
    [false, true, true, true, false, true].forEach((ok, i) => {
      c.tryAcquire(i);
      c.record(ok, i);
    });
    expect(c.state).toBe('closed');
  });
});

describe('circuit breaker', () => {
  it('a breaker rejects while open; rejected calls end `rejected` without a fallback', () => {
    const r = run(
      singleStage(
        { faults: { error: 1 }, breaker: { kind: 'consecutive', failures: 5, openFor: 1000, halfOpenCalls: 1 } },
        { requests: 1000, arrivals: { kind: 'fixed', interval: 10 } },
      ),
    );
    // Every 1 s window: the first call after the wait is a trial (fails, reopens);
    // the 99 others are rejected. Before the first opening 5 calls fail.
    expect(r.stages[0].breakerOpened).toBeGreaterThan(5);
    expect(r.outcomes.rejected).toBe(r.stages[0].breakerRejected);
    expect(r.outcomes.failed + r.outcomes.rejected).toBe(1000);
    expect(r.outcomes.failed).toBe(5 + r.stages[0].breakerOpened - 1);
  });
});
