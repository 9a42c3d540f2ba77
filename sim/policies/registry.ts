/**
 * Every recovery policy and stage feature, in the documented nesting order,
 * outermost first (Polly v8's recommended pipeline order, "Resilience
 * strategies"; resilience4j nests retry outside the breaker likewise):
 *
 *   escalation ⊃ fallback ⊃ hedging ⊃ request deadline ⊃ retry (+ budget)
 *     ⊃ circuit breaker ⊃ bulkhead ⊃ attempt timeout ⊃ input validation
 *
 * (the bulkhead inside the breaker, as resilience4j's recommended order has
 * it), then the stage features. Every list that must know every policy iterates
 * this one: closed-form eligibility (analysis/closed-form-coverage.ts),
 * sensitivity interventions (experiment/sensitivity.ts), collector counters
 * (metrics/collector.ts), stage result columns (metrics/result.ts) and the
 * README's table of policies and defaults (checked by registry.test.ts).
 * Adding a policy: its folder, one line here, the call where it acts.
 */
import { ESCALATION_POLICY } from './escalation/policy.js';
import { FALLBACK_POLICY } from './fallback/policy.js';
import { HEDGE_POLICY } from './hedge/policy.js';
import { DEADLINE_POLICY } from './deadline/policy.js';
import { RETRY_POLICY } from './retry/policy.js';
import { RETRY_BUDGET_POLICY } from './retry-budget/policy.js';
import { BREAKER_POLICY } from './breaker/policy.js';
import { BULKHEAD_POLICY } from './bulkhead/policy.js';
import { TIMEOUT_POLICY } from './timeout/policy.js';
import { VALIDATION_POLICY } from './validation/policy.js';
import { INCIDENTS_FEATURE } from './incidents/policy.js';
import { DIFFICULTY_FEATURE } from './difficulty/policy.js';
import { PERSISTENT_FAULTS_FEATURE } from './persistent-faults/policy.js';
import { LLM_FEATURE } from '../llm/policy.js';

export const POLICIES = [
  ESCALATION_POLICY,
  FALLBACK_POLICY,
  HEDGE_POLICY,
  DEADLINE_POLICY,
  RETRY_POLICY,
  RETRY_BUDGET_POLICY,
  BREAKER_POLICY,
  BULKHEAD_POLICY,
  TIMEOUT_POLICY,
  VALIDATION_POLICY,
  INCIDENTS_FEATURE,
  DIFFICULTY_FEATURE,
  PERSISTENT_FAULTS_FEATURE,
  LLM_FEATURE,
] as const;

type Counters = (typeof POLICIES)[number]['counters'][number];

/** The per-definition counter names the policies add to the collector. */
export type PolicyCounterName = Counters['counter'];

/** The stage result columns the policies add (one per counter that has a column). */
export type PolicyColumnName = Exclude<Counters['column'], null>;

/** Every policy counter, in POLICIES order. */
export const POLICY_COUNTERS: readonly Counters[] = POLICIES.flatMap((p): readonly Counters[] => p.counters);

/** A key a policy is written under on a stage or fallback definition. */
export type PolicyStageKey = Exclude<(typeof POLICIES)[number]['stageKey'], null>;
/** A key a policy is written under at the top of a scenario. */
export type PolicyScenarioKey = Exclude<(typeof POLICIES)[number]['scenarioKey'], null>;

/** The stage keys a variant may add as one sensitivity intervention each (recovery policies written on a stage). */
export const STAGE_RECOVERY_KEYS: readonly string[] = POLICIES.flatMap((p) => (p.kind === 'recovery' && p.stageKey !== null ? [p.stageKey] : []));
