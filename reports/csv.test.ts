import { describe, expect, it } from 'vitest';
import { wilson } from '../sim/metrics/index.js';
import type { LatencySummary, RunResult } from '../sim/metrics/index.js';
import { resultRow, toCsv } from './csv.js';

describe('toCsv', () => {
  it('writes a header and CRLF-terminated lines, columns in first-seen order across rows', () => {
    expect(toCsv([{ a: 1, b: 'x' }, { b: 'y', c: true }])).toBe('a,b,c\r\n1,x,\r\n,y,true\r\n');
  });

  it('quotes fields holding a comma, a quote, CR or LF, doubling quotes (RFC 4180 §2.6–2.7)', () => {
    const rows = [{ v: 'a,b' }, { v: 'say "hi"' }, { v: 'line\nbreak' }, { v: 'cr\rhere' }, { v: 'plain text' }, { v: '' }];
    expect(toCsv(rows)).toBe('v\r\n"a,b"\r\n"say ""hi"""\r\n"line\nbreak"\r\n"cr\rhere"\r\nplain text\r\n\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula: a leading quote, and quoted (OWASP CSV injection; issue 12.11)', () => {
    const rows = [
      { v: '=HYPERLINK("http://x","y")' },
      { v: "=cmd|' /C calc'!A0" },
      { v: '+1+2' },
      { v: '-2+3' },
      { v: '@SUM(A1:A2)' },
      { v: '\t=1' },
      { v: '\r=1' },
    ];
    expect(toCsv(rows)).toBe(
      'v\r\n"\'=HYPERLINK(""http://x"",""y"")"\r\n"\'=cmd|\' /C calc\'!A0"\r\n"\'+1+2"\r\n"\'-2+3"\r\n"\'@SUM(A1:A2)"\r\n"\'\t=1"\r\n"\'\r=1"\r\n',
    );
    expect(toCsv([{ '=bad': 1 }])).toBe('"\'=bad"\r\n1\r\n');
  });

  it('numbers, and text that is a plain decimal number, stay numeric', () => {
    expect(toCsv([{ a: -1.5, b: '-1.5', c: '+2e-3', d: -0, e: 'a=b', f: 'x-1' }])).toBe('a,b,c,d,e,f\r\n-1.5,-1.5,+2e-3,0,a=b,x-1\r\n');
  });

  it('quotes header names by the same rule', () => {
    expect(toCsv([{ 'x,y': 1 }])).toBe('"x,y"\r\n1\r\n');
  });

  it('prints numbers with String(n); NaN, ±Infinity, null and undefined are empty fields', () => {
    expect(toCsv([{ a: 0.1, b: 1e21, c: -0.5, d: NaN, e: Infinity, f: -Infinity, g: null, h: undefined, i: false }])).toBe(
      'a,b,c,d,e,f,g,h,i\r\n0.1,1e+21,-0.5,,,,,,false\r\n',
    );
  });

  it('given columns fix the order, leave other keys out and leave missing keys empty', () => {
    expect(toCsv([{ a: 1, b: 2, c: 3 }, { c: 6 }], ['c', 'a', 'z'])).toBe('c,a,z\r\n3,1,\r\n6,,\r\n');
  });

  it('no rows: a header only when columns are given, else nothing', () => {
    expect(toCsv([], ['a', 'b'])).toBe('a,b\r\n');
    expect(toCsv([])).toBe('');
  });

  it('reads only own keys, so a key named like an Object method is data', () => {
    expect(toCsv([{ a: 1 }], ['a', 'toString', 'constructor'])).toBe('a,toString,constructor\r\n1,,\r\n');
  });
});

const latency = (count: number): LatencySummary => ({ mean: 812.5, p50: 640, p90: 1500, p95: 1810, p99: 2315.2, p999: 2900, max: 3400, count });

function fixture(over: Partial<RunResult> = {}): RunResult {
  return {
    scenario: 'six-step-97', seed: 42, requests: 1000, replications: 4,
    outcomes: { success: 833, silentFailure: 100, failed: 40, escalated: 20, timedOut: 5, rejected: 2 },
    successRate: wilson(833, 1000), silentFailureRate: wilson(100, 1000),
    latencyMs: latency(833), latencyAllMs: latency(998),
    throughputPerSec: 10, goodputPerSec: 8.33, simulatedSpanMs: 100_000, events: 50_000,
    stages: [], fallbacks: [], edges: [], pools: [], attribution: [],
    escalation: { count: 25, resolved: 5, resolutionRate: wilson(5, 25) },
    // Spend $120 (tokens 100 + compute 20); 100 silent failures at an assumed $2 each: $200; total $320.
    costUsd: {
      total: 320, perRequest: 0.32, perSuccess: 320 / 833, breakdown: { tokens: 100, compute: 20, human: 0, silentFailure: 200, escalation: 0 },
      spend: { total: 120, perRequest: 0.12, perSuccess: 120 / 833 },
      assumedPenalty: { total: 200, perRequest: 0.2, perSuccess: 200 / 833, perSilentFailure: 2 },
    },
    meta: { version: '0.1.0', scenarioHash: 'sha256:abc', node: 'v20.0.0' },
    ...over,
  };
}

describe('resultRow', () => {
  it('flattens the headline metrics in a fixed column order', () => {
    const r = fixture();
    expect(resultRow(r)).toEqual({
      scenario: 'six-step-97', seed: 42, requests: 1000, replications: 4,
      success: 833, silentFailure: 100, failed: 40, escalated: 20, timedOut: 5, rejected: 2,
      successRate: 0.833, successRateLow: r.successRate.ci95[0], successRateHigh: r.successRate.ci95[1],
      silentFailureRate: 0.1, silentFailureRateLow: r.silentFailureRate.ci95[0], silentFailureRateHigh: r.silentFailureRate.ci95[1],
      escalations: 25,
      latencyMeanMs: 812.5, latencyP50Ms: 640, latencyP90Ms: 1500, latencyP95Ms: 1810, latencyP99Ms: 2315.2, latencyP999Ms: 2900,
      throughputPerSec: 10, goodputPerSec: 8.33,
      spendTotalUsd: 120, spendPerRequestUsd: 0.12, spendPerSuccessUsd: 120 / 833,
      spendTokensUsd: 100, spendComputeUsd: 20, spendHumanUsd: 0, spendEscalationUsd: 0,
      assumedPenaltyPerSilentFailureUsd: 2, assumedPenaltyTotalUsd: 200, assumedPenaltyPerRequestUsd: 0.2, assumedPenaltyPerSuccessUsd: 200 / 833,
      costTotalUsd: 320, costPerRequestUsd: 0.32, costPerSuccessUsd: 320 / 833,
      stable: null, attemptsPerRequest: null, workAmplified: null, truncated: null, // the fixture has no stability report
      version: '0.1.0', scenarioHash: 'sha256:abc',
    });
    const stability = { stable: false, arrivals: 'open' as const, arrivalRatePerSec: 1000, pools: [], note: '', truncated: true, attemptsPerRequest: { expected: 1, measured: 2.5 }, workAmplified: true };
    expect(resultRow(fixture({ stability }))).toMatchObject({ stable: false, attemptsPerRequest: 2.5, workAmplified: true, truncated: true });
    expect(Object.keys(resultRow(r)).slice(0, 6)).toEqual(['scenario', 'seed', 'requests', 'replications', 'success', 'silentFailure']);
    expect(Object.keys(resultRow(r)).every((k) => !k.includes('.'))).toBe(true);
  });

  it('what a run could not measure is null: no success → no latency, no cost per success; no requests → no rates', () => {
    const none = fixture({
      requests: 0, outcomes: { success: 0, silentFailure: 0, failed: 0, escalated: 0, timedOut: 0, rejected: 0 },
      successRate: wilson(0, 0), silentFailureRate: wilson(0, 0),
      latencyMs: { mean: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, p999: NaN, max: NaN, count: 0 },
      costUsd: (({ costUsd: c }) => ({ ...c, perSuccess: null, spend: { ...c.spend, perSuccess: null }, assumedPenalty: { ...c.assumedPenalty, perSuccess: null } }))(fixture()),
    });
    const row = resultRow(none);
    expect([row.successRate, row.successRateLow, row.silentFailureRateHigh, row.latencyP99Ms]).toEqual([null, null, null, null]);
    expect([row.spendPerSuccessUsd, row.assumedPenaltyPerSuccessUsd, row.costPerSuccessUsd]).toEqual([null, null, null]);
  });

  it('rows of a sweep table become CSV with point columns in front', () => {
    const row = { 'faults.error': 0.05, replication: 0, ...resultRow(fixture({ scenario: 'a "quoted", name' })) };
    const csv = toCsv([row]);
    const [header, line] = csv.split('\r\n');
    expect(header.startsWith('faults.error,replication,scenario,seed,requests,')).toBe(true);
    expect(line.startsWith('0.05,0,"a ""quoted"", name",42,1000,4,833,')).toBe(true);
    expect(line.endsWith(',0.1.0,sha256:abc')).toBe(true);
  });
});
