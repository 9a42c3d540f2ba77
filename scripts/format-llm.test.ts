/**
 * The terminal's LLM figures (format-llm.ts, format-run.ts, format-compare.ts)
 * and validate's provider lines (validate-llm.ts), on a scenario small enough
 * to work out by hand: 100 requests, one each second, one LLM call of 100
 * input tokens (half from the prompt cache) and 21 output tokens on a model
 * with TTFT 100 ms and TPOT 1 ms – 120 ms a call, no queue – at $2, $1 and
 * $10 per million input, cached and output tokens.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulateModel } from '../sim/path/index.js';
import { modelOf, singleStage } from '../sim/test-support.js';
import type { ScenarioInput } from '../sim/scenario/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import { formatRunSummary } from './format-run.js';
import { goodputLine, llmCompareColumns, llmLines, stageLlmColumns } from './format-llm.js';
import { duration } from './validate-llm.js';
import { runCli, tempDir } from './test-support.js';

const tiny = {
  name: 'llm-tiny',
  seed: 3,
  requests: 100,
  arrivals: { kind: 'fixed', interval: 1000 },
  pools: { api: { servers: 1 } },
  providers: { p: { models: { m: { ttft: 100, tpot: 1, inputPerMTokUsd: 2, cachedInputPerMTokUsd: 1, outputPerMTokUsd: 10 } } } },
  stages: [{ id: 'call', pool: 'api', llm: { provider: 'p', model: 'm', inputTokens: 100, outputTokens: 21, cachedInputShare: 0.5 } }],
  goodput: { latency: 1000 },
} as unknown as ScenarioInput;

const run = (input: ScenarioInput) => simulateModel(modelOf(input));

/** The tiny run with refusals booked by hand, for the columns that show only when something was refused. */
function refused(r: RunResult, p: { rateLimited: number; overloaded: number; rateLimitWaitMs: number; costUsd?: number }): RunResult {
  const llm = r.llm!;
  return {
    ...r,
    llm: { ...llm, providers: llm.providers.map((x) => ({ ...x, ...p })) },
    stages: r.stages.map((s) => ({ ...s, rateLimited: p.rateLimited })),
  };
}

describe('run: LLM lines', () => {
  const r = run(tiny);

  it('goodput at the target: every request succeeds in 120 ms ≤ 1 s; 100 of 100 with Wilson lower bound 100 / (100 + 1.96²) = 96.30 %', () => {
    expect(goodputLine(r.goodput!)).toBe(`  goodput within 1,000 ms (the scenario's target): 1.0 req/s · 100.00 % of requests (100), 95 % CI [96.30 %, 100.00 %]`);
  });

  it('a provider row of calls, tokens and cost, and calls and tokens per request; no refusal column when nothing was refused', () => {
    // 100 calls × 100 input (50 cached) and 21 output tokens: 100 × (50 × $2 + 50 × $1 + 21 × $10) / 1e6 = $0.036.
    expect(llmLines(r)).toEqual([
      '  provider  calls  tokens in  cached in  tokens out     cost',
      '  p           100     10,000      5,000       2,100  $0.0360',
      '  LLM calls answered per request: mean 1.00 · p95 1 · tokens mean 121 · p95 121',
    ]);
    expect(stageLlmColumns(r.stages)).toEqual([]);
  });

  it('the summary: the goodput line under throughput, whose success rate is then not called goodput; the LLM block after the stage table', () => {
    const lines = formatRunSummary(r, { color: false }).split('\n');
    const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
    expect(lines[at('  throughput')]).toMatch(/\(successful 1\.0\/s\)/);
    expect(at('  goodput within')).toBe(at('  throughput') + 1);
    expect(at('  provider')).toBeGreaterThan(at('  stage'));
    expect(lines[at('  stage')]).toBe('  stage  pool  attempts  errors  timeouts  retries  silent    util  queue');
  });

  it('429s, 529s and the wait after 429s show when a provider had them: the wait per request (50 s over 100 requests = 500 ms); a 429 column in the stage table', () => {
    const lines = llmLines(refused(r, { rateLimited: 40, overloaded: 3, rateLimitWaitMs: 50_000 }));
    expect(lines.slice(0, 2)).toEqual([
      '  provider  calls  429s  529s  tokens in  cached in  tokens out  wait after 429s per request     cost',
      '  p           100    40     3     10,000      5,000       2,100                       500 ms  $0.0360',
    ]);
    const withStage = refused(r, { rateLimited: 40, overloaded: 0, rateLimitWaitMs: 0 });
    expect(stageLlmColumns(withStage.stages).map((c) => c.label)).toEqual(['429s']);
    expect(formatRunSummary(withStage, { color: false })).toContain('  stage  pool  attempts  errors  timeouts  retries  429s  silent    util  queue\n  call    api       100       0         0        0    40       0  12.1 %   0 ms\n');
  });

  it('a scenario without LLM calls or a goodput target: no LLM line, no goodput line, the stage table as before', () => {
    const chain = run(singleStage({ latency: 5 }, { requests: 200 }));
    expect(chain.llm).toBeUndefined();
    expect(llmLines(chain)).toEqual([]);
    expect(stageLlmColumns(chain.stages)).toEqual([]);
    const text = formatRunSummary(chain, { color: false });
    expect(text).toMatch(/\(goodput [\d.]+\/s\)/);
    expect(text).not.toMatch(/provider|goodput within|LLM calls/);
  });
});

describe('compare: LLM columns', () => {
  const r = run(tiny);

  it('goodput within the target, 429s and LLM cost per arm, a variant with its difference from the baseline', () => {
    const base = refused(r, { rateLimited: 40, overloaded: 0, rateLimitWaitMs: 0 });
    const variant = refused(r, { rateLimited: 10, overloaded: 0, rateLimitWaitMs: 0, costUsd: 0.05 });
    const cols = llmCompareColumns(base, [variant]);
    expect(cols.map((c) => c.label)).toEqual(['within 1,000 ms', '429s', 'LLM cost']);
    expect(cols.map((c) => c.cell(base))).toEqual(['100.0 %', '40', '$0.0360']);
    // $0.05 − $0.036 = $0.014; 10 − 40 = −30.
    expect(cols.map((c) => c.cell(variant))).toEqual(['100.0 %', '10 (\u221230)', '$0.0500 (+$0.0140)']);
  });

  it('no column for arms without LLM calls or a target', () => {
    const chain = run(singleStage({ latency: 5 }, { requests: 50 }));
    expect(llmCompareColumns(chain, [chain])).toEqual([]);
  });
});

describe('validate: providers and LLM calls', () => {
  it('each provider with its limits, quota, overload, incidents and models; each LLM stage and fallback with its provider and model', async () => {
    const dir = tempDir('coordgap-validate-llm-');
    const file = join(dir, 'llm.yaml');
    writeFileSync(
      file,
      `name: v
seed: 1
requests: 20000
arrivals: { kind: poisson, rate: 1/s }
pools:
  api: { servers: 4 }
providers:
  openai:
    limits: { rpm: 500, tpm: 30000, concurrency: 8 }
    quota: { tokens: 2000000, per: 24h }
    overload: 0.02
    incidents:
      - { from: 1h, to: 322m, errorRate: 1 }
      - { from: 10m, to: 100m, errorRate: 0.45, models: [mini] }
    models:
      big: { ttft: 400ms, tpot: 12ms }
      mini: { ttft: 300ms, tpot: 8ms }
  local:
    models:
      llama: { ttft: 50ms, tpot: 5ms }
stages:
  - id: plan
    pool: api
    llm: { provider: openai, model: big, outputTokens: 100 }
    fallback: plan-local
  - id: act
    pool: api
    latency: 5ms
fallbacks:
  - id: plan-local
    pool: api
    llm: { provider: local, model: llama, outputTokens: 100 }
`,
    );
    const r = await runCli(['validate', file], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      '  provider openai: 500 RPM · 30,000 TPM · 8 in flight · quota 2,000,000 tokens per 24 h · 529s on 2.0 % of calls · incidents 1 h–5 h 22 min: outage; 10 min–1 h 40 min: 45.0 % failing (mini) · models big, mini',
      '  provider local: no limits · model llama',
      '  LLM calls: plan → openai big · fallback plan-local → local llama',
      '',
    ]);
    const json = JSON.parse((await runCli(['validate', file, '--json'], dir)).stdout);
    expect(json.llmCalls).toEqual([
      { stage: 'plan', provider: 'openai', model: 'big' },
      { fallback: 'plan-local', provider: 'local', model: 'llama' },
    ]);
    expect(json.providers[0]).toMatchObject({ id: 'openai', rpm: 500, tpm: 30000, concurrency: 8, quotaTokens: 2_000_000, quotaWindowMs: 86_400_000 });
    expect(json.providers[1]).toEqual({ id: 'local', overloadProbability: 0, incidents: 0, models: ['llama'] });
  });

  it('durations in the largest unit, each smaller non-zero one after it', () => {
    expect([duration(90), duration(45_000), duration(300_000), duration(90_000), duration(15_720_000), duration(3_601_000)]).toEqual([
      '90 ms', '45 s', '5 min', '1 min 30 s', '4 h 22 min', '1 h 1 s',
    ]);
  });
});
