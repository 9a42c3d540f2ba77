/**
 * Token counts of one LLM call, drawn from one uniform by an inverse CDF so
 * a call's tokens are keyed like every other draw (common random numbers
 * hold across variants that change something else).
 */
import { makeCountSampler, countPmf, type CountSampler, type CountSpec } from '../kernel/count-dist.js';
import { invPhi, phi, Z99 } from '../kernel/special.js';
import type { TokenCountInput } from './schema.js';

/** A token count sampler; `input` is the count as the file wrote it (what crosses to a worker: experiments/model-wire.ts). */
export class TokenSampler implements CountSampler {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  private readonly sampler: CountSampler;
  private readonly table: [number, number][] | null;
  private readonly spec: CountSpec;

  constructor(readonly input: TokenCountInput) {
    this.table = tokenTable(input);
    this.spec = this.table === null ? countSpecOf(input as CountInputLike) : { kind: 'empirical', table: this.table };
    this.sampler = makeCountSampler(this.spec);
    this.mean = this.sampler.mean;
    this.min = this.sampler.min;
    this.max = this.sampler.max;
  }

  /** The count at uniform u ∈ [0, 1). */
  fromUniform(u: number): number {
    return this.sampler.fromUniform(u);
  }

  /** P(N = n) as [n, p] pairs, for the closed forms and tests. */
  pmf(): [number, number][] {
    if (this.table === null) return countPmf(this.spec);
    const total = this.table.reduce((a, [, w]) => a + w, 0);
    return this.table.map(([n, w]) => [n, w / total]);
  }
}

/** Mass a lognormal's table may leave out (put on its last count). */
const LOGNORMAL_TAIL = 1e-9;

/**
 * A sampler for a token count as scenario files write it. A lognormal is
 * tabulated on whole tokens (rounded, at least 1) up to its 1 − 1e-9
 * quantile, so it draws in O(log n) and has an exact pmf; a Zipf law is
 * tabulated on 1 … max − 1.
 */
export function makeTokenSampler(input: TokenCountInput): TokenSampler {
  return new TokenSampler(input);
}

type CountInputLike = number | { dist: 'poisson'; mean: number } | { dist: 'uniform'; min: number; max: number } | { dist: 'geometric'; mean: number } | { dist: 'empirical'; counts: [number, number][] };

function countSpecOf(c: CountInputLike): CountSpec {
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

/** [count, weight] table for the kinds that are not plain count distributions; null for those that are. */
function tokenTable(input: TokenCountInput): [number, number][] | null {
  if (typeof input === 'number' || !('dist' in input)) return null;
  if (input.dist === 'zipf') {
    const out: [number, number][] = [];
    for (let n = 1; n < input.max; n++) out.push([n, n ** -input.exponent]);
    return out;
  }
  if (input.dist === 'lognormal') {
    // ln N ~ Normal(mu, sigma) with mu = ln(median), sigma = ln(p99/median)/z0.99; N rounded to whole tokens, at least 1.
    const mu = Math.log(input.median);
    const sigma = Math.max(0, Math.log(input.p99 / input.median) / Z99);
    const cdf = (x: number) => (sigma === 0 ? (x >= input.median ? 1 : 0) : phi((Math.log(x) - mu) / sigma));
    const top = Math.max(1, Math.round(sigma === 0 ? input.median : Math.exp(mu + sigma * invPhi(1 - LOGNORMAL_TAIL))));
    const out: [number, number][] = [];
    let below = 0;
    for (let n = 1; n <= top; n++) {
      const upTo = n === top ? 1 : cdf(n + 0.5);
      if (upTo > below) out.push([n, upTo - below]);
      below = upTo;
    }
    return out;
  }
  return null;
}
