/**
 * What a graph run reports beyond a chain's figures: per node, how often
 * requests visit it; per composite, what its branches and iterations did –
 * for a loop the iterations per entry (mean, p50, p95, max), how many
 * entries met the step limit and the failed iterations the agent observed
 * and went on from; and tokens per request, which loops multiply.
 */
import { countMax, countQuantile } from './count-histogram.js';
import type { Model } from '../path/model.js';
import type { CompositeModel, GraphModel } from '../path/graph.js';
import { LOOP_HISTOGRAM_BUCKETS, type RunCollector } from './collector.js';

export interface LoopIterations {
  /** Iterations per loop entry that ended (stopped, failed or limited). */
  mean: number;
  p50: number;
  p95: number;
  /** The largest seen; `${LOOP_HISTOGRAM_BUCKETS - 1}+` counts share the last bucket (p95 there reads as at least that). */
  max: number;
  limit: number;
  /** Entries that met the step limit, and their share of the entries that ended. */
  limitHits: number;
  limitHitRate: number;
  /** Failed iterations the agent saw and went on from (observeErrors). */
  observedErrors: number;
}

export interface CompositeResult {
  id: string;
  kind: CompositeModel['kind'];
  /** The join of a fan-out (`quorum:k` spelled out); a loop's and a sub-graph's is their one branch. */
  join: string;
  entries: number;
  /** Branches started per entry: fan-out width, iterations of a loop. */
  branchesPerEntry: number;
  /** Branches abandoned while still running (an `any`/quorum join decided, or the request ended). */
  abandoned: number;
  /** Joins that failed (the branches could not meet them; for a loop, a failure it did not observe). */
  failures: number;
  iterations?: LoopIterations;
}

export interface GraphResult {
  /** Every node: its kind and visits per request (retries in place are not visits). */
  nodes: { id: string; kind: 'stage' | CompositeModel['kind']; visitsPerRequest: number }[];
  composites: CompositeResult[];
  /** Tokens one request used on average, every attempt counted (loops multiply them): fixed `tokens:` per call plus LLM calls' drawn tokens. */
  tokensPerRequest: { input: number; output: number };
}

function loopIterations(c: RunCollector, ci: number, limit: number): LoopIterations {
  const exits = c.compositeExits[ci];
  const from = ci * LOOP_HISTOGRAM_BUCKETS;
  const max = countMax(c.loopIterationCounts, from, LOOP_HISTOGRAM_BUCKETS);
  return {
    mean: exits > 0 ? c.compositeIterations[ci] / exits : 0,
    p50: exits > 0 ? countQuantile(c.loopIterationCounts, from, LOOP_HISTOGRAM_BUCKETS, exits, 0.5) : 0,
    p95: exits > 0 ? countQuantile(c.loopIterationCounts, from, LOOP_HISTOGRAM_BUCKETS, exits, 0.95) : 0,
    max,
    limit,
    limitHits: c.compositeLimitHits[ci],
    limitHitRate: exits > 0 ? c.compositeLimitHits[ci] / exits : 0,
    observedErrors: c.compositeObservedErrors[ci],
  };
}

export function graphResult(model: Model, graph: GraphModel, c: RunCollector): GraphResult {
  const requests = Math.max(1, c.requestsStarted);
  const n = model.stages.length;
  let input = 0;
  let output = 0;
  model.stages.forEach((s, d) => {
    input += c.defAttempts[d] * s.inputTokensPerCall + c.defInputTokens[d];
    output += c.defAttempts[d] * s.outputTokensPerCall + c.defOutputTokens[d];
  });
  model.fallbacks.forEach((s, i) => {
    input += c.defAttempts[n + i] * s.inputTokensPerCall + c.defInputTokens[n + i];
    output += c.defAttempts[n + i] * s.outputTokensPerCall + c.defOutputTokens[n + i];
  });
  return {
    nodes: graph.nodeIds.map((id, node) => ({
      id,
      kind: node < n ? 'stage' : graph.composites[node - n].kind,
      visitsPerRequest: c.nodeVisits[node] / requests,
    })),
    composites: graph.composites.map((m, ci) => {
      const entries = c.nodeVisits[n + ci];
      const row: CompositeResult = {
        id: m.id,
        kind: m.kind,
        join: m.kind === 'map' || m.kind === 'parallel' ? (m.join === 'quorum' ? `quorum:${m.quorum}` : m.join) : 'one',
        entries,
        branchesPerEntry: entries > 0 ? c.compositeBranches[ci] / entries : 0,
        abandoned: c.compositeAbandoned[ci],
        failures: c.compositeFailures[ci],
      };
      if (m.loop !== null) row.iterations = loopIterations(c, ci, m.loop.limit);
      return row;
    }),
    tokensPerRequest: { input: input / requests, output: output / requests },
  };
}
