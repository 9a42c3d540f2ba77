/** Incidents (`incidents:`): windows of simulated time in which a stage is slower or errs more – the trigger of an incident study. */
import type { PolicyDescriptor } from '../policy.js';

export const INCIDENTS_FEATURE = {
  name: 'incidents',
  stageKey: null,
  scenarioKey: 'incidents',
  kind: 'feature',
  counters: [],
  stageCoverage: {
    incidents: {
      holdsWhen: (v) => v.length === 0,
      because: 'an incident changes the stage inside a time window, so attempts are not identically distributed',
    },
  },
  modelCoverage: {},
  defaults: [
    { field: 'incidents[].latencyFactor', value: '1', source: 'no slowdown unless given' },
    { field: 'incidents[].errorProbability', value: '0', source: 'no extra errors unless given' },
  ],
} as const satisfies PolicyDescriptor;
