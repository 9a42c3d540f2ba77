/**
 * Charts drawn ahead of the report (drawCharts, while the later steps of
 * `report` simulate) must leave every file as drawing them at the end does.
 */
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { buildReport, drawCharts } from './index.js';
import { renderSvg } from './render.js';
import { reportCharts } from './charts/index.js';
import { fullInput, fintechComparison, measuredProfile, syntheticProfile } from './fixtures/load.js';
import { reportInput } from '../experiments/report-input.js';

describe('charts drawn ahead', () => {
  it('the comparison and profiles alone draw charts that the full report takes, and the files are the same', async () => {
    const a = measuredProfile();
    const early = reportInput({ comparison: fintechComparison(), profiles: [a, syntheticProfile(a)], scenarioFile: 'scenarios/fintech-underwriting.yaml' });
    const drawn = await drawCharts(early);
    const full = fullInput();
    const names = reportCharts(full).map((c) => c.name);
    // The comparison's and the hardware charts are drawn ahead; the study's and the ranking's need their steps.
    const taken = reportCharts(full).filter((c) => drawn.has(`${JSON.stringify(c.spec, null, 2)}\n`)).map((c) => c.name);
    expect(taken).toEqual(names.filter((n) => n !== 'reliability-vs-steps' && n !== 'what-to-fix-first'));
    const ahead = await buildReport(full, { png: false, drawn: Promise.resolve(drawn) });
    const atEnd = await buildReport(full);
    expect(Object.keys(ahead.files).sort()).toEqual(Object.keys(atEnd.files).sort());
    for (const [path, contents] of Object.entries(atEnd.files)) expect(ahead.files[path], path).toBe(contents);
  });

  it('a drawing is taken only for the same spec; drawings that failed are drawn again', async () => {
    const full = fullInput();
    const [first] = reportCharts(full);
    const marked = new Map([[`${JSON.stringify(first.spec, null, 2)}\n`, '<svg>drawn ahead</svg>'], ['{"other": 1}\n', '<svg>not this</svg>']]);
    const withMark = await buildReport(full, { png: false, drawn: Promise.resolve(marked) });
    expect(withMark.files[`charts/${first.name}.svg`]).toBe('<svg>drawn ahead</svg>');
    expect(Object.values(withMark.files)).not.toContain('<svg>not this</svg>');
    const failed = await buildReport(full, { png: false, drawn: Promise.reject(new Error('vega failed')) });
    expect(failed.files[`charts/${first.name}.svg`]).toMatch(/^<svg /);
  });

  it('renders started together give the bytes of renders one after another (vega numbers clip ids process-wide)', async () => {
    const clipped = (n: number): TopLevelSpec => ({
      data: { values: [{ x: n, y: 1 }, { x: 2, y: 3 }] },
      mark: { type: 'bar', clip: true },
      encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] } }, y: { field: 'y', type: 'quantitative' } },
    });
    const alone = [(await renderSvg(clipped(1))).svg, (await renderSvg(clipped(2))).svg];
    expect(alone[0]).toContain('clip');
    const together = await Promise.all([renderSvg(clipped(1)), renderSvg(clipped(2))]);
    expect(together.map((r) => r.svg)).toEqual(alone);
  });
});
