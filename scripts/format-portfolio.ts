/**
 * The portfolio on the terminal: the answer's sentences (reports/portfolio.ts,
 * the same as portfolio.md), the frontier as an aligned table, the
 * conflicting pairs, what was not simulated, the assumptions, and how many
 * combinations were simulated in how long.
 */
import type { PortfolioResult } from '../sim/experiment/index.js';
import { assumptionSentences, conflictLines, frontierRows, FRONTIER_ROWS_SHOWN, portfolioSentences, searchSentence } from '../reports/portfolio.js';
import { int, pct } from '../reports/format.js';
import { textTable } from './text-table.js';

export function formatPortfolio(p: PortfolioResult, seconds: number): string {
  const out = [`${p.scenario} · budgeted portfolio of fixes · baseline task success ${pct(p.baseline.successRate.estimate)}`];
  out.push(...portfolioSentences(p).map((s) => `  ${s}`));
  out.push(`frontier (nothing simulated beats these on extra cost, task success and p95 together), cheapest first:`, ...textTable(frontierRows(p), 1));
  if (p.frontier.length > FRONTIER_ROWS_SHOWN) out.push(`  … ${p.frontier.length - FRONTIER_ROWS_SHOWN} more on the frontier in --json / results.json`);
  if (p.conflicts.length > 0) out.push('conflicts (combinations holding both were not built):', ...conflictLines(p).map((l) => `  ${l}`));
  if (p.skipped.length > 0) out.push('not simulated:', ...p.skipped.map((s) => `  ${s.name}: ${s.reason}`));
  out.push(...assumptionSentences(p).map((s) => `  ${s}`));
  out.push(`  ${searchSentence(p)}`);
  out.push(`simulated ${int(p.search.simulated)} of ${p.search.combinations.toLocaleString('en-US', { maximumFractionDigits: 0 })} combinations in ${seconds.toFixed(1)} s`);
  return `${out.join('\n')}\n`;
}
