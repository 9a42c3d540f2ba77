/**
 * The kernel catalogue: stable dotted ids, what each measures, the fixture
 * ("suite") it shares with sibling kernels, and whether `--quick` runs it.
 * Ids are part of the profile format (scenarios name them); never rename one,
 * add a new id instead. Pure data: safe to import anywhere.
 */

/** Stage of the request path a kernel stands for (DOMAIN.md). */
export type KernelGroup = 'retrieval' | 'orchestration' | 'ingress' | 'assembly' | 'handoff' | 'memory';

/** A fixture shared by the kernels measured together in one isolate. */
export type SuiteId =
  | 'exact-384-1k' | 'exact-768-1k' | 'exact-1536-1k'
  | 'exact-384-100k' | 'exact-768-100k' | 'exact-1536-100k'
  | 'hnsw-384' | 'bm25' | 'tokenize' | 'state' | 'handoff' | 'stream';

/** One benchmark kernel. */
export interface KernelSpec {
  readonly id: string;
  readonly group: KernelGroup;
  readonly suite: SuiteId;
  readonly title: string;
  /** Included in `--quick`. */
  readonly quick: boolean;
  /** Fixture parameters, recorded in the profile so `compare` can spot mismatches. */
  readonly params: Readonly<Record<string, number | string>>;
  /** A native addon the kernel needs; skipped with a notice when it cannot load. */
  readonly native?: 'hnswlib-node';
}

/** Corpus sizes: "in cache" fits the last-level cache of any current server CPU (≤ 6 MB); "out of cache" is ≥ 150 MB. */
export const EXACT_SIZES = { '1k': 1_000, '100k': 100_000 } as const;
/** Embedding widths of common models (MiniLM/bge-small, bge-base, OpenAI text-embedding-3-small). */
export const EXACT_DIMS = [384, 768, 1536] as const;
/** HNSW fixture: M = 16, efConstruction = 200 (hnswlib's recommended defaults), clustered corpus. */
export const HNSW_FIXTURE = { dim: 384, count: 10_000, clusters: 100, sigma: 1, m: 16, efConstruction: 200, queries: 200, k: 10 } as const;
/** The ef values of the sweep; quick runs the subset marked below. */
export const HNSW_EFS = [16, 32, 64, 128, 256] as const;
const HNSW_QUICK_EFS: readonly number[] = [16, 64, 256];

function exactKernels(): KernelSpec[] {
  const specs: KernelSpec[] = [];
  for (const size of ['1k', '100k'] as const) {
    for (const dim of EXACT_DIMS) {
      for (const impl of ['ts', 'wasm'] as const) {
        const count = EXACT_SIZES[size];
        specs.push({
          id: `retrieval.exact-${impl}-${dim}-${size}`,
          group: 'retrieval',
          suite: `exact-${dim}-${size}` as SuiteId,
          title: `exact top-10 by inner product, ${impl === 'ts' ? 'TypeScript' : 'WebAssembly SIMD'}, ${count.toLocaleString('en-US')} × ${dim} float32 (${((count * dim * 4) / 1e6).toFixed(1)} MB)`,
          quick: dim === 384,
          params: { impl, dim, count, k: 10, bytesPerQuery: count * dim * 4 },
        });
      }
    }
  }
  return specs;
}

/** Every kernel, in run order. */
export const KERNELS: readonly KernelSpec[] = [
  ...exactKernels(),
  ...HNSW_EFS.map((ef): KernelSpec => ({
    id: `retrieval.hnsw-384-ef${ef}`,
    group: 'retrieval',
    suite: 'hnsw-384',
    title: `HNSW (hnswlib-node) top-10, ef = ${ef}, ${HNSW_FIXTURE.count.toLocaleString('en-US')} clustered × 384, M = 16, efConstruction = 200`,
    quick: HNSW_QUICK_EFS.includes(ef),
    params: { ...HNSW_FIXTURE, ef },
    native: 'hnswlib-node',
  })),
  { id: 'retrieval.bm25', group: 'retrieval', suite: 'bm25', title: 'BM25 top-10 over an inverted index, 50,000 Zipf documents, 6-term queries', quick: true, params: { docs: 50_000, vocabulary: 50_000, terms: 6, k1: 1.2, b: 0.75 } },
  { id: 'orchestration.tokenize-cold', group: 'orchestration', suite: 'tokenize', title: 'BPE tokenisation (gpt-tokenizer o200k_base) of a ~4 KB prompt, merge cache cleared before each call', quick: true, params: { encoding: 'o200k_base', promptChars: 4000 } },
  { id: 'orchestration.tokenize-warm', group: 'orchestration', suite: 'tokenize', title: 'BPE tokenisation (gpt-tokenizer o200k_base) of a ~4 KB prompt, warm merge cache', quick: true, params: { encoding: 'o200k_base', promptChars: 4000 } },
  { id: 'orchestration.json-state', group: 'orchestration', suite: 'state', title: 'JSON.stringify + JSON.parse of a ~20 KB agent state', quick: true, params: { stateBytes: 20_000 } },
  { id: 'orchestration.structured-clone', group: 'orchestration', suite: 'state', title: 'structuredClone of the ~20 KB agent state', quick: true, params: { stateBytes: 20_000 } },
  { id: 'orchestration.ajv-handoff', group: 'orchestration', suite: 'state', title: 'ajv validation of a ~2 KB hand-off payload (schema compiled once)', quick: true, params: { payloadBytes: 2_000 } },
  { id: 'orchestration.state-graph-step', group: 'orchestration', suite: 'state', title: 'state-graph step: node update, reducer merge, conditional routing', quick: true, params: { stateBytes: 20_000 } },
  { id: 'ingress.hmac-sha256', group: 'ingress', suite: 'state', title: 'HMAC-SHA256 verification of a ~1 KB signed request (constant-time compare)', quick: true, params: { bodyBytes: 1_000 } },
  { id: 'assembly.template-json', group: 'assembly', suite: 'state', title: 'response assembly: Markdown template with citations + JSON envelope', quick: true, params: { stateBytes: 20_000 } },
  { id: 'handoff.piscina-roundtrip', group: 'handoff', suite: 'handoff', title: 'Piscina round trip of the ~2 KB hand-off payload to a worker thread and back', quick: true, params: { payloadBytes: 2_000 } },
  { id: 'memory.stream-read', group: 'memory', suite: 'stream', title: 'STREAM-style sequential read (WebAssembly SIMD) over 128 MiB', quick: true, params: { bytes: 128 * 1024 * 1024 } },
  { id: 'memory.stream-triad', group: 'memory', suite: 'stream', title: 'STREAM triad a = b + s·c on float64 (WebAssembly SIMD), 3 × 128 MiB', quick: true, params: { bytes: 3 * 128 * 1024 * 1024 } },
];

/** All kernel ids, in run order. */
export const KERNEL_IDS: readonly string[] = KERNELS.map((k) => k.id);

/** Looks a kernel up; undefined when unknown. */
export function kernelSpec(id: string): KernelSpec | undefined {
  return KERNELS.find((k) => k.id === id);
}

/**
 * Resolves a `--kernels` list: each entry is an exact id or a dotted prefix
 * (`retrieval`, `retrieval.exact`, `orchestration.tokenize`). Throws naming
 * the entry that matched nothing.
 */
export function selectKernels(patterns: readonly string[] | undefined, quick: boolean): KernelSpec[] {
  const pool = quick ? KERNELS.filter((k) => k.quick) : KERNELS;
  if (!patterns || patterns.length === 0) return [...pool];
  const chosen = new Set<string>();
  for (const raw of patterns) {
    const pattern = raw.trim();
    if (!pattern) continue;
    const matches = KERNELS.filter((k) => k.id === pattern || k.id.startsWith(`${pattern}.`) || k.id.startsWith(`${pattern}-`));
    if (matches.length === 0) throw new Error(`unknown kernel "${pattern}"; known kernel ids: ${KERNEL_IDS.join(', ')}`);
    // An explicit id always runs; a prefix in quick mode keeps to the quick set.
    for (const k of matches) if (k.id === pattern || !quick || k.quick) chosen.add(k.id);
  }
  return KERNELS.filter((k) => chosen.has(k.id));
}
