/**
 * What every recovery policy and stage feature declares about itself, so the
 * lists that must know every policy – closed-form eligibility, sensitivity
 * interventions, collector counters, result columns, documented defaults –
 * iterate one ordered list (registry.ts POLICIES) instead of keeping their
 * own copies, which drifted (incidents once kept a closed form that was 17
 * points off).
 *
 * Pure data: no zod, nothing a worker does not run. A policy's scenario
 * fragment lives beside it in schema.ts (schemas.ts composes them).
 */
import type { Coverage } from '../analysis/coverage.js';
import type { Model, StageModel } from '../path/model.js';

/** A per-definition counter a policy adds to the collector, and the stage result column that reports it (null: reported elsewhere, said in `doc`). */
export interface PolicyCounter {
  readonly counter: `def${string}`;
  readonly column: string | null;
  readonly doc: string;
}

/** A default a policy fills in, with where the value comes from. */
export interface PolicyDefault {
  readonly field: string;
  readonly value: string;
  readonly source: string;
}

export interface PolicyDescriptor {
  /** The policy's folder name, and its name in the README's table. */
  readonly name: string;
  /** The key a stage or fallback definition writes it under (`retry:`), or null. */
  readonly stageKey: string | null;
  /** The key at the top of a scenario (`deadline:`, `incidents:`), or null. */
  readonly scenarioKey: string | null;
  /**
   * `recovery`: something a team can add – a variant that adds it to a stage
   * makes a sensitivity intervention of its own; `feature`: how the system
   * behaves (per-request difficulty, persistent faults, incidents).
   */
  readonly kind: 'recovery' | 'feature';
  readonly counters: readonly PolicyCounter[];
  /** How the compiled stage fields it owns stand with respect to the closed forms (analysis/closed-form-coverage.ts). */
  readonly stageCoverage: Partial<Coverage<StageModel>>;
  /** Likewise for the model-level fields it owns. */
  readonly modelCoverage: Partial<Coverage<Model>>;
  readonly defaults: readonly PolicyDefault[];
}
