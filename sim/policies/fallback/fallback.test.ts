/** The fallback in a run. */
import { describe, expect, it } from 'vitest';
import { simulateInput as run, singleStage, expectInside, NO_WAIT } from '../../test-support.js';

describe('fallback', () => {
  it('falls back to an alternate definition after retries are exhausted', () => {
    const r = run({
      ...singleStage({ faults: { error: 1 }, retry: { maxAttempts: 2, backoff: NO_WAIT }, fallback: 'cache' }),
      fallbacks: [{ id: 'cache', pool: 'cpu', latency: 1, faults: { error: 0.2 } }],
    });
    expect(r.fallbacks[0].entered).toBe(r.requests);
    expect(r.stages[0].attempts).toBe(2 * r.requests);
    expectInside(r.outcomes.success, r.requests, 0.8);
  });
});
