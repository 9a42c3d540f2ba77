/**
 * Distributions over counts – items a map fans out over, iterations an agent
 * loop runs – each drawn from one uniform by its inverse CDF, so a draw is
 * keyed like every other (keyed.ts) and common random numbers hold.
 *
 * Kinds: a fixed count; Poisson(mean) (documents retrieved when the number
 * varies around a mean); uniform over [min, max]; geometric on {1, 2, …}
 * with a given mean (iterations until a stop with probability 1/mean); and an
 * empirical table of (count, weight).
 */

export interface CountSampler {
  readonly mean: number;
  /** The smallest and largest count it can draw (max may be Infinity for unbounded tails). */
  readonly min: number;
  readonly max: number;
  /** The count at uniform u ∈ [0, 1). */
  fromUniform(u: number): number;
}

export type CountSpec =
  | { kind: 'fixed'; count: number }
  | { kind: 'poisson'; mean: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'geometric'; mean: number }
  | { kind: 'empirical'; table: readonly (readonly [number, number])[] };

/**
 * A count as scenario files write it (scenario/graph-schema.ts countSchema:
 * map items, loop iterations; llm/ token counts): a whole number or a
 * `{ dist }` object.
 */
export type CountInput =
  | number
  | { dist: 'poisson'; mean: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'geometric'; mean: number }
  | { dist: 'empirical'; counts: readonly (readonly [number, number])[] };

/** A count as written → the spec its sampler is built from. */
export function countSpecOf(c: CountInput): CountSpec {
  if (typeof c === 'number') return { kind: 'fixed', count: c };
  switch (c.dist) {
    case 'poisson':
      return { kind: 'poisson', mean: c.mean };
    case 'uniform':
      return { kind: 'uniform', min: c.min, max: c.max };
    case 'geometric':
      return { kind: 'geometric', mean: c.mean };
    case 'empirical':
      return { kind: 'empirical', table: c.counts };
  }
}

/** Largest Poisson mean tabulated (the scenario schema's bound): the table has about mean + 40·√mean entries. */
export const MAX_POISSON_MEAN = 1e6;

/** A table sampler: the smallest count whose cumulative weight exceeds u. */
function tableSampler(counts: readonly number[], cumulative: readonly number[], mean: number): CountSampler {
  const last = counts.length - 1;
  return {
    mean,
    min: Math.min(...counts),
    max: Math.max(...counts),
    fromUniform(u) {
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (u < cumulative[mid]) hi = mid;
        else lo = mid + 1;
      }
      return counts[lo];
    },
  };
}

export function makeCountSampler(spec: CountSpec): CountSampler {
  switch (spec.kind) {
    case 'fixed':
      return { mean: spec.count, min: spec.count, max: spec.count, fromUniform: () => spec.count };
    case 'uniform': {
      const span = spec.max - spec.min + 1;
      return { mean: (spec.min + spec.max) / 2, min: spec.min, max: spec.max, fromUniform: (u) => spec.min + Math.min(span - 1, Math.floor(u * span)) };
    }
    case 'geometric': {
      // P(N = k) = p(1 − p)^(k−1), k ≥ 1, mean 1/p; inverse CDF ⌈ln(1 − u) / ln(1 − p)⌉.
      const p = 1 / spec.mean;
      if (p >= 1) return { mean: 1, min: 1, max: 1, fromUniform: () => 1 };
      const logQ = Math.log1p(-p);
      return { mean: spec.mean, min: 1, max: Infinity, fromUniform: (u) => Math.max(1, Math.ceil(Math.log1p(-u) / logQ)) };
    }
    case 'poisson':
    case 'empirical': {
      // The inverse CDF over the probability table (countPmf): the smallest count whose cumulative mass exceeds u.
      const pmf = countPmf(spec);
      let running = 0;
      const cumulative = pmf.map(([, p]) => (running += p));
      cumulative[cumulative.length - 1] = 1;
      const mean = spec.kind === 'poisson' ? spec.mean : pmf.reduce((a, [c, p]) => a + c * p, 0);
      return tableSampler(pmf.map(([c]) => c), cumulative, mean);
    }
  }
}

/** Mass a probability table may leave out of an unbounded count (geometric, Poisson). */
const PMF_TAIL = 1e-12;

/**
 * The count's probability mass function as [count, probability] pairs, the
 * unbounded kinds cut where less than 1e-12 remains (that remainder is put
 * on the last count, so the masses sum to 1).
 */
export function countPmf(spec: CountSpec): [number, number][] {
  switch (spec.kind) {
    case 'fixed':
      return [[spec.count, 1]];
    case 'uniform': {
      const span = spec.max - spec.min + 1;
      return Array.from({ length: span }, (_, i): [number, number] => [spec.min + i, 1 / span]);
    }
    case 'empirical': {
      const weight = spec.table.reduce((a, [, w]) => a + w, 0);
      const merged = new Map<number, number>();
      for (const [c, w] of spec.table) merged.set(c, (merged.get(c) ?? 0) + w / weight);
      return [...merged.entries()].sort((a, b) => a[0] - b[0]);
    }
    case 'geometric': {
      const p = 1 / spec.mean;
      const out: [number, number][] = [];
      let left = 1;
      for (let k = 1; left > PMF_TAIL; k++) {
        const q = p * (1 - p) ** (k - 1);
        out.push([k, q]);
        left -= q;
        if (p >= 1) break;
      }
      out[out.length - 1][1] += Math.max(0, left);
      return out;
    }
    case 'poisson': {
      // In log space from 0 (exp(−λ) underflows past λ ≈ 745); exact enough up to MAX_POISSON_MEAN.
      const out: [number, number][] = [];
      let logP = -spec.mean;
      let left = 1;
      for (let k = 0; ; k++) {
        if (k > 0) logP += Math.log(spec.mean / k);
        const q = Math.exp(logP);
        out.push([k, q]);
        left -= q;
        if (k > spec.mean && left < PMF_TAIL) break;
      }
      out[out.length - 1][1] += Math.max(0, left);
      return out;
    }
  }
}
