/**
 * Thresholds end to end: every arm checked, shown on stderr, in --json and in
 * the report, and the exit code set by the gate – `run` by the baseline,
 * `compare` and `report` by default by whether any arm passes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'coordgap-thresholds-'));
const FILE = join(dir, 'gate.yaml');
// One stage failing 20 % of attempts: about 80 % success; three attempts give
// 1 − 0.2³ = 99.2 %. The bar is 90 %: the baseline fails it, the retry passes,
// and "relaxed" passes only because its patch lowers its own bar to 50 %.
writeFileSync(
  FILE,
  `name: gate
requests: 4000
arrivals: { kind: poisson, rate: 50/s }
pools: { cpu: { servers: 4 } }
stages:
  - { id: work, pool: cpu, latency: 5ms, faults: { error: 0.2 } }
thresholds: { successRate: '>= 90%' }
variants:
  - name: retry
    kind: coordination
    patch: { stages: { work: { retry: { maxAttempts: 3 } } } }
  - name: relaxed
    kind: coordination
    patch: { thresholds: { successRate: '>= 50%' } }
  - name: more-cpu
    kind: compute
    patch: { pools: { cpu: { servers: 8 } } }
`,
);
const cli = (args: string[]) => runCli([...args, '--threads', '1'], dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('thresholds per arm and the gate', () => {
  it('compare: every arm against its own thresholds; by default exit 1 only when no arm passes', async () => {
    const r = await cli(['compare', FILE, '--replications', '2', '--json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout).thresholds;
    expect(t.gate).toBe('any');
    expect(t.pass).toBe(true);
    expect(t.arms.map((a: { arm: string; pass: boolean }) => [a.arm, a.pass])).toEqual([
      ['baseline', false],
      ['retry', true],
      ['relaxed', true],
      ['more-cpu', false],
    ]);
    expect(t.arms[0].checks).toEqual([{ metric: 'successRate', op: '>=', value: 0.9, expression: '>= 90%', actual: expect.closeTo(0.8, 1), pass: false }]);
    expect(t.arms[2].checks[0].value).toBe(0.5);
    expect(r.stderr).toMatch(/thresholds \(baseline\):\n✗ successRate >= 90% \(actual 7\d\.\d+%\)/);
    expect(r.stderr).toMatch(/thresholds \(retry\):\n✓ successRate >= 90%/);
    expect(r.stderr).toContain('thresholds (gate any: at least one arm must pass every threshold): PASS – passing: retry, relaxed; failing: baseline fails 1 of 1; more-cpu fails 1 of 1');
  });

  it('compare --gate: a named arm, or all, decides; an unknown arm is a usage error', async () => {
    expect((await cli(['compare', FILE, '--replications', '2', '--gate', 'retry'])).code).toBe(0);
    const base = await cli(['compare', FILE, '--replications', '2', '--gate', 'baseline']);
    expect(base.code).toBe(1);
    expect(base.stderr).toMatch(/gate baseline: baseline must pass every threshold\): FAIL/);
    expect((await cli(['compare', FILE, '--replications', '2', '--gate', 'all'])).code).toBe(1);
    const typo = await cli(['compare', FILE, '--gate', 'retyr']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('coordgap: --gate: no arm "retyr"; use any, all, baseline, retry, relaxed, more-cpu\n');
  });

  it('run: the baseline decides, and --json carries the checks', async () => {
    const r = await cli(['run', FILE, '--json']);
    expect(r.code).toBe(1);
    const t = JSON.parse(r.stdout).thresholds;
    expect([t.gate, t.pass, t.arms.length, t.arms[0].checks[0].pass]).toEqual(['baseline', false, 1, false]);
  });

  it('report: a Thresholds section and a summary sentence; exit by the gate; --from keeps the checks and takes a new gate', async () => {
    const out = join(dir, 'report');
    const r = await cli(['report', FILE, '--replications', '2', '--no-sensitivity', '--no-study', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Thresholds (gate any: at least one arm must pass every threshold): PASS – passing: retry, relaxed;');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Thresholds');
    expect(md).toMatch(/\| baseline \| successRate \| \\>= 90% \| 7\d\.\d+% \| ✗ fail \|/);
    expect(md).toMatch(/\| relaxed \| successRate \| \\>= 50% \| \d+\.\d+% \| ✓ pass \|/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<section id="thresholds">');
    const gated = await cli(['report', '--from', join(out, 'results.json'), '--gate', 'baseline', '--out', join(dir, 'again'), '--json']);
    expect(gated.code).toBe(1);
    expect(JSON.parse(gated.stdout).thresholds).toMatchObject({ gate: 'baseline', pass: false });
  });
});
