/**
 * `coordgap memo`: the comparison it prices is compare's – same seed, same
 * requests, same deltas – and it prints the memo, --json the decision, and
 * with --out writes memo.md, memo.html and the results `report --from` reads.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { ppBracketWith } from '../reports/format.js';
import type { ComparisonResult, Decision } from '../sim/experiment/index.js';

const FINTECH = join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml');
const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
const cli = (args: string[]) => runCli(args, PACKAGE_ROOT);
const SAMPLE = ['--requests', '3000', '--replications', '2', '--threads', '1', '--seed', '11'];
/** JSON writes NaN as null. */
const fromJson = (e: { estimate: number | null; ci95: (number | null)[] }) => ({ estimate: e.estimate ?? NaN, ci95: e.ci95.map((x) => x ?? NaN) as [number, number] });

describe('coordgap memo', () => {
  it("prices compare's comparison: for the same seed and sample its deltas are compare --json's, and the text says them", async () => {
    const [memo, compare, text] = await Promise.all([cli(['memo', FINTECH, ...SAMPLE, '--json']), cli(['compare', FINTECH, ...SAMPLE, '--json']), cli(['memo', FINTECH, ...SAMPLE])]);
    expect([memo.code, compare.code, text.code]).toEqual([0, 0, 0]);
    const d = JSON.parse(memo.stdout) as Decision;
    const c = JSON.parse(compare.stdout) as ComparisonResult;
    expect(d.options.map((o) => o.name)).toEqual(c.variants.map((v) => v.name));
    const n = d.inputs.requestsPerMonth;
    // The scenario's arrival rate, 0.5/s, for a 30.44-day month (365.25 / 12 × 86,400 s).
    expect(n).toBeCloseTo(0.5 * (365.25 / 12) * 86_400, 6);
    d.options.forEach((o, i) => {
      const delta = c.variants[i].delta;
      expect(o.successDelta, o.name).toEqual(delta.successRate);
      expect(o.silentFailureDelta, o.name).toEqual(delta.silentFailureRate);
      expect(o.p95DeltaMs, o.name).toEqual(delta.p95Ms);
      const spend = fromJson(delta.spendPerRequestUsd!);
      expect(o.spendChangeMonthlyUsd.estimate, o.name).toBeCloseTo(spend.estimate * n, 6);
      expect(o.silentFailuresMonthly.estimate, o.name).toBeCloseTo(delta.silentFailureRate.estimate * n, 6);
    });
    // The scenario prices recovery-layer at 15 engineer-days × $1,000 (costs.dayRateUsd).
    expect(d.inputs.prices['recovery-layer']).toMatchObject({ oneOffUsd: 15_000, monthlyUsd: 0, unpriced: false });
    expect(d.recommended).toBe('recovery-layer');
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('Decision memo · fintech-underwriting');
    expect(lines[2]).toMatch(new RegExp(`^Buy recovery-layer: ${ppBracketWith(c.variants[0].delta.successRate, 'task success').replace(/[+[\].]/g, '\\$&')}, `));
    expect(text.stdout).toContain('What would change this answer:');
    expect(text.stdout).toContain('The options a month at 1,310,000 requests');
  });

  it('--out writes memo.md, memo.html and the comparison’s results.json, which report --from reads back with the same memo', async () => {
    const out = tempDir('coordgap-memo-');
    const r = await cli(['memo', FINTECH, ...SAMPLE, '--out', out]);
    expect(r.code).toBe(0);
    for (const f of ['memo.md', 'memo.html', 'results.json', 'results.csv']) expect(existsSync(join(out, f)), f).toBe(true);
    const md = readFileSync(join(out, 'memo.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('# Decision memo: fintech-underwriting');
    // The terminal's answer is the file's, unescaped.
    expect(md.split('\n')[2].replace(/\\(.)/g, '$1')).toBe(`**${r.stdout.split('\n')[2]}**`);
    const page = readFileSync(join(out, 'memo.html'), 'utf8');
    expect(page).not.toContain('<script');
    const again = tempDir('coordgap-memo-report-');
    const report = await cli(['report', '--from', join(out, 'results.json'), '--out', again]);
    expect(report.code).toBe(0);
    expect(readFileSync(join(again, 'memo.md'), 'utf8')).toBe(md);
  });

  it('a scenario without variants: nothing to choose between, and what to add', async () => {
    const r = await cli(['memo', SIX_STEP, '--requests', '2000', '--replications', '1', '--threads', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[2]).toMatch(/^Nothing to choose between: the scenario has no variants\. Add the fixes or upgrades you are weighing as variants, each with a price: /);
  });
});
