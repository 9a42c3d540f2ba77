/**
 * Escalation to a human: when every other recovery is exhausted, a stage with
 * `escalate: true` hands the request to the scenario's `escalation:` pool
 * (people on shift); the outcome is `escalated`. Outermost of the recovery
 * policies (path/recovery.ts).
 */
import type { PolicyDescriptor } from '../policy.js';

export const ESCALATION_POLICY = {
  name: 'escalation',
  stageKey: 'escalate',
  scenarioKey: 'escalation',
  kind: 'recovery',
  counters: [],
  stageCoverage: { escalate: { holdsWhen: (v) => !v, because: 'escalation hands failures to a human pool' } },
  modelCoverage: { escalation: { covered: 'inert unless a stage escalates, which is declared on the stage' } },
  defaults: [{ field: 'escalation.resolutionRate', value: '1', source: 'assumption: the human resolves every case (say otherwise when known)' }],
} as const satisfies PolicyDescriptor;
