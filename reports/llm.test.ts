/**
 * The report's LLM figures (llm.ts, goodput.ts): the providers table, the
 * per-request table and goodput in the headline table, on the fintech
 * comparison with LLM figures and a goodput target added by hand; and a
 * comparison without them renders as before (no section, no column).
 */
import { describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../sim/experiment/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import { fintechComparison, fullInput } from './fixtures/load.js';
import { reportFigures } from '../experiments/report-input.js';
import { perRequestTable, providersTable, type LlmResult } from './llm.js';
import { variantsTable } from './tables.js';
import { sections } from './sections.js';

type Provider = LlmResult['providers'][number];

const provider = (id: string, p: Partial<Provider> = {}): Provider => ({
  id, calls: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, rateLimited: 0, overloaded: 0, quotaRefused: 0, firstTokenTimeouts: 0, rateLimitWaitMs: 0, costUsd: 0, ...p,
});

const perRequest = (calls: number, tokens: number): LlmResult['perRequest'] => ({
  calls: { mean: calls, p50: 1, p95: 3, max: 7 },
  tokens: { mean: tokens, p50: tokens, p95: 4 * tokens, max: 9 * tokens },
});

/** The fixture's arms (60,000 requests each) with LLM figures and goodput within 2 s. */
function withLlm(): ComparisonResult {
  const c = fintechComparison();
  const add = (r: RunResult, providers: Provider[], within: number): RunResult => ({
    ...r,
    llm: { providers, perRequest: perRequest(providers[0].calls / r.requests, 1500) },
    goodput: { latencyMs: 2000, requests: within, rate: { estimate: within / r.requests, ci95: [within / r.requests - 0.004, within / r.requests + 0.004] }, perSec: within / 600 },
  });
  return {
    ...c,
    baseline: add(c.baseline, [provider('openai', { calls: 90_000, rateLimited: 3000, inputTokens: 9e7, outputTokens: 2e7, rateLimitWaitMs: 6e6, costUsd: 425.5 }), provider('local', { calls: 500, inputTokens: 5e5, outputTokens: 1e5 })], 30_000),
    variants: c.variants.map((v, i) => ({ ...v, result: add(v.result, [provider('openai', { calls: 60_000 + i, inputTokens: 6e7, outputTokens: 1e7, costUsd: 300 }), provider('local')], 45_000) })),
  };
}

describe('LLM figures in the report', () => {
  it('providers: a row per arm and provider; the 429 and wait columns because one arm has them, no 529, quota, first-token or cached column since none has any', () => {
    const t = providersTable(withLlm())!;
    expect(t.caption).toMatch(/^LLM providers: totals over each arm's 60,000 requests/);
    expect(t.columns.map((c) => c.label)).toEqual(['arm', 'provider', 'calls', '429s', 'tokens in', 'tokens out', 'wait after 429s per request', 'cost']);
    expect(t.rows[0]).toEqual(['baseline', 'openai', '90,000', '3,000', '90,000,000', '20,000,000', '100 ms', '$425.50']); // 6,000 s over 60,000 requests
    expect(t.rows[1]).toEqual(['baseline', 'local', '500', '0', '500,000', '100,000', '0 ms', '$0']);
    expect(t.rows.map((r) => r[0])).toEqual(['baseline', 'baseline', 'recovery-layer', 'recovery-layer', 'gpu-240-to-180ms', 'gpu-240-to-180ms', 'bigger-cpu-box', 'bigger-cpu-box']);
  });

  it('per request: LLM calls answered and tokens (mean, p95), goodput within the target with its interval and per second', () => {
    const t = perRequestTable(withLlm())!;
    expect(t.columns.map((c) => c.label)).toEqual(['arm', 'LLM calls, mean', 'p95', 'tokens, mean', 'p95', 'successful within 2,000 ms', 'per second']);
    // 90,000 calls over 60,000 requests; 30,000 within 2 s = 50 %, ± 0.4 pp; 30,000 over 600 s = 50/s.
    expect(t.rows[0]).toEqual(['baseline', '1.50', '3', '1,500', '6,000', '50.0 % [49.6 %, 50.4 %]', '50.0/s']);
    expect(t.note).toMatch(/a 429, 529 or quota refusal is in the provider table's calls, not here/);
  });

  it('the headline table gains the goodput column after Δ p95; the section comes after the cost', () => {
    const c = withLlm();
    const t = variantsTable(c, reportFigures({ comparison: c }).variantP95);
    const labels = t.columns.map((col) => col.label);
    expect(labels.slice(labels.indexOf('Δ p95'), labels.indexOf('Δ p95') + 3)).toEqual(['Δ p95', 'successful within 2,000 ms', 'spend per success']);
    expect(t.rows[1][labels.indexOf('successful within 2,000 ms')]).toBe('75.0 % [74.6 %, 75.4 %]');
    const ids = sections({ ...fullInput(), comparison: c }, []).map((s) => s.id);
    expect(ids.indexOf('llm')).toBe(ids.indexOf('cost') + 1);
    expect(sections({ ...fullInput(), comparison: c }, []).find((s) => s.id === 'llm')!.heading).toBe('LLM providers and goodput');
  });

  it('goodput alone (no LLM calls): a goodput table under the heading "Goodput"', () => {
    const c = withLlm();
    const strip = (r: RunResult): RunResult => ({ ...r, llm: undefined });
    const bare = { ...c, baseline: strip(c.baseline), variants: c.variants.map((v) => ({ ...v, result: strip(v.result) })) };
    expect(providersTable(bare)).toBeUndefined();
    expect(perRequestTable(bare)!.columns.map((col) => col.label)).toEqual(['arm', 'successful within 2,000 ms', 'per second']);
    expect(sections({ ...fullInput(), comparison: bare }, []).find((s) => s.id === 'llm')!.heading).toBe('Goodput');
  });

  it('a comparison without LLM calls or a goodput target: no LLM section, the headline columns as before', () => {
    const input = fullInput();
    expect(providersTable(input.comparison)).toBeUndefined();
    expect(perRequestTable(input.comparison)).toBeUndefined();
    expect(sections(input, []).map((s) => s.id)).not.toContain('llm');
    expect(variantsTable(input.comparison, input.figures.variantP95).columns.map((col) => col.label)).toEqual([
      'arm', 'kind', 'task success', 'Δ task success', 'silent failure', 'escalated', 'failed, timed out or rejected', 'p95', 'Δ p95', 'spend per success', 'Δ spend per success',
    ]);
  });
});
