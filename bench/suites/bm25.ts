/** BM25 fixture: 50,000 Zipf-distributed documents (7.5 M tokens), 64 rotating 6-term queries. */
import { Bm25Scratch, buildBm25Index, bm25Search, syntheticCorpus, syntheticQueries } from '../kernels/bm25.js';
import { childSeed } from '../kernels/prng.js';
import { type KernelInstance, type SuiteSetup, pick } from './types.js';

export const setup: SuiteSetup = async (options, kernelIds) => {
  const vocabulary = 50_000;
  const docs = syntheticCorpus({ docs: 50_000, vocabulary, zipfExponent: 1.07, minDocLength: 50, maxDocLength: 250, seed: childSeed(options.seed, 'bm25/docs') });
  const index = buildBm25Index(docs, vocabulary);
  // Content words below the stop-word band: frequency ranks 5 … 500.
  const queries = syntheticQueries(64, 6, 5, 500, childSeed(options.seed, 'bm25/queries'));
  const scratch = new Bm25Scratch(index.docCount, 10);
  let next = 0;
  const kernel: KernelInstance = {
    async: false,
    work: {},
    run: () => {
      const top = bm25Search(index, queries[next++ & 63], scratch);
      return top.indices.length > 0 ? top.indices[0] + top.scores[0] : 0;
    },
  };
  return { kernels: pick(new Map([['retrieval.bm25', kernel]]), kernelIds, options.suite), dispose: async () => {} };
};
