/**
 * Exact top-10 fixture: one corpus in WebAssembly memory, scanned by both the
 * TypeScript and the WebAssembly SIMD kernel (the TypeScript kernel reads the
 * same bytes through a Float32Array view), 16 rotating queries.
 */
import { childSeed } from '../kernels/prng.js';
import { exactTopKTs } from '../kernels/exact.js';
import { TopKCollector, selectTopK } from '../kernels/topk.js';
import { fillUniformUnitVectors } from '../kernels/vectors.js';
import { align64, instantiateSimd } from '../kernels/wasm-simd.js';
import { EXACT_SIZES } from '../catalog.js';
import { type KernelInstance, type SuiteSetup, pick } from './types.js';

const QUERIES = 16;

export const setup: SuiteSetup = async (options, kernelIds) => {
  const match = /^exact-(\d+)-(1k|100k)$/.exec(options.suite);
  if (!match) throw new Error(`not an exact-scan suite: ${options.suite}`);
  const dim = Number(match[1]);
  const count = EXACT_SIZES[match[2] as keyof typeof EXACT_SIZES];
  const queryBytes = align64(QUERIES * dim * 4);
  const scoreOffset = queryBytes;
  const corpusOffset = scoreOffset + align64(count * 4);
  const simd = instantiateSimd(corpusOffset + count * dim * 4);
  const buffer = simd.memory.buffer;
  const corpus = new Float32Array(buffer, corpusOffset, count * dim);
  const queries = new Float32Array(buffer, 0, QUERIES * dim);
  const scores = new Float32Array(buffer, scoreOffset, count);
  fillUniformUnitVectors(corpus, count, dim, childSeed(options.seed, `${options.suite}/corpus`));
  fillUniformUnitVectors(queries, QUERIES, dim, childSeed(options.seed, `${options.suite}/queries`));
  const queryViews = Array.from({ length: QUERIES }, (_, q) => queries.subarray(q * dim, (q + 1) * dim));
  const collector = new TopKCollector(10);
  const work = { bytes: count * dim * 4 };
  let next = 0;
  const ts: KernelInstance = {
    async: false,
    work,
    run: () => {
      const top = exactTopKTs(corpus, count, dim, queryViews[next++ % QUERIES], scores, collector);
      return top.indices[0] + top.scores[0];
    },
  };
  const wasm: KernelInstance = {
    async: false,
    work,
    run: () => {
      simd.dotScores(corpusOffset, (next++ % QUERIES) * dim * 4, count, dim, scoreOffset);
      const top = selectTopK(scores, count, collector);
      return top.indices[0] + top.scores[0];
    },
  };
  const size = match[2];
  const available = new Map<string, KernelInstance>([
    [`retrieval.exact-ts-${dim}-${size}`, ts],
    [`retrieval.exact-wasm-${dim}-${size}`, wasm],
  ]);
  return { kernels: pick(available, kernelIds, options.suite), dispose: async () => {} };
};
