/**
 * Synthetic embedding corpora.
 *
 * Exact-scan corpora only need realistic sizes (their timing does not depend on
 * the values), so they are filled with uniform components and normalised.
 * Approximate search needs structure: on uniformly random vectors every point
 * is nearly equidistant from every other and HNSW recall@10 collapses (about
 * 0.08 measured), so its corpus is drawn around cluster centres, like real
 * embeddings of documents about a limited set of topics.
 */
import { gaussian, mulberry32 } from './prng.js';

/** Scales each row of a row-major matrix to unit L2 norm, in place. */
export function normalizeRows(data: Float32Array, count: number, dim: number): void {
  for (let row = 0; row < count; row++) {
    const base = row * dim;
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += data[base + j] * data[base + j];
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let j = 0; j < dim; j++) data[base + j] *= scale;
  }
}

/** Fills `out` (count × dim, row-major) with unit vectors of uniform components. */
export function fillUniformUnitVectors(out: Float32Array, count: number, dim: number, seed: number): void {
  if (out.length < count * dim) throw new Error(`fillUniformUnitVectors: out holds ${out.length} floats, needs ${count * dim}`);
  const uniform = mulberry32(seed);
  const total = count * dim;
  for (let i = 0; i < total; i++) out[i] = uniform() * 2 - 1;
  normalizeRows(out, count, dim);
}

/** Parameters of a clustered corpus. */
export interface ClusterSpec {
  readonly count: number;
  readonly dim: number;
  readonly clusters: number;
  /** Noise scale relative to a unit centre (per-component sd = sigma / sqrt(dim)). */
  readonly sigma: number;
  readonly seed: number;
}

/** A clustered corpus plus a sampler for queries from the same distribution. */
export interface ClusteredCorpus {
  readonly data: Float32Array;
  readonly centres: Float32Array;
  /** Draws `count` query vectors from the same mixture (not copies of corpus points). */
  sampleQueries(count: number, seed: number): Float32Array;
}

/** Gaussian mixture on the unit sphere: a random centre plus isotropic noise, normalised. */
export function clusteredCorpus(spec: ClusterSpec): ClusteredCorpus {
  const { count, dim, clusters, sigma, seed } = spec;
  const centreRandom = mulberry32(seed);
  const centreNormal = gaussian(centreRandom);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = centreNormal();
  normalizeRows(centres, clusters, dim);
  const draw = (out: Float32Array, n: number, drawSeed: number): void => {
    const uniform = mulberry32(drawSeed);
    const normal = gaussian(uniform);
    const noise = sigma / Math.sqrt(dim);
    for (let row = 0; row < n; row++) {
      const centre = Math.floor(uniform() * clusters) * dim;
      for (let j = 0; j < dim; j++) out[row * dim + j] = centres[centre + j] + noise * normal();
    }
    normalizeRows(out, n, dim);
  };
  const data = new Float32Array(count * dim);
  draw(data, count, seed ^ 0x9e3779b9);
  return {
    data,
    centres,
    sampleQueries(n: number, querySeed: number): Float32Array {
      const out = new Float32Array(n * dim);
      draw(out, n, querySeed);
      return out;
    },
  };
}
