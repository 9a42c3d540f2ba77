/**
 * Which features of a compiled model the closed forms in closed-forms.ts cover.
 *
 * A closed form is printed next to a simulated estimate as a check on it, so
 * it must only appear where its derivation holds. Rather than a hand-kept
 * list of exclusions (which drifted: incidents and restart-from-the-start
 * under fragmented state once kept a closed form that was 17 and 4 points
 * off), every field of the model is declared here, one record per model
 * type, keyed by that type's fields:
 *
 * - `covered`: the derivation accounts for the field at any value (with why);
 * - `holdsWhen`: the derivation does not cover the feature; the predicate
 *   says at which values the feature is absent or inert (with what it breaks);
 * - `each` / `fields`: an array or object whose own fields are declared in a
 *   record of their own.
 *
 * The records are `Coverage<T>`, a mapped type over every key of T, so a
 * field added to the model does not compile until it is declared here; and a
 * field present at run time without a declaration (a model built by hand, or
 * a JavaScript caller) counts as not covered, so it withholds the closed form
 * rather than silently keeping it (closed-form-coverage.test.ts checks both).
 */
import type { Model, StageModel, PoolModel, EdgeModel } from '../path/model.js';
import { POLICIES } from '../policies/registry.js';
import { retries } from '../policies/retry/policy.js';
import type { Coverage } from './coverage.js';


/**
 * The declarations every policy and stage feature makes for the fields it
 * owns (policies/registry.ts), merged: one object whose type is the
 * intersection of theirs, so the records below still must declare every
 * other field for this file to compile.
 */
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Owned<K extends 'stageCoverage' | 'modelCoverage'> = UnionToIntersection<(typeof POLICIES)[number][K]>;
const POLICY_STAGE = Object.assign({}, ...POLICIES.map((p) => p.stageCoverage)) as Owned<'stageCoverage'>;
const POLICY_MODEL = Object.assign({}, ...POLICIES.map((p) => p.modelCoverage)) as Owned<'modelCoverage'>;

const STAGE: Coverage<StageModel> = {
  id: { covered: 'a name' },
  poolIndex: { covered: 'decides queueing delay only, which decides no outcome here' },
  latency: { covered: 'its CDF enters only through an attempt time limit' },
  serviceScale: { covered: 'scales service time only' },
  errorProbability: { covered: 'p_e' },
  timeoutProbability: { covered: 'p_t' },
  corruptionProbability: { covered: 'p_c: the corrupted share of a pass' },
  staleReadProbability: { covered: 'adds to p_c (a stale read is silent corruption)' },
  inputTokensPerCall: { covered: 'cost only' },
  outputTokensPerCall: { covered: 'cost only' },
  inputPricePerMTokUsd: { covered: 'cost only' },
  outputPricePerMTokUsd: { covered: 'cost only' },
  ...POLICY_STAGE,
};

const POOL: Coverage<PoolModel> = {
  id: { covered: 'a name' },
  kind: { covered: 'hardware kind: prices and speed only' },
  servers: { covered: 'decide queueing delay only, which decides no outcome here' },
  queueCapacity: { holdsWhen: (v) => v === Infinity, because: 'a bounded queue sheds requests when it is full' },
  pricePerHourUsd: { covered: 'cost only' },
  serving: { covered: 'acts only through the LLM calls on the pool, which the llm feature keeps out of the closed forms' },
};

const EDGE: Coverage<EdgeModel> = {
  id: { covered: 'a name' },
  contextLossProbability: { covered: 'multiplies the clean share by 1 − loss − mismatch' },
  formatMismatchProbability: { covered: 'a lenient receiver takes a mismatch as silent corruption' },
  strictReceiver: {
    holdsWhen: (v, e) => !v || e.formatMismatchProbability === 0,
    because: 'a strict receiver refuses a mismatch, which redoes the stage before it',
  },
};

/** The root record: every field of a Model. */
export const CLOSED_FORM_COVERAGE: Coverage<Model> = {
  name: { covered: 'a name' },
  seed: { covered: 'the random numbers, not the model' },
  requests: { covered: 'the sample size' },
  arrivals: { covered: 'decide timing only, and nothing allowed here depends on time' },
  pools: { each: POOL },
  stages: { each: STAGE },
  edges: { each: EDGE },
  graph: {
    covered:
      'graph-flow.ts walks routing, fan-outs, joins and loops; a composite whose figure depends on timing (an any-join of unlike branches, a quorum of corruptible ones) withholds the closed form there',
  },
  checkpointResume: {
    holdsWhen: (v, m) => v || m.stages.every((s, i) => i === 0 || !retries(s)),
    because: 'under fragmented state a retry restarts from the first stage, which redraws every stage before it',
  },
  silentFailureCostUsd: { covered: 'cost only' },
  escalationCostUsd: { covered: 'cost only' },
  timelineBucketMs: { covered: 'reporting only' },
  limits: { covered: 'the budget of a run; a run cut short carries no closed form (metrics/result.ts)' },
  ...POLICY_MODEL,
};

type AnyDeclaration =
  | { covered: string }
  | { holdsWhen: (value: unknown, owner: unknown, model: Model) => boolean; because: string }
  | { each: Record<string, AnyDeclaration> }
  | { fields: Record<string, AnyDeclaration> };

/**
 * Why the closed form does not hold for `model`: one line per feature present
 * that its derivation does not cover ("stages.inference.incidents: …"), and
 * per field of the model that has no declaration above. Empty: it holds.
 */
export function closedFormExclusions(model: Model): string[] {
  const out: string[] = [];
  check(CLOSED_FORM_COVERAGE as unknown as Record<string, AnyDeclaration>, model, model, '', out);
  return out;
}

function check(coverage: Record<string, AnyDeclaration>, owner: object, model: Model, path: string, out: string[]): void {
  const values = owner as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!Object.hasOwn(coverage, key)) out.push(`${path}${key}: declared neither in closed-form-coverage.ts nor by a policy (policies/registry.ts), so not known to be covered`);
  }
  for (const [key, d] of Object.entries(coverage)) {
    const value = values[key];
    const at = `${path}${key}`;
    if ('holdsWhen' in d) {
      if (!d.holdsWhen(value, owner, model)) out.push(`${at}: ${d.because}`);
    } else if ('each' in d) {
      (value as readonly unknown[]).forEach((v, i) => {
        if (v !== null && typeof v === 'object') check(d.each, v, model, `${at}.${elementName(v, i)}.`, out);
      });
    } else if ('fields' in d) {
      if (value !== null && typeof value === 'object') check(d.fields, value, model, `${at}.`, out);
    }
  }
}

function elementName(v: object, i: number): string {
  const id = (v as { id?: unknown }).id;
  return typeof id === 'string' ? id : String(i);
}
