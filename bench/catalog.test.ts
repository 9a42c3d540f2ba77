import { describe, expect, it } from 'vitest';
import { KERNELS, KERNEL_IDS, selectKernels } from './catalog.js';

describe('kernel catalogue', () => {
  it('keeps its stable ids', () => {
    expect(KERNEL_IDS).toMatchInlineSnapshot(`
      [
        "retrieval.exact-ts-384-1k",
        "retrieval.exact-wasm-384-1k",
        "retrieval.exact-ts-768-1k",
        "retrieval.exact-wasm-768-1k",
        "retrieval.exact-ts-1536-1k",
        "retrieval.exact-wasm-1536-1k",
        "retrieval.exact-ts-384-100k",
        "retrieval.exact-wasm-384-100k",
        "retrieval.exact-ts-768-100k",
        "retrieval.exact-wasm-768-100k",
        "retrieval.exact-ts-1536-100k",
        "retrieval.exact-wasm-1536-100k",
        "retrieval.hnsw-384-ef16",
        "retrieval.hnsw-384-ef32",
        "retrieval.hnsw-384-ef64",
        "retrieval.hnsw-384-ef128",
        "retrieval.hnsw-384-ef256",
        "retrieval.bm25",
        "orchestration.tokenize-cold",
        "orchestration.tokenize-warm",
        "orchestration.json-state",
        "orchestration.structured-clone",
        "orchestration.ajv-handoff",
        "orchestration.state-graph-step",
        "ingress.hmac-sha256",
        "assembly.template-json",
        "handoff.piscina-roundtrip",
        "memory.stream-read",
        "memory.stream-triad",
      ]
    `);
    expect(new Set(KERNEL_IDS).size).toBe(KERNELS.length);
  });

  it('selects by id or dotted prefix', () => {
    expect(selectKernels(['retrieval.exact-wasm-384'], false).map((k) => k.id)).toEqual(['retrieval.exact-wasm-384-1k', 'retrieval.exact-wasm-384-100k']);
    expect(selectKernels(['ingress', 'memory.stream-read'], false).map((k) => k.id)).toEqual(['ingress.hmac-sha256', 'memory.stream-read']);
    expect(selectKernels(['retrieval.hnsw'], true).map((k) => k.id)).toEqual(['retrieval.hnsw-384-ef16', 'retrieval.hnsw-384-ef64', 'retrieval.hnsw-384-ef256']);
    expect(selectKernels(['retrieval.exact-ts-1536-100k'], true).map((k) => k.id)).toEqual(['retrieval.exact-ts-1536-100k']);
  });

  it('quick mode drops the wide and the extra ef kernels', () => {
    expect(selectKernels(undefined, true)).toHaveLength(19);
    expect(selectKernels(undefined, false)).toHaveLength(29);
  });

  it('names the known ids when a pattern matches nothing', () => {
    expect(() => selectKernels(['retrieval.faiss'], false)).toThrow(/unknown kernel "retrieval\.faiss"; known kernel ids: retrieval\.exact-ts-384-1k, /);
  });
});
