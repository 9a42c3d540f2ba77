/**
 * Token counts of one LLM call, drawn from one uniform by an inverse CDF so
 * a call's tokens are keyed like every other draw (common random numbers
 * hold across variants that change something else).
 */
import { makeCountSampler, countPmf, countSpecOf, type CountInput, type CountSampler, type CountSpec } from '../kernel/count-dist.js';
import { invPhi, phi, Z99 } from '../kernel/special.js';
import type { TokenCountInput } from './schema.js';

/**
 * Most tokens one call's count may reach: past every context window (2M,
 * Gemini 1.5 Pro's). A lognormal's tail is cut here.
 */
export const MAX_TOKENS_PER_CALL = 2_000_000;

/** Largest support tabulated exactly by pmf(); wider laws are summarised on a grid of equal-mass quantiles. */
const PMF_EXACT_LIMIT = 65_536;
/** Equal-mass quantiles of that grid. */
const PMF_GRID = 4096;

/** Mass a lognormal may leave above its largest count (that count takes it). */
const LOGNORMAL_TAIL = 1e-9;

/** A token count sampler; `input` is the count as the file wrote it (what crosses to a worker: experiments/model-wire.ts). */
export class TokenSampler implements CountSampler {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  private readonly sampler: CountSampler;
  private readonly exact: () => [number, number][];
  private readonly support: number;

  constructor(readonly input: TokenCountInput) {
    if (typeof input !== 'number' && 'dist' in input && input.dist === 'lognormal') {
      // ln N ~ Normal(mu, sigma), mu = ln(median), sigma = ln(p99/median)/z0.99; N rounded to whole tokens,
      // at least 1, its 1 − 1e-9 tail cut at that quantile (and at MAX_TOKENS_PER_CALL). Drawn by inverse
      // transform: a table of every count ran to 15 million entries for median 1, p99 600, and even a
      // table of 36,000 counts drew more slowly by binary search than Φ⁻¹ and exp (bench-sim --model llm:
      // 2.1 against 2.3 million events/s).
      const mu = Math.log(input.median);
      const sigma = Math.max(0, Math.log(input.p99 / input.median) / Z99);
      const top = Math.min(MAX_TOKENS_PER_CALL, Math.max(1, Math.round(Math.exp(mu + sigma * invPhi(1 - LOGNORMAL_TAIL)))));
      const at = (u: number): number => Math.min(top, Math.max(1, Math.round(Math.exp(mu + sigma * invPhi(u)))));
      const cdf = (x: number) => (sigma === 0 ? (x >= input.median ? 1 : 0) : phi((Math.log(x) - mu) / sigma));
      this.support = top;
      let table: [number, number][] | null = null;
      this.exact = () => {
        if (table === null) {
          table = [];
          let below = 0;
          for (let n = 1; n <= top; n++) {
            const upTo = n === top ? 1 : cdf(n + 0.5);
            if (upTo > below) table.push([n, upTo - below]);
            below = upTo;
          }
        }
        return table;
      };
      let mean = 0;
      if (top <= PMF_EXACT_LIMIT) for (const [n, p] of this.exact()) mean += n * p;
      else {
        for (let i = 0; i < PMF_GRID; i++) mean += at((i + 0.5) / PMF_GRID);
        mean /= PMF_GRID;
      }
      this.sampler = { mean, min: 1, max: top, fromUniform: at };
    } else {
      const table = zipfTable(input);
      const spec: CountSpec = table === null ? countSpecOf(input as CountInput) : { kind: 'empirical', table };
      this.support = supportOf(spec);
      this.sampler = makeCountSampler(spec);
      this.exact = () => countPmf(spec);
    }
    this.mean = this.sampler.mean;
    this.min = this.sampler.min;
    this.max = this.sampler.max;
  }

  /** The count at uniform u ∈ [0, 1). */
  fromUniform(u: number): number {
    return this.sampler.fromUniform(u);
  }

  /**
   * P(N = n) as [n, p] pairs, for the closed forms and tests: exact up to
   * 65,536 counts of support; a wider law as 4,096 equal-mass quantiles (its
   * inverse transform at their midpoints), so the analysis of a heavy tail
   * costs kilobytes, not a table of every count.
   */
  pmf(): [number, number][] {
    if (this.support <= PMF_EXACT_LIMIT) return this.exact();
    const merged = new Map<number, number>();
    for (let i = 0; i < PMF_GRID; i++) {
      const n = this.sampler.fromUniform((i + 0.5) / PMF_GRID);
      merged.set(n, (merged.get(n) ?? 0) + 1 / PMF_GRID);
    }
    return [...merged.entries()].sort((a, b) => a[0] - b[0]);
  }
}

/** How many counts a law's exact pmf lists (countPmf cuts unbounded tails below 1e-12). */
function supportOf(spec: CountSpec): number {
  switch (spec.kind) {
    case 'fixed':
      return 1;
    case 'uniform':
      return spec.max - spec.min + 1;
    case 'poisson':
      return spec.mean + 40 * Math.sqrt(spec.mean) + 10;
    case 'geometric':
      // P(N > k) = (1 − 1/mean)^k falls below 1e-12 at k ≈ 27.6 · mean.
      return spec.mean <= 1 ? 1 : Math.ceil(Math.log(1e-12) / Math.log1p(-1 / spec.mean));
    case 'empirical':
      return spec.table.length;
  }
}

/**
 * A sampler for a token count as scenario files write it: a lognormal by
 * inverse transform (rounded, at least 1); a Zipf law tabulated on
 * 1 … max − 1; the count kinds as kernel/count-dist.ts draws them.
 */
export function makeTokenSampler(input: TokenCountInput): TokenSampler {
  return new TokenSampler(input);
}


/** A Zipf law's [count, weight] table on 1 … max − 1; null for the other kinds. */
function zipfTable(input: TokenCountInput): [number, number][] | null {
  if (typeof input === 'number' || !('dist' in input) || input.dist !== 'zipf') return null;
  const out: [number, number][] = [];
  for (let n = 1; n < input.max; n++) out.push([n, n ** -input.exponent]);
  return out;
}
