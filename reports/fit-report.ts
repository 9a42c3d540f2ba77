/**
 * The fit report (`coordgap fit --report DIR`): what was fitted and what
 * assumed, the back-test with its verdicts, and a QQ plot per stage – as
 * Markdown, with each chart's Vega-Lite spec and SVG beside it.
 */
import type { BacktestRow } from '../sim/fit/index.js';
import { escapeMarkdown } from './escape.js';
import type { Chart } from './charts/chart.js';

export interface FitReportInput {
  traces: string;
  out: string;
  used: number;
  skipped: number;
  notes: readonly { path: string; value: string; how: 'fitted' | 'assumed'; detail: string }[];
  /** What the fit could not do as asked (unfitted overlaps, time between steps, parameters left fixed). */
  warnings: readonly string[];
  backtest: readonly BacktestRow[] | null;
  charts: readonly Chart[];
}

const num = (x: number): string => (!Number.isFinite(x) ? 'n/a' : Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));

export function fitMarkdown(r: FitReportInput): string {
  const e = escapeMarkdown;
  const lines = [
    `# Fit of ${e(r.traces)}`,
    '',
    `${r.used.toLocaleString('en-US')} traces used, ${r.skipped.toLocaleString('en-US')} skipped. The fitted scenario is \`${e(r.out)}\`.`,
    '',
    '## Fitted',
    '',
    '| parameter | value | from the traces |',
    '|---|---|---|',
    ...r.notes.filter((n) => n.how === 'fitted').map((n) => `| \`${e(n.path)}\` | ${e(n.value)} | ${e(n.detail)} |`),
    '',
    '## Assumed – the traces cannot show these',
    '',
    '| parameter | value | why |',
    '|---|---|---|',
    ...r.notes.filter((n) => n.how === 'assumed').map((n) => `| \`${e(n.path)}\` | ${e(n.value)} | ${e(n.detail)} |`),
  ];
  if (r.warnings.length > 0) lines.push('', '## Warnings', '', ...r.warnings.map((w) => `- ${e(w)}`));
  if (r.backtest !== null) {
    const outside = r.backtest.filter((row) => row.verdict === 'outside');
    lines.push(
      '',
      '## Back-test',
      '',
      outside.length === 0
        ? 'Every figure of the fitted scenario, simulated, lies inside the traces\' interval: it reproduces them.'
        : `**${outside.length} of ${r.backtest.length} figures lie outside**: the fitted scenario does not reproduce ${outside.map((row) => e(row.figure)).join(', ')}. Read the assumptions before trusting its comparisons.`,
      '',
      '| figure | observed | 95 % interval | simulated | verdict |',
      '|---|---:|---:|---:|---|',
      ...r.backtest.map((row) => `| ${e(row.figure)} | ${num(row.observed.estimate)} | ${Number.isFinite(row.observed.ci95[0]) ? `${num(row.observed.ci95[0])} – ${num(row.observed.ci95[1])}` : ''} | ${num(row.simulated.estimate)} | ${row.verdict} |`),
    );
  }
  if (r.charts.length > 0) {
    lines.push('', '## Latency per stage: QQ plots', '');
    for (const c of r.charts) lines.push(`![${e(c.title)}](charts/${c.name}.svg)`, '');
  }
  return lines.join('\n') + '\n';
}
