/**
 * The report: from a comparison (and optionally a sensitivity ranking, the
 * reliability-vs-steps study and one or two hardware profiles) to every file
 * of a report directory, in memory. The caller writes them; nothing here
 * touches the disk except to read the browser bundles of vega from
 * node_modules.
 */
import type { ReportInput, ReportResults } from './input.js';
import { reportCharts } from './charts/index.js';
import type { Chart, ChartFiles } from './charts/chart.js';
import { rasterizeAsync, renderSvg } from './render.js';
import { sections } from './sections.js';
import { provenance, summarySentences } from './summary.js';
import { markdownReport } from './markdown.js';
import { htmlReport } from './html.js';
import { browserBundles } from './bundles.js';
import { reportCsv } from './report-csv.js';
import { pipelineFigure, PIPELINE_NAME } from './pipeline-figure.js';
import { whatIfSection, type WhatIfPage } from './what-if.js';
import { whatIfWorkerCode } from './what-if-bundle.js';
import { memo } from './memo.js';
import { memoHtml, memoMarkdown, memoMarkdownFile, memoPage } from './memo-render.js';

export type { ReportFigures, ReportInput, ReportResults, ScenarioAbout } from './input.js';
export type { Chart } from './charts/index.js';
export type { WhatIfPage } from './what-if.js';
export type { ChartFiles } from './charts/chart.js';

export interface ReportFiles {
  /**
   * Relative path → contents (a Buffer for PNGs): report.md, index.html,
   * memo.md, memo.html, results.json, results.csv, and charts/NAME.vl.json,
   * .svg (and .png when asked for) per chart.
   */
  files: Record<string, string | Buffer>;
  /** The plain-language summary, one sentence per line, for the terminal. */
  summary: string;
  htmlPath: 'index.html';
}

/** The results alone, as given: the figures are derived from them again on reading back. */
function resultsOf(input: ReportInput): ReportResults {
  const { figures, ...results } = input;
  void figures;
  return results;
}

/** results.json and results.csv of a report: what `report --from` reads back, written before anything is rendered. */
export function resultFiles(input: ReportInput): Record<string, string> {
  return { 'results.json': `${JSON.stringify(resultsOf(input), null, 2)}\n`, 'results.csv': reportCsv(input) };
}

/** A chart's spec as charts/NAME.vl.json holds it. */
const specFile = (chart: Chart): string => `${JSON.stringify(chart.spec, null, 2)}\n`;

/** SVGs drawn ahead of buildReport, by their chart's spec as specFile writes it. */
export type DrawnCharts = ReadonlyMap<string, string>;

/**
 * Draws the SVG of every chart `input` has data for, ahead of buildReport:
 * `report` draws the comparison's charts while the sensitivity ranking and the
 * study run on the workers (this thread is idle then) instead of after them.
 * buildReport takes a drawing only for a chart whose spec is the same, byte for
 * byte, as the SVG depends on the spec alone (renderSvg); others it draws.
 */
export async function drawCharts(input: ReportInput): Promise<DrawnCharts> {
  const drawn = new Map<string, string>();
  for (const chart of reportCharts(input)) {
    // A turn of the event loop between charts: drawn while workers simulate, a chart (~50 ms) must not keep
    // the main thread from handing a worker that finished its next task (vega's promises alone never yield to I/O).
    await new Promise<void>((resolve) => setImmediate(resolve));
    drawn.set(specFile(chart), (await renderSvg(chart.spec)).svg);
  }
  return drawn;
}

export interface BuildOptions extends ChartFiles {
  /** Charts drawn ahead (drawCharts); one that failed there is drawn again here, where its error is reported. */
  drawn?: Promise<DrawnCharts>;
  /** The scenario and controls of the HTML page's "What if" section (what-if.ts); without it the page has none (report --from). */
  whatIf?: WhatIfPage;
}

/**
 * Builds every file of a report. Same input, same bytes (PNGs aside, whose
 * text depends on the fonts installed).
 * @param options `png: true` rasterises every chart to PNG too (report.md then shows the PNGs); by default none is drawn.
 * @throws Error when a chart does not compile (a bug, not bad input: the input is typed).
 */
export async function buildReport(input: ReportInput, options: BuildOptions = { png: false }): Promise<ReportFiles> {
  const chartFiles: ChartFiles = { png: options.png };
  const drawn: DrawnCharts = (await options.drawn?.catch(() => undefined)) ?? new Map();
  const charts = reportCharts(input);
  const files: Record<string, string | Buffer> = {};
  const rendered = [];
  for (const chart of charts) {
    const spec = specFile(chart);
    const early = drawn.get(spec);
    const { svg } = early !== undefined ? { svg: early } : await renderSvg(chart.spec).catch((error: unknown) => {
      throw new Error(`chart ${chart.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    // Rasterised off this thread while the next charts and the pages are made (render.ts rasterizeAsync).
    const png = chartFiles.png ? rasterizeAsync(svg) : null;
    png?.catch(() => {}); // awaited below; a failure then is this function's
    rendered.push({ chart, spec, svg, png });
  }
  // The pipeline picture (pipeline-figure.ts): charts/pipeline.svg, shown under the summary.
  const pipeline = await pipelineFigure(input);
  const pipelinePng = pipeline.svg !== null && chartFiles.png ? rasterizeAsync(pipeline.svg) : null;
  pipelinePng?.catch(() => {}); // awaited below
  const summary = summarySentences(input);
  const layout = sections(input, charts);
  // The decision memo opens both pages and is a file of its own too (memo.md, memo.html).
  const decision = memo(input);
  files['report.md'] = markdownReport(input, summary, layout, chartFiles, pipeline, memoMarkdown(decision));
  const whatIf = options.whatIf !== undefined ? whatIfSection(input, options.whatIf, whatIfWorkerCode()) : undefined;
  files['index.html'] = htmlReport(input, summary, layout, browserBundles(), chartFiles, pipeline, whatIf, memoHtml(decision));
  files['memo.md'] = memoMarkdownFile(decision, provenance(input));
  files['memo.html'] = memoPage(decision, provenance(input));
  if (pipeline.svg !== null) files[`charts/${PIPELINE_NAME}.svg`] = pipeline.svg;
  Object.assign(files, resultFiles(input));
  for (const { chart, spec, svg, png } of rendered) {
    files[`charts/${chart.name}.vl.json`] = spec;
    files[`charts/${chart.name}.svg`] = svg;
    if (png) files[`charts/${chart.name}.png`] = await png.catch((error: unknown) => {
      throw new Error(`chart ${chart.name}: PNG: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
  }
  if (pipelinePng) files[`charts/${PIPELINE_NAME}.png`] = await pipelinePng;
  return { files, summary: `${summary.join('\n')}\n`, htmlPath: 'index.html' };
}
