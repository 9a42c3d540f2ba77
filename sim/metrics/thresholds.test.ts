import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { wilson } from './intervals.js';
import type { LatencySummary, RunResult } from './result.js';
import { parseSource, ScenarioError, validateSource, type ScenarioIssue } from '../scenario/index.js';
import {
  evaluateThresholds, formatThresholdReport, readMetric, THRESHOLD_METRICS, thresholdsSchema,
  type ParsedThresholds, type ThresholdCriterion,
} from './thresholds.js';

const latency = (p99: number, count = 9731): LatencySummary => ({ mean: 812.5, p50: 640, p90: 1500, p95: 1810, p99, p999: 2900, max: 3400.25, count });
const EMPTY_LATENCY: LatencySummary = { mean: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, p999: NaN, max: NaN, count: 0 };

/** A hand-built result: 10,000 requests, 9,731 successes, p99 2315.2 ms, $0.5 per success. */
function fixture(over: Partial<RunResult> = {}): RunResult {
  return {
    scenario: 'fixture', seed: 1, requests: 10_000, replications: 1,
    outcomes: { success: 9731, silentFailure: 150, failed: 60, escalated: 40, timedOut: 15, rejected: 4 },
    successRate: wilson(9731, 10_000), silentFailureRate: wilson(150, 10_000),
    latencyMs: latency(2315.2), latencyAllMs: latency(2400),
    throughputPerSec: 20, goodputPerSec: 19.462, simulatedSpanMs: 500_000, events: 123_456,
    stages: [], fallbacks: [], edges: [], pools: [], attribution: [],
    escalation: { count: 40, resolved: 30, resolutionRate: wilson(30, 40) },
    costUsd: {
      total: 4865.5, perRequest: 0.48655, perSuccess: 0.5, breakdown: { tokens: 4000, compute: 500, human: 300, silentFailure: 50, escalation: 15.5 },
      spend: { total: 4815.5, perRequest: 0.48155, perSuccess: 4815.5 / 9731 },
      assumedPenalty: { total: 50, perRequest: 0.005, perSuccess: 50 / 9731, perSilentFailure: 1 / 3 },
    },
    meta: { version: '0.1.0', scenarioHash: 'abc123', node: 'v20' },
    ...over,
  };
}

/** Criteria from a thresholds block that must be valid. */
const parse = (block: unknown): ParsedThresholds => thresholdsSchema.parse(block);

/** Every issue message of an invalid block, with its path. */
function issues(block: unknown): { path: PropertyKey[]; message: string }[] {
  const r = thresholdsSchema.safeParse(block);
  if (r.success) throw new Error('expected the block to be refused');
  return r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe('thresholdsSchema: expressions', () => {
  it.each([
    ['< 0.5', '<', 0.5],
    ['<= 0.5', '<=', 0.5],
    ['> 0.5', '>', 0.5],
    ['>= 0.5', '>=', 0.5],
    ['== 0.5', '==', 0.5],
    ['!= 0.5', '!=', 0.5],
    ['>=0.5', '>=', 0.5],
    ['  >=   .5  ', '>=', 0.5],
    ['< 1e-1', '<', 0.1],
  ])('%j → %s %d', (text, operator, value) => {
    expect(parse({ successRate: text })).toEqual([{ metric: 'successRate', expression: `${operator} ${value}`, operator, value }]);
  });

  it.each([
    ['< 2000', 2000, '< 2000'],
    ['< 2s', 2000, '< 2s'],
    ['< 1.005s', 1005, '< 1.005s'], // 1.005 × 1000 is 1004.9999999999999 in doubles; the criterion must be exactly 1005
    ['< 500us', 0.5, '< 500us'],
    ['< 500µs', 0.5, '< 500µs'],
    ['< 250 ms', 250, '< 250ms'],
    ['< 1.5m', 90_000, '< 1.5m'],
    ['< 4.35m', 261_000, '< 4.35m'], // 4.35 × 60000 is 260999.99999999997 in doubles
    ['< 1h', 3_600_000, '< 1h'],
  ])('latency %j → %d ms', (text, ms, shown) => {
    expect(parse({ 'latencyMs.p99': text })).toEqual([{ metric: 'latencyMs.p99', expression: shown, operator: '<', value: ms }]);
  });

  it('a percentage is a share, exactly: 95% is 0.95, not 95 × 0.01 = 0.9500000000000001', () => {
    expect(parse({ successRate: '>= 95%', 'rates.escalated': '< 0.5%' }).map((c) => c.value)).toEqual([0.95, 0.005]);
  });

  it('a list gives several criteria on one metric, in the order written, after the metrics before it', () => {
    const got = parse({ successRate: '>= 0.9', 'latencyMs.p99': ['< 2s', '>= 10'], 'costUsd.perSuccess': '< 0.05' });
    expect(got.map((c: ThresholdCriterion) => `${c.metric} ${c.expression}`)).toEqual([
      'successRate >= 0.9', 'latencyMs.p99 < 2s', 'latencyMs.p99 >= 10', 'costUsd.perSuccess < 0.05',
    ]);
  });

  const SYNTAX = 'expected a comparison: one of <, <=, >, >=, ==, != and a non-negative number, such as ">= 0.95" or "< 2000" ' +
    '(latencies also take a duration such as "< 2s", rates a percentage such as ">= 95%"); got ';
  it.each([
    ['=> 0.95', '"=> 0.95"'],
    ['>= ', '">= "'],
    ['at least 0.95', '"at least 0.95"'],
    ['>= -1', '">= -1"'],
    ['>= 0.9x', '">= 0.9x"'],
    ['< 2 sec', '"< 2 sec"'],
    [0.95, '0.95'],
    [null, 'null'],
  ])('refuses %j, saying what is valid', (value, shown) => {
    expect(issues({ successRate: value })).toEqual([{ path: ['successRate'], message: SYNTAX + shown }]);
  });

  it('points at the bad element of a list, and refuses an empty list', () => {
    expect(issues({ 'latencyMs.p99': ['< 2s', '<< 3'] })).toEqual([{ path: ['latencyMs.p99', 1], message: `${SYNTAX}"<< 3"` }]);
    expect(issues({ 'latencyMs.p99': [] })).toEqual([
      { path: ['latencyMs.p99'], message: 'an empty list gates nothing; give at least one expression or leave the metric out' },
    ]);
  });

  it('a number past a double refuses, instead of reading as Infinity (found by the loader fuzzer)', () => {
    expect(issues({ 'costUsd.spend.perRequest': `< 1${'0'.repeat(400)}` })).toEqual([
      { path: ['costUsd.spend.perRequest'], message: `"< 1${'0'.repeat(400)}" is past the largest number this tool handles (about 1.8e308); write a finite bound` },
    ]);
  });

  it('units must fit the metric: durations only on latencies, percentages only on rates, rates within [0, 1]', () => {
    expect(issues({ 'costUsd.total': '< 2s', 'latencyMs.p50': '< 5%', successRate: ['>= 0.5', '>= 95'] })).toEqual([
      { path: ['costUsd.total'], message: '"2s" is a duration, valid only for latencyMs.* and latencyAllMs.*; costUsd.total takes a plain number' },
      { path: ['latencyMs.p50'], message: '"5%" is a percentage, valid only for rates; latencyMs.p50 takes a plain number' },
      { path: ['successRate', 1], message: 'successRate is a share between 0 and 1, so ">= 95" can never decide anything; write e.g. ">= 0.95" or ">= 95%"' },
    ]);
  });
});

describe('thresholdsSchema: metric names', () => {
  it('a misspelled metric is an issue on its key with a suggestion, never a silent pass', () => {
    expect(issues({ sucessRate: '>= 0.95', 'latencyMS.p99': '< 2s', 'costUsd.perSucess': '< 1' }).map((i) => i.message)).toEqual([
      'unknown metric "sucessRate"; did you mean "successRate"?\n' +
        'unknown metric "latencyMS.p99"; did you mean "latencyMs.p99"?\n' +
        'unknown metric "costUsd.perSucess"; did you mean "costUsd.perSuccess"?',
    ]);
  });

  it('a family name asks for a statistic; a name far from all lists the catalogue in one line', () => {
    expect(issues({ latencyMs: '< 3' })[0].message).toBe(
      '"latencyMs" needs a statistic: latencyMs.mean, latencyMs.p50, latencyMs.p90, latencyMs.p95, latencyMs.p99, latencyMs.p999, latencyMs.max',
    );
    expect(issues({ http_req_duration: '< 3' })[0].message).toBe(
      'unknown metric "http_req_duration"; valid metrics: successRate, successRate.lower|upper, silentFailureRate, silentFailureRate.lower|upper, ' +
        'latencyMs.mean|p50|p90|p95|p99|p999|max, latencyAllMs.mean|p50|p90|p95|p99|p999|max, throughputPerSec, goodputPerSec, ' +
        'costUsd.total|perRequest|perSuccess|spend.total|spend.perRequest|spend.perSuccess, outcomes.success|silentFailure|failed|escalated|timedOut|rejected, ' +
        'rates.success|silentFailure|failed|escalated|timedOut|rejected, escalation.count|resolutionRate',
    );
  });

  it('through the scenario loader, each error lands on the line and column of its key or value', () => {
    const text = ['thresholds:', '  successRate: ">= 0.9"', '  sucessRate: ">= 0.95"', "  'latencyMs.p99': '<< 2s'", ''].join('\n');
    const schema = z.strictObject({ thresholds: thresholdsSchema });
    let caught: ScenarioIssue[] = [];
    try {
      validateSource(parseSource(text, 's.yaml'), schema);
    } catch (e) {
      if (e instanceof ScenarioError) caught = e.issues;
    }
    expect(caught).toEqual([
      { file: 's.yaml', line: 3, col: 3, path: 'thresholds.sucessRate', message: 'unknown metric "sucessRate"; did you mean "successRate"?' },
      { file: 's.yaml', line: 4, col: 20, path: 'thresholds["latencyMs.p99"]', message: expect.stringContaining('got "<< 2s"') },
    ]);
  });
});

describe('THRESHOLD_METRICS', () => {
  it('names are unique, each has a description, and each reads a finite number from a full result', () => {
    const names = THRESHOLD_METRICS.map((m) => m.metric);
    expect(new Set(names).size).toBe(names.length);
    for (const m of THRESHOLD_METRICS) {
      expect(m.description.length, m.metric).toBeGreaterThan(10);
      expect(Number.isFinite(readMetric(fixture(), m.metric)), m.metric).toBe(true);
    }
  });

  it('reads the right leaves: estimate, Wilson bounds, shares of outcomes', () => {
    const r = fixture();
    expect(readMetric(r, 'successRate')).toBe(0.9731);
    expect(readMetric(r, 'successRate.lower')).toBe(r.successRate.ci95[0]);
    expect(readMetric(r, 'silentFailureRate.upper')).toBe(r.silentFailureRate.ci95[1]);
    expect(readMetric(r, 'latencyAllMs.p99')).toBe(2400);
    expect(readMetric(r, 'outcomes.escalated')).toBe(40);
    expect(readMetric(r, 'rates.escalated')).toBe(0.004);
    expect(readMetric(r, 'escalation.resolutionRate')).toBe(0.75);
    // Spend leaves out the assumed silent-failure cost: tokens 4000 + compute 500 + human 300 + escalation 15.5.
    expect(readMetric(r, 'costUsd.spend.total')).toBe(4815.5);
    expect(readMetric(r, 'costUsd.spend.perSuccess')).toBe(4815.5 / 9731);
    expect(readMetric(r, 'costUsd.perSuccess')).toBe(0.5);
  });
});

describe('evaluateThresholds and formatThresholdReport', () => {
  const block = { successRate: '>= 0.95', 'latencyMs.p99': ['< 2000', '< 2.5s'], 'costUsd.perSuccess': '< 0.05', 'rates.escalated': '<= 0.4%' };

  it('passes and fails on a hand-built result, in order', () => {
    expect(evaluateThresholds(parse(block), fixture())).toEqual([
      { metric: 'successRate', expression: '>= 0.95', actual: 0.9731, passed: true },
      { metric: 'latencyMs.p99', expression: '< 2000', actual: 2315.2, passed: false },
      { metric: 'latencyMs.p99', expression: '< 2.5s', actual: 2315.2, passed: true },
      { metric: 'costUsd.perSuccess', expression: '< 0.05', actual: 0.5, passed: false },
      { metric: 'rates.escalated', expression: '<= 0.4%', actual: 0.004, passed: true },
    ]);
  });

  it('a metric the run could not measure fails, with a note', () => {
    const r = fixture({ costUsd: { ...fixture().costUsd, perSuccess: null }, latencyMs: EMPTY_LATENCY });
    const out = evaluateThresholds(parse({ 'costUsd.perSuccess': '< 0.05', 'latencyMs.p99': '< 2000', 'outcomes.failed': '!= 0' }), r);
    expect(out).toEqual([
      { metric: 'costUsd.perSuccess', expression: '< 0.05', actual: null, passed: false, note: 'no request succeeded' },
      { metric: 'latencyMs.p99', expression: '< 2000', actual: null, passed: false, note: 'no request succeeded' },
      { metric: 'outcomes.failed', expression: '!= 0', actual: 60, passed: true },
    ]);
    const none = fixture({ requests: 0, successRate: wilson(0, 0), escalation: { count: 0, resolved: 0, resolutionRate: wilson(0, 0) } });
    expect(evaluateThresholds(parse({ successRate: '>= 0.5', 'escalation.resolutionRate': '> 0.5' }), none).map((o) => o.note)).toEqual([
      'no request finished', 'nothing was escalated',
    ]);
  });

  it('prints k6-style lines, the actual value in the unit the threshold was written in', () => {
    const r = fixture({ costUsd: { ...fixture().costUsd, perSuccess: null } });
    expect(formatThresholdReport(evaluateThresholds(parse({ ...block, successRate: ['>= 0.95', '>= 99%'] }), r))).toMatchInlineSnapshot(`
      "✓ successRate >= 0.95 (actual 0.9731)
      ✗ successRate >= 99% (actual 97.31%)
      ✗ latencyMs.p99 < 2000 (actual 2315.2)
      ✓ latencyMs.p99 < 2.5s (actual 2.3152s)
      ✗ costUsd.perSuccess < 0.05 (not measured: no request succeeded)
      ✓ rates.escalated <= 0.4% (actual 0.4%)
      "
    `);
    expect(formatThresholdReport([])).toBe('');
  });

  it('never rounds a failing value into one that looks like a pass', () => {
    const r = fixture({ successRate: { estimate: 0.949996, ci95: [0.94, 0.96] }, throughputPerSec: 123456.789 });
    expect(formatThresholdReport(evaluateThresholds(parse({ successRate: '>= 0.95', throughputPerSec: '> 1' }), r))).toBe(
      '✗ successRate >= 0.95 (actual 0.949996)\n✓ throughputPerSec > 1 (actual 123456.8)\n',
    );
  });
});
