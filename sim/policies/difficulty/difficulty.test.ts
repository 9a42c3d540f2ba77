/** Per-request difficulty: retries help less when a request's attempts share its difficulty. */
import { describe, expect, it } from 'vitest';
import { singleStage, expectInside, NO_WAIT, modelOf } from '../../test-support.js';
import { PipelineSimulation, type TraceEvent } from '../../path/index.js';

describe('per-request difficulty', () => {
  it('pass^k decays far slower than p^k when difficulty varies (tau-bench: 0.60, 0.49, 0.43, 0.38)', () => {
    // Per-request pass probability q ~ Beta(a, b) with mean 0.6 and
    // concentration κ = 0.846 (fitted to tau-bench's pass^1 and pass^2):
    // pass^k = E[q^k] = Π_{j<k} (a + j)/(κ + j), a = 0.6κ.
    const kappa = 0.846;
    const a = 0.6 * kappa;
    const passK = (k: number) => Array.from({ length: k }, (_, j) => (a + j) / (kappa + j)).reduce((x, y) => x * y, 1);
    expect([1, 2, 3, 4].map((k) => +passK(k).toFixed(2))).toEqual([0.6, 0.49, 0.43, 0.39]);
    // Measured on the attempts of one stage that retries every failure: the
    // first attempt fails with E[1 − q] = 0.4; after a failure the next one
    // fails with E[(1 − q)²]/E[1 − q], far above the 0.4 of independent faults.
    const n = 20_000;
    const passesPerRequest = new Map<number, boolean[]>();
    const sim = new PipelineSimulation(
      modelOf(
        singleStage(
          { faults: { error: 0.4 }, difficulty: { concentration: kappa }, retry: { maxAttempts: 4, backoff: NO_WAIT } },
          { requests: n, arrivals: { kind: 'fixed', interval: 10 } },
        ),
      ),
      {
        onTrace: (e: TraceEvent) => {
          if (e.kind !== 'ok' && e.kind !== 'error') return;
          const l = passesPerRequest.get(e.request) ?? [];
          l.push(e.kind === 'ok');
          passesPerRequest.set(e.request, l);
        },
      },
    );
    sim.run();
    let firstFail = 0;
    let secondFailGivenFirst = 0;
    for (const l of passesPerRequest.values()) {
      if (!l[0]) {
        firstFail++;
        if (l.length > 1 && !l[1]) secondFailGivenFirst++;
      }
    }
    const b = 0.4 * kappa;
    const expectedSecond = (b + 1) / (kappa + 1); // E[(1−q)²]/E[1−q] for 1−q ~ Beta(b, a)
    expectInside(firstFail, n, 0.4);
    expectInside(secondFailGivenFirst, firstFail, expectedSecond);
    expect(expectedSecond).toBeGreaterThan(0.7);
  });
});
