/**
 * `report --uncertainty N` through the CLI: the "Parameter uncertainty"
 * section and chart appear with the flag and not without it, `--from`
 * re-renders them from results.json byte for byte, and what compare refuses
 * report refuses with the same words. A tiny scenario (1,000 requests, 3
 * draws) keeps it quick.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './test-support.js';

const SCENARIO = `name: unc
seed: 3
requests: 1000
arrivals: { kind: poisson, rate: 50/s }
pools: { cpu: { servers: 8 } }
stages:
  - { id: a, pool: cpu, latency: 10ms, faults: { error: 0.04 } }
  - { id: b, pool: cpu, latency: 10ms, faults: { corruption: 0.1 } }
uncertainty:
  stages.a.faults.error: { dist: beta, alpha: 41, beta: 961 }
variants:
  - name: fix-a
    kind: coordination
    patch: { stages: { a: { faults: { error: 0 } } } }
`;

const FAST = ['--replications', '2', '--threads', '1', '--no-sensitivity', '--no-study'];

describe('report --uncertainty', () => {
  it('adds the section and its chart; --from re-renders them as they were; without the flag there is neither', async () => {
    const dir = tempDir('coordgap-report-unc-');
    const file = join(dir, 'unc.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'with');
    const r = await runCli(['report', file, '--uncertainty', '3', ...FAST, '--out', out], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^With parameter uncertainty \(3 draws of stages\.a\.faults\.error\), fix-a's Δ task success lies in /m);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('\n## Parameter uncertainty\n');
    expect(md).toContain('](charts/uncertainty-intervals.svg)');
    expect(md).toMatch(/\n- fix-a, Δ task success: /);
    // Δ success = p_a·(1 − 0.1) ≈ 0.037 in every draw (p_a ~ Beta(41, 961) stays above 0.02), against a paired
    // standard error of about √(0.037/2000) ≈ 0.004: eight or more of them above zero, so better in all 3 draws.
    expect(md).toMatch(/\| fix-a \| Δ task success \| \+[\d.]+ pp \| \\\[[+−][\d.]+ pp, \+[\d.]+ pp\\\] \| \\\[\+[\d.]+ pp, \+[\d.]+ pp\\\] \| 100 % \|/);
    for (const ext of ['vl.json', 'svg']) expect(existsSync(join(out, 'charts', `uncertainty-intervals.${ext}`))).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<section id="parameter-uncertainty">');
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).uncertainty.parameters).toEqual(['stages.a.faults.error']);

    const again = join(dir, 'again');
    const from = await runCli(['report', '--from', join(out, 'results.json'), '--out', again], dir);
    expect(from.code, from.stderr).toBe(0);
    for (const f of ['report.md', 'index.html', 'results.csv', 'charts/uncertainty-intervals.vl.json', 'charts/uncertainty-intervals.svg'])
      expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    // results.json read back and written again holds the same document (the reader puts the fields it checks first).
    const json = (d: string) => JSON.parse(readFileSync(join(d, 'results.json'), 'utf8'));
    expect(json(again)).toEqual(json(out));

    const plain = join(dir, 'plain');
    const p = await runCli(['report', file, ...FAST, '--out', plain], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(readFileSync(join(plain, 'report.md'), 'utf8')).not.toContain('Parameter uncertainty');
    expect(existsSync(join(plain, 'charts', 'uncertainty-intervals.svg'))).toBe(false);
    expect(JSON.parse(readFileSync(join(plain, 'results.json'), 'utf8')).uncertainty).toBeUndefined();
  }, 120_000);

  it("refuses what compare refuses, in compare's words, and --uncertainty with --from", async () => {
    const dir = tempDir('coordgap-report-unc-bad-');
    const file = join(dir, 'none.yaml');
    writeFileSync(file, SCENARIO.replace(/uncertainty:\n {2}.*\n/, ''));
    const none = await runCli(['report', file, '--uncertainty', '3', ...FAST, '--out', join(dir, 'o')], dir);
    const compare = await runCli(['compare', file, '--uncertainty', '3'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/has no uncertainty: block/);
    expect(none.stderr).toBe(compare.stderr);
    writeFileSync(file, SCENARIO);
    const one = await runCli(['report', file, '--uncertainty', '1', ...FAST], dir);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/--uncertainty takes a whole number of draws from 2/);
    const from = await runCli(['report', '--from', join(dir, 'results.json'), '--uncertainty', '3'], dir);
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/--uncertainty runs draws of the scenario, and --from runs nothing/);
    for (const r of [none, one, from]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
