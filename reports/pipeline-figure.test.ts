/**
 * The pipeline picture in a report: charts/pipeline.svg beside the charts
 * (and .png only with --png), shown under the summary – an image in
 * report.md, inline SVG in index.html – with the report's "fix first"
 * marked; results without a topology say plainly that there is no picture.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildReport, type ReportFiles } from './index.js';
import { fullInput } from './fixtures/load.js';
import { NO_PIPELINE } from './pipeline-figure.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { pathTopology, type PathTopology } from '../sim/path/index.js';

/** The fixtures are fintech-underwriting's results; this is its path. */
async function fintechTopology(): Promise<PathTopology> {
  const loaded = await loadScenarioFile(join(import.meta.dirname, '..', 'scenarios', 'fintech-underwriting.yaml'), process.cwd());
  return pathTopology(loaded.model);
}

describe('the pipeline picture in a report', () => {
  let topology: PathTopology;
  let report: ReportFiles;
  beforeAll(async () => {
    topology = await fintechTopology();
    report = await buildReport({ ...fullInput(), topology });
  });

  it('writes charts/pipeline.svg, no PNG without --png', () => {
    const svg = report.files['charts/pipeline.svg'] as string;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('of failures start');
    expect(report.files['charts/pipeline.png']).toBeUndefined();
  });

  it('report.md shows it under the summary, before the first chart', () => {
    const md = report.files['report.md'] as string;
    const at = md.indexOf('## The pipeline');
    expect(at).toBeGreaterThan(md.indexOf('The interactive version of this report'));
    expect(at).toBeLessThan(md.indexOf('(charts/compute-vs-coordination.svg)'));
    expect(md).toMatch(/!\[.* is where \d+ % of failures start\]\(charts\/pipeline\.svg\)/);
  });

  it('index.html holds it inline (the page loads nothing) and links the SVG file', () => {
    const html = report.files['index.html'] as string;
    const section = html.slice(html.indexOf('<section id="pipeline">'), html.indexOf('</section>', html.indexOf('<section id="pipeline">')));
    expect(section).toContain('<h2>The pipeline</h2>');
    // The file's SVG, shown no narrower than 720 px (narrower screens scroll it in its box).
    const svg = (report.files['charts/pipeline.svg'] as string).trimEnd();
    expect(section).toContain(`<svg style="min-width: 720px" ${svg.slice('<svg '.length)}`);
    expect(section).toContain('<div class="pipeline-svg" role="region" tabindex="0" aria-label="');
    expect(section).toContain('<a href="charts/pipeline.svg">SVG</a>');
    expect(section).not.toContain('pipeline.png');
    expect(html.indexOf('<section id="pipeline">')).toBeLessThan(html.indexOf('<section id="compute-vs-coordination">'));
  });

  it("marks the summary's fix first: the top option's stage is outlined and named", () => {
    const svg = report.files['charts/pipeline.svg'] as string;
    // The fixture ranks 'recovery-layer: bureau retry' first, a patch of stages.bureau.retry.
    expect(fullInput().sensitivity!.options[0].name).toBe('recovery-layer: bureau retry');
    expect(svg).toContain('Recommended fix: recovery-layer: bureau retry.');
    expect(svg).toMatch(/data-id="bureau" data-kind="stage"><title>[^<]*recommended fix<\/title>/);
    expect(svg.match(/recommended fix<\/title>/g)).toHaveLength(1);
  });

  it('with --png: charts/pipeline.png, and report.md shows it', async () => {
    const withPng = await buildReport({ ...fullInput(), topology }, { png: true });
    const png = withPng.files['charts/pipeline.png'] as Buffer;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(withPng.files['report.md']).toMatch(/\]\(charts\/pipeline\.png\)/);
    expect(withPng.files['index.html']).toContain('<a href="charts/pipeline.png">PNG</a>');
  });

  it('results without a topology: no picture file, and both pages say why', async () => {
    const old = await buildReport(fullInput());
    expect(Object.keys(old.files).filter((f) => f.includes('pipeline'))).toEqual([]);
    expect(old.files['report.md']).toContain('No pipeline picture');
    expect(old.files['index.html']).toContain(NO_PIPELINE.replace(/'/g, '&#39;'));
  });
});
