/**
 * "What do we fix first?": single interventions on the baseline, each a patch
 * – every stage made fault-free, every hand-off made fault-free, every
 * recovery policy of the coordination variants added alone, every compute
 * variant alone – to be run on common random numbers and ranked by Δ task
 * success and Δ cost per success.
 */
import type { Model } from './model.js';
import type { VariantKind } from './experiment.js';

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

const POLICY_KEYS = ['validate', 'retry', 'breaker', 'retryBudget', 'hedge', 'fallback', 'escalate', 'handoff', 'state'] as const;

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
  model.edges.forEach((e, i) => {
    if (e !== null && e.contextLossProbability + e.formatMismatchProbability > 0)
      out.push({
        name: `${e.id} hand-off fault-free`,
        kind: 'fault-free hand-off',
        patch: { stages: { [model.stages[i].id]: { handoff: { contextLoss: 0, formatMismatch: 0, protocol: false } } } },
      });
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
        for (const policy of POLICY_KEYS) {
          const f = (fields as Record<string, unknown>)[policy];
          if (f === undefined) continue;
          out.push({ name: `${v.name}: ${stage} ${policy}`, kind: v.kind, patch: { stages: { [stage]: { [policy]: f } } } });
        }
      }
    }
  }
  return out;
}
