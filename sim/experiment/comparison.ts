/**
 * Comparing variants with the baseline on the same seeds: replication r of
 * every variant uses replication r's seed, so arrivals and every draw stream
 * the variant does not change are shared (common random numbers by purpose-
 * keyed streams). Deltas of rates use the paired per-replication differences
 * when there are at least two replications, else Newcombe's interval for two
 * proportions (conservative when the runs are positively correlated).
 */
import type { Model } from '../path/model.js';
import { runReplication } from '../path/simulate.js';
import { buildResult, type RunResult } from '../metrics/result.js';
import { clampInterval, newcombeDifference, pairedDifference, meanInterval, type Estimate } from '../metrics/intervals.js';
import { RunCollector } from '../metrics/collector.js';
import { SUCCESS, SILENT_FAILURE } from '../path/outcomes.js';
import { checkBudget } from '../analysis/run-limits.js';
import { quantileDifference } from '../metrics/quantile-delta.js';

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
  /** Variant minus baseline p95 of successful requests, ms: the arms' pooled p95s, a sectioning interval (quantile-delta.ts). */
  p95Ms: Estimate;
  /** Variant minus baseline cost per successful request, USD: spend plus the assumed penalty (the two below add up to it). */
  costPerSuccessUsd: Estimate;
  /** Variant minus baseline spend per successful request (tokens, compute, human time), USD. */
  spendPerSuccessUsd: Estimate;
  /** Variant minus baseline assumed silent-failure cost per successful request, USD: a scenario assumption, not spend. */
  assumedPenaltyPerSuccessUsd: Estimate;
  /**
   * Variant minus baseline spend per request, USD – what a month of traffic
   * multiplies (the memo, decision.ts). Absent in results saved before it
   * existed; the memo then takes the point from the arms' results.
   */
  spendPerRequestUsd?: Estimate;
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
  /** The runtime, for meta.node (metrics/result.ts ResultContext). */
  node?: string;
}

const UNKNOWN_INTERVAL: [number, number] = [NaN, NaN];

/** Per-replication figures kept for paired intervals. */
interface Replicate {
  successRate: number;
  silentFailureRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  costPerSuccessUsd: number;
  spendPerSuccessUsd: number;
  assumedPenaltyPerSuccessUsd: number;
  spendPerRequestUsd: number;
  throughputPerSec: number;
}

function replicate(model: Model, c: RunCollector): Replicate {
  const r = buildResult(model, c, { replications: 1, version: '', scenarioHash: '' });
  return {
    successRate: c.outcomes[SUCCESS] / c.requestsFinished,
    silentFailureRate: c.outcomes[SILENT_FAILURE] / c.requestsFinished,
    p50Ms: r.latencyMs.p50,
    p95Ms: r.latencyMs.p95,
    p99Ms: r.latencyMs.p99,
    costPerSuccessUsd: r.costUsd.perSuccess ?? NaN,
    spendPerSuccessUsd: r.costUsd.spend.perSuccess ?? NaN,
    assumedPenaltyPerSuccessUsd: r.costUsd.assumedPenalty.perSuccess ?? NaN,
    spendPerRequestUsd: r.costUsd.spend.perRequest,
    throughputPerSec: r.throughputPerSec,
  };
}

/** Adds the across-replication intervals to a merged result (two or more replications). */
function withReplicationIntervals(result: RunResult, reps: readonly Replicate[]): RunResult {
  if (reps.length < 2) return result;
  const interval = (k: keyof Replicate) => {
    const xs = reps.map((r) => r[k]);
    return xs.every(Number.isFinite) ? meanInterval(xs) : { estimate: NaN, ci95: UNKNOWN_INTERVAL };
  };
  result.acrossReplications = {
    p50Ms: interval('p50Ms'),
    p95Ms: interval('p95Ms'),
    p99Ms: interval('p99Ms'),
    costPerSuccessUsd: interval('costPerSuccessUsd'),
    spendPerSuccessUsd: interval('spendPerSuccessUsd'),
    assumedPenaltyPerSuccessUsd: interval('assumedPenaltyPerSuccessUsd'),
    throughputPerSec: interval('throughputPerSec'),
  };
  return result;
}

/** Merges an arm's replications into one result, with the across-replication intervals. */
export function mergeReplications(model: Model, collectors: readonly RunCollector[], ctx: { version: string; scenarioHash: string; node?: string }): RunResult {
  const { merged, reps } = mergeArm({ model, scenarioHash: ctx.scenarioHash, collectors: [...collectors] });
  return withReplicationIntervals(buildResult(model, merged, { replications: collectors.length, ...ctx }), reps);
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

function paired(key: keyof Replicate, base: Replicate[], variant: Replicate[]): Estimate {
  if (base.length < 2) return { estimate: variant[0][key] - base[0][key], ci95: UNKNOWN_INTERVAL };
  // A replication with no success has no p95 or cost per success: no interval either.
  if (![...base, ...variant].every((r) => Number.isFinite(r[key]))) return { estimate: NaN, ci95: UNKNOWN_INTERVAL };
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
  options: { version?: string; node?: string } = {},
): ComparisonResult {
  const replications = baseline.collectors.length;
  const ctx = (hash: string) => ({ replications, version: options.version ?? '0.0.0', scenarioHash: hash, node: options.node ?? '' });
  const base = mergeArm(baseline);
  const baselineResult = withReplicationIntervals(buildResult(baseline.model, base.merged, ctx(baseline.scenarioHash)), base.reps);
  return {
    baseline: baselineResult,
    variants: variants.map((v) => {
      const run = mergeArm(v);
      // A difference of two rates lies in [−1, 1]; so does its interval (clampInterval).
      const rate = (key: 'successRate' | 'silentFailureRate', outcome: number): Estimate =>
        replications >= 2
          ? clampInterval(paired(key, base.reps, run.reps), -1, 1)
          : newcombeDifference(run.merged.outcomes[outcome], run.merged.requestsFinished, base.merged.outcomes[outcome], base.merged.requestsFinished);
      const result = withReplicationIntervals(buildResult(v.model, run.merged, ctx(v.scenarioHash)), run.reps);
      return {
        name: v.name,
        kind: v.kind,
        ...(v.description !== undefined ? { description: v.description } : {}),
        result,
        delta: {
          successRate: rate('successRate', SUCCESS),
          silentFailureRate: rate('silentFailureRate', SILENT_FAILURE),
          // The pooled p95s every table shows, with a sectioning interval (quantile-delta.ts).
          p95Ms: quantileDifference(
            { baseline: baselineResult.latencyMs.p95, variant: result.latencyMs.p95 },
            { baseline: base.reps.map((r) => r.p95Ms), variant: run.reps.map((r) => r.p95Ms) },
          ),
          costPerSuccessUsd: paired('costPerSuccessUsd', base.reps, run.reps),
          spendPerSuccessUsd: paired('spendPerSuccessUsd', base.reps, run.reps),
          assumedPenaltyPerSuccessUsd: paired('assumedPenaltyPerSuccessUsd', base.reps, run.reps),
          spendPerRequestUsd: paired('spendPerRequestUsd', base.reps, run.reps),
        },
      };
    }),
  };
}

/**
 * Runs and compares in this thread (the library's simple path; the CLI fans
 * out to workers). Throws a BudgetError before running when an arm's
 * estimate is over its limits.
 */
export function compareModels(baseline: Model, variants: readonly VariantSpec[], options: CompareOptions = {}): ComparisonResult {
  const replications = options.replications ?? 1;
  checkBudget(baseline);
  for (const v of variants) checkBudget(v.model, `variant ${v.name}`);
  const runs = (model: Model) => Array.from({ length: replications }, (_, r) => runReplication(model, r));
  return summarizeComparison(
    { model: baseline, scenarioHash: options.scenarioHash ?? '', collectors: runs(baseline) },
    variants.map((v) => ({ ...v, collectors: runs(v.model) })),
    { version: options.version, node: options.node },
  );
}
