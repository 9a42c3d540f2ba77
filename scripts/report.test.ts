import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const FINTECH = join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml');
const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
const cli = (args: string[]) => runCli(args, PACKAGE_ROOT);

describe('coordgap report', () => {
  const out = mkdtempSync(join(tmpdir(), 'coordgap-report-'));

  it('writes the Markdown, the self-contained HTML, results and every chart as spec, SVG and, with --png, PNG', async () => {
    const r = await cli(['report', FINTECH, '--requests', '5000', '--replications', '2', '--threads', '1', '--no-sensitivity', '--png', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/recovery-layer \(a coordination fix\) raises task success from \d+\.\d % to \d+\.\d %/);
    expect(r.stdout).toMatch(/report: .*index\.html/);
    for (const f of ['report.md', 'index.html', 'memo.md', 'memo.html', 'results.json', 'results.csv'])
      expect(existsSync(join(out, f))).toBe(true);
    // The decision memo opens the report, priced from the scenario: results.json carries what it was priced with.
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/^# Decision memo: fintech-underwriting\n\n\*\*Buy recovery-layer: /);
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(saved.decisionInputs).toMatchObject({ trafficSource: 'arrival rate', silentFailureUsd: 150, amortizationMonths: 12 });
    expect(saved.decisionInputs.prices['recovery-layer']).toMatchObject({ oneOffUsd: 15_000, monthlyUsd: 0, unpriced: false });
    for (const chart of ['compute-vs-coordination', 'outcomes', 'latency', 'where-it-leaks', 'reliability-vs-steps', 'cost-vs-success', 'hardware-scaling'])
      for (const ext of ['vl.json', 'svg', 'png']) expect(existsSync(join(out, 'charts', `${chart}.${ext}`))).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    // What was simulated, in the scenario's own words (its description, its stages').
    expect(html).toContain('<p class="description">Six-agent underwriting pipeline whose retrieval→analysis hand-off passes empty results on.</p>');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| retrieval | cpu | Fetch the applicant\'s documents (embeddings + vector search). |');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org|vega\.github\.io)[^"' ]*\.(js|css)/);
  });

  it('re-renders saved results with --from; a results file from elsewhere is a clear error', async () => {
    const again = mkdtempSync(join(tmpdir(), 'coordgap-report-'));
    const r = await cli(['report', '--from', join(out, 'results.json'), '--png', '--out', again]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(again, 'report.md'), 'utf8')).toBe(readFileSync(join(out, 'report.md'), 'utf8'));
    expect(readFileSync(join(again, 'memo.html'), 'utf8')).toBe(readFileSync(join(out, 'memo.html'), 'utf8'));
    const bad = join(again, 'bad.json');
    writeFileSync(bad, JSON.stringify({ comparison: { baseline: {} } }));
    const e = await cli(['report', '--from', bad, '--out', again]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/bad\.json: .*(missing field|not a coordgap results file)/);
  });

  it('without --png no PNG is drawn, none is linked, and the output says how to get them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-report-'));
    const r = await cli(['report', '--from', join(out, 'results.json'), '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^charts: .*charts – Vega-Lite spec and SVG of each \(add --png for PNGs too\)$/m);
    const charts = readdirSync(join(dir, 'charts'));
    expect(charts.filter((f) => f.endsWith('.svg')).length).toBeGreaterThan(5);
    expect(charts.filter((f) => f.endsWith('.png'))).toEqual([]);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    const html = readFileSync(join(dir, 'index.html'), 'utf8').replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
    expect(md).not.toContain('.png');
    expect(html).not.toContain('.png');
    // Every chart the Markdown shows is an SVG that was written.
    const images = [...md.matchAll(/!\[[^\]]*\]\(charts\/([^)]+)\)/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(5);
    for (const i of images) expect(charts, i).toContain(i);
    // PNGs left by an earlier --png run into the same directory are named as not this run's.
    const stale = await cli(['report', '--from', join(out, 'results.json'), '--out', out]);
    expect(stale.code).toBe(0);
    expect(stale.stderr).toMatch(/^note: \d+ PNG\(s\) in .* are from an earlier run, not this one .*add --png to draw them again$/m);
  });

  it('a scenario without variants: the baseline alone – how requests end, latency, where it leaks, what to fix first; no empty compare section', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-report-'));
    const r = await cli(['report', SIX_STEP, '--requests', '3000', '--replications', '2', '--threads', '1', '--no-study', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Task success is \d+\.\d % \(\d+\.\d % to \d+\.\d %, 95 % interval\); the other requests ended failed \d+\.\d %; p95 latency of successful requests [\d,]+ ms\. The scenario has no variants: this report is the baseline alone\./m);
    // What to fix first needs no variants: the sensitivity ranking of the baseline's own stages and hand-offs.
    expect(r.stdout).toMatch(/^(Fix first|The largest what-if bound)/m);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    // The memo first: with no variants there is nothing to choose between, and it says what to add.
    expect(md.split('\n').slice(0, 3)).toEqual(['# Decision memo: six-step-97', '', expect.stringMatching(/^\*\*Nothing to choose between: the scenario has no variants\. Add /)]);
    expect(md).toContain('\n# six-step-97: where reliability leaks, and what to fix first\n');
    expect(md.match(/^## .+$/gm)).toEqual([
      '## The pipeline',
      '## How requests ended',
      '## Latency',
      '## Where it leaks',
      '## What to fix first',
      '## Reliability per dollar',
      '## What was simulated',
      '## Provenance',
    ]);
    expect(md).not.toMatch(/compute-vs-coordination|Every arm against the baseline/);
    expect(existsSync(join(dir, 'charts', 'compute-vs-coordination.vl.json'))).toBe(false);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<h1>six-step-97: where reliability leaks, and what to fix first</h1>');
  });

  it('never overwrites a file it did not write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-report-'));
    writeFileSync(join(dir, 'index.html'), '<p>my own page</p>');
    const r = await cli(['report', '--from', join(out, 'results.json'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('<p>my own page</p>');
  });
});
