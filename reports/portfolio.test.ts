import { describe, expect, it } from 'vitest';
import type { PortfolioCombination, PortfolioResult } from '../sim/experiment/index.js';
import { portfolioFrontierChart } from './charts/index.js';
import { portfolioMarkdown, portfolioSentences } from './portfolio.js';
import { renderSvg } from './render.js';

const est = (estimate: number, half: number) => ({ estimate, ci95: [estimate - half, estimate + half] as [number, number] });

/** Each option's one-off and monthly price (oneOffUsd with engineering days at $800). */
const PRICES: Record<string, [number, number]> = { validate: [1600, 0], retry: [800, 50] };

function combination(name: string, extra: number, success: number, p95Ms: number, onFrontier: boolean, withinBudget: boolean): PortfolioCombination {
  const options = name.split(' + ');
  return {
    name,
    options,
    price: { oneOffUsd: options.reduce((t, o) => t + PRICES[o][0], 0), monthlyUsd: options.reduce((t, o) => t + PRICES[o][1], 0), unpriced: [] },
    extraCostMonthlyUsd: extra,
    spendChangeMonthlyUsd: est(0, 0),
    successRate: est(0.72 + success, 0.004),
    successDelta: est(success, 0.004),
    silentFailureDelta: est(-success / 2, 0.002),
    silentFailuresMonthly: est((-success / 2) * 1e5, 200),
    p95Ms,
    p95DeltaMs: est(p95Ms - 23, 5),
    p95Change: { estimateMs: p95Ms - 23, halfMs: 5, resolutionLimited: false, relative: (p95Ms - 23) / 23 },
    netMonthlyUsd: extra - success * 5e5,
    worse: false,
    withinBudget,
    onFrontier,
    scenarioHash: '0',
  };
}

/** Two interacting options as `coordgap portfolio --budget 200` reports them (figures rounded from experiments/portfolio.test.ts's scenario). */
const result = (budget: number | null): PortfolioResult => ({
  scenario: 'interacting-fixes',
  seed: 7,
  requests: 20000,
  replications: 4,
  inputs: { requestsPerMonth: 100000, trafficSource: 'scenario', silentFailureUsd: 10, amortizationMonths: 12 },
  budgetMonthlyUsd: budget,
  options: [
    { name: 'validate', kind: 'coordination', price: { oneOffUsd: 1600, monthlyUsd: 0, note: null, unpriced: false } },
    { name: 'retry', kind: 'coordination', price: { oneOffUsd: 800, monthlyUsd: 50, note: null, unpriced: false } },
  ],
  conflicts: [],
  search: { method: 'exhaustive', simulated: 3, combinations: 3, limit: null },
  baseline: { successRate: est(0.72, 0.003), silentFailureRate: est(0.18, 0.003), p95Ms: 23, spendPerRequestUsd: 0 },
  combinations: [
    combination('validate', 133.33, 0, 23, false, budget === null || budget >= 133.33),
    combination('retry', 116.67, 0.072, 958, true, budget === null || budget >= 116.67),
    combination('validate + retry', 250, 0.216, 1293, true, budget === null || budget >= 250),
  ],
  frontier: ['keep as is', 'retry', 'validate + retry'],
  frontierLine: ['keep as is', 'retry', 'validate + retry'],
  recommended: budget === null || budget >= 250 ? 'validate + retry' : 'retry',
  cheaperAlike: null,
  firstStep: { option: 'retry', successPerThousandUsd: 61.7 },
  skipped: [],
});

describe('the portfolio in words and its chart', () => {
  it('says the answer first: the budget, the set and what it buys, what more money buys, the first step', () => {
    expect(portfolioSentences(result(200))).toEqual([
      'Budget: $200.00 a month of extra cost.',
      'Recommended: retry – task success 72.0 % → 79.2 % (+7.2 pp ± 0.4), silent failures −3,600 ± 200 a month, p95 +935 ms ± 5.00 ms, extra cost +$116.67 a month (spend +$0, prices $116.67).',
      'Above the budget, the cheapest set with more task success is validate + retry: +21.6 pp ± 0.4 for +$250.00 a month.',
      'Best first step: retry – +7.2 pp ± 0.4 task success for +$116.67 a month: 61.7 pp per $1,000 a month, the most of any single option on the frontier.',
    ]);
    expect(portfolioSentences(result(null))[0]).toBe('No budget given (--budget USD): the recommended set is the one with the most task success, at whatever it costs.');
    const alike = { ...result(200), cheaperAlike: { name: 'keep as is', successDifference: est(-0.0005, 0.001), savingMonthlyUsd: 116.67 } };
    expect(portfolioSentences(alike)[2]).toBe(
      "Within the noise: keep as is costs $116.67 a month less, and its task success differs from retry's by −0.05 pp ± 0.10 (paired on the same random numbers) – the difference is not sure to be real.",
    );
    // An option that saves money is the first step whatever its rate.
    const saving = result(200);
    saving.combinations[1] = { ...saving.combinations[1], extraCostMonthlyUsd: -40 };
    saving.firstStep = { option: 'retry', successPerThousandUsd: null };
    expect(portfolioSentences(saving)[3]).toBe(
      'Best first step: retry – +7.2 pp ± 0.4 task success while saving $40.00 a month; of the single options on the frontier that cost nothing extra, the one with the most task success.',
    );
  });

  it('draws the frontier without a vega warning: every combination, the line, the recommended set and the budget', async () => {
    for (const budget of [200, null]) {
      const chart = portfolioFrontierChart(result(budget));
      expect(chart.name).toBe('portfolio-frontier');
      const { svg, warnings } = await renderSvg(chart.spec);
      expect(warnings).toEqual([]);
      expect(svg).toContain(budget === null ? 'recommended: validate + retry' : 'recommended: retry');
      if (budget !== null) expect(svg).toContain('budget $200.00 a month');
    }
    expect(portfolioFrontierChart(result(200)).title).toBe('Within $200.00 a month, retry gives the most task success, 79.2 % (+7.2 pp), for $116.67 a month more');
  });

  it('writes portfolio.md with the chart and the frontier table, the recommended set marked', () => {
    const md = portfolioMarkdown(result(200), { png: false });
    expect(md).toContain('![Within $200.00 a month, retry gives the most task success, 79.2 % (+7.2 pp), for $116.67 a month more](charts/portfolio-frontier.svg)');
    expect(md).toContain('| retry ◀ recommended | +$116.67 | 79.2 % | +7.2 pp ± 0.4 |');
    expect(md).toContain('| validate + retry (over budget) | +$250.00 |');
  });
});
