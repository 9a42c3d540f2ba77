/**
 * report.md: the summary, every table, and each chart as an image (GitHub and
 * GitLab render Markdown images, SVG included, but not Vega-Lite): its PNG when
 * the report has PNGs, else its SVG. Readable as plain text too.
 */
import type { ReportInput } from './input.js';
import type { Section } from './sections.js';
import type { Table } from './tables.js';
import type { ChartFiles } from './charts/chart.js';
import { escapeMarkdown as md } from './escape.js';
import { provenance } from './summary.js';
import { reportTitle, scenarioDescription } from './about.js';
import { pipelineMarkdown, type PipelineFigure } from './pipeline-figure.js';

export function table(t: Table): string {
  const row = (cells: readonly string[]) => `| ${cells.map((c) => md(c)).join(' | ')} |`;
  const lines = [`**${md(t.caption)}**`, '', row(t.columns.map((c) => c.label)), `|${t.columns.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`, ...t.rows.map(row)];
  if (t.note) lines.push('', md(t.note));
  return lines.join('\n');
}

/** @param pipeline the pipeline picture (pipeline-figure.ts), shown under the summary; none in reports built without it. */
export function markdownReport(
  input: ReportInput,
  summary: readonly string[],
  sections: readonly Section[],
  chartFiles: ChartFiles = { png: false },
  pipeline?: PipelineFigure,
  /** The decision memo (memo-render.ts memoMarkdown): the first thing in the file. */
  memo?: string,
): string {
  const description = scenarioDescription(input);
  const out: string[] = [
    ...(memo !== undefined ? [memo, ''] : []),
    `# ${md(reportTitle(input))}`,
    '',
    md(provenance(input)),
    '',
    ...(description !== undefined ? [md(description), ''] : []),
    ...summary.map((s) => (/^(Warning|Note) – /.test(s) ? `- **${md(s)}**` : `- ${md(s)}`)),
    '',
    `The interactive version of this report is index.html (open it in a browser; it works offline). Charts: charts/NAME.svg${chartFiles.png ? ', .png' : ''} and the Vega-Lite spec .vl.json; data: results.json and results.csv.`,
  ];
  if (pipeline) out.push('', '## The pipeline', '', ...pipelineMarkdown(pipeline, chartFiles));
  // The image is the PNG when there is one (drawn with a real font), else the SVG; the caption links the other files.
  const image = chartFiles.png ? 'png' : 'svg';
  const links = (name: string) => [...(chartFiles.png ? [`[SVG](charts/${name}.svg)`] : []), `[Vega-Lite spec](charts/${name}.vl.json)`].join(', ');
  for (const s of sections) {
    out.push('', `## ${md(s.heading)}`);
    for (const c of s.charts) out.push('', `![${md(c.title)}](charts/${c.name}.${image})`, '', `*${md(c.title)}* (${links(c.name)})`);
    if (s.lines && s.lines.length > 0) out.push('', ...s.lines.map((l) => `- ${md(l)}`));
    for (const t of s.tables) out.push('', table(t));
  }
  return `${out.join('\n')}\n`;
}
