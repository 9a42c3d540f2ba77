import { describe, expect, it } from 'vitest';
import { PipelineSimulation } from './composites.js';
import { modelOf } from '../test-support.js';
import type { ScenarioInput } from '../scenario/index.js';

/** Outcome of every request, by request index. */
function outcomes(input: ScenarioInput): Map<number, string> {
  const out = new Map<number, string>();
  new PipelineSimulation(modelOf(input), {
    onTrace: (e) => {
      if (e.kind === 'end') out.set(e.request, String(e.detail));
    },
  }).run();
  return out;
}

const base: ScenarioInput = {
  name: 'crn',
  seed: 3,
  requests: 20_000,
  arrivals: { kind: 'fixed', interval: 100 },
  pools: { cpu: { servers: 4 } },
  stages: [
    { id: 'a', pool: 'cpu', latency: { dist: 'exponential', mean: 5 }, faults: { error: 0.05, corruption: 0.02 } },
    { id: 'b', pool: 'cpu', latency: { dist: 'gamma', shape: 2, scale: 3 }, faults: { error: 0.2 } },
    { id: 'c', pool: 'cpu', latency: { dist: 'lognormal', median: 4, p99: 20 }, faults: { error: 0.05, corruption: 0.03 } },
  ],
};

describe('common random numbers by key', () => {
  it('adding a retry at b changes only the requests that failed at b', () => {
    const before = outcomes(base);
    const withRetry = outcomes({ ...base, stages: [base.stages[0], { ...base.stages[1], retry: { maxAttempts: 3, backoff: { kind: 'constant', base: 0, jitter: 'none' } } }, base.stages[2]] });
    let changed = 0;
    let same = 0;
    for (const [request, outcome] of before) {
      const after = withRetry.get(request)!;
      if (outcome === 'failed' && after !== 'failed') changed++;
      else if (outcome !== 'failed') {
        // Requests that did not fail keep their outcome exactly: their draws at
        // a, b (first attempt) and c are keyed by request and attempt, not by
        // how many draws other requests made.
        expect(after).toBe(outcome);
        same++;
      }
    }
    expect(changed).toBeGreaterThan(2000);
    expect(same).toBeGreaterThan(14_000);
  });
});
