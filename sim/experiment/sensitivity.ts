/**
 * "What do we fix first?": single interventions on the baseline, each a patch
 * – every stage made fault-free, every hand-off made fault-free, every
 * recovery policy of the coordination variants added alone, every compute
 * variant alone – to be run on common random numbers and ranked by a chosen
 * objective (Δ task success by default; OBJECTIVES).
 *
 * The two kinds are ranked apart. A policy or a compute variant is an
 * *option*: something a team can build or buy. A stage or hand-off "made
 * fault-free" is a *what-if bound*: nobody can buy it, it says how much
 * fixing that place could give at most. One list would rank a bound above
 * every option and read as advice.
 */
import type { Model } from '../path/model.js';
import { graphOf } from '../path/origins.js';
import { STAGE_RECOVERY_KEYS } from '../policies/registry.js';
import type { VariantComparison, VariantDelta, VariantKind } from './comparison.js';
import type { RunResult } from '../metrics/result.js';

export interface Intervention {
  name: string;
  kind: VariantKind | 'fault-free stage' | 'fault-free hand-off';
  patch: Record<string, unknown>;
}

interface VariantLike {
  name: string;
  kind: VariantKind;
  patch: Record<string, unknown>;
}

/**
 * The stage keys a coordination variant may set, each an intervention of its
 * own: every recovery policy written on a stage (policies/registry.ts), then
 * the hand-off and state layers (scenario/layers.ts).
 */
const INTERVENTION_KEYS: readonly string[] = [...STAGE_RECOVERY_KEYS, 'handoff', 'state'];

/** The interventions for a compiled baseline and the variants as written in the file. */
export function interventions(model: Model, variants: readonly VariantLike[]): Intervention[] {
  const out: Intervention[] = [];
  model.stages.forEach((s) => {
    const faulty = s.errorProbability + s.timeoutProbability + s.corruptionProbability + s.staleReadProbability > 0;
    if (faulty)
      out.push({
        name: `${s.id} fault-free`,
        kind: 'fault-free stage',
        patch: { stages: { [s.id]: { faults: { error: 0, timeout: 0, corruption: 0 }, staleRead: 0 } } },
      });
  });
  // A hand-off is written on its receiving stage, so one patch clears every edge into it: a
  // stage that several nodes hand to (a graph) gets one intervention for all of them.
  const graph = graphOf(model);
  const faultyInto = new Map<number, string[]>();
  model.edges.forEach((e, i) => {
    if (e !== null && e.contextLossProbability + e.formatMismatchProbability > 0) {
      const to = graph.edgeTo[i];
      faultyInto.set(to, [...(faultyInto.get(to) ?? []), e.id]);
    }
  });
  for (const [to, ids] of faultyInto)
    out.push({
      name: ids.length === 1 ? `${ids[0]} hand-off fault-free` : `hand-offs into ${model.stages[to].id} fault-free`,
      kind: 'fault-free hand-off',
      patch: { stages: { [model.stages[to].id]: { handoff: { contextLoss: 0, formatMismatch: 0, protocol: false } } } },
    });
  for (const v of variants) {
    if (v.kind === 'compute') {
      out.push({ name: v.name, kind: 'compute', patch: v.patch });
      continue;
    }
    for (const [key, value] of Object.entries(v.patch)) {
      if (key !== 'stages' || value === null || typeof value !== 'object' || Array.isArray(value)) {
        out.push({ name: `${v.name}: ${key}`, kind: v.kind, patch: { [key]: value } });
        continue;
      }
      for (const [stage, fields] of Object.entries(value as Record<string, unknown>)) {
        if (fields === null || typeof fields !== 'object') continue;
        for (const policy of INTERVENTION_KEYS) {
          const f = (fields as Record<string, unknown>)[policy];
          if (f === undefined) continue;
          out.push({ name: `${v.name}: ${stage} ${policy}`, kind: v.kind, patch: { stages: { [stage]: { [policy]: f } } } });
        }
      }
    }
  }
  return out;
}

/** An option someone can buy (a policy, a compute variant), or a what-if bound nobody can (a stage or hand-off made fault-free). */
export type InterventionGroup = 'option' | 'what-if';

export function interventionGroup(kind: Intervention['kind']): InterventionGroup {
  return kind === 'fault-free stage' || kind === 'fault-free hand-off' ? 'what-if' : 'option';
}

/**
 * What "best" means when ranking (`sensitivity --objective`): the change the
 * reader cares most about. Every row still carries all of them.
 * - `success`: Δ task success, higher first (the default: the reliability question);
 * - `spend-per-success`: Δ money actually spent per successful request, lower first;
 * - `total-cost`: Δ spend plus the scenario's assumed silent-failure penalty per
 *   successful request, lower first – as good as the assumed cost is;
 * - `p95`: Δ p95 latency of successful requests, lower first.
 */
export const OBJECTIVES = ['success', 'spend-per-success', 'total-cost', 'p95'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** Per objective: the Δ it reads and whether higher is better (how a ranking by it is said: reports/objectives.ts). */
export const OBJECTIVE_KEYS: Readonly<Record<Objective, { delta: 'successRate' | 'spendPerSuccessUsd' | 'costPerSuccessUsd' | 'p95Ms'; higherIsBetter: boolean }>> = {
  success: { delta: 'successRate', higherIsBetter: true },
  'spend-per-success': { delta: 'spendPerSuccessUsd', higherIsBetter: false },
  'total-cost': { delta: 'costPerSuccessUsd', higherIsBetter: false },
  p95: { delta: 'p95Ms', higherIsBetter: false },
};

/**
 * Options and what-if bounds apart, each best first: by the objective's Δ,
 * then by Δ task success (higher first), then by Δ cost per success (lower
 * first), then by name. A Δ that could not be measured (NaN) ranks last.
 */
export function rankInterventions<T extends { name: string; kind: Intervention['kind']; delta: VariantDelta }>(
  rows: readonly T[],
  objective: Objective = 'success',
): { options: T[]; whatIf: T[] } {
  const { delta, higherIsBetter } = OBJECTIVE_KEYS[objective];
  /** A sort key where lower is better; unmeasured last. */
  const key = (x: number, lowerIsBetter: boolean) => (!Number.isFinite(x) ? Infinity : lowerIsBetter ? x : -x);
  const sorted = [...rows].sort(
    (a, b) =>
      key(a.delta[delta].estimate, !higherIsBetter) - key(b.delta[delta].estimate, !higherIsBetter) ||
      key(a.delta.successRate.estimate, false) - key(b.delta.successRate.estimate, false) ||
      key(a.delta.costPerSuccessUsd.estimate, true) - key(b.delta.costPerSuccessUsd.estimate, true) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { options: sorted.filter((r) => interventionGroup(r.kind) === 'option'), whatIf: sorted.filter((r) => interventionGroup(r.kind) === 'what-if') };
}

/** One intervention alone against the baseline. */
export type SensitivityRow = Omit<VariantComparison, 'kind'> & { kind: Intervention['kind']; patch: Record<string, unknown> };

export interface SensitivityResult {
  scenario: string;
  /** What the rows are ranked by (rankInterventions). */
  objective: Objective;
  baseline: RunResult;
  /** Options someone can buy – each policy of a coordination variant alone, each compute variant – best first (rankInterventions). */
  options: SensitivityRow[];
  /** What-if bounds – a stage or hand-off made fault-free: nobody can buy these; they bound what fixing it could give. Best first. */
  whatIf: SensitivityRow[];
  /** Interventions that do not make a valid scenario on their own, with why. */
  skipped: { name: string; reason: string }[];
}
