import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { scenarioJsonSchemaText } from './scenario-json-schema.js';


function cli(args: string[], cwd = PACKAGE_ROOT) {
  return runCli(args, cwd);
}

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');

describe('coordgap run', () => {
  it('reproduces 0.97^6 on the bundled scenario, closed form inside the interval', async () => {
    const r = await cli(['run', SIX_STEP, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout);
    const closedForm = 0.97 ** 6;
    expect(result.analytic.successRate).toBeCloseTo(closedForm, 12);
    expect(result.successRate.ci95[0]).toBeLessThan(closedForm);
    expect(result.successRate.ci95[1]).toBeGreaterThan(closedForm);
    const o = result.outcomes;
    expect(o.success + o.silentFailure + o.failed + o.escalated + o.timedOut + o.rejected).toBe(100_000);
    for (const key of ['scenario', 'seed', 'requests', 'replications', 'latencyMs', 'throughputPerSec', 'stages', 'attribution', 'costUsd', 'meta'])
      expect(result).toHaveProperty(key);
  });

  it('prints a readable summary with the interval and the closed form', async () => {
    const r = await cli(['run', SIX_STEP, '--requests', '20000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^six-step-97 · seed 1 · 20,000 requests × 1 replication/);
    expect(r.stdout).toMatch(/success +\d+\.\d\d % .*95 % CI \[.*\] · closed form 83\.297 %/);
    expect(r.stdout).toContain('where non-successful requests first went wrong');
  });

  it('same seed → byte-identical JSON; another seed → different numbers', async () => {
    const a = await cli(['run', SIX_STEP, '--json', '--requests', '5000']);
    const b = await cli(['run', SIX_STEP, '--json', '--requests', '5000']);
    const c = await cli(['run', SIX_STEP, '--json', '--requests', '5000', '--seed', '2']);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(c.stdout).outcomes).not.toEqual(JSON.parse(a.stdout).outcomes);
  });

  it('--set overrides a field by stage id; replications merge', async () => {
    const r = await cli(['run', SIX_STEP, '--json', '--requests', '4000', '--replications', '3', '--set', 'stages.retrieval.faults.error=0']);
    const result = JSON.parse(r.stdout);
    expect(result.requests).toBe(12_000);
    expect(result.replications).toBe(3);
    expect(result.stages[1].errors).toBe(0);
    expect(result.analytic.successRate).toBeCloseTo(0.97 ** 5, 12);
  });

  it('--out writes results.json and results.csv, replaces only its own files, refuses others without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-out-'));
    const first = await cli(['run', SIX_STEP, '--requests', '1000', '--out', dir, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual(JSON.parse(first.stdout));
    expect(readFileSync(join(dir, 'results.csv'), 'utf8')).toMatch(/^arm,kind,scenario,seed,/);
    // Its own files from the last run: replaced.
    expect((await cli(['run', SIX_STEP, '--requests', '1000', '--out', dir])).code).toBe(0);
    // A file somebody else put there: refused, and left as it was.
    const other = mkdtempSync(join(tmpdir(), 'coordgap-out-'));
    writeFileSync(join(other, 'results.csv'), 'mine');
    const refused = await cli(['run', SIX_STEP, '--requests', '1000', '--out', other]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to overwrite .*results\.csv \(not written by coordgap\); pass --force/);
    expect(readFileSync(join(other, 'results.csv'), 'utf8')).toBe('mine');
    expect(existsSync(join(other, 'results.json'))).toBe(false);
    expect((await cli(['run', SIX_STEP, '--requests', '1000', '--out', other, '--force'])).code).toBe(0);
  });
});

describe('invalid scenarios: exit 2, file:line:col path: message, no stack trace', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'coordgap-bad-'));
  });

  const base = (stages: string, pools = 'pools:\n  cpu: { servers: 2 }\n') =>
    `name: bad\narrivals: { kind: poisson, rate: 10/s }\n${pools}stages:\n${stages}`;
  const cases: [string, string, RegExp][] = [
    ['YAML syntax error', 'name: x\nstages: [\n  - a\n', /^bad\.yaml:3:3 .+/m],
    ['unknown key', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    retyr: {}\n'), /^bad\.yaml:9:5 stages\[0\]\.retyr: unknown key "retyr"; did you mean "retry"\?/m],
    ['wrong type', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    faults: { error: high }\n'), /^bad\.yaml:9:22 stages\[0\]\.faults\.error: .*probability/m],
    ['probability outside [0, 1]', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    faults: { error: 1.5 }\n'), /^bad\.yaml:9:22 stages\[0\]\.faults\.error: must be a probability in \[0, 1\]; got 1\.5/m],
    ['negative latency parameter', base('  - id: a\n    pool: cpu\n    latency: { dist: exponential, mean: -3 }\n'), /^bad\.yaml:8:41 stages\[0\]\.latency\.mean: .*negative/m],
    ['NaN latency parameter', base('  - id: a\n    pool: cpu\n    latency: { dist: lognormal, mu: .nan, sigma: 1 }\n'), /^bad\.yaml:8:37 stages\[0\]\.latency\.mu: /m],
    ['empty stage list', 'name: bad\narrivals: { kind: poisson, rate: 10/s }\npools: { cpu: { servers: 1 } }\nstages: []\n', /^bad\.yaml:4:9 stages: needs at least one stage/m],
    ['unknown pool', base('  - id: a\n    pool: gpu\n    latency: 5ms\n'), /^bad\.yaml:7:11 stages\[0\]\.pool: unknown pool "gpu"; did you mean "cpu"\?/m],
    ['unknown distribution', base('  - id: a\n    pool: cpu\n    latency: { dist: gama, shape: 2, scale: 3ms }\n'), /^bad\.yaml:8:22 stages\[0\]\.latency\.dist: unknown dist "gama"; did you mean "gamma"\?/m],
    ['duplicate stage id', base('  - id: a\n    pool: cpu\n    latency: 5ms\n  - id: a\n    pool: cpu\n    latency: 5ms\n'), /^bad\.yaml:9:9 stages\[1\]\.id: duplicate id "a" \(first used by stages\[0\]\)/m],
    ['fault probabilities over 1', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    timeout: 1s\n    faults: { error: 0.6, timeout: 0.3, corruption: 0.2 }\n'), /^bad\.yaml:10:13 stages\[0\]\.faults: fault probabilities of one attempt sum to 1\.1/m],
    ['fallback to an unknown definition', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    fallback: cahce\nfallbacks:\n  - { id: cache, pool: cpu, latency: 1ms }\n'), /^bad\.yaml:9:15 stages\[0\]\.fallback: unknown fallback "cahce"; did you mean "cache"\?/m],
    ['a cycle of fallbacks', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    fallback: f1\nfallbacks:\n  - { id: f1, pool: cpu, latency: 1ms, fallback: f2 }\n  - { id: f2, pool: cpu, latency: 1ms, fallback: f1 }\n'), /^bad\.yaml:11:\d+ fallbacks\[0\]\.fallback: fallbacks form a cycle: f1 → f2 → f1/m],
    ['a breaker window of 0', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    breaker: { kind: rate, window: 0 }\n'), /^bad\.yaml:9:\d+ stages\[0\]\.breaker\.window: .*(at least 1|whole number)/m],
    ['a Beta with non-positive parameters', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    faults: { error: 0.1 }\n    difficulty: { concentration: 0 }\n'), /^bad\.yaml:10:\d+ stages\[0\]\.difficulty\.concentration: must be > 0/m],
    ['retry that can never act', base('  - id: a\n    pool: cpu\n    latency: 5ms\n    retry: { maxAttempts: 3, retryOn: [] }\n'), /^bad\.yaml:9:39 stages\[0\]\.retry\.retryOn: retryOn is empty/m],
  ];

  for (const [what, text, expected] of cases) {
    it(what, async () => {
      writeFileSync(join(dir, 'bad.yaml'), text);
      for (const command of ['validate', 'run']) {
        const r = await cli([command, 'bad.yaml'], dir);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(expected);
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      }
    });
  }

  it('a file with hundreds of problems prints the first 50 in order and counts the rest', async () => {
    // 200 stages (the most is 255), each with exactly one problem: an error probability of 2.
    const stages = Array.from({ length: 200 }, (_, i) => `  - { id: s${i}, pool: cpu, latency: 5ms, faults: { error: 2 } }\n`).join('');
    writeFileSync(join(dir, 'many.yaml'), base(stages));
    const r = await cli(['validate', 'many.yaml'], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(51);
    // Stage i is on line 6 + i (name, arrivals, two pool lines, "stages:" come first).
    lines.slice(0, 50).forEach((line, i) => expect(line).toMatch(new RegExp(`^many\\.yaml:${6 + i}:\\d+ stages\\[${i}\\]\\.faults\\.error: must be a probability`)));
    expect(lines[50]).toBe('coordgap: … and 150 more problems (200 in all); fix the first ones – later ones often share their cause');
  });

  it('a missing file and bad flags are usage errors', async () => {
    expect((await cli(['run', 'nope.yaml'], dir)).stderr).toMatch(/cannot read scenario .*nope\.yaml: no such file/);
    expect((await cli(['run', SIX_STEP, '--requests', '-5'])).code).toBe(2);
    expect((await cli(['run', SIX_STEP, '--set', 'stages.nosuch.faults.error=1'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('validate accepts every bundled scenario', async () => {
    const files = readdirSync(join(PACKAGE_ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    // Warnings a bundled scenario gives on purpose: react-agent is about the cost of LangGraph's default step limit.
    const intended: Record<string, RegExp> = { 'react-agent.yaml': /^\S+:\d+:\d+ warning: graph\.nodes\.react\.loop: no limit: /m };
    for (const f of files) {
      const r = await cli(['validate', join(PACKAGE_ROOT, 'scenarios', f)]);
      if (f in intended) expect(r.stderr).toMatch(intended[f]);
      else expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/valid – \d+ stages/);
    }
  });
});

describe('bench-sim', () => {
  it('prints the documented fields with --json', async () => {
    const r = await cli(['bench-sim', '--requests', '20000', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['model', 'requests', 'wallMs', 'requestsPerSec', 'eventsPerSec', 'peakRssMb']));
    expect(doc.model).toBe('reference-model');
    expect(doc.requests).toBe(20_000);
  });
});

describe('packaging', () => {
  it('the committed JSON Schema is generated from the zod schema (run npm run schema)', () => {
    expect(readFileSync(join(PACKAGE_ROOT, 'scenarios', 'scenario.schema.json'), 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('every bundled scenario names the schema on its first line', () => {
    for (const f of readdirSync(join(PACKAGE_ROOT, 'scenarios')).filter((x) => x.endsWith('.yaml'))) {
      const first = readFileSync(join(PACKAGE_ROOT, 'scenarios', f), 'utf8').split('\n')[0];
      expect(first).toBe('# yaml-language-server: $schema=./scenario.schema.json');
    }
  });

  it('the compiled bin runs and exits 2 on an invalid file', () => {
    const bin = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');
    expect(existsSync(bin)).toBe(true);
    const out = execFileSync(process.execPath, [bin, 'run', SIX_STEP, '--requests', '2000', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).requests).toBe(2000);
    const bad = spawnSync(process.execPath, [bin, 'validate', 'no-such.yaml'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
