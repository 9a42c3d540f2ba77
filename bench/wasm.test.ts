import { describe, expect, it } from 'vitest';
import { dotScoresTs } from './kernels/exact.js';
import { TopKCollector, selectTopK } from './kernels/topk.js';
import { fillUniformUnitVectors } from './kernels/vectors.js';
import { s32, u32 } from './kernels/wasm-encoder.js';
import { align64, instantiateSimd, simdModuleBytes, wasmSimdSupported } from './kernels/wasm-simd.js';

describe('LEB128', () => {
  // Examples from the LEB128 article of the DWARF 4 spec, §7.6.
  it('encodes unsigned values', () => {
    expect(u32(2)).toEqual([2]);
    expect(u32(127)).toEqual([127]);
    expect(u32(128)).toEqual([0x80, 1]);
    expect(u32(12857)).toEqual([0xb9, 0x64]);
  });
  it('encodes signed values', () => {
    expect(s32(2)).toEqual([2]);
    expect(s32(-2)).toEqual([0x7e]);
    expect(s32(127)).toEqual([0xff, 0]);
    expect(s32(-127)).toEqual([0x81, 0x7f]);
    expect(s32(-128)).toEqual([0x80, 0x7f]);
  });
});

describe('WebAssembly SIMD kernels', () => {
  it('assemble into a valid module', () => {
    expect(Array.from(simdModuleBytes().subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(wasmSimdSupported()).toBe(true);
  });

  for (const dim of [384, 768, 1536]) {
    it(`score and rank exactly as the TypeScript kernel at dim ${dim}`, () => {
      const count = 500;
      const queryOffset = 0;
      const scoreOffset = align64(dim * 4);
      const corpusOffset = scoreOffset + align64(count * 4);
      const simd = instantiateSimd(corpusOffset + count * dim * 4);
      const corpus = new Float32Array(simd.memory.buffer, corpusOffset, count * dim);
      const query = new Float32Array(simd.memory.buffer, queryOffset, dim);
      fillUniformUnitVectors(corpus, count, dim, 7);
      fillUniformUnitVectors(query, 1, dim, 8);
      simd.dotScores(corpusOffset, queryOffset, count, dim, scoreOffset);
      const wasmScores = new Float32Array(simd.memory.buffer, scoreOffset, count).slice();
      const tsScores = new Float32Array(count);
      dotScoresTs(corpus, count, dim, query, tsScores);
      // Different summation orders: equal up to float32 rounding.
      for (let i = 0; i < count; i++) expect(Math.abs(wasmScores[i] - tsScores[i])).toBeLessThan(1e-5);
      const collector = new TopKCollector(10);
      const wasmTop = Array.from(selectTopK(wasmScores, count, collector).indices);
      const tsTop = Array.from(selectTopK(tsScores, count, collector).indices);
      expect(wasmTop).toEqual(tsTop);
    });
  }

  it('STREAM read sums and triad computes a = b + s·c', () => {
    const bytes = 4096;
    const simd = instantiateSimd(3 * bytes);
    const floats = new Float32Array(simd.memory.buffer, 0, bytes / 4).fill(0.5);
    expect(simd.streamRead(0, bytes)).toBe(floats.length * 0.5);
    const b = new Float64Array(simd.memory.buffer, bytes, bytes / 8);
    const c = new Float64Array(simd.memory.buffer, 2 * bytes, bytes / 8);
    b.forEach((_, i) => (b[i] = i));
    c.fill(2);
    simd.streamTriad(0, bytes, 2 * bytes, bytes, 3);
    const a = new Float64Array(simd.memory.buffer, 0, bytes / 8);
    expect(Array.from(a.subarray(0, 4))).toEqual([6, 7, 8, 9]);
    expect(a[a.length - 1]).toBe(b.length - 1 + 6);
  });

  it('rejects shapes the kernels do not handle', () => {
    const simd = instantiateSimd(1024);
    expect(() => simd.dotScores(0, 0, 1, 20, 0)).toThrow(/multiple of 16/);
    expect(() => simd.streamRead(0, 100)).toThrow(/multiple of 64/);
  });
});
