/**
 * Seeded generators for synthetic benchmark data.
 *
 * Mulberry32 (Tommy Ettinger, public domain) is used instead of seedrandom
 * because the out-of-cache corpora need hundreds of millions of draws and a
 * one-line 32-bit generator fills 150 MB in well under a second. It is good
 * enough for test data, not for the simulator's statistics.
 */

/** A function returning uniform floats in [0, 1). */
export type Uniform = () => number;

/** Mulberry32: 32-bit state, period 2^32. Same seed, same sequence. */
export function mulberry32(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by the Box–Muller transform (both values used). */
export function gaussian(uniform: Uniform): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = 1 - uniform(); // (0, 1]: log(0) never happens
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

/** Derives a child seed so that each purpose gets its own stream. */
export function childSeed(seed: number, purpose: string): number {
  let hash = 2166136261 ^ seed; // FNV-1a over the purpose string
  for (let i = 0; i < purpose.length; i++) {
    hash ^= purpose.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}
