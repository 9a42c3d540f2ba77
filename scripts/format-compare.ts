/**
 * The terminal view of a comparison: one hyperfine-style line per variant
 * (its task success against the baseline's, and the difference with its
 * interval), then one table, compute and coordination variants grouped.
 */
import type { ComparisonResult, VariantComparison } from '../sim/experiment/index.js';
import type { Estimate } from '../sim/metrics/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import { SHEDDING_SHARE } from '../sim/analysis/index.js';
import { latencyChange } from '../experiments/report-input.js';
import { stabilityWarnings } from '../reports/stability-notes.js';
import { int, ms, p95Change, pct, plusMinus, ppInterval, usd } from '../reports/format.js';
import { llmCompareColumns } from './format-llm.js';

/** A rate with the half-width of its 95 % interval: "65.5 % ± 0.9". */
function rateWithInterval(e: Estimate): string {
  return `${pct(e.estimate)}${Number.isFinite(e.estimate) ? plusMinus(e, 100, 1) : ''}`;
}

export function variantLine(v: VariantComparison, baseline: RunResult): string {
  return (
    `${v.name} (${v.kind}): task success ${rateWithInterval(v.result.successRate)} vs ${rateWithInterval(baseline.successRate)} → ` +
    // As the report prints it: never "± 0" below the histogram's resolution.
    `${ppInterval(v.delta.successRate)}; p95 ${p95Change(latencyChange(v.delta.p95Ms, baseline.latencyMs.p95, v.result.latencyMs.p95))}`
  );
}

/**
 * The cost columns: spend per success (money paid), and – when a scenario
 * assumes a business cost per silent failure – that assumed penalty and the
 * total as their sum, never the total alone (sim/metrics/cost.ts).
 */
function costHeader(penalized: boolean): string[] {
  return penalized ? ['spend/success', '+ assumed penalty', '= total'] : ['spend/success'];
}

function costCells(r: RunResult, penalized: boolean): string[] {
  const spend = usd(r.costUsd.spend.perSuccess);
  return penalized ? [spend, usd(r.costUsd.assumedPenalty.perSuccess), usd(r.costUsd.perSuccess)] : [spend];
}

/** What the cost columns hold, with the assumed price of a silent failure as the scenario states it. */
function costNote(c: ComparisonResult, penalized: boolean): string[] {
  const spend = 'spend = tokens, compute and human time actually paid';
  if (!penalized) return c.baseline.costUsd.total > 0 || c.variants.some((v) => v.result.costUsd.total > 0) ? [`  ${spend}, per successful request`] : [];
  const prices = [...new Set([c.baseline, ...c.variants.map((v) => v.result)].map((r) => r.costUsd.assumedPenalty.perSilentFailure))];
  return [
    `  per successful request: ${spend}; assumed penalty = silent failures × ${prices.map((p) => usd(p)).join(' or ')} each, the scenario's assumption, not money spent`,
  ];
}

export function formatComparison(c: ComparisonResult, opts: { color: boolean }): string {
  const bold = (s: string) => (opts.color ? `\x1b[1m${s}\x1b[22m` : s);
  const b = c.baseline;
  const perVariant = b.replications > 1 ? `${b.replications} × ${int(b.requests / b.replications)}` : int(b.requests);
  const out: string[] = [bold(`${b.scenario}`) + ` · seed ${b.seed} · ${perVariant} requests per variant, same seeds`];
  out.push(`baseline: task success ${rateWithInterval(b.successRate)}`);
  const groups: [string, VariantComparison[]][] = [
    ['coordination fixes', c.variants.filter((v) => v.kind === 'coordination')],
    ['compute speedups', c.variants.filter((v) => v.kind === 'compute')],
    ['mixed', c.variants.filter((v) => v.kind === 'mixed')],
  ];
  for (const [, vs] of groups) for (const v of vs) out.push(variantLine(v, b));
  out.push('');
  const penalized = [b, ...c.variants.map((v) => v.result)].some((r) => r.costUsd.assumedPenalty.perSilentFailure > 0);
  const llm = llmCompareColumns(b, c.variants.map((v) => v.result));
  const rows: string[][] = [['variant', 'kind', 'success', 'silent failure', 'escalated', 'failed', 'timed out', 'rejected', 'p95', ...llm.map((x) => x.label), ...costHeader(penalized)]];
  const row = (name: string, kind: string, r: RunResult) => [
    name,
    kind,
    pct(r.successRate.estimate, 1),
    pct(r.silentFailureRate.estimate, 2),
    pct(r.outcomes.escalated / r.requests, 2),
    // Apart: a detected failure, a deadline passed and work refused at admission call for different fixes.
    pct(r.outcomes.failed / r.requests, 2),
    pct(r.outcomes.timedOut / r.requests, 2),
    pct(r.outcomes.rejected / r.requests, 2),
    ms(r.latencyMs.p95),
    ...llm.map((x) => x.cell(r)),
    ...costCells(r, penalized),
  ];
  rows.push(row('baseline', '', b));
  for (const [, vs] of groups) for (const v of vs) rows.push(row(v.name, v.kind, v.result));
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  for (const r of rows) out.push('  ' + r.map((cell, col) => (col < 2 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '));
  out.push(...costNote(c, penalized));
  const warnings = [...stabilityWarnings(b, SHEDDING_SHARE, 'baseline'), ...c.variants.flatMap((v) => stabilityWarnings(v.result, SHEDDING_SHARE, v.name))];
  for (const w of warnings) out.push('  ' + (opts.color ? `\x1b[33m${w}\x1b[39m` : w));
  return out.join('\n') + '\n';
}
