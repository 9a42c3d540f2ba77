/**
 * The HTML report's "What if" section: controls for the parameters that
 * matter in this scenario, and its headline figures recomputed in the page
 * when one moves – by the simulator itself, bundled for the browser and
 * inlined (what-if-bundle.ts), in a Web Worker (what-if-script.ts). The
 * figures are those of `coordgap run FILE --seed S --requests N --set …`
 * with the same overrides, and the page prints that command line.
 *
 * One piece of HTML – style, markup, data and scripts – that html.ts puts
 * under the summary. The style is scoped to #what-if and follows html.ts's
 * layout rules: nothing wider than a 390 px screen (controls and figures
 * fall into one column, the command line wraps).
 */
import type { ReportInput } from './input.js';
import { escapeHtml as h, jsonForScript, scriptText } from './escape.js';
import { int } from './format.js';
import { WHAT_IF_SCRIPT } from './what-if-script.js';
import { CONFIG, OUTCOME_COLORS, OUTCOME_LABELS, OUTCOME_ORDER, SCHEMA } from './theme.js';

/** One control (experiments/what-if/controls.ts makes them): a `--set` path, its value in the scenario and its slider's range. */
export interface WhatIfControl {
  path: string;
  group: string;
  label: string;
  unit: string;
  value: number;
  min: number;
  max: number;
  step: number;
}

/** What the section needs (experiments/what-if/page-input.ts whatIfPageInput). */
export interface WhatIfPage {
  /** Handed to the worker as it is (experiments/what-if/protocol.ts WhatIfScenario). */
  scenario: { file: string; data: unknown; hardware?: unknown; traceTimestampsMs?: number[]; version: string };
  /** The report's own --set arguments, repeated in the page's command line. */
  reportSets: string[];
  seed: number | string;
  /** Sample sizes offered; the first runs when the page opens. */
  requestChoices: number[];
  controls: WhatIfControl[];
}

const STYLE = `
#what-if .wi-intro { max-width: 90ch; }
#what-if .wi-layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
#what-if .wi-figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 210px), 1fr)); gap: 8px; align-content: start; }
#what-if .wi-figure { background: #f5f8fb; border-left: 4px solid #0072B2; padding: 6px 10px; overflow-wrap: anywhere; }
#what-if .wi-figure .wi-name { display: block; font-size: 13px; color: #444; }
#what-if .wi-figure .wi-value { display: block; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
#what-if .wi-figure[data-figure="latencyMs"] .wi-value { font-size: 17px; }
#what-if .wi-figure .wi-note, #what-if .wi-figure .wi-delta { display: block; font-size: 12px; color: #555; }
#what-if .wi-figure .wi-delta { color: #1a1a1a; }
#what-if[data-state="running"] .wi-figure { opacity: 0.55; }
#what-if .wi-status { font-size: 13px; color: #555; margin: 4px 0; overflow-wrap: anywhere; }
#what-if .wi-error { border-left: 4px solid #D55E00; background: #fdf3ec; padding: 6px 10px; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
#what-if .wi-groups { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 250px), 1fr)); gap: 8px; }
#what-if fieldset { min-width: 0; margin: 0; padding: 4px 10px 8px; border: 1px solid #ddd; border-radius: 4px; }
#what-if legend { font-weight: 600; font-size: 13px; overflow-wrap: anywhere; padding: 0 4px; }
#what-if .wi-control { display: grid; grid-template-columns: minmax(0, 1fr) 6.5em; gap: 0 8px; align-items: center; margin: 6px 0 0; font-size: 13px; }
#what-if .wi-control label { grid-column: 1 / -1; overflow-wrap: anywhere; }
#what-if input[type="range"] { width: 100%; min-width: 0; margin: 0; }
#what-if input[type="number"] { width: 100%; box-sizing: border-box; font: inherit; font-variant-numeric: tabular-nums; }
#what-if input[aria-invalid="true"] { outline: 2px solid #D55E00; }
#what-if .wi-sample { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; font-size: 13px; }
#what-if .wi-cli { margin: 8px 0 0; padding: 8px 10px; background: #f6f6f6; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
#what-if .wi-cli-note { font-size: 12px; color: #555; margin: 4px 0 0; }
#what-if .wi-chart { margin: 12px 0 0; min-width: 0; }
#what-if .wi-chart-view { width: 100%; overflow: hidden; }
#what-if .wi-chart figcaption { font-size: 12px; color: #555; }
@media (min-width: 1000px) {
  #what-if .wi-layout { grid-template-columns: minmax(0, 1fr) minmax(0, 340px); }
  #what-if .wi-results { order: 2; position: sticky; top: 8px; align-self: start; }
  #what-if .wi-figures { grid-template-columns: minmax(0, 1fr); }
}
`;

/** The headline figures, in the order shown: id (the script fills `[data-figure=id]`) and name. */
const FIGURES: readonly [string, string][] = [
  ['successRate', 'Task success'],
  ['silentFailureRate', 'Silent failures'],
  ['latencyMs', 'Latency of successful requests'],
  ['spendUsd', 'Spend'],
  ['totalCostUsd', 'Total cost, with the assumed silent-failure penalty'],
  ['requests', 'Requests behind these figures'],
];

/**
 * What the page's outcome chart needs to look like the report's outcomes
 * chart (charts/outcomes.ts): the outcomes in stacking order with their
 * labels, the colours, the theme.
 */
function outcomeChartStyle() {
  return { schema: SCHEMA, order: OUTCOME_ORDER, labels: OUTCOME_ORDER.map((o) => OUTCOME_LABELS[o]), colors: OUTCOME_COLORS, config: CONFIG };
}

/** The value a number field shows: the number as JavaScript writes it back, which is what the --set carries. */
const show = (x: number): string => String(x);

function control(c: WhatIfControl, i: number): string {
  const id = `wi-${i}`;
  const numberBounds = c.unit === 'probability' ? ' min="0" max="1"' : c.unit === 'usd' || c.unit === 'retries' ? ' min="0"' : c.unit === 'attempts' || c.unit === 'users' ? ' min="1"' : '';
  return (
    `<div class="wi-control" title="--set ${h(c.path)}=…">` +
    `<label for="${id}">${h(c.label)}</label>` +
    `<input type="range" data-control="${i}" min="${show(c.min)}" max="${show(c.max)}" step="${show(c.step)}" value="${show(c.value)}" aria-label="${h(`${c.group}: ${c.label} (slider)`)}">` +
    `<input type="number" id="${id}" data-control="${i}"${numberBounds} step="any" value="${show(c.value)}" inputmode="decimal">` +
    `</div>`
  );
}

function groups(controls: readonly WhatIfControl[]): string {
  const byGroup = new Map<string, string[]>();
  controls.forEach((c, i) => byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), control(c, i)]));
  return [...byGroup].map(([group, rows]) => `<fieldset><legend>${h(group)}</legend>\n${rows.join('\n')}\n</fieldset>`).join('\n');
}

/**
 * The section's HTML.
 * @param workerCode the simulator's browser bundle (what-if-bundle.ts whatIfWorkerCode)
 */
export function whatIfSection(input: ReportInput, page: WhatIfPage, workerCode: string): string {
  const b = input.comparison.baseline;
  const choices = page.requestChoices
    .map((n, i) => `<label><input type="radio" name="wi-requests" value="${n}"${i === 0 ? ' checked' : ''}> ${int(n)} requests</label>`)
    .join('\n');
  const figures = FIGURES.map(
    ([id, name]) => `<div class="wi-figure" data-figure="${id}"><span class="wi-name">${h(name)}</span><span class="wi-value">…</span><span class="wi-note"></span><span class="wi-delta"></span></div>`,
  ).join('\n');
  return [
    `<style>${STYLE}</style>`,
    '<section id="what-if" data-state="idle">',
    '<h2>What if</h2>',
    `<p class="wi-intro">Move a control and the simulator runs again in this page – the same code as <code>coordgap run</code>, bundled into this file, offline. ` +
      `Each figure comes from one run of the sample you choose (${page.requestChoices.map(int).join(' or ')} requests) with the scenario's seed, ${h(String(page.seed))}: ` +
      `rates carry 95 % intervals (Wilson); latency quantiles and costs from one run carry none. The rest of this report stands on ${int(b.requests)} requests ` +
      `(${b.replications} replication${b.replications === 1 ? '' : 's'}), so its figures differ from these by sampling. The command under the controls gives the same figures.</p>`,
    '<p class="wi-nojs note">This section runs the simulator in the page and needs JavaScript.</p>',
    '<div class="wi-body" hidden>',
    '<div class="wi-layout">',
    `<div class="wi-results" aria-live="polite">\n<p class="wi-status">Simulating…</p>\n<p class="wi-error" role="alert" hidden></p>\n<div class="wi-figures">\n${figures}\n</div>\n` +
      `<figure class="wi-chart"><div class="wi-chart-view" role="img" aria-label="How requests end, as written and with these settings"></div><figcaption>How requests end, as written and with these settings (redrawn on every run).</figcaption></figure>\n</div>`,
    '<div class="wi-controls">',
    `<div class="wi-groups">\n${groups(page.controls)}\n</div>`,
    `<div class="wi-sample"><span>Sample:</span>\n${choices}\n<button type="button" class="wi-reset">Back to the scenario as written</button></div>`,
    '<pre class="wi-cli"><code></code></pre>',
    '<p class="wi-cli-note">The same figures from the command line (add <code>--json</code> for them as JSON).</p>',
    '</div>',
    '</div>',
    '</div>',
    `<script type="application/json" id="coordgap-what-if">${jsonForScript(page)}</script>`,
    `<script type="application/json" id="coordgap-what-if-chart">${jsonForScript(outcomeChartStyle())}</script>`,
    // Not run as a page script (an unknown type is data): the section's script starts it as a Web Worker.
    `<script type="text/x-coordgap-worker" id="coordgap-what-if-worker">${scriptText(workerCode)}</script>`,
    `<script>\n${WHAT_IF_SCRIPT}\n</script>`,
    '</section>',
  ].join('\n');
}
