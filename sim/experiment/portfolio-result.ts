/**
 * The budgeted portfolio's result as every output reads it (the terminal,
 * --json, portfolio.md and its chart): the options and their conflicts, each
 * simulated combination priced a month, the frontier, the recommended set and
 * the best first step. experiments/portfolio.ts fills it.
 */
import type { Estimate } from '../metrics/intervals.js';
import type { DecisionInputs, OptionPrice } from './decision.js';
import type { OptionConflict } from './portfolio-conflicts.js';
import type { SearchPlan } from './portfolio-search.js';
import type { VariantKind } from './comparison.js';

/** One simulated combination as the output shows it. */
export interface PortfolioCombination {
  /** Its options joined by " + ", in the scenario's order. */
  name: string;
  options: string[];
  /** The options' prices added up; `unpriced` names those that carry none. */
  price: { oneOffUsd: number; monthlyUsd: number; unpriced: string[] };
  /** Simulated spend change × traffic + monthly prices + one-off / amortization months (decision.ts). */
  extraCostMonthlyUsd: number;
  spendChangeMonthlyUsd: Estimate;
  successRate: Estimate;
  successDelta: Estimate;
  silentFailureDelta: Estimate;
  silentFailuresMonthly: Estimate;
  p95Ms: number;
  p95DeltaMs: Estimate;
  /** Δ p95 as printed: the ± is the interval's half-width, or the histogram's resolution when that is wider (reports/format.ts LatencyChange). */
  p95Change: { estimateMs: number; halfMs: number; resolutionLimited: boolean; relative: number };
  /** Extra cost + the assumed silent-failure cost × silent failures a month. */
  netMonthlyUsd: number;
  /** Task success is worse with it (its Δ interval lies below zero). */
  worse: boolean;
  withinBudget: boolean;
  /** Not beaten on extra cost, task success and p95 together by another simulated set or by keeping as is. */
  onFrontier: boolean;
  scenarioHash: string;
}

/** The best first step by name, or why there is none (portfolio.ts bestFirstStep). */
export type PortfolioFirstStep = { option: string; successPerThousandUsd: number | null } | { option: null; reason: string };

export interface PortfolioResult {
  scenario: string;
  seed: number | string;
  requests: number;
  replications: number;
  /** Traffic, silent-failure cost and amortization the prices were set against (decision.ts). */
  inputs: Omit<DecisionInputs, 'prices'>;
  budgetMonthlyUsd: number | null;
  options: { name: string; kind: VariantKind; price: OptionPrice }[];
  conflicts: OptionConflict[];
  search: { method: SearchPlan['method']; simulated: number; combinations: number; limit: number | null };
  baseline: { successRate: Estimate; silentFailureRate: Estimate; p95Ms: number; spendPerRequestUsd: number };
  /** In the order simulated. */
  combinations: PortfolioCombination[];
  /** Names on the frontier, cheapest first ("keep as is" among them). */
  frontier: string[];
  /** The frontier's line in cost and task success (costSuccessLine): the names it joins, cheapest first. */
  frontierLine: string[];
  /** The set to buy at the budget, or "keep as is". */
  recommended: string;
  /**
   * The cheapest set within the budget whose task success is not surely below
   * the recommended set's (their paired difference's interval reaches zero),
   * and what it saves a month; null when there is none.
   */
  cheaperAlike: { name: string; successDifference: Estimate; savingMonthlyUsd: number } | null;
  firstStep: PortfolioFirstStep;
  /** Combinations not simulated, and why (an invalid merge, failed runs). */
  skipped: { name: string; reason: string }[];
}
