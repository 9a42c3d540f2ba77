/**
 * Bad LLM calls and providers end to end (issue 15, "Bad input"): the built
 * CLI, `validate` and `run`, on files in a temp dir. Each mistake exits 2
 * with one positioned line – file:line:column, the field, what is wrong and
 * what would be valid – and never a stack trace. The rules live in
 * sim/llm/schema.ts (field by field), sim/llm/checks.ts (across fields) and
 * sim/scenario/schema-checks.ts (fallback cycles). Needs `npm run build`.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { tempDir } from './test-support.js';

const BIN = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');

const PLAN_CALL = '{ provider: openai, model: gpt-4o, inputTokens: 1200, outputTokens: 200, maxTokens: 1024 }';

/**
 * A valid file; each case changes one part. Line 8 holds the limits, lines
 * 9–10 a quota and incidents when given (none by default), the models follow,
 * and the plan stage's llm: sits on line 19 when nothing above it is added.
 */
function scenario(o: { limits?: string; ttft?: string; models?: string; quota?: string; incidents?: string; plan?: string; planFallback?: string; fallbacks?: string } = {}): string {
  return `name: llm
requests: 200
arrivals: { kind: poisson, rate: 5/s }
pools:
  ext: { servers: 50 }
providers:
  openai:
    limits: ${o.limits ?? '{ rpm: 1000, tpm: 400000, concurrency: 50 }'}
${o.quota ?? ''}${o.incidents ?? ''}${
    o.models ??
    `    models:
      gpt-4o:
        ttft: ${o.ttft ?? '{ dist: lognormal, median: 400ms, p99: 2s }'}
        tpot: 12ms
      gpt-4o-mini:
        ttft: 300ms
        tpot: 8ms
`
  }stages:
  - id: plan
    pool: ext
${o.plan ?? `    llm: ${PLAN_CALL}\n`}${o.planFallback ?? '    fallback: mini\n'}fallbacks:
  - id: mini
    pool: ext
    llm: { provider: openai, model: gpt-4o-mini, inputTokens: 1200, outputTokens: { dist: zipf } }
${o.fallbacks ?? ''}`;
}

const call = (fields: string) => `    llm: { provider: openai, model: gpt-4o, outputTokens: 200${fields} }\n`;

/** [file name, the file, the one line expected on stderr after "<file>:"]. */
const CASES: [string, string, string][] = [
  ['unknown-provider', scenario({ plan: '    llm: { provider: opnai, model: gpt-4o, outputTokens: 200 }\n' }), '19:22 stages[0].llm.provider: unknown provider "opnai"; did you mean "openai"?'],
  ['unknown-model', scenario({ plan: '    llm: { provider: openai, model: gpt-4, outputTokens: 200 }\n' }), '19:37 stages[0].llm.model: unknown model "gpt-4" of provider "openai"; did you mean "gpt-4o"?'],
  [
    'unknown-model-far',
    scenario({ plan: '    llm: { provider: openai, model: claude-sonnet, outputTokens: 200 }\n' }),
    '19:37 stages[0].llm.model: unknown model "claude-sonnet" of provider "openai"; known: gpt-4o, gpt-4o-mini',
  ],
  ['rpm-0', scenario({ limits: '{ rpm: 0 }' }), '8:20 providers.openai.limits.rpm: must be > 0 (requests per minute); got 0'],
  ['tpm-negative', scenario({ limits: '{ tpm: -5 }' }), '8:20 providers.openai.limits.tpm: must be > 0 (tokens per minute); got -5'],
  ['concurrency-0', scenario({ limits: '{ concurrency: 0 }' }), '8:28 providers.openai.limits.concurrency: must be a whole number of at least 1; got 0'],
  [
    'ttft-p-order',
    scenario({ ttft: '{ dist: empirical, quantiles: [{ p: 0, value: 100ms }, { p: 0.9, value: 500ms }, { p: 0.5, value: 900ms }, { p: 1, value: 2s }] }' }),
    '11:101 providers.openai.models.gpt-4o.ttft.quantiles[2].p: must be > 0.9 (p must increase strictly); got 0.5',
  ],
  [
    'ttft-values-decrease',
    scenario({ ttft: '{ dist: empirical, quantiles: [{ p: 0, value: 100ms }, { p: 0.5, value: 900ms }, { p: 0.9, value: 500ms }, { p: 1, value: 2s }] }' }),
    '11:113 providers.openai.models.gpt-4o.ttft.quantiles[2].value: must be >= 900 (values must not decrease); got 500',
  ],
  [
    'failover-cycle',
    scenario({ fallbacks: '    fallback: mini2\n  - id: mini2\n    pool: ext\n    llm: { provider: openai, model: gpt-4o-mini, outputTokens: 100 }\n    fallback: mini\n' }),
    '25:15 fallbacks[0].fallback: fallbacks form a cycle: mini → mini2 → mini; a fallback chain must end – remove fallback: from one of them',
  ],
  [
    'latency-and-llm',
    scenario({ plan: `    llm: ${PLAN_CALL}\n    latency: 200ms\n` }),
    `20:14 stages[0].latency: "plan" has both a latency and an llm: call; an LLM call's service time is its model's TTFT + (output tokens − 1) × TPOT – remove latency`,
  ],
  [
    'neither',
    scenario({ plan: '    description: plans\n' }),
    `17:5 stages[0].latency: "plan" needs a latency (e.g. 200ms or { dist: lognormal, median: 80ms, p99: 400ms }) or an llm: call that takes its service time from a provider's model`,
  ],
  [
    'fallback-on-without-fallback',
    scenario({ plan: call(', fallbackOn: [rateLimited]'), planFallback: '' }),
    `19:76 stages[0].llm.fallbackOn: fallbackOn sends refusals to the stage's fallback, but "plan" has none – add fallback: <id of a fallbacks: entry>`,
  ],
  ['fallback-on-unknown', scenario({ plan: call(', fallbackOn: [timeout]') }), '19:77 stages[0].llm.fallbackOn[0]: unknown value "timeout"; valid: rateLimited, overloaded, quota'],
  [
    'quota-caps-nothing',
    scenario({ quota: '    quota: { per: 24h }\n' }),
    '9:12 providers.openai.quota: a quota caps tokens or spendUsd per window; give at least one (e.g. spendUsd: 500, per: 720h for 30 days; or tokens: 2000000, per: 24h)',
  ],
  [
    'incident-window',
    scenario({ incidents: '    incidents:\n      - { from: 10m, to: 5m }\n' }),
    '10:26 providers.openai.incidents[0].to: the window ends at 5.0 min, before it starts (from: 10.0 min); to must be later than from, both simulated time since the run began (e.g. from: 5m, to: 8m)',
  ],
  [
    'incident-model',
    scenario({ incidents: '    incidents:\n      - { from: 1m, to: 2m, models: [gpt4o] }\n' }),
    '10:38 providers.openai.incidents[0].models[0]: unknown model "gpt4o" of provider "openai"; did you mean "gpt-4o"?',
  ],
  [
    // One line: the calls naming its models are not reported again.
    'no-models',
    scenario({ models: '    models: {}\n' }),
    '9:13 providers.openai.models: needs at least one model, e.g. models: { gpt-4o: { ttft: { dist: lognormal, median: 400ms, p99: 2s }, tpot: 12ms } }',
  ],
  ['input-tokens-negative', scenario({ plan: call(', inputTokens: -3') }), '19:77 stages[0].llm.inputTokens: must be a whole number of at least 0; got -3'],
  [
    'zipf-exponent-1',
    scenario({ plan: '    llm: { provider: openai, model: gpt-4o, outputTokens: { dist: zipf, exponent: 1.0 } }\n' }),
    '19:83 stages[0].llm.outputTokens.exponent: must be > 1 (P(n) ∝ n^−exponent sums to a finite total only above 1; BurstGPT uses 1.1); got 1',
  ],
  [
    'tokens-unknown-dist',
    scenario({ plan: '    llm: { provider: openai, model: gpt-4o, outputTokens: { dist: pareto, alpha: 2 } }\n' }),
    '19:67 stages[0].llm.outputTokens.dist: unknown dist "pareto"; valid: poisson, uniform, geometric, empirical, lognormal, zipf',
  ],
  [
    'tokens-lognormal-p99',
    scenario({ plan: '    llm: { provider: openai, model: gpt-4o, outputTokens: { dist: lognormal, median: 500, p99: 100 } }\n' }),
    '19:96 stages[0].llm.outputTokens.p99: must be at least the median (500 tokens); got 100',
  ],
  [
    'no-providers',
    scenario().replace('providers:\n  openai:\n    limits: { rpm: 1000, tpm: 400000, concurrency: 50 }\n    models:\n      gpt-4o:\n        ttft: { dist: lognormal, median: 400ms, p99: 2s }\n        tpot: 12ms\n      gpt-4o-mini:\n        ttft: 300ms\n        tpot: 8ms\n', '').replace(
      '    llm: { provider: openai, model: gpt-4o-mini, inputTokens: 1200, outputTokens: { dist: zipf } }',
      '    latency: 200ms',
    ),
    '9:22 stages[0].llm.provider: unknown provider "openai": the scenario has no providers: section – add one naming its models',
  ],
];

let dir: string;

beforeAll(() => {
  dir = tempDir('coordgap-llm-bad-');
  for (const [name, text] of CASES) writeFileSync(join(dir, `${name}.yaml`), text);
});

describe('bad LLM calls and providers through the built CLI', () => {
  it('the CLI is built', () => expect(existsSync(BIN)).toBe(true));

  it.each(CASES)('%s: validate and run exit 2 with one positioned line, no stack trace', (name, _text, line) => {
    for (const command of ['validate', 'run']) {
      const r = spawnSync(process.execPath, [BIN, command, `${name}.yaml`, ...(command === 'run' ? ['--threads', '1'] : [])], { cwd: dir, encoding: 'utf8' });
      expect({ command, status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ command, status: 2, stderr: `${name}.yaml:${line}\n`, stdout: '' });
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  }, 120_000);

  it('the file without a mistake runs (the cases differ from a good file only by the mistake)', () => {
    writeFileSync(join(dir, 'good.yaml'), scenario());
    const r = spawnSync(process.execPath, [BIN, 'run', 'good.yaml', '--threads', '1', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).requests).toBe(200);
  }, 120_000);
});
