/** Shared by the scenario-reading tests (not part of the package's surface). */
import { parseSource, validateSource, ScenarioError } from './index.js';
import { scenarioSchema } from './schema.js';

/** The formatted issues a call throws; fails the test if it throws anything else or nothing. */
export function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

/** The formatted issues of validating scenario text against the real schema; [] when it is valid. */
export function validationErrors(text: string): string[] {
  try {
    validateSource(parseSource(text, 's.yaml'), scenarioSchema);
    return [];
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    throw e;
  }
}

/** A small valid file in the shape of the tests' stand-in schemas. */
export const GOOD = `name: demo
stages:
  - id: retrieval
    latency: { dist: constant, value: 20ms }
    faults:
      error: 0.1
  - id: generate
    latency: { dist: uniform, min: 1s, max: 2s }
`;

/** Lines 1–9 of the bad-graph tests' files: three stages; a graph: written after them starts on line 10. */
export const GRAPH_HEAD = `name: g
requests: 200
arrivals: { kind: poisson, rate: 10/s }
pools:
  cpu: { servers: 100 }
stages:
  - { id: plan, pool: cpu, latency: 1ms }
  - { id: act, pool: cpu, latency: 1ms }
  - { id: check, pool: cpu, latency: 1ms }
`;
