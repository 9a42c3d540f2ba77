/** Persistent faults (`faults.transientShare` below 1): a share of faults repeats on every retry of that request. */
import type { PolicyDescriptor } from '../policy.js';
import { retries } from '../retry/policy.js';

export const PERSISTENT_FAULTS_FEATURE = {
  name: 'persistent-faults',
  stageKey: null,
  scenarioKey: null,
  kind: 'feature',
  counters: [],
  stageCoverage: {
    transientShare: {
      holdsWhen: (v, s) => v >= 1 || !retries(s),
      because: 'persistent faults repeat on retry, so retries are not independent',
    },
  },
  modelCoverage: {},
  defaults: [{ field: 'faults.transientShare', value: '1', source: 'every fault transient unless given' }],
} as const satisfies PolicyDescriptor;
