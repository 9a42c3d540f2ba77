/**
 * The CSV files --out writes next to results.json: one row per arm (and per
 * sweep point × replication for sweeps), long format, every row carrying the
 * seed, tool version and scenario hash, ready for faceted charts.
 */
import { toCsv, resultRow } from '../reports/csv.js';
import type { RunResult } from '../sim/metrics/index.js';
import type { ComparisonResult, VariantDelta } from '../sim/experiment/index.js';

/** The paired-delta columns of a CSV row (compare and sensitivity): per successful request, spend and the assumed silent-failure cost apart, then their sum. */
export function deltaColumns(delta: VariantDelta) {
  return {
    deltaSuccessRate: delta.successRate.estimate,
    deltaSuccessRateLow: delta.successRate.ci95[0],
    deltaSuccessRateHigh: delta.successRate.ci95[1],
    deltaSpendPerSuccessUsd: delta.spendPerSuccessUsd.estimate,
    deltaAssumedPenaltyPerSuccessUsd: delta.assumedPenaltyPerSuccessUsd.estimate,
    deltaCostPerSuccessUsd: delta.costPerSuccessUsd.estimate,
  };
}

export function runCsv(result: RunResult): string {
  return toCsv([{ arm: 'baseline', kind: '', ...resultRow(result) }]);
}

export function comparisonCsv(c: ComparisonResult): string {
  const rows = [
    {
      arm: 'baseline',
      kind: '',
      deltaSuccessRate: 0,
      deltaSuccessRateLow: 0,
      deltaSuccessRateHigh: 0,
      deltaSpendPerSuccessUsd: 0,
      deltaAssumedPenaltyPerSuccessUsd: 0,
      deltaCostPerSuccessUsd: 0,
      ...resultRow(c.baseline),
    },
    ...c.variants.map((v) => ({
      arm: v.name,
      kind: v.kind,
      ...deltaColumns(v.delta),
      ...resultRow(v.result),
    })),
  ];
  return toCsv(rows);
}
