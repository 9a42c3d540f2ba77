/**
 * Beta draws that stay right for any shapes, however small – the per-request
 * difficulty of attempt.ts, q ~ Beta((1 − p)κ, pκ), whose shapes are tiny when
 * requests differ a lot (a small concentration κ).
 *
 * A Beta(a, b) draw is X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). For a
 * shape below 1, Gamma(a) is drawn as Gamma(a + 1) · U^(1/a) (Marsaglia &
 * Tsang 2000, §6), and U^(1/a) underflows to 0 once a is small: at a = 0.0005,
 * half of all draws are 0. With both draws 0 the ratio is undefined, and a
 * fallback that picked one side for every such request turned error 0.5,
 * 3 attempts, κ = 0.001 into a success rate of 0.26 instead of ~0.5 (κ ≤ 1e-8:
 * 0). Here both draws stay logarithms – ln X = ln Gamma(a + 1) + ln(U) / a,
 * which is finite for every U > 0 – and only their difference is
 * exponentiated: X / (X + Y) = 1 / (1 + e^(ln Y − ln X)). That is the same
 * number wherever the linear draws did not underflow, from the same uniforms
 * in the same order, so seeded runs with moderate κ are unchanged.
 */
import { marsagliaTsang } from './dist.js';
import type { Uniform01 } from './uniform.js';

/** Precomputed Marsaglia–Tsang constants of one Gamma shape, drawn in logs. */
class LogGamma {
  private readonly d: number;
  private readonly c: number;
  private readonly boost: boolean;
  private readonly invShape: number;
  constructor(shape: number) {
    this.boost = shape < 1;
    this.invShape = 1 / shape;
    this.d = (this.boost ? shape + 1 : shape) - 1 / 3;
    this.c = 1 / Math.sqrt(9 * this.d);
  }
  /** ln of one Gamma(shape) draw: −Infinity only when the boost's uniform is exactly 0. */
  sample(u: Uniform01): number {
    const lg = Math.log(marsagliaTsang(this.d, this.c, u));
    return this.boost ? lg + Math.log(u()) * this.invShape : lg;
  }
}

export class BetaSampler {
  private readonly x: LogGamma;
  private readonly y: LogGamma;
  /** Shapes a, b > 0 (finite). */
  constructor(readonly a: number, readonly b: number) {
    if (!(a > 0 && b > 0 && a < Infinity && b < Infinity)) throw new RangeError(`Beta shapes must be finite and > 0; got ${a}, ${b}`);
    this.x = new LogGamma(a);
    this.y = new LogGamma(b);
  }

  /**
   * One draw in [0, 1]: X's uniforms first, then Y's (as the linear form
   * drew them). Both logarithms −Infinity – both boost uniforms exactly 0, a
   * 2^−64 event – leave the ratio undefined; the draw is then the mean.
   */
  sample(u: Uniform01): number {
    const lx = this.x.sample(u);
    const ly = this.y.sample(u);
    const diff = ly - lx;
    return diff === diff ? 1 / (1 + Math.exp(diff)) : this.a / (this.a + this.b);
  }
}
