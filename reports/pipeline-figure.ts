/**
 * The pipeline picture in a report (issue 14, "the pipeline drawn"): the
 * scenario's graph with where its failed requests first went wrong, drawn
 * from the topology results.json carries (reports/graph/from-results.ts) and
 * shown under the summary – an image in report.md, inline SVG in the
 * self-contained page – and written as charts/pipeline.svg (and .png with
 * --png) beside the charts. Results without a topology (a bare `compare
 * --json`, written before it was kept) get a sentence saying why there is
 * no picture, not a silent gap.
 */
import type { ReportInput } from './input.js';
import type { ChartFiles } from './charts/chart.js';
import { pipelineDrawing, recommendedFix } from './graph/from-results.js';
import { drawPipelineSvg } from './graph/index.js';
import { escapeHtml as h, escapeMarkdown as md } from './escape.js';

/** File stem under charts/. */
export const PIPELINE_NAME = 'pipeline';

export interface PipelineFigure {
  /** The finding the picture's title states; alt text and caption. */
  title: string;
  /** The standalone SVG; null when the results carry no topology to draw. */
  svg: string | null;
}

/** What the report says where the picture would be when the results carry no topology. */
export const NO_PIPELINE =
  "No pipeline picture: these results do not hold the scenario's graph (results.json written by `coordgap report` holds it; a bare `compare --json` does not). Run `coordgap report SCENARIO` or `coordgap draw SCENARIO` to draw it.";

/** The picture of the baseline's first faults on the scenario's path, with the report's "fix first" marked. */
export async function pipelineFigure(input: ReportInput): Promise<PipelineFigure> {
  if (input.topology === undefined) return { title: NO_PIPELINE, svg: null };
  const recommended = recommendedFix(input.sensitivity, input.topology);
  const drawing = pipelineDrawing(input.topology, input.comparison.baseline, {
    ...(recommended ? { recommended } : {}),
    ...(input.scenarioFile ? { scenarioFile: input.scenarioFile } : {}),
  });
  return { title: drawing.title, svg: await drawPipelineSvg(drawing) };
}

/** report.md's lines for the picture: the image (PNG when the report has PNGs) and its caption. */
export function pipelineMarkdown(figure: PipelineFigure, chartFiles: ChartFiles): string[] {
  if (figure.svg === null) return [`*${md(figure.title)}*`];
  const image = chartFiles.png ? 'png' : 'svg';
  const other = chartFiles.png ? ` ([SVG](charts/${PIPELINE_NAME}.svg))` : '';
  return [`![${md(figure.title)}](charts/${PIPELINE_NAME}.${image})`, '', `*The pipeline: ${md(figure.title)}*${other}`];
}

/**
 * Narrowest the picture is shown, px: a wide pipeline scaled to a phone's
 * width would have unreadable text, so below this it scrolls sideways in its
 * own box instead (as a wide table does).
 */
const MIN_SHOWN_WIDTH_PX = 720;

/** index.html's figure: the SVG inline (the page loads nothing), scaled to the page down to MIN_SHOWN_WIDTH_PX, the files linked. */
export function pipelineHtml(figure: PipelineFigure, chartFiles: ChartFiles): string {
  if (figure.svg === null) return `<p class="note" id="figure-${PIPELINE_NAME}">${h(figure.title)}</p>`;
  const png = chartFiles.png ? ` · <a href="charts/${PIPELINE_NAME}.png">PNG</a>` : '';
  const widthPx = Number(/^<svg[^>]* width="(\d+)"/.exec(figure.svg)?.[1] ?? MIN_SHOWN_WIDTH_PX);
  // The SVG is this program's (reports/graph/svg.ts escapes every text); its markup is valid inline.
  const svg = figure.svg.trimEnd().replace(/^<svg /, `<svg style="min-width: ${Math.min(widthPx, MIN_SHOWN_WIDTH_PX)}px" `);
  return (
    `<figure id="figure-${PIPELINE_NAME}" class="pipeline">\n<div class="pipeline-svg" role="region" tabindex="0" aria-label="${h(figure.title)}">\n${svg}\n</div>\n` +
    `<figcaption>The pipeline: each node and hand-off shaded by its share of failed requests' first faults. Files: <a href="charts/${PIPELINE_NAME}.svg">SVG</a>${png}</figcaption>\n</figure>`
  );
}
