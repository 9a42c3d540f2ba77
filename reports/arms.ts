/**
 * The arms of a comparison in the order every table and chart shows them –
 * baseline, then coordination fixes, compute speedups, mixed – and the pick
 * of each kind's best variant the summary and titles speak about.
 */
import type { ComparisonResult, VariantComparison, VariantDelta, VariantKind } from '../sim/experiment/index.js';
import type { RunResult } from '../sim/metrics/index.js';

export type ArmKind = VariantKind | 'baseline';

export interface Arm {
  name: string;
  kind: ArmKind;
  description?: string;
  result: RunResult;
  /** Variant minus baseline; absent for the baseline. */
  delta?: VariantDelta;
  /** Its place in `comparison.variants`, which figures per variant follow (ReportFigures); absent for the baseline. */
  variantIndex?: number;
}

/** Kinds in display order. */
export const VARIANT_KINDS: readonly VariantKind[] = ['coordination', 'compute', 'mixed'];

export function arms(c: ComparisonResult): Arm[] {
  const out: Arm[] = [{ name: 'baseline', kind: 'baseline', result: c.baseline }];
  for (const kind of VARIANT_KINDS)
    c.variants.forEach((v, variantIndex) => {
      if (v.kind === kind)
        out.push({ name: v.name, kind, result: v.result, delta: v.delta, variantIndex, ...(v.description !== undefined ? { description: v.description } : {}) });
    });
  return out;
}

/**
 * The variant of a kind that buys most task success (ties: the larger p95
 * reduction, then the name), or undefined when there is none of that kind.
 */
export function bestOfKind(c: ComparisonResult, kind: VariantKind): VariantComparison | undefined {
  const finite = (x: number) => (Number.isFinite(x) ? x : -Infinity);
  return c.variants
    .filter((v) => v.kind === kind)
    .sort(
      (a, b) =>
        finite(b.delta.successRate.estimate) - finite(a.delta.successRate.estimate) ||
        finite(-b.delta.p95Ms.estimate) - finite(-a.delta.p95Ms.estimate) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )[0];
}

/** Share of requests that ended in each non-success way, for the failure columns. */
export function failedShare(r: RunResult): number {
  return r.requests > 0 ? (r.outcomes.failed + r.outcomes.timedOut + r.outcomes.rejected) / r.requests : NaN;
}
