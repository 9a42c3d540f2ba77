/**
 * The "what to fix first" ranking on a sample of its own: `report
 * --ranking-requests N` ranks every option on N requests per replication
 * (with a baseline of its own) while the comparison keeps the scenario's
 * count, and the report says so; the demo ranks on at most
 * DEMO_RANKING_REQUESTS, or on the comparison's sample when that is smaller.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './test-support.js';
import { DEMO_RANKING_REQUESTS } from './cmd-report.js';

const SCENARIO = `name: ranked
seed: 5
requests: 1000
arrivals: { kind: poisson, rate: 50/s }
pools: { cpu: { servers: 8 } }
stages:
  - { id: a, pool: cpu, latency: 10ms, faults: { error: 0.04 } }
  - { id: b, pool: cpu, latency: 10ms, faults: { corruption: 0.1 } }
variants:
  - name: fix-a
    kind: coordination
    patch: { stages: { a: { retry: { maxAttempts: 3 } } } }
  - name: faster-b
    kind: compute
    patch: { stages: { b: { latency: 5ms } } }
`;

interface Sampled {
  requests: number;
  replications: number;
}
interface Results {
  comparison: { baseline: Sampled };
  sensitivity: { baseline: Sampled; options: { name: string; result: Sampled }[]; whatIf: { result: Sampled }[] };
}

const readResults = (out: string): Results => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;

function setUp(prefix: string): { dir: string; file: string } {
  const dir = tempDir(prefix);
  const file = join(dir, 'ranked.yaml');
  writeFileSync(file, SCENARIO);
  return { dir, file };
}

const FAST = ['--replications', '2', '--threads', '1', '--no-study'];

describe('report --ranking-requests', () => {
  it('ranks every option and its baseline on N requests per replication; the comparison keeps the scenario’s; report, summary and results say so', async () => {
    const { dir, file } = setUp('coordgap-ranking-');
    const out = join(dir, 'r');
    const r = await runCli(['report', file, ...FAST, '--ranking-requests', '400', '--out', out], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = readResults(out);
    // A result's requests count every replication.
    expect(results.comparison.baseline).toMatchObject({ requests: 2000, replications: 2 });
    expect(results.sensitivity.baseline).toMatchObject({ requests: 800, replications: 2 });
    const ranked = [...results.sensitivity.options, ...results.sensitivity.whatIf];
    expect(ranked.length).toBeGreaterThanOrEqual(3);
    for (const row of ranked) expect(row.result).toMatchObject({ requests: 800, replications: 2 });
    const sentence = "The ranking simulated each option on 2 × 400 requests, paired with a baseline of its own on the same seeds – not the comparison's 2 × 1,000";
    expect(r.stdout).toContain(sentence);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const section = md.slice(md.indexOf('## What to fix first'));
    expect(section.slice(0, section.indexOf('\n## ', 5))).toContain(sentence);
  });

  it('without it the ranking reuses the comparison’s sample and says nothing of it', async () => {
    const { dir, file } = setUp('coordgap-ranking-same-');
    const out = join(dir, 'r');
    const r = await runCli(['report', file, ...FAST, '--out', out], dir);
    expect(r.code).toBe(0);
    const results = readResults(out);
    expect(results.sensitivity.baseline).toMatchObject({ requests: 2000, replications: 2 });
    expect(r.stdout).not.toContain('The ranking simulated');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).not.toContain('The ranking simulated');
  });

  it('is refused where no ranking runs: with --no-sensitivity, and with --from', async () => {
    const { dir, file } = setUp('coordgap-ranking-refused-');
    const a = await runCli(['report', file, '--no-sensitivity', '--ranking-requests', '400', '--out', join(dir, 'a')], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe('coordgap: --ranking-requests sizes the "what to fix first" ranking, which --no-sensitivity leaves out; leave out one of the two\n');
    const b = await runCli(['report', '--from', join(dir, 'results.json'), '--ranking-requests', '400'], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--ranking-requests sizes the "what to fix first" ranking, which --from does not run');
    const c = await runCli(['report', file, '--ranking-requests', '0'], dir);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--ranking-requests/);
  });
});

describe('the demo’s ranking', () => {
  it(`ranks on ${DEMO_RANKING_REQUESTS.toLocaleString('en-US')} requests per replication when the comparison runs more`, async () => {
    const dir = tempDir('coordgap-demo-ranking-');
    const out = join(dir, 'demo');
    const r = await runCli(['demo', '--replications', '1', '--requests', '30000', '--no-study', '--out', out], dir);
    expect(r.code).toBe(0);
    const results = readResults(out);
    expect(results.comparison.baseline.requests).toBe(30_000);
    expect(results.sensitivity.baseline.requests).toBe(DEMO_RANKING_REQUESTS);
    expect(r.stdout).toContain(`The ranking simulated each option on ${DEMO_RANKING_REQUESTS.toLocaleString('en-US')} requests`);
  });

  it('ranks on the comparison’s own sample when that is smaller, and an explicit --ranking-requests wins', async () => {
    const dir = tempDir('coordgap-demo-ranking-small-');
    const small = await runCli(['demo', '--replications', '1', '--requests', '2000', '--no-study', '--out', join(dir, 'small')], dir);
    expect(small.code).toBe(0);
    expect(readResults(join(dir, 'small')).sensitivity.baseline.requests).toBe(2000);
    expect(small.stdout).not.toContain('The ranking simulated');
    const given = await runCli(['demo', '--replications', '1', '--requests', '2000', '--ranking-requests', '3000', '--no-study', '--out', join(dir, 'given')], dir);
    expect(given.code).toBe(0);
    expect(readResults(join(dir, 'given')).sensitivity.baseline.requests).toBe(3000);
  });
});
