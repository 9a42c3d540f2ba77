/** Fallback: after retries are used up or the breaker is open, run another stage definition (`fallback: <id>`). */
import type { PolicyDescriptor } from '../policy.js';

export const FALLBACK_POLICY = {
  name: 'fallback',
  stageKey: 'fallback',
  scenarioKey: null,
  kind: 'recovery',
  counters: [{ counter: 'defFallbacks', column: null, doc: '`entered`, on the fallback\'s own row' }],
  stageCoverage: { fallback: { holdsWhen: (v) => v < 0, because: 'a fallback runs another stage definition after retries are used up' } },
  modelCoverage: { fallbacks: { covered: 'inert unless a stage falls back, which is declared on the stage' } },
  defaults: [],
} as const satisfies PolicyDescriptor;
