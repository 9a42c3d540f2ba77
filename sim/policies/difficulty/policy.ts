/**
 * Per-request difficulty (`difficulty:` on a stage or the scenario): a
 * request's pass probability at a stage is drawn from Beta((1−p)κ, pκ), so
 * hard requests stay hard on retry (the tau-bench pass^k curve).
 */
import type { PolicyDescriptor } from '../policy.js';
import { retries } from '../retry/policy.js';

export const DIFFICULTY_FEATURE = {
  name: 'difficulty',
  stageKey: 'difficulty',
  scenarioKey: 'difficulty',
  kind: 'feature',
  counters: [],
  stageCoverage: {
    difficultyConcentration: {
      holdsWhen: (v, s) => v === 0 || !retries(s),
      because: "per-request difficulty makes a request's attempts dependent, so retries help less than independence says",
    },
  },
  modelCoverage: {},
  defaults: [],
} as const satisfies PolicyDescriptor;
