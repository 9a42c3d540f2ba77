/**
 * The budgeted portfolio in words and tables: the answer first (the set to
 * buy and what it buys, the best first step), then the frontier, the
 * conflicts and the assumptions. The terminal (scripts/format-portfolio.ts)
 * and portfolio.md say the same sentences; portfolio.md adds the frontier
 * chart (charts/portfolio-frontier.*).
 */
import type { PortfolioCombination, PortfolioResult } from '../sim/experiment/index.js';
import type { Estimate } from '../sim/metrics/index.js';
import type { ChartFiles } from './charts/chart.js';
import { portfolioFrontierChart } from './charts/index.js';
import { deltaDollars, deltaMsInterval, halfWidth, int, ms, pct, ppInterval, usd } from './format.js';
import { escapeMarkdown } from './escape.js';

/** How the output names keeping as is (sim/experiment/decision.ts KEEP_AS_IS). */
const KEEP = 'keep as is';

/** Frontier rows shown before the rest are counted (results.json holds them all). */
export const FRONTIER_ROWS_SHOWN = 20;

/** A count a month with its interval: "−17,980 ± 290". */
function monthlyCount(e: Estimate): string {
  if (!Number.isFinite(e.estimate)) return 'n/a';
  const sign = e.estimate < 0 && Math.round(e.estimate) !== 0 ? '\u2212' : '+';
  const h = halfWidth(e);
  return `${sign}${int(Math.abs(e.estimate))}${Number.isFinite(h) ? ` ± ${int(h)}` : ''}`;
}

/** The chosen set's row, or undefined when it is keeping as is. */
export const recommendedRow = (p: PortfolioResult): PortfolioCombination | undefined => p.combinations.find((c) => c.name === p.recommended);

/** What a set buys, in one sentence: success, silent failures a month, p95 and the extra cost a month. */
export function buys(p: PortfolioResult, c: PortfolioCombination): string {
  const prices = c.price.monthlyUsd + c.price.oneOffUsd / p.inputs.amortizationMonths;
  return (
    `task success ${pct(p.baseline.successRate.estimate)} → ${pct(c.successRate.estimate)} (${ppInterval(c.successDelta)}), ` +
    `silent failures ${monthlyCount(c.silentFailuresMonthly)} a month, p95 ${deltaMsInterval(c.p95Change)}, ` +
    `extra cost ${deltaDollars(c.extraCostMonthlyUsd)} a month (spend ${deltaDollars(c.spendChangeMonthlyUsd.estimate)}, prices ${usd(prices)})`
  );
}

/** The answer, one sentence per line: the budget, the recommended set and what it buys, the best first step, the search. */
export function portfolioSentences(p: PortfolioResult): string[] {
  const chosen = recommendedRow(p);
  const out: string[] = [];
  out.push(
    p.budgetMonthlyUsd === null
      ? 'No budget given (--budget USD): the recommended set is the one with the most task success, at whatever it costs.'
      : `Budget: ${usd(p.budgetMonthlyUsd)} a month of extra cost.`,
  );
  out.push(
    chosen === undefined
      ? `Recommended: keep as is – no combination within the budget raises task success without making it worse (task success stays ${pct(p.baseline.successRate.estimate)}).`
      : `Recommended: ${chosen.name} – ${buys(p, chosen)}.`,
  );
  const alike = p.cheaperAlike;
  if (chosen !== undefined && alike !== null)
    out.push(
      `Within the noise: ${alike.name} costs ${usd(alike.savingMonthlyUsd)} a month less, and its task success differs from ${chosen.name}'s by ${ppInterval(alike.successDifference, 2)} (paired on the same random numbers) – the difference is not sure to be real.`,
    );
  // What a larger budget would buy first: the cheapest set over it that surely raises task success.
  const dearer = p.combinations
    .filter((c) => !c.withinBudget && c.successDelta.ci95[0] > 0 && (chosen === undefined || c.successDelta.estimate > chosen.successDelta.estimate))
    .sort((a, b) => a.extraCostMonthlyUsd - b.extraCostMonthlyUsd)[0];
  if (p.budgetMonthlyUsd !== null && dearer !== undefined)
    out.push(`Above the budget, the cheapest set with more task success is ${dearer.name}: ${ppInterval(dearer.successDelta)} for ${deltaDollars(dearer.extraCostMonthlyUsd)} a month.`);
  const first = p.firstStep;
  if (first.option === null) out.push(`Best first step: none – ${first.reason}.`);
  else {
    const row = p.combinations.find((c) => c.name === first.option)!;
    const cost = row.extraCostMonthlyUsd;
    out.push(
      first.successPerThousandUsd === null
        ? `Best first step: ${first.option} – ${ppInterval(row.successDelta)} task success ${cost < 0 ? `while saving ${usd(-cost)} a month` : 'at no extra cost'}; of the single options on the frontier that cost nothing extra, the one with the most task success.`
        : `Best first step: ${first.option} – ${ppInterval(row.successDelta)} task success for ${deltaDollars(cost)} a month: ${first.successPerThousandUsd.toFixed(1)} pp per $1,000 a month, the most of any single option on the frontier.`,
    );
  }
  return out;
}

/** How many combinations were simulated, of how many, and how. */
export function searchSentence(p: PortfolioResult): string {
  const s = p.search;
  const n = p.options.length;
  const of = `${int(s.simulated)} of ${s.combinations.toLocaleString('en-US', { maximumFractionDigits: 0 })} combinations of ${n} option${n === 1 ? '' : 's'}`;
  const how =
    s.method === 'exhaustive' ? 'every combination without a conflicting pair' : `a bounded search (greedy forward selection, then removals and swaps) of at most ${int(s.limit!)}`;
  return `Simulated ${of}: ${how}; ${int(p.requests)} requests × ${p.replications} replication${p.replications === 1 ? '' : 's'} each, paired with the baseline on common random numbers.`;
}

/** The assumptions prices rest on, and what is not priced. */
export function assumptionSentences(p: PortfolioResult): string[] {
  const i = p.inputs;
  const traffic = i.trafficSource === 'scenario' ? 'costs.requestsPerMonth' : 'the arrival rate over a 30.44-day month; costs.requestsPerMonth states it';
  const out = [
    `Traffic: ${int(i.requestsPerMonth)} requests a month (${traffic}). One-off prices are spread over ${i.amortizationMonths} months.`,
    `Net a month = extra cost + ${usd(i.silentFailureUsd)} (costs.silentFailureUsd, an assumption) × Δ silent failures a month; it only breaks ties in task success.`,
    'Prices add: a combination costs its options\' prices together; its spend is simulated, not added.',
  ];
  const unpriced = p.options.filter((o) => o.price.unpriced).map((o) => o.name);
  if (unpriced.length > 0) out.push(`Unpriced (only their simulated spend counts): ${unpriced.join(', ')} – add price: { oneOffUsd, engineeringDays, monthlyUsd } to them.`);
  return out;
}

/** Rows of the frontier table: set, extra cost a month, task success, Δ task success, Δ silent failures a month, p95, Δ p95, net a month. */
export function frontierRows(p: PortfolioResult): string[][] {
  const header = ['set', 'extra cost/month', 'task success', 'Δ task success', 'Δ silent failures/month', 'p95', 'Δ p95', 'net/month'];
  // The recommended set is shown even off the frontier (a set dearer by net cost than one it beats on extra cost).
  const names = p.frontier.slice(0, FRONTIER_ROWS_SHOWN);
  if (!names.includes(p.recommended)) names.push(p.recommended);
  const body = names.map((name) => {
    if (name === KEEP) return [`${KEEP}${name === p.recommended ? ' ◀ recommended' : ''}`, usd(0), pct(p.baseline.successRate.estimate), '±0', '0', ms(p.baseline.p95Ms), '±0', usd(0)];
    const c = p.combinations.find((x) => x.name === name)!;
    const mark = `${name}${name === p.recommended ? ` ◀ recommended${c.onFrontier ? '' : ' (off the frontier)'}` : ''}${c.withinBudget ? '' : ' (over budget)'}`;
    return [mark, deltaDollars(c.extraCostMonthlyUsd), pct(c.successRate.estimate), ppInterval(c.successDelta), monthlyCount(c.silentFailuresMonthly), ms(c.p95Ms), deltaMsInterval(c.p95Change), deltaDollars(c.netMonthlyUsd)];
  });
  return [header, ...body];
}

/** The conflicting pairs, one line each. */
export const conflictLines = (p: PortfolioResult): string[] => p.conflicts.map((c) => `${c.a} and ${c.b}: ${c.reason}`);

/** portfolio.md: the answer, the chart, the frontier table, conflicts, assumptions. */
export function portfolioMarkdown(p: PortfolioResult, files: ChartFiles): string {
  const e = escapeMarkdown;
  const chart = portfolioFrontierChart(p);
  const cell = e;
  const rows = frontierRows(p);
  const out = [`# ${e(p.scenario)} · the budgeted portfolio of fixes`, '', ...portfolioSentences(p).map((s) => `- ${e(s)}`), '', e(searchSentence(p)), ''];
  out.push(`![${e(chart.title)}](charts/${chart.name}.${files.png ? 'png' : 'svg'})`, '', `Chart: charts/${chart.name}.svg${files.png ? ', .png' : ''} and the Vega-Lite spec .vl.json; every combination: results.json.`, '');
  out.push('## The frontier', '', 'Sets nothing else simulated beats on extra cost, task success and p95 together, cheapest first; intervals are 95 %.', '');
  out.push(`| ${rows[0].map(cell).join(' | ')} |`, `|${rows[0].map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.slice(1).map((r) => `| ${r.map(cell).join(' | ')} |`));
  if (p.frontier.length > FRONTIER_ROWS_SHOWN) out.push('', `${p.frontier.length - FRONTIER_ROWS_SHOWN} more on the frontier: results.json.`);
  if (p.conflicts.length > 0) out.push('', '## Options that cannot be combined', '', 'Their patches write the same place; the combinations holding both were not built.', '', ...conflictLines(p).map((l) => `- ${e(l)}`));
  if (p.skipped.length > 0) out.push('', '## Not simulated', '', ...p.skipped.map((s) => `- ${e(s.name)}: ${e(s.reason)}`));
  out.push('', '## Assumptions', '', ...assumptionSentences(p).map((s) => `- ${e(s)}`), '');
  return out.join('\n');
}

/** portfolio.md and the frontier chart's files (charts/portfolio-frontier.vl.json, .svg, and .png when asked for). */
export async function portfolioFiles(p: PortfolioResult, files: ChartFiles): Promise<Record<string, string | Buffer>> {
  const chart = portfolioFrontierChart(p);
  // The renderer (vega, ~0.25 s to load) comes with the first chart: the terminal's sentences import this module too.
  const { rasterizeAsync, renderSvg } = await import('./render.js');
  const { svg } = await renderSvg(chart.spec);
  return {
    'portfolio.md': portfolioMarkdown(p, files),
    [`charts/${chart.name}.vl.json`]: `${JSON.stringify(chart.spec, null, 2)}\n`,
    [`charts/${chart.name}.svg`]: svg,
    ...(files.png ? { [`charts/${chart.name}.png`]: await rasterizeAsync(svg) } : {}),
  };
}
