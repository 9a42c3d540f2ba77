/**
 * Long-format CSV (one row per run, or per sweep point × replication) for
 * spreadsheets, pandas and R. Written to RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180):
 * comma separator, CRLF line ends, a header row, and a field quoted when it
 * holds a comma, a double quote, CR or LF, with its quotes doubled.
 * Column names are camelCase without dots, because Vega-Lite reads a dot in a
 * field name as nested access (vega-lite docs, "Field": `a.b` needs escaping as `a\.b`).
 */
import type { Outcome } from '../sim/path/index.js';
import type { RunResult } from '../sim/metrics/index.js';

export type CsvValue = string | number | boolean | null | undefined;

/** A leading character that makes Excel, LibreOffice or Google Sheets read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number written as text ("-1.5", "+2e-3"): a spreadsheet reads it as that number, not a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One cell. A number as `String(n)` (shortest round-trip form), or "" for what
 * is not a number (NaN, ±Infinity). Text is data: a seed, name or sweep value
 * that starts like a formula ("=HYPERLINK(…)", "=cmd|…", "+1+2", "@SUM(…)",
 * a leading tab or CR) gets a leading single quote and is quoted, OWASP's rule
 * for CSV injection (https://owasp.org/www-community/attacks/CSV_Injection),
 * so a spreadsheet shows it as text instead of evaluating it. Numbers – and
 * text that is a plain decimal number – are left as they are.
 */
function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  const formula = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
  if (formula) text = `'${text}`;
  return formula || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as CSV text: a header, then one line per row, every line ending in
 * CRLF. Columns are `columns` when given (keys outside it are left out, a
 * missing key is an empty field), else every key in the order first seen
 * across the rows. No rows and no columns give "".
 */
export function toCsv(rows: readonly Record<string, CsvValue>[], columns?: readonly string[]): string {
  let header: readonly string[];
  if (columns !== undefined) header = columns;
  else {
    const seen = new Set<string>();
    for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
    header = [...seen];
  }
  if (header.length === 0) return '';
  const lines = [header.map(field).join(',')];
  for (const row of rows) lines.push(header.map((c) => field(Object.hasOwn(row, c) ? row[c] : undefined)).join(','));
  return lines.map((line) => `${line}\r\n`).join('');
}

/** NaN (a rate of zero requests) becomes null, so JSON and CSV show it as missing rather than as a number. */
const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);
/** A figure per success: null when nothing succeeded. */
const orNull = (n: number | null): number | null => (n === null ? null : finite(n));

/**
 * The headline metrics of one result as a flat row: identity (scenario, seed,
 * requests, replications), each outcome's count, success and silent-failure
 * rates with their 95 % Wilson bounds, escalations, success latency
 * percentiles, throughput, cost (spend – tokens, compute, human,
 * escalation handling – and the scenario's assumed silent-failure cost apart,
 * then their sum as `cost*`), the stability flags (stable, attempts per
 * request, work amplified, cut short) and provenance (tool version, scenario
 * hash).
 * Sweep tables add the point's parameter columns in front.
 */
export function resultRow(result: RunResult): Record<string, CsvValue> {
  const row: Record<string, CsvValue> = {
    scenario: result.scenario,
    seed: result.seed,
    requests: result.requests,
    replications: result.replications,
  };
  // Each outcome's count, in the simulator's order (sim/path/outcomes.ts), as results.json lists them; spelled
  // out like every other column, and Record<Outcome, …> makes the compiler refuse a missing one.
  const o = result.outcomes;
  const outcomes: Record<Outcome, number> = { success: o.success, silentFailure: o.silentFailure, failed: o.failed, escalated: o.escalated, timedOut: o.timedOut, rejected: o.rejected };
  Object.assign(row, outcomes);
  const l = result.latencyMs;
  const { spend, assumedPenalty: penalty, breakdown: b } = result.costUsd;
  Object.assign(row, {
    successRate: finite(result.successRate.estimate),
    successRateLow: result.requests > 0 ? result.successRate.ci95[0] : null,
    successRateHigh: result.requests > 0 ? result.successRate.ci95[1] : null,
    silentFailureRate: finite(result.silentFailureRate.estimate),
    silentFailureRateLow: result.requests > 0 ? result.silentFailureRate.ci95[0] : null,
    silentFailureRateHigh: result.requests > 0 ? result.silentFailureRate.ci95[1] : null,
    escalations: result.escalation.count,
    latencyMeanMs: finite(l.mean),
    latencyP50Ms: finite(l.p50),
    latencyP90Ms: finite(l.p90),
    latencyP95Ms: finite(l.p95),
    latencyP99Ms: finite(l.p99),
    latencyP999Ms: finite(l.p999),
    throughputPerSec: finite(result.throughputPerSec),
    goodputPerSec: finite(result.goodputPerSec),
    // Money spent and the scenario's assumed silent-failure cost apart (sim/metrics/cost.ts); cost* is their sum.
    spendTotalUsd: finite(spend.total),
    spendPerRequestUsd: finite(spend.perRequest),
    spendPerSuccessUsd: orNull(spend.perSuccess),
    spendTokensUsd: finite(b.tokens),
    spendComputeUsd: finite(b.compute),
    spendHumanUsd: finite(b.human),
    spendEscalationUsd: finite(b.escalation),
    assumedPenaltyPerSilentFailureUsd: finite(penalty.perSilentFailure),
    assumedPenaltyTotalUsd: finite(penalty.total),
    assumedPenaltyPerRequestUsd: finite(penalty.perRequest),
    assumedPenaltyPerSuccessUsd: orNull(penalty.perSuccess),
    costTotalUsd: finite(result.costUsd.total),
    costPerRequestUsd: finite(result.costUsd.perRequest),
    costPerSuccessUsd: orNull(result.costUsd.perSuccess),
    // How far the figures can be trusted (stability.ts); empty for results read back from before they existed.
    stable: result.stability === undefined ? null : result.stability.stable,
    attemptsPerRequest: result.stability?.attemptsPerRequest === undefined ? null : finite(result.stability.attemptsPerRequest.measured),
    workAmplified: result.stability?.workAmplified ?? null,
    truncated: result.stability === undefined ? null : result.stability.truncated,
    version: result.meta.version,
    scenarioHash: result.meta.scenarioHash,
  });
  return row;
}
