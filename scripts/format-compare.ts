/**
 * The terminal view of a comparison: one hyperfine-style line per variant
 * (its task success against the baseline's, and the difference with its
 * interval), then one table, compute and coordination variants grouped.
 */
import type { ComparisonResult, VariantComparison } from '../sim/experiment/index.js';
import type { Estimate } from '../sim/metrics/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import { int, ms, pct } from './format-run.js';
import { stabilityWarnings } from '../reports/stability-notes.js';
import { p95Change } from '../reports/format.js';
import { SHEDDING_SHARE } from '../sim/analysis/index.js';
import { latencyChange } from '../experiments/report-input.js';

/** Half-width of an interval, or NaN. */
function halfWidth(e: Estimate): number {
  return (e.ci95[1] - e.ci95[0]) / 2;
}

function pp(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pp`;
}

function rateWithInterval(r: RunResult): string {
  return `${(r.successRate.estimate * 100).toFixed(1)} % ± ${(halfWidth(r.successRate) * 100).toFixed(1)}`;
}

function plusMinus(e: Estimate, scale: number, digits: number): string {
  const h = halfWidth(e) * scale;
  return Number.isFinite(h) ? ` ± ${h.toFixed(digits)}` : '';
}

export function variantLine(v: VariantComparison, baseline: RunResult): string {
  const d = v.delta.successRate;
  return (
    `${v.name} (${v.kind}): task success ${rateWithInterval(v.result)} vs ${rateWithInterval(baseline)} → ` +
    // The report's formatter: never "± 0" below the histogram's resolution.
    `${pp(d.estimate)}${plusMinus(d, 100, 1)}; p95 ${p95Change(latencyChange(v.delta.p95Ms, baseline.latencyMs.p95, v.result.latencyMs.p95))}`
  );
}

function usd(x: number | null): string {
  return x === null || !Number.isFinite(x) ? 'n/a' : `$${x < 1 ? x.toPrecision(3) : x.toFixed(2)}`;
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
  out.push(`baseline: task success ${rateWithInterval(b)}`);
  const groups: [string, VariantComparison[]][] = [
    ['coordination fixes', c.variants.filter((v) => v.kind === 'coordination')],
    ['compute speedups', c.variants.filter((v) => v.kind === 'compute')],
    ['mixed', c.variants.filter((v) => v.kind === 'mixed')],
  ];
  for (const [, vs] of groups) for (const v of vs) out.push(variantLine(v, b));
  out.push('');
  const penalized = [b, ...c.variants.map((v) => v.result)].some((r) => r.costUsd.assumedPenalty.perSilentFailure > 0);
  const rows: string[][] = [['variant', 'kind', 'success', 'silent failure', 'escalated', 'failed', 'timed out', 'rejected', 'p95', ...costHeader(penalized)]];
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
