import { describe, expect, it } from 'vitest';
import {
  bestFirstStep,
  compareForRecommendation,
  costSuccessLine,
  paretoFrontier,
  recommendCombination,
  KEEP_AS_IS_FIGURES,
  type CombinationFigures,
} from './portfolio.js';
import { searchCombinations, searchPlan, setKey } from './portfolio-search.js';
import { conflictTable } from './portfolio-conflicts.js';

const fig = (options: number[], extra: number, success: number, p95 = 0, half = 0.001, net = extra): CombinationFigures => ({
  options,
  extraCostMonthlyUsd: extra,
  netMonthlyUsd: net,
  successDelta: { estimate: success, ci95: [success - half, success + half] },
  p95DeltaMs: p95,
  worse: success + half < 0,
});

/**
 * A hand-made objective with interactions: n options, each with a gain and a
 * price; some pairs interact (a gain or a loss only when both are in), some
 * conflict. Nothing is simulated: the figures are exact.
 */
function objective(n: number, seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const gain = Array.from({ length: n }, () => rand() * 0.1 - 0.02);
  const price = Array.from({ length: n }, () => Math.round(rand() * 1000));
  const pairs = new Map<string, number>();
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rand() < 0.3) pairs.set(`${i},${j}`, rand() * 0.08 - 0.04);
  const names = Array.from({ length: n }, (_, i) => `o${i}`);
  const conflicts = conflictTable(
    names,
    [[0, 1], [2, 5]].filter(([i, j]) => j < n).map(([i, j]) => ({ a: names[i], b: names[j], path: '', reason: '' })),
  );
  const figures = (set: readonly number[]): CombinationFigures => {
    let success = set.reduce((t, i) => t + gain[i], 0);
    for (const i of set) for (const j of set) success += pairs.get(`${i},${j}`) ?? 0;
    return fig([...set], set.reduce((t, i) => t + price[i], 0), success);
  };
  return { conflicts, figures };
}

/** Every compatible subset by brute force, the empty one included. */
function bruteForce(n: number, conflicts: boolean[][], figures: (s: number[]) => CombinationFigures): CombinationFigures[] {
  const out: CombinationFigures[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const set = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
    if (set.some((i) => set.some((j) => conflicts[i][j]))) continue;
    out.push(figures(set));
  }
  return out;
}

/** Runs a search to its end, answering each batch from `figures`; returns what it simulated, batch by batch. */
function drive(n: number, conflicts: boolean[][], figures: (s: readonly number[]) => CombinationFigures, budget: number | null, maxCombinations?: number) {
  const known = new Map<string, CombinationFigures>([['', KEEP_AS_IS_FIGURES]]);
  const better = (a: readonly number[], b: readonly number[]) => compareForRecommendation(known.get(setKey(a))!, known.get(setKey(b))!, budget) < 0;
  const plan = searchPlan(n, conflicts, maxCombinations);
  const batches: number[][][] = [];
  for (const batch of searchCombinations(n, conflicts, plan, better)) {
    batches.push(batch);
    for (const set of batch) known.set(setKey(set), figures(set));
  }
  return { plan, batches, simulated: [...known.values()].filter((c) => c.options.length > 0) };
}

describe('the search', () => {
  it('lists every combination up to 10 options and finds the brute-force optimum under a budget', () => {
    const n = 8;
    const { conflicts, figures } = objective(n, 5);
    for (const budget of [0, 500, 1500, null]) {
      const { plan, batches, simulated } = drive(n, conflicts, figures, budget);
      expect(plan.method).toBe('exhaustive');
      // 2⁸ − 1 = 255, less the sets holding {0,1} (64) or {2,5} (64), plus those holding both (16): 143.
      expect(plan.combinations).toBe(143);
      expect(batches).toHaveLength(1);
      expect(simulated).toHaveLength(143);
      const best = bruteForce(n, conflicts, figures).reduce((b, c) => (compareForRecommendation(c, b, budget) < 0 ? c : b));
      expect(recommendCombination(simulated, budget).options).toEqual(best.options);
    }
  });

  it('simulates at most K combinations beyond 10 options (or below the count when told), each once, none holding a conflict, the same on every run', () => {
    const n = 14;
    const { conflicts, figures } = objective(n, 11);
    expect(searchPlan(n, conflicts).method).toBe('bounded');
    expect(searchPlan(n, conflicts).limit).toBe(64);
    expect(searchPlan(40, Array.from({ length: 40 }, () => Array<boolean>(40).fill(false))).limit).toBe(80);
    for (const k of [1, 5, 14, 15, 30, 64, 200]) {
      const { plan, batches } = drive(n, conflicts, figures, 2000, k);
      expect(plan).toMatchObject({ method: 'bounded', limit: k });
      const all = batches.flat();
      expect(all.length).toBeLessThanOrEqual(k);
      expect(new Set(all.map(setKey)).size).toBe(all.length);
      for (const s of all) for (const i of s) for (const j of s) expect(conflicts[i][j]).toBe(false);
      expect(drive(n, conflicts, figures, 2000, k).batches).toEqual(batches);
    }
    // Told fewer than the 143 combinations of 8 options: bounded too.
    expect(drive(8, objective(8, 5).conflicts, objective(8, 5).figures, null, 20).plan.method).toBe('bounded');
  });

  it('finds the optimum when the options do not interact and there is no budget: every option that gains', () => {
    const n = 12;
    const gains = [0.05, -0.01, 0.03, 0.002, -0.04, 0.01, 0.02, -0.003, 0.04, 0.001, 0.015, -0.02];
    const figures = (set: readonly number[]) => fig([...set], set.length * 100, set.reduce((t, i) => t + gains[i], 0), 0, 0);
    const conflicts = Array.from({ length: n }, () => Array.from({ length: n }, () => false));
    const { simulated } = drive(n, conflicts, figures, null);
    expect(recommendCombination(simulated, null).options).toEqual(gains.flatMap((g, i) => (g > 0 ? [i] : [])));
  });

  it('swaps out of a greedy dead end: the pair that only pays together', () => {
    // Alone, option 0 gains most; 1 and 2 gain a little each but 10 pp more together; the budget fits two options.
    const gains = [0.05, 0.01, 0.01, 0];
    const figures = (set: readonly number[]) =>
      fig([...set], set.length * 100, set.reduce((t, i) => t + gains[i], 0) + (set.includes(1) && set.includes(2) ? 0.1 : 0), 0, 0);
    const conflicts = gains.map(() => gains.map(() => false));
    // Greedy: the 4 singles, {0} + each (3), then {0, 1} + each (2, over budget) – stuck at {0, 1}; its swaps then reach {1, 2} (2 more).
    const { plan, batches, simulated } = drive(4, conflicts, figures, 200, 11);
    expect(plan.method).toBe('bounded');
    expect(batches.flat().map(setKey)).toEqual(['0', '1', '2', '3', '0,1', '0,2', '0,3', '0,1,2', '0,1,3', '1,2', '1,3']);
    expect(recommendCombination(simulated, 200).options).toEqual([1, 2]);
  });
});

describe('the answer', () => {
  it('recommends the highest success within budget among sets that do not make it worse; ties to the lower net cost, then the lower p95, then fewer options', () => {
    const sets = [fig([0], 100, 0.05), fig([1], 300, 0.08), fig([0, 1], 900, 0.12), fig([2], 50, -0.02), fig([3], 100, 0.05, 0, 0.001, 80), fig([0, 3], 100, 0.05, 0, 0.001, 80)];
    expect(recommendCombination(sets, 500).options).toEqual([1]);
    expect(recommendCombination(sets, null).options).toEqual([0, 1]);
    // [0], [3] and [0, 3] tie on success at $100: [3] and [0, 3] have the lower net cost, and [3] fewer options.
    expect(recommendCombination(sets, 100).options).toEqual([3]);
    // Equal success and net cost: the lower p95 before the fewer options.
    expect(recommendCombination([fig([0], 100, 0.05, 10), fig([0, 1], 100, 0.05, -400)], null).options).toEqual([0, 1]);
    // Nothing fits, or only what makes success worse: keep as is.
    expect(recommendCombination(sets, 60).options).toEqual([]);
    expect(recommendCombination(sets, 10).options).toEqual([]);
  });

  it('keeps the combinations nothing beats on cost, success and p95, cheapest first; the line only where success rises', () => {
    const a = fig([0], 100, 0.05, 10);
    const b = fig([1], 200, 0.04, -50); // dearer and less success than a, but faster: on the frontier, off the line
    const c = fig([0, 1], 300, 0.09, 0);
    const d = fig([2], 300, 0.08, 5); // beaten by c on all three
    const frontier = paretoFrontier([a, b, c, d]);
    expect(frontier.map((x) => x.options)).toEqual([[], [0], [1], [0, 1]]);
    expect(costSuccessLine(frontier).map((x) => x.options)).toEqual([[], [0], [0, 1]]);
  });

  it('names the best first step: the most success per dollar among single options on the frontier that surely gain, or says why none', () => {
    const cheap = fig([0], 100, 0.02);
    const dear = fig([1], 1000, 0.1);
    // 2 pp per $100 (20 per $1,000) beats 10 pp per $1,000.
    expect(bestFirstStep(paretoFrontier([cheap, dear]), null)).toEqual({ option: 0, successPerThousandUsd: 20 });
    // An option that saves money comes first whatever its gain.
    expect(bestFirstStep(paretoFrontier([cheap, dear, fig([2], -50, 0.001, 0, 0.0005)]), null)).toEqual({ option: 2, successPerThousandUsd: null });
    expect(bestFirstStep(paretoFrontier([dear]), 500)).toEqual({ option: null, reason: 'every single option on the frontier that raises task success costs more than the budget' });
    expect(bestFirstStep(paretoFrontier([fig([0], 100, 0.001, 0, 0.01)]), null).option).toBeNull();
    expect(bestFirstStep(paretoFrontier([fig([0], 100, 0.01), fig([0, 1], 50, 0.02)]), null)).toMatchObject({ option: null, reason: expect.stringMatching(/^no single option is on the frontier/) });
  });
});
