/**
 * The joins' closed forms, for graph-flow.ts: a quorum's Poisson-binomial
 * sum, a vote among the outputs that come back, and a fork-join's mean
 * latency H_n/μ where it holds.
 */
import type { Model } from '../path/model.js';
import { FLOW_END, type GraphModel } from '../path/graph.js';
import { samplerSpec } from '../kernel/dist.js';

/**
 * A fork-join's mean latency where the closed form holds: n branches, each
 * one fault-free stage with exponential service of one mean 1/μ, joined
 * `all` – the mean of the largest of n exponentials, H_n/μ (H_n the n-th
 * harmonic number; Nelson & Tantawi, IEEE Trans. Computers 37(6), 1988).
 * Service time only: queueing for the branches' servers is not in it.
 */
export interface ForkJoinFigures {
  id: string;
  branches: number;
  meanMs: number;
}

/** Poisson-binomial: P(at least k of independent events with these probabilities). */
export function atLeast(k: number, probabilities: readonly number[]): number {
  let dist = [1];
  for (const p of probabilities) {
    const next = new Array(dist.length + 1).fill(0);
    dist.forEach((q, j) => {
      next[j] += q * (1 - p);
      next[j + 1] += q * p;
    });
    dist = next;
  }
  return dist.slice(Math.max(0, k)).reduce((a, b) => a + b, 0);
}

/**
 * A vote among the outputs that come back (composites.ts decideVote): clean
 * when the clean ones outnumber the corrupted ones. Branch i returns clean
 * with cᵢ, corrupted with pᵢ − cᵢ, nothing with 1 − pᵢ; the distribution of
 * (clean − corrupted) is built branch by branch and its positive part summed.
 */
export function voteClean(p: readonly number[], c: readonly number[]): number {
  const n = p.length;
  let dist = new Array(2 * n + 1).fill(0);
  dist[n] = 1;
  p.forEach((pass, i) => {
    const next = new Array(2 * n + 1).fill(0);
    dist.forEach((q, d) => {
      if (q === 0) return;
      next[d] += q * (1 - pass);
      if (d + 1 <= 2 * n) next[d + 1] += q * c[i];
      if (d - 1 >= 0) next[d - 1] += q * (pass - c[i]);
    });
    dist = next;
  });
  return dist.slice(n + 1).reduce((a, b) => a + b, 0);
}

/** The fork-joins whose mean latency has the closed form H_n/μ (ForkJoinFigures). */
export function forkJoins(model: Model, graph: GraphModel): ForkJoinFigures[] {
  const n = model.stages.length;
  /** The mean of a flow that is one fault-free, unretried stage with exponential service; undefined otherwise. */
  const exponentialMeanMs = (f: number): number | undefined => {
    const start = graph.flows[f].start;
    if (start < 0 || start >= n || graph.next[start].targets.some((t) => t !== FLOW_END)) return undefined;
    const s = model.stages[start];
    const spec = samplerSpec(s.latency);
    const faultFree = s.errorProbability + s.timeoutProbability + s.corruptionProbability + s.staleReadProbability === 0;
    if (spec?.dist !== 'exponential' || !faultFree || s.guard !== null || s.hedgeDelayMs !== Infinity || s.attemptTimeoutMs !== Infinity) return undefined;
    return spec.meanMs * s.serviceScale;
  };
  const out: ForkJoinFigures[] = [];
  for (const c of graph.composites) {
    if (c.join !== 'all' || (c.kind !== 'parallel' && !(c.kind === 'map' && c.itemsSpec?.kind === 'fixed'))) continue;
    const means = c.kind === 'parallel' ? c.flows.map(exponentialMeanMs) : [exponentialMeanMs(c.flows[0])];
    const branches = c.kind === 'parallel' ? c.flows.length : (c.itemsSpec as { count: number }).count;
    if (branches < 1 || means.some((m) => m === undefined || Math.abs(m - means[0]!) > 1e-9 * m)) continue;
    let harmonic = 0;
    for (let k = 1; k <= branches; k++) harmonic += 1 / k;
    out.push({ id: c.id, branches, meanMs: means[0]! * harmonic });
  }
  return out;
}
