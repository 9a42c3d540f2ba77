/** A request deadline from arrival (`deadline:` at the top of a scenario): past it the request ends `timedOut`, whatever it was doing. */
import type { PolicyDescriptor } from '../policy.js';

export const DEADLINE_POLICY = {
  name: 'deadline',
  stageKey: null,
  scenarioKey: 'deadline',
  kind: 'recovery',
  counters: [],
  stageCoverage: {},
  modelCoverage: { deadlineMs: { holdsWhen: (v) => v === Infinity, because: 'a request deadline ends requests by elapsed time' } },
  defaults: [],
} as const satisfies PolicyDescriptor;
