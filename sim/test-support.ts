/** Helpers shared by the simulator's tests (not exported from the package). */
import { scenarioSchema, type ScenarioInput } from './scenario/index.js';
import { compileScenario } from './scenario/index.js';
import { expect } from 'vitest';
import type { Model } from './path/index.js';
import { simulateModel } from './path/index.js';
import { wilson } from './metrics/index.js';

export function modelOf(input: ScenarioInput): Model {
  return compileScenario(scenarioSchema.parse(input));
}

/** A one-stage scenario on one pool; `stage` fields override the defaults. */
export function singleStage(
  stage: Partial<ScenarioInput['stages'][number]>,
  rest: Partial<ScenarioInput> = {},
): ScenarioInput {
  return {
    name: 'test',
    seed: 7,
    requests: 1000,
    arrivals: { kind: 'poisson', rate: 10 },
    pools: { cpu: { servers: 1 } },
    stages: [{ id: 'only', pool: 'cpu', latency: 1, ...stage }],
    ...rest,
  };
}

/** Compiles and simulates a scenario object. */
export function simulateInput(input: ScenarioInput) {
  return simulateModel(modelOf(input));
}

/** A backoff that waits nothing: retries at once, so tests count attempts, not time. */
export const NO_WAIT = { kind: 'constant', base: 0, jitter: 'none' } as const;

/**
 * The closed form must lie inside the simulated Wilson interval at 99.9 %
 * (z = 3.2905): seeded, so it cannot flake, and wide enough that a change of
 * random streams does not fail a correct model one time in twenty.
 */
export function expectInside(successes: number, n: number, expected: number): void {
  const { ci95 } = wilson(successes, n, 3.2905);
  expect(expected).toBeGreaterThanOrEqual(ci95[0]);
  expect(expected).toBeLessThanOrEqual(ci95[1]);
}
