/**
 * Counter-based uniform draws for common random numbers.
 *
 * A draw is a pure function of (purpose key, request index, counter, j): the
 * j-th uniform of the counter-th use of a purpose by one request. So a
 * variant that adds a retry to one request leaves every other request's
 * draws – and that request's draws at other stages – exactly as they were;
 * baseline and variant differ only where the variant changes something.
 * (Sequential streams cannot do this: one extra draw shifts every later one.)
 *
 * Mixing: Chris Wellons' "lowbias32" integer hash (hash-prospector, 2020;
 * bias ≈ 0.17, among the best known 32-bit two-multiply hashes), applied in a
 * chain with golden-ratio offsets as in SplitMix (Steele, Lea & Flood, 2014).
 * The purpose key itself comes from SHA-256 (RandomStreams.key), so streams
 * of similar names are unrelated. 32-bit output, like the xor128 streams.
 */
import type { Uniform01 } from './rng.js';

export function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

const TWO_POW_32 = 4294967296;

export class KeyedUniform {
  private base = 0;
  private j = 0;
  /** The next uniform for the key set by the last `at` call. */
  readonly next: Uniform01 = () => lowbias32((this.base + Math.imul(++this.j, 0x6d2b79f5)) | 0) / TWO_POW_32;

  constructor(readonly key: number) {}

  /** The first uniform of (request, counter): the common one-draw case, no closure call. */
  uniform(request: number, counter: number): number {
    const base = lowbias32(lowbias32(this.key ^ Math.imul(request, 0x9e3779b1)) ^ Math.imul(counter + 1, 0x85ebca77));
    return lowbias32((base + 0x6d2b79f5) | 0) / TWO_POW_32;
  }

  /** Points the stream at (request, counter) and returns the draw function. */
  at(request: number, counter: number): Uniform01 {
    this.base = lowbias32(lowbias32(this.key ^ Math.imul(request, 0x9e3779b1)) ^ Math.imul(counter + 1, 0x85ebca77));
    this.j = 0;
    return this.next;
  }
}
