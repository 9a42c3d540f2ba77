/**
 * The policies' scenario fragments, composed into the stage and scenario
 * schemas (scenario/schema.ts). Keyed by the keys the descriptors declare
 * (registry.ts): a policy with a key but no fragment here, or a fragment for
 * a key no policy declares, does not compile. Kept apart from the
 * descriptors so what a worker imports to run a model holds no zod.
 */
import { z } from 'zod';
import { durationMs } from '../scenario/units.js';
import type { PolicyScenarioKey, PolicyStageKey } from './registry.js';
import { validateSchema } from './validation/schema.js';
import { retrySchema } from './retry/schema.js';
import { breakerSchema } from './breaker/schema.js';
import { retryBudgetSchema } from './retry-budget/schema.js';
import { hedgeSchema } from './hedge/schema.js';
import { bulkheadSchema } from './bulkhead/schema.js';
import { difficultySchema } from './difficulty/schema.js';
import { escalationSchema } from './escalation/schema.js';
import { incidentSchema } from './incidents/schema.js';
import { llmCallSchema, providerSchema } from '../llm/schema.js';
import { identifier } from '../scenario/identifier.js';

/** Written on a stage or fallback definition. */
export const POLICY_STAGE_FIELDS = {
  timeout: durationMs.optional().describe('attempt time limit'),
  difficulty: difficultySchema.optional(),
  validate: validateSchema.optional().describe("validation of this step's input"),
  retry: retrySchema.optional(),
  breaker: breakerSchema.optional(),
  retryBudget: retryBudgetSchema.optional().describe('token bucket limiting retries ({} = AWS SDK standard mode)'),
  hedge: hedgeSchema.optional(),
  bulkhead: bulkheadSchema.optional().describe('limit on this stage\'s calls in progress ({} = resilience4j\'s 25)'),
  fallback: z.string().optional().describe('id of a fallback definition to run when retries are exhausted or the breaker is open'),
  escalate: z.boolean().optional().describe('hand the request to a human when nothing else recovers it'),
  llm: llmCallSchema
    .optional()
    .describe('an LLM call: provider and model (under providers:), tokens in and out; service time = TTFT + (output tokens − 1) × TPOT (README "LLM calls and providers")'),
} satisfies Record<PolicyStageKey, z.ZodType>;

/** Written at the top of a scenario. */
export const POLICY_SCENARIO_FIELDS = {
  deadline: durationMs.optional().describe('request deadline from arrival'),
  difficulty: difficultySchema.optional().describe('default per-request difficulty for every stage'),
  escalation: escalationSchema.optional(),
  incidents: z.array(incidentSchema).optional().describe('windows in which a stage misbehaves (the trigger of an incident study)'),
  providers: z
    .record(identifier, providerSchema)
    .optional()
    .describe('LLM providers: rate limits (RPM, TPM, concurrency) shared by every call, quotas, outages and brown-outs, per-model TTFT, TPOT and prices'),
} satisfies Record<PolicyScenarioKey, z.ZodType>;
