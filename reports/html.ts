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
import { escapeHtml as h, jsonForScript, scriptText } from './escape.js';
import { provenance } from './summary.js';
import { scenarioDescription } from './about.js';

/** default-src 'none': no connections, images, fonts, frames or media from anywhere. Inline styles are vega-embed's and vega-tooltip's. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, sans-serif; color: #1a1a1a; background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 40px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.provenance { color: #555; font-size: 13px; margin: 0 0 16px; overflow-wrap: anywhere; }
.description { margin: 0 0 16px; max-width: 72ch; }
.summary { background: #f3f8f6; border-left: 4px solid #009E73; padding: 12px 16px 12px 32px; margin: 0 0 16px; }
.summary li { margin: 4px 0; }
.summary li.caveat { color: #8a4b00; font-weight: 600; }
figure { margin: 16px 0; }
figcaption { font-size: 13px; color: #444; margin-top: 4px; }
.chart { overflow-x: auto; min-height: 120px; }
table { border-collapse: collapse; font-size: 13px; margin: 12px 0 4px; display: block; overflow-x: auto; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; white-space: nowrap; }
th { background: #f6f6f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { font-size: 13px; color: #555; }
footer { margin-top: 48px; font-size: 12px; color: #666; }
`;

function table(t: Table): string {
  const cls = (numeric?: boolean) => (numeric ? ' class="num"' : '');
  const head = t.columns.map((c) => `<th scope="col"${cls(c.numeric)}>${h(c.label)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((cell, i) => `<td${cls(t.columns[i]?.numeric)}>${h(cell)}</td>`).join('')}</tr>`).join('\n');
  const note = t.note ? `\n<p class="note">${h(t.note)}</p>` : '';
  return `<table>\n<caption>${h(t.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${note}`;
}

function section(s: Section): string {
  const figures = s.charts.map(
    (c) =>
      `<figure id="figure-${h(c.name)}">\n<div class="chart" id="chart-${h(c.name)}" data-chart="${h(c.name)}" role="img" aria-label="${h(c.title)}"></div>\n` +
      `<figcaption>Files: <a href="charts/${h(c.name)}.svg">SVG</a> · <a href="charts/${h(c.name)}.png">PNG</a> · <a href="charts/${h(c.name)}.vl.json">Vega-Lite spec</a></figcaption>\n</figure>`,
  );
  return [`<section id="${h(s.id)}">`, `<h2>${h(s.heading)}</h2>`, ...figures, ...s.tables.map(table), '</section>'].join('\n');
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
      el.textContent = 'This chart could not be drawn (' + error.message + '); the SVG and PNG files are in charts/.';
      console.error(error);
    });
  }));
})();`;

export function htmlReport(input: ReportInput, summary: readonly string[], sections: readonly Section[], bundles: readonly Bundle[]): string {
  const b = input.comparison.baseline;
  const specs = Object.fromEntries(sections.flatMap((s) => s.charts.map((c) => [c.name, c.spec])));
  const libraries = bundles.map((x) => `${x.name} ${x.version}`).join(', ');
  const description = scenarioDescription(input);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<link rel="icon" href="data:,">',
    `<title>${h(b.scenario)} · coordgap report</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${h(b.scenario)}: compute speedups vs coordination fixes</h1>`,
    `<p class="provenance">${h(provenance(input))}</p>`,
    ...(description !== undefined ? [`<p class="description">${h(description)}</p>`] : []),
    '</header>',
    `<ul class="summary">\n${summary.map((s) => `<li${/^(Warning|Note) – /.test(s) ? ' class="caveat"' : ''}>${h(s)}</li>`).join('\n')}\n</ul>`,
    '<noscript><p>The charts need JavaScript; their SVG and PNG files are in the charts/ folder next to this page.</p></noscript>',
    ...sections.map(section),
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
