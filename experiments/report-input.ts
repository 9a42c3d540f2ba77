/**
 * The figures a report prints that are not in its results as they stand,
 * computed where the report's data is assembled – for `coordgap report` and
 * for `report --from results.json` alike – so that reports/ only renders: it
 * reads types from sim/ and bench/ and runs none of their code
 * (import-graph.test.ts). The statistics behind a printed figure live here,
 * once: the histogram's resolution under a change in p95, Wilson intervals
 * on where requests leak, the speedups between two machines, the threshold
 * verdict in words.
 *
 * The shapes are reports' (reports/input.ts ReportFigures). This layer cannot
 * name them – experiments/ and reports/ stand side by side and neither
 * imports the other – so the return types are inferred, and tsc checks the
 * fit where scripts/ hands the input to the report (cmd-report.ts).
 */
import { describeVerdict, quantileResolutionMs, showActual, wilson, type Estimate, type ThresholdVerdict } from '../sim/metrics/index.js';
import { openArrivalRatePerSec, SHEDDING_SHARE } from '../sim/analysis/index.js';
import {
  decide,
  decisionInputs,
  readUncertainty,
  SECONDS_PER_MONTH,
  type ComparisonResult,
  type DecisionInputs,
  type PricedScenario,
  type SensitivityResult,
  type SensitivityRow,
  type UncertainMetric,
  type UncertaintyReading,
  type UncertaintyResult,
} from '../sim/experiment/index.js';
import type { Model } from '../sim/path/index.js';
import { compareProfiles } from '../bench/compare.js';
import type { HardwareProfile } from '../bench/profile.js';

/** What the figures are derived from: the parts of a report's results that need more than printing. */
export interface FigureSources {
  comparison: ComparisonResult;
  sensitivity?: SensitivityResult;
  profiles?: readonly HardwareProfile[];
  thresholds?: ThresholdVerdict;
  uncertainty?: UncertaintyResult;
  decisionInputs?: DecisionInputs;
}

/**
 * A change in a latency quantile as every output prints it (reports/format.ts
 * LatencyChange): the estimate, the ± – the interval's half-width, but never
 * less than `quantileResolutionMs`, the most by which the histogram can
 * misplace such a difference (an interval narrower than the measurement's
 * resolution would print as a false "± 0") – and the change relative to the
 * baseline. NaN ± without an interval (one replication).
 * @param delta variant minus baseline, ms, with its 95 % interval (sim/metrics/quantile-delta.ts)
 * @param baselineMs the baseline's quantile, ms
 * @param variantMs the variant's quantile, ms
 */
export function latencyChange(delta: Estimate, baselineMs: number, variantMs: number) {
  const intervalHalfMs = (delta.ci95[1] - delta.ci95[0]) / 2;
  const resolutionMs = quantileResolutionMs(baselineMs, variantMs);
  const resolutionLimited = Number.isFinite(intervalHalfMs) && Number.isFinite(resolutionMs) && resolutionMs > intervalHalfMs;
  return {
    estimateMs: delta.estimate,
    halfMs: !Number.isFinite(intervalHalfMs) ? NaN : resolutionLimited ? resolutionMs : intervalHalfMs,
    resolutionLimited,
    relative: baselineMs > 0 ? delta.estimate / baselineMs : NaN,
  };
}

/** Origins the report shows one by one; the rest are summed into one row. */
const TOP_ORIGINS = 10;

/**
 * The baseline's attribution as shares of its unsuccessful requests, most
 * first (ties by name), the largest TOP_ORIGINS one by one and the rest summed,
 * each share with its 95 % Wilson interval and the running total.
 */
export function leaks(c: ComparisonResult) {
  const r = c.baseline;
  const sorted = [...r.attribution].sort((a, b) => b.count - a.count || (a.origin < b.origin ? -1 : 1));
  const rows = sorted.slice(0, TOP_ORIGINS);
  const rest = sorted.slice(TOP_ORIGINS);
  if (rest.length > 0) rows.push({ origin: `${rest.length} others`, count: rest.reduce((s, a) => s + a.count, 0) });
  const total = Math.max(r.requests - r.outcomes.success, rows.reduce((s, a) => s + a.count, 0));
  let running = 0;
  return rows.map((a) => {
    running += a.count;
    const w = wilson(a.count, total);
    return { origin: a.origin, count: a.count, share: w.estimate, low: w.ci95[0], high: w.ci95[1], cumulative: running / total };
  });
}

/** Machine B (the second profile) against machine A per kernel, and the figures over all kernels. */
function hardware(a: HardwareProfile, b: HardwareProfile) {
  const comparison = compareProfiles(a, b);
  // Kernels that did different work on the two machines say nothing about the machines.
  const same = comparison.kernels.filter((k) => !k.paramsDiffer);
  return {
    comparison,
    geometricMeanSpeedup: same.length > 0 ? Math.exp(same.reduce((s, k) => s + Math.log(k.speedup), 0) / same.length) : NaN,
    sameParamsKernels: same.length,
    fasterKernels: comparison.kernels.filter((k) => k.speedup > 1).length,
    surelyFasterKernels: comparison.kernels.filter((k) => k.ci95 !== null && k.ci95[0] > 1).length,
  };
}

/** The verdict in the words the terminal prints, and each measured value as its threshold is written. */
function thresholds(v: ThresholdVerdict) {
  return {
    verdictLine: describeVerdict(v),
    actuals: v.arms.map((a) => a.checks.map((c) => (c.actual === null ? null : showActual(c.actual, c.expression)))),
  };
}

function p95Changes(rows: readonly SensitivityRow[], baselineP95Ms: number) {
  return rows.map((r) => latencyChange(r.delta.p95Ms, baselineP95Ms, r.result.latencyMs.p95));
}

/** Per variant and metric, which uncertainty dominates: the rule the terminal applies too (sim/experiment readUncertainty). */
function uncertaintyReadings(u: UncertaintyResult): Record<UncertainMetric, UncertaintyReading>[] {
  return u.variants.map((v) => Object.fromEntries(Object.entries(v.deltas).map(([metric, d]) => [metric, readUncertainty(d)])) as Record<UncertainMetric, UncertaintyReading>);
}

/** Every figure a report prints beyond its results (reports/input.ts ReportFigures). */
export function reportFigures(results: FigureSources) {
  const c = results.comparison;
  const s = results.sensitivity;
  const profiles = results.profiles ?? [];
  return {
    variantP95: c.variants.map((v) => latencyChange(v.delta.p95Ms, c.baseline.latencyMs.p95, v.result.latencyMs.p95)),
    ...(s ? { sensitivityP95: { options: p95Changes(s.options, s.baseline.latencyMs.p95), whatIf: p95Changes(s.whatIf, s.baseline.latencyMs.p95) } } : {}),
    leaks: leaks(c),
    ...(profiles.length === 2 ? { hardware: hardware(profiles[0], profiles[1]) } : {}),
    ...(results.thresholds ? { thresholds: thresholds(results.thresholds) } : {}),
    sheddingShare: SHEDDING_SHARE,
    ...(results.uncertainty ? { uncertainty: uncertaintyReadings(results.uncertainty) } : {}),
    ...(results.decisionInputs
      ? { decision: decide(c, results.decisionInputs), trafficPerSec: results.decisionInputs.requestsPerMonth / SECONDS_PER_MONTH }
      : {}),
  };
}

/**
 * What the memo prices a comparison's options with, from the scenario it ran:
 * its costs block, the prices of the variants the comparison holds (one left
 * out for a failed run has no row to price), and the traffic – as written, or
 * the open arrival rate for a month; a closed system has none, and the
 * simulated baseline's throughput stands in (decisionInputs says which).
 */
export function scenarioDecisionInputs(loaded: { scenario: PricedScenario; model: Model }, comparison: ComparisonResult): DecisionInputs {
  const names = new Set(comparison.variants.map((v) => v.name));
  const scenario = { ...(loaded.scenario.costs ? { costs: loaded.scenario.costs } : {}), variants: (loaded.scenario.variants ?? []).filter((v) => names.has(v.name)) };
  const rate = loaded.model.arrivals.kind === 'closed' ? null : openArrivalRatePerSec(loaded.model);
  return decisionInputs(scenario, rate, comparison.baseline.throughputPerSec);
}

/**
 * A report's input: its results (what results.json holds, unchanged, in the
 * same order) with the figures derived from them.
 */
export function reportInput<R extends FigureSources>(results: R): R & { figures: ReturnType<typeof reportFigures> } {
  return { ...results, figures: reportFigures(results) };
}
