/** Validation of a step's input (`validate:`): catches a share of corrupted input, which is then redone from where it started. Innermost policy. */
import type { PolicyDescriptor } from '../policy.js';

export const VALIDATION_POLICY = {
  name: 'validation',
  stageKey: 'validate',
  scenarioKey: null,
  kind: 'recovery',
  counters: [{ counter: 'defCaught', column: 'caught', doc: 'corrupted inputs the check caught' }],
  stageCoverage: { guard: { holdsWhen: (v) => v === null, because: 'validation turns caught corruption into a redo from where it started' } },
  modelCoverage: {},
  defaults: [],
} as const satisfies PolicyDescriptor;
