/**
 * index.html: one self-contained page – vega, vega-lite and vega-embed inlined,
 * the chart specs as JSON in the page – that opens offline and makes no
 * network request: its Content-Security-Policy allows no fetch, image, font or
 * frame source, and no eval (vega-embed's `ast` mode interprets Vega
 * expressions instead of compiling them with `new Function`). Every piece of
 * user-supplied text is escaped; the specs reach the page as escaped JSON and
 * vega draws their text as SVG text, never as markup.
 */
import type { ReportInput } from './input.js';
import type { Section } from './sections.js';
import type { Table } from './tables.js';
import type { Bundle } from './bundles.js';
import type { ChartFiles } from './charts/chart.js';
import { escapeHtml as h, jsonForScript, scriptText } from './escape.js';
import { provenance } from './summary.js';
import { reportTitle, scenarioDescription } from './about.js';
import { pipelineHtml, type PipelineFigure } from './pipeline-figure.js';

/**
 * default-src 'none': no connections, images, fonts, frames or media from anywhere. Inline styles are vega-embed's and vega-tooltip's.
 * worker-src blob: the what-if section's simulator runs in a Web Worker made from its inlined bundle (what-if.ts); the worker inherits this policy, so no eval there either.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; worker-src blob:; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * The page's layout. Prose keeps a readable measure; tables and charts use
 * the width there is (up to 1400 px): every column of a table is visible
 * without scrolling on a 1400 px screen, cells wrap at spaces but a number
 * never leaves its unit. On a phone the page is never wider than the screen –
 * charts scale down (their finding is repeated as text under them while the
 * screen is narrower than the widest chart), a table
 * too wide for the screen scrolls inside its own box, and its caption stays
 * outside that box so it wraps instead of being cut off. Checked in chromium
 * at 390 and 1400 px (browser.test.ts).
 */
const STYLE = `
:root { color-scheme: light; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, sans-serif; color: #1a1a1a; background: #fff; }
main { max-width: 1400px; box-sizing: border-box; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 40px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; overflow-wrap: anywhere; }
p, .summary { max-width: 90ch; }
.provenance { color: #555; font-size: 13px; margin: 0 0 16px; overflow-wrap: anywhere; }
.description { margin: 0 0 16px; overflow-wrap: anywhere; }
.summary { background: #f3f8f6; border-left: 4px solid #009E73; padding: 12px 16px 12px 32px; margin: 0 0 16px; overflow-wrap: anywhere; }
.summary li { margin: 4px 0; }
.summary li.caveat { color: #8a4b00; font-weight: 600; }
figure { margin: 16px 0; }
figcaption { font-size: 13px; color: #444; margin-top: 4px; overflow-wrap: anywhere; }
figcaption .finding { display: block; color: #1a1a1a; }
.chart, .chart.vega-embed { display: block; max-width: 100%; min-height: 120px; }
.chart svg { display: block; max-width: 100%; height: auto; }
.pipeline-svg { max-width: 100%; overflow-x: auto; }
.pipeline-svg svg { display: block; max-width: 100%; height: auto; }
.table { margin: 16px 0 4px; }
.table .caption { font-weight: 600; font-size: 13px; margin: 0 0 4px; overflow-wrap: anywhere; }
.table .scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th { background: #f6f6f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { font-size: 13px; color: #555; }
.readings { max-width: 90ch; padding-left: 20px; overflow-wrap: anywhere; }
.readings li { margin: 4px 0; }
footer { margin-top: 48px; font-size: 12px; color: #666; overflow-wrap: anywhere; }
.memo { border: 1px solid #cfe3dc; border-left: 4px solid #009E73; background: #f7fbf9; padding: 10px 16px 4px; margin: 0 0 24px; overflow-wrap: anywhere; }
.memo h2 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: #555; margin: 0 0 4px; border: 0; padding: 0; }
.memo h3 { font-size: 14px; margin: 8px 0 2px; }
.memo .answer { font-size: 17px; font-weight: 600; margin: 0 0 6px; max-width: 110ch; }
.memo ul { font-size: 14px; margin: 2px 0 6px; padding-left: 20px; max-width: 130ch; }
.memo li { margin: 2px 0; }
.memo .note { max-width: 130ch; margin: 4px 0; }
.memo table { overflow-wrap: normal; }
@media (min-width: 960px) { figcaption .finding { display: none; } }
@media (max-width: 700px) { main { padding: 16px 12px 48px; } td.num, th.num { white-space: nowrap; } }
`;

/**
 * A number keeps its unit and "±" its number: no-break spaces there, so a cell wraps only between quantities.
 * A minus keeps its "$" too: browsers may break between U+2212 and "$" ("−" | "$22.60"), so a word joiner sits between them.
 */
function keepUnits(cell: string): string {
  return cell.replace(/(\d) (?=(?:%|pp|ms|s|×)(?![\p{L}\d]))/gu, '$1\u00a0').replace(/± /g, '±\u00a0').replace(/\u2212\$/g, '\u2212\u2060$');
}

/**
 * A table with its caption above a box that scrolls sideways only when the
 * screen is too narrow for the columns; the box is a focusable, labelled
 * region so a keyboard can scroll it (the caption names both).
 */
export function table(t: Table, id: string): string {
  const cls = (numeric?: boolean) => (numeric ? ' class="num"' : '');
  const head = t.columns.map((c) => `<th scope="col"${cls(c.numeric)}>${h(c.label)}</th>`).join('');
  const cell = (text: string, numeric?: boolean) => `<td${cls(numeric)}>${h(numeric ? keepUnits(text) : text)}</td>`;
  const body = t.rows.map((r) => `<tr>${r.map((text, i) => cell(text, t.columns[i]?.numeric)).join('')}</tr>`).join('\n');
  const note = t.note ? `\n<p class="note">${h(t.note)}</p>` : '';
  return (
    `<div class="table">\n<p class="caption" id="${id}">${h(t.caption)}</p>\n<div class="scroll" role="region" aria-labelledby="${id}" tabindex="0">\n` +
    `<table aria-labelledby="${id}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</div>${note}\n</div>`
  );
}

function section(s: Section, chartFiles: ChartFiles): string {
  const png = (name: string) => (chartFiles.png ? ` · <a href="charts/${h(name)}.png">PNG</a>` : '');
  const figures = s.charts.map(
    (c) =>
      `<figure id="figure-${h(c.name)}">\n<div class="chart" id="chart-${h(c.name)}" data-chart="${h(c.name)}" role="img" aria-label="${h(c.title)}"></div>\n` +
      `<figcaption><span class="finding">${h(c.title)}</span>Files: <a href="charts/${h(c.name)}.svg">SVG</a>${png(c.name)} · <a href="charts/${h(c.name)}.vl.json">Vega-Lite spec</a></figcaption>\n</figure>`,
  );
  const lines = s.lines && s.lines.length > 0 ? [`<ul class="readings">\n${s.lines.map((l) => `<li>${h(l)}</li>`).join('\n')}\n</ul>`] : [];
  const tables = s.tables.map((t, i) => table(t, `table-${h(s.id)}-${i + 1}`));
  return [`<section id="${h(s.id)}">`, `<h2>${h(s.heading)}</h2>`, ...figures, ...lines, ...tables, '</section>'].join('\n');
}

/**
 * Draws every chart with vega-embed (SVG renderer, tooltips, no action menu),
 * marks each container data-rendered="true" or "error", and exposes
 * `window.coordgapReady`, a promise that settles when all are done (for tests
 * and screenshots).
 */
const MAIN = `(function () {
  var specs = JSON.parse(document.getElementById('coordgap-specs').textContent);
  var options = { actions: false, renderer: 'svg', ast: true, tooltip: true };
  window.coordgapReady = Promise.all(Object.keys(specs).map(function (name) {
    var el = document.getElementById('chart-' + name);
    return vegaEmbed(el, specs[name], options).then(function () {
      el.setAttribute('data-rendered', 'true');
    }, function (error) {
      el.setAttribute('data-rendered', 'error');
      el.textContent = 'This chart could not be drawn (' + error.message + '); its SVG file is in charts/.';
      console.error(error);
    });
  }));
})();`;

/**
 * The opening of a self-contained page, up to </head>: its policy (no
 * network), no referrer, no favicon request, the report's style. index.html
 * and memo.html share it.
 */
export function pageHead(title: string, policy: string): string[] {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<link rel="icon" href="data:,">',
    `<title>${h(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
  ];
}

export function htmlReport(
  input: ReportInput,
  summary: readonly string[],
  sections: readonly Section[],
  bundles: readonly Bundle[],
  chartFiles: ChartFiles = { png: false },
  pipeline?: PipelineFigure,
  /** The "What if" section's HTML (what-if.ts whatIfSection), shown under the summary. */
  whatIf?: string,
  /** The decision memo's HTML (memo-render.ts memoHtml): the first thing on the page. */
  memo?: string,
): string {
  const b = input.comparison.baseline;
  const specs = Object.fromEntries(sections.flatMap((s) => s.charts.map((c) => [c.name, c.spec])));
  const libraries = bundles.map((x) => `${x.name} ${x.version}`).join(', ');
  const description = scenarioDescription(input);
  return [
    ...pageHead(`${b.scenario} · coordgap report`, CONTENT_SECURITY_POLICY),
    '<body>',
    '<main>',
    ...(memo !== undefined ? [memo] : []),
    '<header>',
    `<h1>${h(reportTitle(input))}</h1>`,
    `<p class="provenance">${h(provenance(input))}</p>`,
    ...(description !== undefined ? [`<p class="description">${h(description)}</p>`] : []),
    '</header>',
    `<ul class="summary">\n${summary.map((s) => `<li${/^(Warning|Note) – /.test(s) ? ' class="caveat"' : ''}>${h(s)}</li>`).join('\n')}\n</ul>`,
    '<noscript><p>The charts need JavaScript; their SVG files are in the charts/ folder next to this page.</p></noscript>',
    ...(whatIf !== undefined ? [whatIf] : []),
    // The pipeline picture is inline SVG: it needs no script.
    ...(pipeline ? [`<section id="pipeline">\n<h2>The pipeline</h2>\n${pipelineHtml(pipeline, chartFiles)}\n</section>`] : []),
    ...sections.map((s) => section(s, chartFiles)),
    `<footer>Written by coordgap ${h(b.meta.version)}. Charts drawn in the page by ${h(libraries)}, inlined: this file needs no network. Data: results.json, results.csv.</footer>`,
    '</main>',
    `<script type="application/json" id="coordgap-specs">${jsonForScript(specs)}</script>`,
    ...bundles.map((x) => `<script>/* ${x.name} ${x.version} (${x.file}) */\n${scriptText(x.code)}\n</script>`),
    `<script>\n${MAIN}\n</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
