/**
 * The budgeted portfolio's frontier: extra cost a month (x) against task
 * success (y), one grey point per simulated combination of options; the
 * frontier's line joins the sets that give more task success than every
 * cheaper one; the frontier's points are coloured by their p95 (a sequential
 * scale: on this frontier lower is better) with their 95 % intervals on task
 * success; the recommended set ringed and named; the budget, when given, a
 * vertical rule. Keeping as is sits at $0.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PortfolioCombination, PortfolioResult } from '../../sim/experiment/index.js';
import { deltaDollars, ms, pct, pp, usd } from '../format.js';
import { CONFIG, GREY, OKABE_ITO, SCHEMA, WIDTH } from '../theme.js';
import { finite, title, type Chart } from './chart.js';

/** How the output names keeping as is (sim/experiment/decision.ts KEEP_AS_IS; reports read only types from sim). */
const KEEP = 'keep as is';

/** Labels past this many characters are cut (a set of ten options' names runs off the chart). */
const LABEL_CHARS = 48;
const cut = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);

function finding(p: PortfolioResult, chosen: PortfolioCombination | undefined): string {
  const within = p.budgetMonthlyUsd === null ? '' : `Within ${usd(p.budgetMonthlyUsd)} a month, `;
  if (chosen === undefined)
    return `${within || 'Of the combinations simulated, '}none beats keeping as is: task success stays ${pct(p.baseline.successRate.estimate)}`;
  const cost = chosen.extraCostMonthlyUsd;
  const price = cost > 0 ? `for ${usd(cost)} a month more` : cost < 0 ? `while saving ${usd(-cost)} a month` : 'at no extra cost';
  const what = `${chosen.name} gives the most task success, ${pct(chosen.successRate.estimate)} (${pp(chosen.successDelta.estimate)}), ${price}`;
  return p.budgetMonthlyUsd === null ? `${what[0].toUpperCase()}${what.slice(1)} (no budget given)` : `${within}${what}`;
}

export function portfolioFrontierChart(p: PortfolioResult): Chart {
  const frontier = new Set(p.frontier);
  const line = p.frontierLine;
  const chosen = p.combinations.find((c) => c.name === p.recommended);
  const keep = {
    name: KEEP,
    cost: 0,
    success: p.baseline.successRate.estimate,
    low: p.baseline.successRate.ci95[0],
    high: p.baseline.successRate.ci95[1],
    p95Ms: finite(p.baseline.p95Ms),
    costText: usd(0),
    deltaText: '±0',
    p95Text: ms(p.baseline.p95Ms),
  };
  const points = [
    keep,
    ...p.combinations.map((c) => ({
      name: cut(c.name),
      cost: finite(c.extraCostMonthlyUsd),
      success: finite(c.successRate.estimate),
      low: finite(c.successRate.ci95[0]),
      high: finite(c.successRate.ci95[1]),
      p95Ms: finite(c.p95Ms),
      costText: deltaDollars(c.extraCostMonthlyUsd),
      deltaText: pp(c.successDelta.estimate),
      p95Text: ms(c.p95Ms),
    })),
  ];
  const byName = new Map(points.map((x, i) => [i === 0 ? KEEP : p.combinations[i - 1].name, x]));
  const onFrontier = [...byName].filter(([n]) => frontier.has(n)).map(([, x]) => x);
  const lineValues = line.map((n, order) => ({ ...byName.get(n)!, order }));
  const marked = chosen === undefined ? keep : byName.get(chosen.name)!;
  // The label reads away from the nearer edge, so it stays on the chart.
  const costs = [...points.map((v) => v.cost), p.budgetMonthlyUsd].filter((c): c is number => c !== null);
  const middle = (Math.min(...costs) + Math.max(...costs)) / 2;
  const rightHalf = (marked.cost ?? 0) > middle;
  const budgetRight = p.budgetMonthlyUsd !== null && p.budgetMonthlyUsd > middle;
  const x = { field: 'cost', type: 'quantitative', title: 'extra cost a month (USD): simulated spend change at the traffic + prices', axis: { format: '$,.0f' } } as const;
  const y = { field: 'success', type: 'quantitative', title: 'task success', scale: { zero: false }, axis: { format: '.0%' } } as const;
  const tooltip = [
    { field: 'name', type: 'nominal', title: 'set' },
    { field: 'costText', type: 'nominal', title: 'extra cost a month' },
    { field: 'success', type: 'quantitative', title: 'task success', format: '.1%' },
    { field: 'deltaText', type: 'nominal', title: 'Δ task success' },
    { field: 'p95Text', type: 'nominal', title: 'p95' },
  ];
  const budget = p.budgetMonthlyUsd;
  const searched =
    p.search.method === 'exhaustive' ? `all ${p.search.combinations.toLocaleString('en-US')} combinations` : `${p.search.simulated.toLocaleString('en-US')} of ${p.search.combinations.toLocaleString('en-US')} combinations (a bounded search)`;
  const spec = {
    $schema: SCHEMA,
    title: title(
      finding(p, chosen),
      `Each point one combination of options simulated with the baseline on common random numbers: ${searched}. Line: the most task success for the money; ` +
        `coloured: the frontier (nothing cheaper has more success and lower p95), colour = p95, bars = 95 % intervals. ` +
        `Traffic ${Math.round(p.inputs.requestsPerMonth).toLocaleString('en-US')} requests a month; one-off prices over ${p.inputs.amortizationMonths} months.`,
    ),
    width: WIDTH,
    height: 340,
    layer: [
      { data: { values: points }, mark: { type: 'point', filled: true, size: 36, color: GREY, opacity: 0.6 }, encoding: { x, y, tooltip } },
      { data: { values: lineValues }, mark: { type: 'line', color: OKABE_ITO.black, strokeWidth: 1.5 }, encoding: { x, y, order: { field: 'order', type: 'quantitative' } } },
      {
        data: { values: onFrontier.filter((v) => v.low !== null && v.high !== null) },
        mark: { type: 'rule', color: '#555555' },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
      },
      {
        data: { values: onFrontier },
        mark: { type: 'point', filled: true, size: 90, stroke: OKABE_ITO.black, strokeWidth: 0.5 },
        encoding: { x, y, color: { field: 'p95Ms', type: 'quantitative', title: 'p95 (ms)', scale: { scheme: 'viridis', reverse: true } }, tooltip },
      },
      { data: { values: [marked] }, mark: { type: 'point', filled: false, size: 400, strokeWidth: 2, color: OKABE_ITO.vermillion }, encoding: { x, y } },
      {
        data: { values: [{ ...marked, label: `recommended: ${marked.name}` }] },
        mark: { type: 'text', align: rightHalf ? 'right' : 'left', dx: rightHalf ? -14 : 14, dy: -12, fontSize: 11, fontWeight: 'bold', color: OKABE_ITO.vermillion },
        encoding: { x, y, text: { field: 'label' } },
      },
      ...(budget === null
        ? []
        : [
            {
              data: { values: [{ cost: budget, label: `budget ${usd(budget)} a month` }] },
              layer: [
                { mark: { type: 'rule', strokeDash: [6, 4], color: OKABE_ITO.blue }, encoding: { x } },
                {
                  mark: { type: 'text', align: budgetRight ? 'right' : 'left', baseline: 'bottom', dx: budgetRight ? -4 : 4, y: 'height', dy: -4, fontSize: 11, color: OKABE_ITO.blue },
                  encoding: { x, text: { field: 'label' } },
                },
              ],
            },
          ]),
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'portfolio-frontier', title: finding(p, chosen), spec };
}
