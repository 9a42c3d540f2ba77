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
import type { Uniform01 } from './uniform.js';

/**
 * Returns the hash as a *signed* int32 (the same 32 bits): V8 keeps an int32
 * in a register or a small integer, while an unsigned result ≥ 2^31 returned
 * from a call that is not inlined is boxed on the heap – that was ~58 bytes
 * of garbage per simulated request. Keys only meet XOR, which reads the bits
 * either way; `first` and `next` read them as unsigned.
 */
export function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x | 0;
}

const TWO_POW_32 = 4294967296;

/** A request's own key: the first half of every attempt key, computed once per request. */
export function requestKey(request: number): number {
  return lowbias32(Math.imul(request, 0x9e3779b1) ^ 0x5bd1e995);
}

/**
 * The key of one (request, counter) pair, shared by every purpose: each
 * purpose's draws then cost one hash each (its key XOR this, hashed). Counters
 * are distinct as 32-bit words from 0 to 2^32 − 2 (counter + 1 is what is
 * hashed), which covers every attempt serial a run can reach
 * (request-table.ts MAX_EVENTS_PER_RUN).
 */
export function attemptKeyOf(requestKeyValue: number, counter: number): number {
  return lowbias32(requestKeyValue ^ Math.imul(counter + 1, 0x85ebca77));
}

/** Serials an output key's counter word holds (2^20); the definition sits above them. */
const OUTPUT_SERIAL_SPAN = 2 ** 20;

/**
 * The key of the output of definition `definition`'s attempt `serial` (an
 * unsigned value below 2^32) of one request: the hand-off draw after it, so
 * each output crosses once. One counter word holds definition · 2^20 +
 * (serial mod 2^20) – what the key always was for serials below 2^20, so
 * seeded results stay as they were – and the serial's higher part, when it is
 * not zero, is chained in by a second round. So distinct (definition, serial)
 * pairs hash distinct words; the packed word alone repeated after 2^20
 * attempts of one definition ((d, 2^20) met (d + 1, 0)), and common random
 * numbers broke. Needs definition < 2^11 (path/model.ts MAX_DEFINITIONS is 256).
 */
export function outputKeyOf(requestKeyValue: number, definition: number, serial: number): number {
  const word = definition * OUTPUT_SERIAL_SPAN;
  if (serial < OUTPUT_SERIAL_SPAN) return attemptKeyOf(requestKeyValue, word + serial);
  const high = Math.floor(serial / OUTPUT_SERIAL_SPAN);
  const key = attemptKeyOf(requestKeyValue, word + (serial - high * OUTPUT_SERIAL_SPAN));
  return lowbias32(key ^ Math.imul(high, 0xc2b2ae3d) ^ 0x27d4eb2f);
}

/** attemptKeyOf(requestKey(request), counter). */
export function attemptKey(request: number, counter: number): number {
  return attemptKeyOf(requestKey(request), counter);
}

export class KeyedUniform {
  private base = 0;
  private j = 0;
  /** The next uniform for the key set by the last `draws` call. */
  readonly next: Uniform01 = () => (lowbias32((this.base + Math.imul(++this.j, 0x6d2b79f5)) | 0) >>> 0) / TWO_POW_32;

  constructor(readonly key: number) {}

  /** The first uniform of this purpose for an attempt key: the common one-draw case, no closure call. */
  first(attempt: number): number {
    return (lowbias32(((attempt ^ this.key) + 0x6d2b79f5) | 0) >>> 0) / TWO_POW_32;
  }

  /** Points the stream at an attempt key and returns the draw function (for multi-uniform samplers). */
  draws(attempt: number): Uniform01 {
    this.base = attempt ^ this.key;
    this.j = 0;
    return this.next;
  }

  /** first(attemptKey(request, counter)). */
  uniform(request: number, counter: number): number {
    return this.first(attemptKey(request, counter));
  }

  /** draws(attemptKey(request, counter)). */
  at(request: number, counter: number): Uniform01 {
    return this.draws(attemptKey(request, counter));
  }
}

/**
 * The key of a branch of a request's token: branch `index` (a fan-out's
 * branch, a loop's iteration) started at composite node `node`. Every draw
 * inside the branch hangs off it, so a variant that changes one branch – or
 * adds an iteration – leaves the others' draws as they were.
 */
export function branchKeyOf(parentKey: number, node: number, index: number): number {
  return lowbias32(parentKey ^ Math.imul(node + 1, 0x27d4eb2f) ^ lowbias32(Math.imul(index + 1, 0x165667b1)));
}
