/**
 * Hedged requests: a second attempt starts when the first has run `delay`,
 * only with a server idle (Dean & Barroso, "The Tail at Scale", 2013); the
 * first result wins.
 */
import type { PolicyDescriptor } from '../policy.js';

export const HEDGE_POLICY = {
  name: 'hedge',
  stageKey: 'hedge',
  scenarioKey: null,
  kind: 'recovery',
  counters: [{ counter: 'defHedges', column: 'hedges', doc: 'second attempts started' }],
  stageCoverage: { hedgeDelayMs: { holdsWhen: (v) => v === Infinity, because: 'a hedge races two attempts, and only with a server idle' } },
  modelCoverage: {},
  defaults: [],
} as const satisfies PolicyDescriptor;
