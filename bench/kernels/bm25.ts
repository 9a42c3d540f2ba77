/**
 * BM25 ranking over an inverted index (Robertson & Zaragoza, "The
 * Probabilistic Relevance Framework: BM25 and Beyond", 2009, eq. 3.15 with the
 * non-negative idf used by Lucene since 6.0):
 *
 *   idf(t)      = ln(1 + (N − n_t + 0.5) / (n_t + 0.5))
 *   score(d, q) = Σ_{t ∈ q} idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d|/avgdl))
 *
 * Defaults k1 = 1.2, b = 0.75 (Lucene's BM25Similarity defaults).
 * Query terms are deduplicated; documents are term-id arrays.
 */
import { type TopK, TopKCollector } from './topk.js';
import { mulberry32 } from './prng.js';

/** BM25 free parameters. */
export interface Bm25Params {
  readonly k1: number;
  readonly b: number;
}

/** Lucene's defaults. */
export const BM25_DEFAULTS: Bm25Params = { k1: 1.2, b: 0.75 };

/** Postings of one term: ascending doc ids with their term frequencies. */
interface Postings {
  readonly docs: Uint32Array;
  readonly tfs: Uint16Array;
}

/** An immutable inverted index with precomputed idf and length norms. */
export interface Bm25Index {
  readonly docCount: number;
  readonly avgDocLength: number;
  readonly params: Bm25Params;
  /** Per term id; undefined for terms that occur nowhere. */
  readonly postings: readonly (Postings | undefined)[];
  readonly idf: Float64Array;
  /** k1·(1 − b + b·|d|/avgdl) per document. */
  readonly lengthNorm: Float64Array;
}

/** Builds the index. O(total tokens · log doc length): each document's terms are sorted and counted in runs. */
export function buildBm25Index(docs: readonly (readonly number[])[], vocabularySize: number, params: Bm25Params = BM25_DEFAULTS): Bm25Index {
  const docCount = docs.length;
  const postingDocs: number[][] = [];
  const postingTfs: number[][] = [];
  let totalLength = 0;
  let sorted = new Int32Array(256);
  docs.forEach((doc, docId) => {
    totalLength += doc.length;
    if (sorted.length < doc.length) sorted = new Int32Array(doc.length * 2);
    for (let i = 0; i < doc.length; i++) {
      const term = doc[i];
      if (!(term >= 0 && term < vocabularySize)) throw new Error(`term id ${term} outside vocabulary of ${vocabularySize}`);
      sorted[i] = term;
    }
    const terms = sorted.subarray(0, doc.length).sort();
    for (let i = 0; i < terms.length; ) {
      const term = terms[i];
      let j = i + 1;
      while (j < terms.length && terms[j] === term) j++;
      (postingDocs[term] ??= []).push(docId);
      (postingTfs[term] ??= []).push(Math.min(j - i, 65535));
      i = j;
    }
  });
  const avgDocLength = docCount > 0 ? totalLength / docCount : 0;
  const idf = new Float64Array(vocabularySize);
  const postings: (Postings | undefined)[] = new Array(vocabularySize);
  for (let term = 0; term < vocabularySize; term++) {
    const list = postingDocs[term];
    if (!list) continue;
    const n = list.length;
    idf[term] = Math.log(1 + (docCount - n + 0.5) / (n + 0.5));
    postings[term] = { docs: Uint32Array.from(list), tfs: Uint16Array.from(postingTfs[term]) };
  }
  const lengthNorm = new Float64Array(docCount);
  docs.forEach((doc, docId) => {
    lengthNorm[docId] = params.k1 * (1 - params.b + (params.b * doc.length) / avgDocLength);
  });
  return { docCount, avgDocLength, params, postings, idf, lengthNorm };
}

/** Reusable per-query scratch: a dense accumulator plus the list of touched docs. */
export class Bm25Scratch {
  readonly scores: Float64Array;
  readonly touched: Uint32Array;
  touchedCount = 0;
  readonly collector: TopKCollector;
  constructor(docCount: number, k: number) {
    this.scores = new Float64Array(docCount);
    this.touched = new Uint32Array(docCount);
    this.collector = new TopKCollector(k);
  }
}

/** Term-at-a-time scoring, then top-k over the touched documents. */
export function bm25Search(index: Bm25Index, queryTerms: readonly number[], scratch: Bm25Scratch): TopK {
  const { scores, touched } = scratch;
  const k1plus1 = index.params.k1 + 1;
  scratch.touchedCount = 0;
  const seen = new Set<number>();
  for (const term of queryTerms) {
    if (seen.has(term)) continue;
    seen.add(term);
    const list = index.postings[term];
    if (!list) continue;
    const idf = index.idf[term];
    const { docs, tfs } = list;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      const tf = tfs[i];
      if (scores[doc] === 0) touched[scratch.touchedCount++] = doc;
      scores[doc] += (idf * tf * k1plus1) / (tf + index.lengthNorm[doc]);
    }
  }
  const collector = scratch.collector;
  collector.reset();
  for (let i = 0; i < scratch.touchedCount; i++) {
    const doc = touched[i];
    collector.push(doc, scores[doc]);
    scores[doc] = 0;
  }
  return collector.result();
}

/** Shape of the synthetic corpus. */
export interface SyntheticCorpusSpec {
  readonly docs: number;
  readonly vocabulary: number;
  /** Zipf exponent of term frequencies (natural text is close to 1). */
  readonly zipfExponent: number;
  readonly minDocLength: number;
  readonly maxDocLength: number;
  readonly seed: number;
}

/** Documents whose term ids follow a Zipf law (term id = frequency rank). */
export function syntheticCorpus(spec: SyntheticCorpusSpec): number[][] {
  const cdf = zipfCdf(spec.vocabulary, spec.zipfExponent);
  const uniform = mulberry32(spec.seed);
  const docs: number[][] = [];
  for (let d = 0; d < spec.docs; d++) {
    const length = spec.minDocLength + Math.floor(uniform() * (spec.maxDocLength - spec.minDocLength + 1));
    const doc = new Array<number>(length);
    for (let i = 0; i < length; i++) doc[i] = sampleCdf(cdf, uniform());
    docs.push(doc);
  }
  return docs;
}

/** Queries of `terms` distinct terms drawn uniformly from frequency ranks [fromRank, toRank). */
export function syntheticQueries(count: number, terms: number, fromRank: number, toRank: number, seed: number): number[][] {
  const uniform = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const query = new Set<number>();
    while (query.size < terms) query.add(fromRank + Math.floor(uniform() * (toRank - fromRank)));
    return [...query];
  });
}

function zipfCdf(size: number, exponent: number): Float64Array {
  const cdf = new Float64Array(size);
  let total = 0;
  for (let rank = 0; rank < size; rank++) {
    total += 1 / Math.pow(rank + 1, exponent);
    cdf[rank] = total;
  }
  for (let rank = 0; rank < size; rank++) cdf[rank] /= total;
  return cdf;
}

function sampleCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
