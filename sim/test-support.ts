/** Helpers shared by the simulator's tests (not exported from the package). */
import { scenarioSchema, type ScenarioInput } from './scenario/index.js';
import { compileScenario } from './scenario/index.js';
import type { Model } from './path/index.js';

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
