/**
 * The "Parameter uncertainty" section and chart: present with an uncertainty
 * result (fixtures/fintech-uncertainty.json, real `compare --uncertainty 5`
 * output), absent without; the readings' words on hand-made readings.
 */
import { describe, expect, it } from 'vitest';
import { reportInput } from '../experiments/report-input.js';
import { buildReport } from './index.js';
import { reportCharts } from './charts/index.js';
import { sections } from './sections.js';
import { renderSvg } from './render.js';
import { fintechComparison, fintechUncertainty } from './fixtures/load.js';
import { readingWords } from './uncertainty.js';
import { deltaDollars } from './format.js';

const withUncertainty = () => reportInput({ comparison: fintechComparison(), uncertainty: fintechUncertainty() });

describe('the parameter uncertainty section', () => {
  it('follows the comparison: the chart, one reading per variant, the table of every variant × metric', () => {
    const input = withUncertainty();
    const layout = sections(input, reportCharts(input));
    const ids = layout.map((x) => x.id);
    expect(ids.indexOf('parameter-uncertainty')).toBe(ids.indexOf('compute-vs-coordination') + 1);
    const s = layout.find((x) => x.id === 'parameter-uncertainty')!;
    expect(s.heading).toBe('Parameter uncertainty');
    expect(s.charts.map((c) => c.name)).toEqual(['uncertainty-intervals']);
    expect(s.lines).toHaveLength(3);
    expect(s.lines![0]).toMatch(/^recovery-layer, Δ task success: total interval [\d.]+× as wide as simulation noise: parameters dominate \(\d+ % of the variance\) – more traces \(more observed errors\) would narrow it, more simulation would not/);
    // A faster GPU changes no fault rate: its Δ task success is exactly 0 in every draw (common random numbers).
    expect(s.lines![1]).toBe('gpu-240-to-180ms, Δ task success: every draw gave the same difference: neither more traces nor more simulation would change it');
    const t = s.tables[0];
    expect(t.columns.map((c) => c.label)).toEqual(['variant', 'metric', 'point', 'simulation 95 % CI', 'total 95 % CI', 'P(better)', 'from parameters']);
    expect(t.rows).toHaveLength(3 * 5);
    expect(t.rows[0].slice(0, 4)).toEqual(['recovery-layer', 'Δ task success', '+31.8 pp', '[+30.8 pp, +32.8 pp]']);
  });

  it('is in report.md and index.html, with its chart files; results.json and .csv carry the draws', async () => {
    const { files, summary } = await buildReport(withUncertainty());
    const md = files['report.md'] as string;
    expect(md).toContain('\n## Parameter uncertainty\n');
    expect(md).toContain('![Δ task success: recovery-layer: parameters dominate: more traces would narrow it; gpu-240-to-180ms and bigger-cpu-box: the same in every draw](charts/uncertainty-intervals.svg)');
    expect(md).toMatch(/\n- recovery-layer, Δ task success: total interval /);
    expect(md).toContain('| recovery-layer | Δ task success | +31.8 pp | \\[+30.8 pp, +32.8 pp\\] |');
    const html = files['index.html'] as string;
    expect(html).toContain('<section id="parameter-uncertainty">\n<h2>Parameter uncertainty</h2>');
    expect(html).toContain('data-chart="uncertainty-intervals"');
    expect(html).toMatch(/<ul class="readings">\n<li>recovery-layer, Δ task success: total interval /);
    for (const ext of ['vl.json', 'svg']) expect(files[`charts/uncertainty-intervals.${ext}`]).toBeDefined();
    expect(JSON.parse(files['results.json'] as string).uncertainty.draws).toBe(5);
    const csv = (files['results.csv'] as string).split('\r\n');
    expect(csv.filter((l) => l.startsWith('uncertainty,'))).toHaveLength(15);
    expect(summary).toMatch(/^With parameter uncertainty \(5 draws of stages\.analysis\.handoff\.contextLoss, stages\.bureau\.faults\.error\), recovery-layer's Δ task success lies in \[.+\] \(95 %\) against \[\+30\.8 pp, \+32\.8 pp\] from simulation noise alone, better than the baseline in 100 % of them; total interval/m);
  });

  it('is absent without an uncertainty result: no section, no chart, no sentence', async () => {
    const input = reportInput({ comparison: fintechComparison() });
    expect(input.figures.uncertainty).toBeUndefined();
    expect(reportCharts(input).map((c) => c.name)).not.toContain('uncertainty-intervals');
    const { files, summary } = await buildReport(input);
    expect(files['report.md']).not.toContain('Parameter uncertainty');
    expect(files['index.html']).not.toContain('parameter-uncertainty');
    expect(files['charts/uncertainty-intervals.svg']).toBeUndefined();
    expect(summary).not.toContain('parameter uncertainty');
  });

  it('the chart: its spec matches the snapshot and renders without a warning, the same bytes every time', async () => {
    const chart = reportCharts(withUncertainty()).find((c) => c.name === 'uncertainty-intervals')!;
    await expect(`${JSON.stringify(chart.spec, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/charts/uncertainty-intervals.vl.json');
    const first = await renderSvg(chart.spec);
    expect(first.warnings).toEqual([]);
    expect((await renderSvg(chart.spec)).svg).toBe(first.svg);
    await expect(first.svg).toMatchFileSnapshot('__snapshots__/charts/uncertainty-intervals.svg');
  });

  it('the chart with one variant names it, its Δ and the width ratio', () => {
    const u = fintechUncertainty();
    const c = fintechComparison();
    const input = reportInput({ comparison: { ...c, variants: [c.variants[0]] }, uncertainty: { ...u, variants: [u.variants[0]] } });
    expect(reportCharts(input).find((x) => x.name === 'uncertainty-intervals')!.title).toMatch(
      /^recovery-layer: Δ task success \+31\.8 pp, total interval [\d.]+× as wide as simulation noise – parameters dominate: more traces would narrow it$/,
    );
  });
});

describe('readingWords', () => {
  const base = { widthRatio: 20, maxNarrowingByTraces: 0, maxNarrowingBySimulation: 0 };
  it('says which dominates and what would narrow it, with the most the other remedy could do', () => {
    expect(readingWords({ ...base, dominant: 'parameters', parameterShare: 0.99, maxNarrowingBySimulation: 1 - Math.sqrt(0.99), maxNarrowingByTraces: 0.9 })).toBe(
      'total interval 20× as wide as simulation noise: parameters dominate (99 % of the variance) – more traces (more observed errors) would narrow it, more simulation would not (at most 1 % narrower)',
    );
    expect(readingWords({ ...base, widthRatio: 1.04, dominant: 'simulation', parameterShare: 0.1, maxNarrowingByTraces: 1 - Math.sqrt(0.9), maxNarrowingBySimulation: 0.68 })).toBe(
      'total interval 1.0× as wide as simulation noise: simulation noise dominates (parameters: 10 % of the variance) – more requests or replications would narrow it, more traces would not (at most 5 % narrower)',
    );
    expect(readingWords({ ...base, widthRatio: NaN, dominant: 'both', parameterShare: 0.5, maxNarrowingByTraces: 1 - Math.SQRT1_2, maxNarrowingBySimulation: 1 - Math.SQRT1_2 })).toBe(
      'parameters (50 % of the variance) and simulation noise both matter – more traces could narrow it by up to 29 %, more simulation by up to 29 %',
    );
    expect(readingWords({ ...base, dominant: 'parameters', parameterShare: 1, maxNarrowingBySimulation: 0, maxNarrowingByTraces: 1 })).toMatch(/more simulation would not \(under 1 % narrower\)$/);
    expect(readingWords({ dominant: null, reason: 'no-simulation-interval', widthRatio: NaN })).toBe('no reading: the draws carry no simulation interval (run at least 2 replications)');
  });
});

describe('deltaDollars (the terminal and the report share it)', () => {
  it('to the cent from $1, 3 significant digits below, never an exponent', () => {
    expect([deltaDollars(-55.934), deltaDollars(0.012934), deltaDollars(-3.24e-7), deltaDollars(0), deltaDollars(1234.5), deltaDollars(NaN)]).toEqual([
      '−$55.93', '+$0.0129', '−$0.000000324', '+$0', '+$1,234.50', 'n/a',
    ]);
  });
});
