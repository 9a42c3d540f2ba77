import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { simulate, compare, ScenarioError } from '../index.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

describe("the library entry point (import { simulate, compare } from 'coordgap')", () => {
  it('simulates a scenario file with overrides and replications', async () => {
    const r = await simulate(join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), { replications: 2, threads: 1, set: ['requests=5000'] });
    expect(r.requests).toBe(10_000);
    expect(r.analytic!.successRate).toBeCloseTo(0.97 ** 6, 12);
  });

  it('compares a scenario object; a retry of a 10 % fault adds about 1 − 0.1³ − 0.9 = +9.9 pp', async () => {
    const c = await compare(
      {
        name: 'lib',
        requests: 20_000,
        arrivals: { kind: 'poisson', rate: 5 },
        pools: { cpu: { servers: 2 } },
        stages: [{ id: 'a', pool: 'cpu', latency: '10ms', faults: { error: 0.1 } }],
        variants: [{ name: 'retry', kind: 'coordination', patch: { stages: { a: { retry: { maxAttempts: 3 } } } } }],
      },
      { threads: 1 },
    );
    const d = c.variants[0].delta.successRate;
    expect(d.ci95[0]).toBeLessThan(0.099);
    expect(d.ci95[1]).toBeGreaterThan(0.099);
  });

  it('rejects an invalid scenario object with a positioned ScenarioError', async () => {
    await expect(simulate({ name: 'bad', arrivals: { kind: 'poisson', rate: 5 }, pools: {}, stages: [] })).rejects.toBeInstanceOf(ScenarioError);
  });
});
