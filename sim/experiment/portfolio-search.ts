/**
 * Which combinations of options to simulate. Up to MAX_EXHAUSTIVE_OPTIONS
 * options, all of them (1,023 at most); beyond, a local search that simulates
 * at most a given number: greedy forward selection – from keeping as is, add
 * the option whose combination ranks best, while that improves the rank –
 * then, from the set it stops at, single removals and pairwise swaps (one
 * member out, one other option in), taking any that ranks better and
 * resuming the greedy from there (Hastie, Tibshirani & Friedman, The
 * Elements of Statistical Learning, 2nd ed., §3.3.2: forward stepwise
 * selection; the swaps are the 1-exchange neighbourhood of local search).
 * Interactions are why it is a search over simulated combinations and not a
 * sum over single options; the price is that a search can miss the best set
 * where two options only pay together, which the exhaustive list cannot.
 *
 * A search is a generator: it yields each batch of combinations to simulate
 * (option indices, ascending), the caller simulates the batch – one
 * experiment, so a batch runs in parallel – and resumes it. `better(a, b)`
 * ranks two simulated combinations (the recommendation's own order,
 * portfolio.ts) and is only asked about sets simulated already ([] is keeping
 * as is). Deterministic: the same answers give the same batches.
 */
import { canJoin, compatibleSubsets, countCompatibleSubsets, MAX_EXHAUSTIVE_OPTIONS } from './portfolio-conflicts.js';

/** Combinations a bounded search simulates at most, unless told (or, with more options, twice the options). */
export const DEFAULT_MAX_COMBINATIONS = 64;

export interface SearchPlan {
  method: 'exhaustive' | 'bounded';
  /** Non-empty combinations without a conflicting pair: what an exhaustive search simulates. */
  combinations: number;
  /** The most a bounded search simulates; null for an exhaustive one. */
  limit: number | null;
}

/**
 * Exhaustive when there are at most MAX_EXHAUSTIVE_OPTIONS options and no
 * explicit `maxCombinations` below their count; else bounded at
 * `maxCombinations` (default DEFAULT_MAX_COMBINATIONS, at least twice the
 * options: each option alone first, then as many steps again).
 */
export function searchPlan(n: number, conflicts: readonly (readonly boolean[])[], maxCombinations?: number): SearchPlan {
  const combinations = countCompatibleSubsets(n, conflicts);
  if (n <= MAX_EXHAUSTIVE_OPTIONS && (maxCombinations === undefined || combinations <= maxCombinations)) return { method: 'exhaustive', combinations, limit: null };
  return { method: 'bounded', combinations, limit: maxCombinations ?? Math.max(DEFAULT_MAX_COMBINATIONS, 2 * n) };
}

/** A set's identity: its indices, ascending, joined. */
export const setKey = (set: readonly number[]): string => set.join(',');

const sorted = (set: readonly number[]): number[] => [...set].sort((a, b) => a - b);

/** Batches of combinations to simulate, by `plan` (searchPlan). */
export function* searchCombinations(
  n: number,
  conflicts: readonly (readonly boolean[])[],
  plan: SearchPlan,
  better: (a: readonly number[], b: readonly number[]) => boolean,
): Generator<number[][], void, void> {
  if (plan.method === 'exhaustive') {
    const all = compatibleSubsets(n, conflicts);
    if (all.length > 0) yield all;
    return;
  }
  yield* boundedSearch(n, conflicts, plan.limit!, better);
}

/** Greedy forward selection, then removals and swaps; at most `limit` combinations simulated. */
function* boundedSearch(
  n: number,
  conflicts: readonly (readonly boolean[])[],
  limit: number,
  better: (a: readonly number[], b: readonly number[]) => boolean,
): Generator<number[][], void, void> {
  const tried = new Set<string>(['']);
  let left = limit;
  /** Simulates the candidates not simulated yet, in the order given, as far as the limit allows. */
  function* simulate(candidates: readonly number[][]): Generator<number[][], void, void> {
    const batch: number[][] = [];
    for (const c of candidates) {
      if (batch.length >= left) break;
      const k = setKey(c);
      if (tried.has(k)) continue;
      tried.add(k);
      batch.push(c);
    }
    left -= batch.length;
    if (batch.length > 0) yield batch;
  }
  /** The best simulated set among `candidates`, or null when none was simulated. */
  const bestOf = (candidates: readonly number[][]): number[] | null =>
    candidates.filter((c) => tried.has(setKey(c))).reduce<number[] | null>((b, c) => (b === null || better(c, b) ? c : b), null);

  // Each option alone first; then they are tried in the order they rank alone whenever the limit cuts a batch.
  yield* simulate(Array.from({ length: n }, (_, i) => [i]));
  // (A limit below the options leaves some never simulated: they go last, in the scenario's order.)
  const alone = (i: number) => tried.has(setKey([i]));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    alone(a) !== alone(b) ? (alone(a) ? -1 : 1) : !alone(a) ? a - b : better([a], [b]) ? -1 : better([b], [a]) ? 1 : a - b,
  );
  let current: number[] = [];
  for (;;) {
    // Greedy: add the option that ranks best with the current set, while that beats the set as it is.
    for (;;) {
      const extensions = order.filter((i) => canJoin(current, i, conflicts)).map((i) => sorted([...current, i]));
      yield* simulate(extensions);
      const best = bestOf(extensions);
      if (best === null || !better(best, current)) break;
      current = best;
    }
    // Then one member out, or one out and another in: the best of these, when it ranks better, restarts the greedy from there.
    const neighbours: number[][] = [];
    for (const m of [...current]) {
      const without = current.filter((x) => x !== m);
      if (without.length > 0) neighbours.push(without);
      for (const i of order) if (i !== m && canJoin(without, i, conflicts)) neighbours.push(sorted([...without, i]));
    }
    yield* simulate(neighbours);
    const best = bestOf(neighbours);
    if (best === null || !better(best, current)) return;
    current = best;
  }
}
