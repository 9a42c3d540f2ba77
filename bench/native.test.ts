import { describe, expect, it } from 'vitest';
import { DISABLE_NATIVE_ENV, describeHnswlibBuild } from './native.js';
import { planBench } from './run.js';

// This file's module registry is its own, so the addon loader sees the variable first.
process.env[DISABLE_NATIVE_ENV] = '1';

describe('without the native addon', () => {
  it('skips the HNSW kernels with a reason and keeps the others', async () => {
    const plan = await planBench({ quick: true, kernels: ['retrieval'], threads: 2 });
    expect(plan.skipped.map((s) => s.kernel)).toEqual(['retrieval.hnsw-384-ef16', 'retrieval.hnsw-384-ef64', 'retrieval.hnsw-384-ef256']);
    expect(plan.skipped[0].reason).toMatch(/disabled by COORDGAP_BENCH_DISABLE_NATIVE=1/);
    expect(plan.kernels.map((k) => k.id)).toEqual(['retrieval.exact-ts-384-1k', 'retrieval.exact-wasm-384-1k', 'retrieval.exact-ts-384-100k', 'retrieval.exact-wasm-384-100k', 'retrieval.bm25']);
  });

  it('still describes how the addon was built', () => {
    const info = describeHnswlibBuild(false);
    expect(info.name).toBe('hnswlib-node');
    expect(info.loaded).toBe(false);
  });
});

describe('planning', () => {
  it('states an expected duration and refuses fewer than 3 isolates', async () => {
    const plan = await planBench({ quick: true, threads: 2 });
    expect(plan.estimatedMs).toBeGreaterThan(10_000);
    expect(plan.estimatedMs).toBeLessThan(60_000);
    await expect(planBench({ isolates: 2 })).rejects.toThrow(/at least 3 fresh isolates/);
    await expect(planBench({ kernels: ['nope'] })).rejects.toThrow(/unknown kernel "nope"/);
  });
});
