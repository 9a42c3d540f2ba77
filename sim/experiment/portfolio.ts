/**
 * The budgeted portfolio's answer from simulated combinations of options:
 * which set to buy for a monthly budget, the frontier of what money buys,
 * and the best first step. Pure: experiments/portfolio.ts simulates the
 * combinations (paired with the baseline on common random numbers, never
 * summed from single options – fixes interact) and prices each the way the
 * memo prices one option (decision.ts: extra cost a month = simulated spend
 * change × traffic + monthly prices + one-off prices / amortization months;
 * a combination's prices are its options' prices added up).
 *
 * - Recommended set: among the combinations within the budget that do not
 *   make task success worse (their Δ interval wholly below zero) – keeping as
 *   is among them, at no cost – the highest task success; ties go to the
 *   lower net cost at the assumed silent-failure cost, then to the lower p95
 *   (an option that changes neither success nor spend – a faster model on an
 *   unpriced plan – ties on both, and the set without it would sit off the
 *   frontier), then to fewer options.
 * - Frontier: the combinations no other beats on all three of extra cost a
 *   month (lower), task success (higher) and p95 (lower) – Pareto optimality
 *   over point estimates, keeping as is included.
 * - Best first step: the single option on the frontier (within the budget)
 *   whose gain in task success is above its interval's noise and largest per
 *   dollar a month; one that costs nothing extra, or saves, comes first.
 */
import type { Estimate } from '../metrics/intervals.js';
import { compareSets } from './portfolio-conflicts.js';

/** What the answer reads of one simulated combination. */
export interface CombinationFigures {
  /** Option indices, ascending; [] is keeping as is. */
  options: readonly number[];
  /** decision.ts extraCostMonthlyUsd, of the combination. */
  extraCostMonthlyUsd: number;
  /** Extra cost + the assumed silent-failure cost × Δ silent failures a month. */
  netMonthlyUsd: number;
  successDelta: Estimate;
  /** Δ p95 against the baseline, ms (NaN when a run had no success). */
  p95DeltaMs: number;
  /** Task success is worse with it: the Δ interval lies below zero. */
  worse: boolean;
}

/** Keeping as is: the baseline against itself. */
export const KEEP_AS_IS_FIGURES: Readonly<CombinationFigures> = {
  options: [],
  extraCostMonthlyUsd: 0,
  netMonthlyUsd: 0,
  successDelta: { estimate: 0, ci95: [0, 0] },
  p95DeltaMs: 0,
  worse: false,
};

/** Whether a combination costs no more than `budgetUsd` a month (null: no budget given, anything fits). */
export function withinBudget(c: CombinationFigures, budgetUsd: number | null): boolean {
  return Number.isFinite(c.extraCostMonthlyUsd) && (budgetUsd === null || c.extraCostMonthlyUsd <= budgetUsd + 1e-9 * Math.max(1, Math.abs(budgetUsd)));
}

/** A combination the recommendation may choose: within budget, figures known, success not worse. */
export function eligibleCombination(c: CombinationFigures, budgetUsd: number | null): boolean {
  return !c.worse && Number.isFinite(c.successDelta.estimate) && withinBudget(c, budgetUsd);
}

/** The recommendation's order: negative when `a` ranks before `b` (eligible first, then the rule in this file's comment, then option order). */
export function compareForRecommendation(a: CombinationFigures, b: CombinationFigures, budgetUsd: number | null): number {
  const ea = eligibleCombination(a, budgetUsd);
  if (ea !== eligibleCombination(b, budgetUsd)) return ea ? -1 : 1;
  if (ea) {
    if (a.successDelta.estimate !== b.successDelta.estimate) return b.successDelta.estimate - a.successDelta.estimate;
    if (a.netMonthlyUsd !== b.netMonthlyUsd) return a.netMonthlyUsd - b.netMonthlyUsd;
    const pa = Number.isFinite(a.p95DeltaMs) ? a.p95DeltaMs : Infinity;
    const pb = Number.isFinite(b.p95DeltaMs) ? b.p95DeltaMs : Infinity;
    if (pa !== pb) return pa < pb ? -1 : 1;
    if (a.options.length !== b.options.length) return a.options.length - b.options.length;
  }
  return compareSets(a.options, b.options);
}

/** The recommended set among `simulated` (keeping as is always a candidate): the first in compareForRecommendation's order. */
export function recommendCombination(simulated: readonly CombinationFigures[], budgetUsd: number | null): CombinationFigures {
  return [KEEP_AS_IS_FIGURES, ...simulated].reduce((best, c) => (compareForRecommendation(c, best, budgetUsd) < 0 ? c : best));
}

/** Cost, success and p95 as the frontier compares them: unknown figures count as the worst. */
function axes(c: CombinationFigures): [number, number, number] {
  const or = (x: number, worst: number) => (Number.isFinite(x) ? x : worst);
  return [or(c.extraCostMonthlyUsd, Infinity), or(c.successDelta.estimate, -Infinity), or(c.p95DeltaMs, Infinity)];
}

/** `a` is at least as good as `b` on all three and better on one. */
function dominates(a: CombinationFigures, b: CombinationFigures): boolean {
  const [ca, sa, pa] = axes(a);
  const [cb, sb, pb] = axes(b);
  return ca <= cb && sa >= sb && pa <= pb && (ca < cb || sa > sb || pa < pb);
}

/** The Pareto frontier over (extra cost ↓, task success ↑, p95 ↓) of `simulated` and keeping as is, cheapest first (then most success). */
export function paretoFrontier(simulated: readonly CombinationFigures[]): CombinationFigures[] {
  const all = [KEEP_AS_IS_FIGURES, ...simulated];
  return all
    .filter((c) => !all.some((d) => d !== c && dominates(d, c)))
    .sort((a, b) => axes(a)[0] - axes(b)[0] || axes(b)[1] - axes(a)[1] || compareSets(a.options, b.options));
}

/**
 * The frontier's line in the cost–success plane: the frontier points that
 * give more task success than every cheaper one (a frontier point kept only
 * for its lower p95 is off the line).
 */
export function costSuccessLine(frontier: readonly CombinationFigures[]): CombinationFigures[] {
  const line: CombinationFigures[] = [];
  for (const c of frontier) if (line.length === 0 || axes(c)[1] > axes(line[line.length - 1])[1]) line.push(c);
  return line;
}

export type FirstStep =
  /** `successPerThousandUsd`: Δ task success in percentage points per $1,000 of extra cost a month; null when it costs nothing extra or saves. */
  | { option: number; successPerThousandUsd: number | null }
  | { option: null; reason: string };

/** A gain in task success above its interval's noise (the lower end above zero; the point when there is no interval). */
const surelyGains = (c: CombinationFigures) => (Number.isFinite(c.successDelta.ci95[0]) ? c.successDelta.ci95[0] > 0 : c.successDelta.estimate > 0);

/** The best single first step on `frontier` (paretoFrontier) within `budgetUsd`, or why there is none. */
export function bestFirstStep(frontier: readonly CombinationFigures[], budgetUsd: number | null): FirstStep {
  const singles = frontier.filter((c) => c.options.length === 1);
  if (singles.length === 0) return { option: null, reason: 'no single option is on the frontier: each alone is beaten on cost, task success and p95 by keeping as is or by a combination' };
  const gains = singles.filter(surelyGains);
  if (gains.length === 0) return { option: null, reason: 'no single option on the frontier raises task success by more than its interval' };
  const affordable = gains.filter((c) => withinBudget(c, budgetUsd));
  if (affordable.length === 0) return { option: null, reason: 'every single option on the frontier that raises task success costs more than the budget' };
  const free = affordable.filter((c) => c.extraCostMonthlyUsd <= 0);
  if (free.length > 0) {
    const best = free.reduce((b, c) => (c.successDelta.estimate > b.successDelta.estimate ? c : b));
    return { option: best.options[0], successPerThousandUsd: null };
  }
  const perThousand = (c: CombinationFigures) => (c.successDelta.estimate * 100) / (c.extraCostMonthlyUsd / 1000);
  const best = affordable.reduce((b, c) => (perThousand(c) > perThousand(b) ? c : b));
  return { option: best.options[0], successPerThousandUsd: perThousand(best) };
}
