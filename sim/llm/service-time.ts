/**
 * The service time of one LLM call: time to first token, then the remaining
 * output tokens one time-per-output-token apart – LLMPerf's definition
 * ("the total end-to-end response time is equal to TTFT + (N-1) * ITL",
 * ray-project/llmperf-leaderboard README). The engine draws the three parts
 * itself (it needs the token count for cost and TPM); this sampler gives the
 * analysis the same law: mean, variance, largest draw and P(X ≤ x).
 */
import type { Sampler } from '../kernel/dist.js';
import type { Uniform01 } from '../kernel/uniform.js';
import type { TokenSampler } from './tokens.js';

/** TTFT + (n − 1) × TPOT; a call that writes no token ends at its first chunk. */
export function llmServiceMs(ttftMs: number, tpotMs: number, outputTokens: number): number {
  return outputTokens > 1 ? ttftMs + (outputTokens - 1) * tpotMs : ttftMs;
}

/** Quantiles of a random TPOT the cdf averages over (midpoints of 64 equal-mass slices). */
const TPOT_SLICES = 64;

export class LlmServiceSampler implements Sampler {
  readonly meanMs: number;
  readonly varianceMs2: number;
  readonly maxMs: number;
  /** P(M = m) over the tokens after the first, M = max(0, min(N, cap) − 1). */
  private readonly afterFirst: [number, number][];

  constructor(
    readonly ttft: Sampler,
    readonly tpot: Sampler,
    readonly outputTokens: TokenSampler,
    readonly maxTokens: number,
  ) {
    const merged = new Map<number, number>();
    for (const [n, p] of outputTokens.pmf()) {
      const m = Math.max(0, Math.min(n, maxTokens) - 1);
      merged.set(m, (merged.get(m) ?? 0) + p);
    }
    this.afterFirst = [...merged.entries()].sort((a, b) => a[0] - b[0]);
    let em = 0;
    let em2 = 0;
    for (const [m, p] of this.afterFirst) {
      em += m * p;
      em2 += m * m * p;
    }
    const et = tpot.meanMs;
    const et2 = tpot.varianceMs2 + et * et;
    this.meanMs = ttft.meanMs + em * et;
    this.varianceMs2 = ttft.varianceMs2 + em2 * et2 - em * em * et * et;
    this.maxMs = ttft.maxMs + this.afterFirst[this.afterFirst.length - 1][0] * tpot.maxMs;
  }

  sample(u: Uniform01): number {
    const n = Math.min(this.outputTokens.fromUniform(u()), this.maxTokens);
    return llmServiceMs(this.ttft.sample(u), this.tpot.sample(u), n);
  }

  /**
   * P(TTFT + M·TPOT ≤ x) = Σ_m P(M = m) · E[F_TTFT(x − m·TPOT)]: exact for a
   * constant TPOT, else averaged over TPOT's quantiles (its inverse
   * transform at 64 slice midpoints; its mean when it has none).
   */
  cdf(xMs: number): number {
    const tpots =
      this.tpot.varianceMs2 === 0 || this.tpot.fromUniform === undefined
        ? [this.tpot.meanMs]
        : Array.from({ length: TPOT_SLICES }, (_, i) => this.tpot.fromUniform!((i + 0.5) / TPOT_SLICES));
    let total = 0;
    for (const [m, p] of this.afterFirst) {
      let f = 0;
      for (const t of tpots) f += this.ttft.cdf(xMs - m * t);
      total += (p * f) / tpots.length;
    }
    return Math.min(1, total);
  }
}
