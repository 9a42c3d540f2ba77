/** An attempt time limit (`timeout:` on a stage): the caller stops waiting; the attempt's work goes on, wasted. */
import type { PolicyDescriptor } from '../policy.js';

export const TIMEOUT_POLICY = {
  name: 'timeout',
  stageKey: 'timeout',
  scenarioKey: null,
  kind: 'recovery',
  counters: [],
  stageCoverage: {
    attemptTimeoutMs: { holdsWhen: (v) => v === Infinity, because: 'an attempt time limit includes queueing delay, which the closed form ignores' },
  },
  modelCoverage: {},
  defaults: [],
} as const satisfies PolicyDescriptor;
