/**
 * HNSW fixture: a clustered corpus indexed by hnswlib-node (M = 16,
 * efConstruction = 200). The index is built once per bench run (or reused from
 * the cache directory) and loaded by each isolate; recall@10 per ef is measured
 * against exact search on 200 held-out queries from the same mixture.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { HNSW_FIXTURE } from '../catalog.js';
import { exactTopKTs } from '../kernels/exact.js';
import { childSeed } from '../kernels/prng.js';
import { recallAtK } from '../kernels/recall.js';
import { TopKCollector } from '../kernels/topk.js';
import { type ClusteredCorpus, clusteredCorpus } from '../kernels/vectors.js';
import { type Hnswlib, loadHnswlib } from '../native.js';
import type { FixtureOptions } from '../protocol.js';
import { type KernelInstance, type SuiteSetup, pick } from './types.js';

type Index = InstanceType<Hnswlib['HierarchicalNSW']>;

function corpusFor(seed: number): ClusteredCorpus {
  const { count, dim, clusters, sigma } = HNSW_FIXTURE;
  return clusteredCorpus({ count, dim, clusters, sigma, seed: childSeed(seed, 'hnsw/corpus') });
}

function indexPath(options: FixtureOptions): string {
  const f = HNSW_FIXTURE;
  return join(options.cacheDir, `hnsw-${f.dim}-n${f.count}-c${f.clusters}-s${f.sigma}-m${f.m}-efc${f.efConstruction}-seed${options.seed}-v1.bin`);
}

async function requireLib(): Promise<Hnswlib> {
  const loaded = await loadHnswlib();
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.lib;
}

/** Builds and caches the index unless a cached one exists. Returns whether it built. */
export async function ensureIndex(options: FixtureOptions, corpus?: ClusteredCorpus): Promise<boolean> {
  const file = indexPath(options);
  if (existsSync(file)) return false;
  const lib = await requireLib();
  const data = (corpus ?? corpusFor(options.seed)).data;
  const { dim, count, m, efConstruction } = HNSW_FIXTURE;
  const index = new lib.HierarchicalNSW('ip', dim);
  index.initIndex(count, m, efConstruction, 100);
  for (let i = 0; i < count; i++) index.addPoint(Array.from(data.subarray(i * dim, (i + 1) * dim)), i);
  mkdirSync(options.cacheDir, { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  index.writeIndexSync(temp);
  renameSync(temp, file);
  return true;
}

export const setup: SuiteSetup = async (options, kernelIds) => {
  const lib = await requireLib();
  const { dim, queries: queryCount, k } = HNSW_FIXTURE;
  const corpus = corpusFor(options.seed);
  await ensureIndex(options, corpus);
  const index: Index = new lib.HierarchicalNSW('ip', dim);
  index.readIndexSync(indexPath(options));
  const queryData = corpus.sampleQueries(queryCount, childSeed(options.seed, 'hnsw/queries'));
  const queries = Array.from({ length: queryCount }, (_, q) => Array.from(queryData.subarray(q * dim, (q + 1) * dim)));
  const collector = new TopKCollector(k);
  const scratch = new Float32Array(HNSW_FIXTURE.count);
  const truth = Array.from({ length: queryCount }, (_, q) =>
    exactTopKTs(corpus.data, HNSW_FIXTURE.count, dim, queryData.subarray(q * dim, (q + 1) * dim), scratch, collector).indices,
  );
  const available = new Map<string, KernelInstance>();
  for (const id of kernelIds) {
    const ef = Number(/-ef(\d+)$/.exec(id)?.[1]);
    if (!Number.isInteger(ef)) continue;
    index.setEf(ef);
    const recall = recallAtK(queries.map((q) => index.searchKnn(q, k).neighbors), truth, k);
    let next = 0;
    available.set(id, {
      async: false,
      work: {},
      quality: { recallAt10: recall },
      run: () => {
        index.setEf(ef);
        return index.searchKnn(queries[next++ % queryCount], k).neighbors[0];
      },
    });
  }
  return { kernels: pick(available, kernelIds, options.suite), dispose: async () => {} };
};
