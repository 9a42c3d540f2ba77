/**
 * STREAM-style fixture (McCalpin, STREAM benchmark, https://www.cs.virginia.edu/stream/):
 * three 128 MiB float64 arrays, each at least 4× a 32 MB last-level cache as
 * STREAM's rules ask. Read sums one array; triad computes a = b + s·c and
 * counts 3 × 128 MiB per call, STREAM's convention (write-allocate traffic not
 * counted). Both run as WebAssembly SIMD so they are a bandwidth ceiling, not a
 * measure of scalar JavaScript.
 */
import { instantiateSimd } from '../kernels/wasm-simd.js';
import { type KernelInstance, type SuiteSetup, pick } from './types.js';

export const ARRAY_BYTES = 128 * 1024 * 1024;

export const setup: SuiteSetup = async (options, kernelIds) => {
  const simd = instantiateSimd(3 * ARRAY_BYTES);
  const [a, b, c] = [0, ARRAY_BYTES, 2 * ARRAY_BYTES];
  const doubles = ARRAY_BYTES / 8;
  new Float64Array(simd.memory.buffer, b, doubles).fill(1);
  new Float64Array(simd.memory.buffer, c, doubles).fill(2);
  const first = new Float64Array(simd.memory.buffer, a, 1);
  const read: KernelInstance = { async: false, work: { bytes: ARRAY_BYTES }, run: () => simd.streamRead(b, ARRAY_BYTES) };
  const triad: KernelInstance = {
    async: false,
    work: { bytes: 3 * ARRAY_BYTES },
    run: () => {
      simd.streamTriad(a, b, c, ARRAY_BYTES, 3);
      return first[0];
    },
  };
  const available = new Map([
    ['memory.stream-read', read],
    ['memory.stream-triad', triad],
  ]);
  return { kernels: pick(available, kernelIds, options.suite), dispose: async () => {} };
};
