/**
 * The report's "Portfolio" section (`report --budget USD`): the answer in the
 * very sentences the terminal and portfolio.md say (reports/portfolio.ts –
 * one wording), the frontier chart, the frontier table with the assumptions
 * under it. A scenario with fewer than two options has nothing to combine:
 * the section says so instead.
 */
import type { ReportInput } from './input.js';
import type { Table } from './tables.js';
import { assumptionSentences, conflictLines, frontierRows, FRONTIER_ROWS_SHOWN, portfolioSentences, searchSentence } from './portfolio.js';
import { usd } from './format.js';

/**
 * The section's readings and table (sections.ts adds the chart and heading),
 * or none when the report ran without --budget.
 */
export function portfolioParts(input: ReportInput): { lines: string[]; tables: Table[] } | undefined {
  const p = input.portfolio;
  if (p === undefined) return undefined;
  if ('notRun' in p) return { lines: [`Budget: ${usd(p.budgetMonthlyUsd)} a month of extra cost.`, p.notRun], tables: [] };
  const [header, ...rows] = frontierRows(p);
  const more = p.frontier.length > FRONTIER_ROWS_SHOWN ? ` ${p.frontier.length - FRONTIER_ROWS_SHOWN} more on the frontier: results.json.` : '';
  const frontier: Table = {
    caption: 'The frontier: sets nothing else simulated beats on extra cost, task success and p95 together, cheapest first (intervals 95 %)',
    columns: header.map((label, i) => (i === 0 ? { label } : { label, numeric: true })),
    rows,
    note: `${assumptionSentences(p).join(' ')}${more}`,
  };
  const lines = [
    ...portfolioSentences(p),
    ...conflictLines(p).map((l) => `Cannot be combined (their patches write the same place; no combination holds both): ${l}`),
    ...p.skipped.map((s) => `Not simulated: ${s.name}: ${s.reason}`),
    searchSentence(p),
  ];
  return { lines, tables: [frontier] };
}
