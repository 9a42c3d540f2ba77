/**
 * Pass/fail criteria on a run's metrics, in the style of k6's thresholds
 * (https://grafana.com/docs/k6/latest/using-k6/thresholds/): a scenario says
 * `thresholds: { successRate: '>= 0.95', 'latencyMs.p99': '< 2s' }` and the
 * CLI exits 1 when one fails. A misspelled metric is a validation error on its
 * key, never a criterion that silently passes, and a metric the run could not
 * measure (cost per success with no success) fails rather than passes.
 */
import * as z from 'zod';
import { OUTCOMES, type Outcome } from '../path/outcomes.js';
import type { LatencySummary, RunResult } from './result.js';
import { describeValue, didYouMean } from '../scenario/units.js';

const LATENCY_STATS = ['mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;
type LatencyStat = (typeof LATENCY_STATS)[number];

/** Every metric path a threshold may name; see THRESHOLD_METRICS for what each means. */
export type ThresholdMetric =
  | 'successRate' | 'successRate.lower' | 'successRate.upper'
  | 'silentFailureRate' | 'silentFailureRate.lower' | 'silentFailureRate.upper'
  | `latencyMs.${LatencyStat}` | `latencyAllMs.${LatencyStat}`
  | 'throughputPerSec' | 'goodputPerSec'
  | 'costUsd.total' | 'costUsd.perRequest' | 'costUsd.perSuccess'
  | 'costUsd.spend.total' | 'costUsd.spend.perRequest' | 'costUsd.spend.perSuccess'
  | `outcomes.${Outcome}` | `rates.${Outcome}`
  | 'escalation.count' | 'escalation.resolutionRate';

/** What a metric measures; it decides the units an expression may carry (`%` for rates, `2s` for latencies). */
export type MetricKind = 'rate' | 'latency' | 'count' | 'perSec' | 'usd';

export interface ThresholdMetricInfo {
  metric: ThresholdMetric;
  kind: MetricKind;
  description: string;
  /** The metric's value in a result; null (or NaN) when the run gave it nothing to measure. */
  read: (result: RunResult) => number | null;
  /** Why the value can be missing, shown next to a failed threshold. */
  whenMissing: string;
}

function info(metric: ThresholdMetric, kind: MetricKind, description: string, read: ThresholdMetricInfo['read'], whenMissing = 'no request finished'): ThresholdMetricInfo {
  return { metric, kind, description, read, whenMissing };
}

const STAT_WORDS: Readonly<Record<LatencyStat, string>> = {
  mean: 'mean', p50: 'median', p90: '90th percentile', p95: '95th percentile', p99: '99th percentile', p999: '99.9th percentile', max: 'largest',
};

/** A latency statistic, or null for an empty histogram (whose quantiles are NaN, see LatencyHistogram). */
const latency = (s: LatencySummary, stat: LatencyStat): number | null => (s.count > 0 ? s[stat] : null);

/**
 * The catalogue: every numeric leaf of RunResult a user may gate on. Rates come with their Wilson 95 %
 * bounds so a gate can be confident (`successRate.lower >= 0.95` holds only
 * when the data show it, not when a short run got lucky).
 */
export const THRESHOLD_METRICS: readonly ThresholdMetricInfo[] = [
  info('successRate', 'rate', 'share of requests that succeeded (point estimate)', (r) => r.successRate.estimate),
  info('successRate.lower', 'rate', 'lower bound of the 95 % Wilson interval of successRate', (r) => (r.requests > 0 ? r.successRate.ci95[0] : null)),
  info('successRate.upper', 'rate', 'upper bound of the 95 % Wilson interval of successRate', (r) => (r.requests > 0 ? r.successRate.ci95[1] : null)),
  info('silentFailureRate', 'rate', 'share of requests that returned a wrong answer nobody noticed', (r) => r.silentFailureRate.estimate),
  info('silentFailureRate.lower', 'rate', 'lower bound of the 95 % Wilson interval of silentFailureRate', (r) => (r.requests > 0 ? r.silentFailureRate.ci95[0] : null)),
  info('silentFailureRate.upper', 'rate', 'upper bound of the 95 % Wilson interval of silentFailureRate', (r) => (r.requests > 0 ? r.silentFailureRate.ci95[1] : null)),
  ...LATENCY_STATS.map((s) => info(`latencyMs.${s}`, 'latency', `${STAT_WORDS[s]} end-to-end latency of successful requests, ms`, (r) => latency(r.latencyMs, s), 'no request succeeded')),
  ...LATENCY_STATS.map((s) => info(`latencyAllMs.${s}`, 'latency', `${STAT_WORDS[s]} end-to-end latency of every admitted request, ms`, (r) => latency(r.latencyAllMs, s), 'no request was admitted')),
  info('throughputPerSec', 'perSec', 'finished requests per simulated second', (r) => r.throughputPerSec),
  info('goodputPerSec', 'perSec', 'successful requests per simulated second', (r) => r.goodputPerSec),
  info('costUsd.total', 'usd', 'total cost of the run: spend plus the assumed silent-failure cost, USD', (r) => r.costUsd.total),
  info('costUsd.perRequest', 'usd', 'cost per finished request: spend plus the assumed silent-failure cost, USD', (r) => (r.requests > 0 ? r.costUsd.perRequest : null)),
  info('costUsd.perSuccess', 'usd', 'cost per successful request: spend plus the assumed silent-failure cost, USD', (r) => r.costUsd.perSuccess, 'no request succeeded'),
  info('costUsd.spend.total', 'usd', 'money spent in the run (tokens, compute, human time, escalation handling), USD', (r) => r.costUsd.spend.total),
  info('costUsd.spend.perRequest', 'usd', 'money spent per finished request, USD', (r) => (r.requests > 0 ? r.costUsd.spend.perRequest : null)),
  info('costUsd.spend.perSuccess', 'usd', 'money spent per successful request, USD', (r) => r.costUsd.spend.perSuccess, 'no request succeeded'),
  ...OUTCOMES.map((o) => info(`outcomes.${o}`, 'count', `number of requests that ended ${o}`, (r) => r.outcomes[o])),
  ...OUTCOMES.map((o) => info(`rates.${o}`, 'rate', `share of requests that ended ${o}`, (r) => (r.requests > 0 ? r.outcomes[o] / r.requests : null))),
  info('escalation.count', 'count', 'requests handed to a human', (r) => r.escalation.count),
  info('escalation.resolutionRate', 'rate', 'share of escalations the human resolved', (r) => r.escalation.resolutionRate.estimate, 'nothing was escalated'),
];

const BY_NAME: ReadonlyMap<string, ThresholdMetricInfo> = new Map(THRESHOLD_METRICS.map((m) => [m.metric, m]));
const METRIC_NAMES = THRESHOLD_METRICS.map((m) => m.metric);

/** A metric's value in `result` through the catalogue (no eval, no path walking); null when unmeasured. */
export function readMetric(result: RunResult, metric: ThresholdMetric): number | null {
  const m = BY_NAME.get(metric);
  const v = m === undefined ? null : m.read(result);
  return v === null || Number.isNaN(v) ? null : v;
}

/** `successRate, successRate.lower|upper, latencyMs.mean|p50|…`: the catalogue in one line for error messages. */
function metricSummary(): string {
  const groups = new Map<string, string[]>();
  for (const name of METRIC_NAMES) {
    const dot = name.indexOf('.');
    const head = dot < 0 ? name : name.slice(0, dot);
    const list = groups.get(head) ?? [];
    list.push(dot < 0 ? '' : name.slice(dot + 1));
    groups.set(head, list);
  }
  return [...groups].map(([head, tails]) => {
    const children = tails.filter((t) => t !== '');
    const joined = children.length > 0 ? `${head}.${children.join('|')}` : '';
    return tails.includes('') ? [head, joined].filter((s) => s !== '').join(', ') : joined;
  }).join(', ');
}

function unknownMetricMessage(key: string): string {
  const family = METRIC_NAMES.filter((n) => n.startsWith(`${key}.`));
  if (family.length > 0 && !BY_NAME.has(key)) return `"${key}" needs a statistic: ${family.join(', ')}`;
  const guess = didYouMean(key, METRIC_NAMES);
  return guess !== undefined ? `unknown metric "${key}"; did you mean "${guess}"?` : `unknown metric "${key}"; valid metrics: ${metricSummary()}`;
}

// ---------------------------------------------------------------- expressions

export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** Units a threshold may be written in, as multipliers to the metric's own unit (ms for latencies, a share for rates). */
const UNIT_SCALE: Readonly<Record<string, number>> = { '': 1, '%': 0.01, us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** The duration units are sim/scenario/units.ts's `durationMs` forms, so a latency reads the same in both places. */
const EXPRESSION_RE = /^\s*(<=|>=|==|!=|<|>)\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(%|us|µs|ms|s|m|h)?\s*$/;

interface Expression { operator: ThresholdOperator; written: number; unit: string }

function parseExpression(text: string): Expression | undefined {
  const m = EXPRESSION_RE.exec(text);
  if (m === null) return undefined;
  const operator = m[1];
  if (operator !== '<' && operator !== '<=' && operator !== '>' && operator !== '>=' && operator !== '==' && operator !== '!=') return undefined;
  return { operator, written: Number(m[2]), unit: m[3] ?? '' };
}

/**
 * The written number in the metric's own unit, rounded to 15 significant
 * digits so `95%` is exactly 0.95 and `1.005s` exactly 1005 – the products
 * 95 × 0.01 and 1.005 × 1000 are off by one ulp, and `successRate >= 95%`
 * must pass at a success rate of exactly 0.95.
 */
function inMetricUnit(e: Expression): number {
  return Number((e.written * UNIT_SCALE[e.unit]).toPrecision(15));
}

function compare(op: ThresholdOperator, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

function expressionMessage(issue: { readonly input?: unknown }): string {
  return 'expected a comparison: one of <, <=, >, >=, ==, != and a non-negative number, such as ">= 0.95" or "< 2000" ' +
    `(latencies also take a duration such as "< 2s", rates a percentage such as ">= 95%"); got ${describeValue(issue.input)}`;
}

const expressionText = z.string({ error: expressionMessage }).regex(EXPRESSION_RE, { error: expressionMessage });

/**
 * One expression or a list. The union's own message covers values that are
 * neither (a bare `0.95`); for a list it stays silent, so the loader reports
 * the list branch's issue at the element that is wrong.
 */
const expressions = z.union(
  [expressionText, z.array(expressionText).min(1, { error: 'an empty list gates nothing; give at least one expression or leave the metric out' })],
  { error: (issue) => (Array.isArray(issue.input) ? undefined : expressionMessage(issue)) },
);

/** One criterion, normalized: `value` is in the metric's own unit (ms, a share in [0, 1], USD…). */
export interface ThresholdCriterion {
  metric: ThresholdMetric;
  /** As it will be shown: `>= 0.95`, `< 2s`, `>= 95%`. */
  expression: string;
  operator: ThresholdOperator;
  value: number;
}

/** A scenario's thresholds after validation, in the order written (metric by metric, each metric's list in order). */
export type ParsedThresholds = readonly ThresholdCriterion[];

/** Checks one expression against its metric's kind; returns the criterion or the message for the issue. */
function criterion(metric: ThresholdMetricInfo, text: string): ThresholdCriterion | string {
  const e = parseExpression(text);
  if (e === undefined) return expressionMessage({ input: text });
  const isDuration = e.unit !== '' && e.unit !== '%';
  if (isDuration && metric.kind !== 'latency') {
    return `"${e.written}${e.unit}" is a duration, valid only for latencyMs.* and latencyAllMs.*; ${metric.metric} takes a plain number`;
  }
  if (e.unit === '%' && metric.kind !== 'rate') return `"${e.written}%" is a percentage, valid only for rates; ${metric.metric} takes a plain number`;
  const value = inMetricUnit(e);
  // A number past a double's range reads as Infinity and would compare as one.
  if (!Number.isFinite(value)) return `"${text.trim()}" is past the largest number this tool handles (about 1.8e308); write a finite bound`;
  if (metric.kind === 'rate' && value > 1) {
    return `${metric.metric} is a share between 0 and 1, so "${text.trim()}" can never decide anything; write e.g. "${e.operator} ${e.written / 100}" or "${e.operator} ${e.written}%"`;
  }
  return { metric: metric.metric, expression: `${e.operator} ${e.written}${e.unit}`, operator: e.operator, value };
}

/**
 * zod 4.6 reports keys outside an enum key set as `unrecognized_keys`, though the
 * record's declared error-map type lists only `invalid_type` and `invalid_key`;
 * taking every raw issue keeps this honest at both levels. One line per key, as
 * sim/scenario/issues.ts expects when it places each on its key.
 */
function unknownMetricsError(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === 'unrecognized_keys' ? issue.keys.map(unknownMetricMessage).join('\n') : undefined;
}

/**
 * The `thresholds:` block: metric path → an expression, or a list of them (k6
 * allows several per metric). Keys outside THRESHOLD_METRICS are
 * `unrecognized_keys` issues, so the loader places them on the key, with a
 * did-you-mean. The output is a flat list of criteria (ParsedThresholds).
 */
export const thresholdsSchema = z
  .partialRecord(z.enum(METRIC_NAMES), expressions, {
    error: unknownMetricsError,
  })
  .transform((record, ctx): ParsedThresholds => {
    const out: ThresholdCriterion[] = [];
    for (const [key, given] of Object.entries(record)) {
      const metric = BY_NAME.get(key);
      if (metric === undefined || given === undefined) continue;
      const list = typeof given === 'string' ? [given] : given;
      list.forEach((text, i) => {
        const c = criterion(metric, text);
        if (typeof c !== 'string') out.push(c);
        else ctx.issues.push({ code: 'custom', input: text, path: typeof given === 'string' ? [key] : [key, i], message: c });
      });
    }
    return out;
  })
  .describe('Pass/fail criteria (k6 style): metric → "<op> <number>" or a list of them; e.g. successRate: ">= 0.95", latencyMs.p99: "< 2s".');

// ----------------------------------------------------------------- evaluation

export interface ThresholdOutcome {
  metric: ThresholdMetric;
  expression: string;
  /** null when the run could not measure the metric; the threshold then fails. */
  actual: number | null;
  passed: boolean;
  /** Why `actual` is null. */
  note?: string;
}

/** Every criterion against one result, in order. An unmeasured metric fails: a gate nobody could check is not a pass. */
export function evaluateThresholds(thresholds: ParsedThresholds, result: RunResult): ThresholdOutcome[] {
  return thresholds.map((c) => {
    const actual = readMetric(result, c.metric);
    if (actual === null) {
      return { metric: c.metric, expression: c.expression, actual, passed: false, note: BY_NAME.get(c.metric)?.whenMissing ?? 'not measured' };
    }
    return { metric: c.metric, expression: c.expression, actual, passed: compare(c.operator, actual, c.value) };
  });
}

/**
 * `actual` in the unit the expression was written in, with as few significant
 * digits as show it (at least 5, every integer digit) – and more when rounding
 * would make a failed comparison look passed (0.949996 shown as 0.95 next to `>= 0.95`).
 */
export function showActual(actual: number, expression: string): string {
  const e = parseExpression(expression) ?? { operator: '==', written: NaN, unit: '' };
  const x = actual / UNIT_SCALE[e.unit];
  if (Number.isInteger(x) || !Number.isFinite(x)) return `${x}${e.unit}`;
  const truth = compare(e.operator, x, e.written);
  const intDigits = Math.abs(x) >= 1 ? Math.floor(Math.log10(Math.abs(x))) + 1 : 0;
  for (let p = Math.max(5, intDigits + 1); p <= 17; p++) {
    const shown = Number(x.toPrecision(p));
    if (compare(e.operator, shown, e.written) === truth) return `${shown}${e.unit}`;
  }
  return `${x}${e.unit}`;
}

/**
 * One line per threshold, k6's marks: `✓ successRate >= 0.95 (actual 0.9731)`,
 * `✗ latencyMs.p99 < 2000 (actual 2315.2)`, `✗ costUsd.perSuccess < 0.05 (not measured: no request succeeded)`.
 * Lines end with "\n"; no outcomes give "".
 */
export function formatThresholdReport(outcomes: readonly ThresholdOutcome[]): string {
  return outcomes.map((o) => {
    const detail = o.actual === null ? `not measured: ${o.note ?? 'no value'}` : `actual ${showActual(o.actual, o.expression)}`;
    return `${o.passed ? '✓' : '✗'} ${o.metric} ${o.expression} (${detail})\n`;
  }).join('');
}
