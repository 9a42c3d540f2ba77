/**
 * results.csv for a report: long format, one row per arm of the comparison,
 * then (when present) one per sensitivity intervention (its group – an
 * option someone can buy or a what-if bound – and its rank there) and one per sweep
 * point and, with `--uncertainty`, one per variant and metric of the
 * parameter draws (its point with the simulation interval, the total
 * interval, P(better), P(worse), the parameters' share of the variance), told apart by the `section` column; each row carries the differences
 * from the baseline with their 95 % bounds where it has them, then the run's
 * headline metrics (resultRow: seed, version, scenario hash included).
 */
import type { Estimate } from '../sim/metrics/index.js';
import type { UncertainDelta, VariantDelta } from '../sim/experiment/index.js';
import { resultRow, toCsv, type CsvValue } from './csv.js';
import type { ReportInput } from './input.js';
import { arms } from './arms.js';

function estimate(prefix: string, e: Estimate | undefined): Record<string, number | null> {
  const n = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
  return { [prefix]: n(e?.estimate), [`${prefix}Low`]: n(e?.ci95[0]), [`${prefix}High`]: n(e?.ci95[1]) };
}

function deltas(d: VariantDelta | undefined): Record<string, number | null> {
  return {
    ...estimate('deltaSuccessRate', d?.successRate),
    ...estimate('deltaSilentFailureRate', d?.silentFailureRate),
    ...estimate('deltaP95Ms', d?.p95Ms),
    // Per successful request: spend and the scenario's assumed silent-failure cost apart, then their sum.
    ...estimate('deltaSpendPerSuccessUsd', d?.spendPerSuccessUsd),
    ...estimate('deltaAssumedPenaltyPerSuccessUsd', d?.assumedPenaltyPerSuccessUsd),
    ...estimate('deltaCostPerSuccessUsd', d?.costPerSuccessUsd),
  };
}

export function reportCsv(input: ReportInput): string {
  const rows: Record<string, CsvValue>[] = arms(input.comparison).map((a) => ({ section: 'comparison', arm: a.name, kind: a.kind, ...deltas(a.delta), ...resultRow(a.result) }));
  // Options someone can buy and what-if bounds nobody can, each ranked on its own (sim/experiment/sensitivity.ts).
  const s = input.sensitivity;
  for (const [group, list] of [['option', s?.options ?? []], ['what-if', s?.whatIf ?? []]] as const)
    list.forEach((r, i) => rows.push({ section: 'sensitivity', arm: r.name, kind: r.kind, group, rank: i + 1, ...deltas(r.delta), ...resultRow(r.result) }));
  for (const p of input.sweep?.points ?? []) {
    const values = Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v)]));
    rows.push({ section: 'sweep', arm: input.sweep!.study ?? input.sweep!.scenario, ...values, closedFormSuccess: p.closedFormSuccess, ...resultRow(p.result) });
  }
  for (const v of input.uncertainty?.variants ?? [])
    for (const [metric, d] of Object.entries(v.deltas) as [string, UncertainDelta][])
      rows.push({
        section: 'uncertainty',
        arm: v.name,
        metric,
        ...estimate('point', d.point),
        totalLow: Number.isFinite(d.totalCi95[0]) ? d.totalCi95[0] : null,
        totalHigh: Number.isFinite(d.totalCi95[1]) ? d.totalCi95[1] : null,
        pBetter: d.pBetter,
        pWorse: d.pWorse,
        parameterShare: d.parameterShare,
        draws: d.draws,
      });
  return toCsv(rows);
}
