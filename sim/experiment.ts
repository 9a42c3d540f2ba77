/**
 * Comparing variants with the baseline on the same seeds: replication r of
 * every variant uses replication r's seed, so arrivals and every draw stream
 * the variant does not change are shared (common random numbers by purpose-
 * keyed streams). Deltas of rates use the paired per-replication differences
 * when there are at least two replications, else Newcombe's interval for two
 * proportions (conservative when the runs are positively correlated).
 */
import type { Model } from './model.js';
import { runReplication } from './simulate.js';
import { buildResult, type RunResult } from './result.js';
import { newcombeDifference, pairedDifference, type Estimate } from './intervals.js';
import { RunCollector } from './collector.js';
import { SUCCESS, SILENT_FAILURE } from './outcomes.js';

export type VariantKind = 'compute' | 'coordination' | 'mixed';

export interface VariantSpec {
  name: string;
  kind: VariantKind;
  description?: string;
  model: Model;
  scenarioHash: string;
}

export interface VariantDelta {
  /** Variant minus baseline, as a share (0.3 = +30 pp). */
  successRate: Estimate;
  silentFailureRate: Estimate;
  /** Variant minus baseline p95 of successful requests, ms. */
  p95Ms: Estimate;
  /** Variant minus baseline cost per successful request, USD. */
  costPerSuccessUsd: Estimate;
}

export interface VariantComparison {
  name: string;
  kind: VariantKind;
  description?: string;
  result: RunResult;
  delta: VariantDelta;
}

export interface ComparisonResult {
  baseline: RunResult;
  variants: VariantComparison[];
}

export interface CompareOptions {
  replications?: number;
  version?: string;
  scenarioHash?: string;
}

/** Per-replication figures kept for paired intervals. */
interface Replicate {
  successRate: number;
  silentFailureRate: number;
  p95Ms: number;
  costPerSuccessUsd: number;
}

function replicate(model: Model, c: RunCollector): Replicate {
  const r = buildResult(model, c, { replications: 1, version: '', scenarioHash: '' });
  return {
    successRate: c.outcomes[SUCCESS] / c.requestsFinished,
    silentFailureRate: c.outcomes[SILENT_FAILURE] / c.requestsFinished,
    p95Ms: r.latencyMs.p95,
    costPerSuccessUsd: r.costUsd.perSuccess ?? NaN,
  };
}

/** One arm of a comparison (the baseline or a variant) with its replications' raw measurements, in order. */
export interface ArmRuns {
  model: Model;
  scenarioHash: string;
  collectors: RunCollector[];
}

function mergeArm(arm: ArmRuns): { merged: RunCollector; reps: Replicate[] } {
  const reps = arm.collectors.map((c) => replicate(arm.model, c));
  const merged = RunCollector.fromJSON(arm.collectors[0].toJSON());
  for (let r = 1; r < arm.collectors.length; r++) merged.merge(arm.collectors[r]);
  return { merged, reps };
}

const UNKNOWN_INTERVAL: [number, number] = [NaN, NaN];

function paired(key: keyof Replicate, base: Replicate[], variant: Replicate[]): Estimate {
  if (base.length < 2) return { estimate: variant[0][key] - base[0][key], ci95: UNKNOWN_INTERVAL };
  return pairedDifference(base.map((b) => b[key]), variant.map((v) => v[key]));
}

/**
 * Summarises finished runs: merged results per arm and each variant's paired
 * differences from the baseline. Pure: the same runs give the same numbers,
 * whichever thread produced them.
 */
export function summarizeComparison(
  baseline: ArmRuns,
  variants: readonly (ArmRuns & { name: string; kind: VariantKind; description?: string })[],
  options: { version?: string } = {},
): ComparisonResult {
  const replications = baseline.collectors.length;
  const ctx = (hash: string) => ({ replications, version: options.version ?? '0.0.0', scenarioHash: hash });
  const base = mergeArm(baseline);
  return {
    baseline: buildResult(baseline.model, base.merged, ctx(baseline.scenarioHash)),
    variants: variants.map((v) => {
      const run = mergeArm(v);
      const rate = (key: 'successRate' | 'silentFailureRate', outcome: number): Estimate =>
        replications >= 2
          ? paired(key, base.reps, run.reps)
          : newcombeDifference(run.merged.outcomes[outcome], run.merged.requestsFinished, base.merged.outcomes[outcome], base.merged.requestsFinished);
      return {
        name: v.name,
        kind: v.kind,
        ...(v.description !== undefined ? { description: v.description } : {}),
        result: buildResult(v.model, run.merged, ctx(v.scenarioHash)),
        delta: {
          successRate: rate('successRate', SUCCESS),
          silentFailureRate: rate('silentFailureRate', SILENT_FAILURE),
          p95Ms: paired('p95Ms', base.reps, run.reps),
          costPerSuccessUsd: paired('costPerSuccessUsd', base.reps, run.reps),
        },
      };
    }),
  };
}

/** Runs and compares in this thread (the library's simple path; the CLI fans out to workers). */
export function compareModels(baseline: Model, variants: readonly VariantSpec[], options: CompareOptions = {}): ComparisonResult {
  const replications = options.replications ?? 1;
  const runs = (model: Model) => Array.from({ length: replications }, (_, r) => runReplication(model, r));
  return summarizeComparison(
    { model: baseline, scenarioHash: options.scenarioHash ?? '', collectors: runs(baseline) },
    variants.map((v) => ({ ...v, collectors: runs(v.model) })),
    { version: options.version },
  );
}
