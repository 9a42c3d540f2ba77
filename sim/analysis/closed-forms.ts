/**
 * Closed forms the simulation is checked against and reports beside its
 * estimates.
 *
 * Series reliability: a request succeeds when every stage passes with a clean
 * (uncorrupted) output. An attempt's fault draw and its service time are
 * independent, so with attempt limit T and service time S:
 *   P(timeout) = p_t + (1 − p_t) · P(S > T)
 *   P(error)   = p_e · P(S ≤ T)
 *   P(ok)      = (1 − p_e − p_t) · P(S ≤ T),  of which corrupted p_c · P(S ≤ T)
 * Retried faults r and terminal faults t give a pass probability of
 * o·(1 − r^k)/(1 − r) (see passProbability); the clean share of a pass is
 * (o − p_c·P(S≤T))/o. Stages are independent, so the end-to-end figures are
 * products; a lenient hand-off multiplies the clean share by
 * (1 − contextLoss − formatMismatch). Valid only while faults are independent
 * and nothing couples requests; which model features that allows is declared,
 * field by field, in closed-form-coverage.ts (the result omits `analytic`
 * wherever a feature it does not cover is present).
 */
import type { Model } from '../path/model.js';
import { closedFormExclusions } from './closed-form-coverage.js';
import { stagePass } from './stage-pass.js';
import { graphFlow } from './graph-flow.js';

export { attemptProbabilities, stagePass } from './stage-pass.js';

export interface AnalyticResult {
  /** End-to-end probability of a correct result. */
  successRate: number;
  /** End-to-end probability that a corrupted result reaches the user. */
  silentFailureRate: number;
  /**
   * A graph's own closed forms (graph-flow.ts): visits per request per node
   * from the traffic equations, and per loop its mean iterations and the
   * share of entries that meet the step limit.
   */
  graph?: {
    /** Expected visits per node; absent where a join abandons branches part-way (then only an upper bound is known). */
    visitsPerRequest?: Record<string, number>;
    loops: { id: string; meanIterations: number; limitHitRate: number }[];
    /** Fork-joins of n exponential branches: mean service time of the join, H_n/μ, without queueing (graph-flow.ts). */
    forkJoins: { id: string; branches: number; meanMs: number }[];
  };
}

/**
 * The closed form for `model`, or undefined when the model has a feature its
 * derivation does not cover (closedFormExclusions says which).
 */
export function analyticResult(model: Model): AnalyticResult | undefined {
  if (closedFormExclusions(model).length > 0) return undefined;
  if (model.graph !== undefined) {
    // Routing, fan-outs and loops: graph-flow.ts, where each composite says whether its figure is exact.
    const flow = graphFlow(model, model.graph);
    if (!flow.main.exact || flow.notExact.length > 0) return undefined;
    return {
      successRate: flow.main.clean,
      silentFailureRate: flow.main.pass - flow.main.clean,
      graph: {
        // Left out where a join abandons branches part-way (graph-flow.ts visitsExact).
        ...(flow.visitsExact ? { visitsPerRequest: Object.fromEntries(model.graph.nodeIds.map((id, i) => [id, flow.nodeVisits[i]])) } : {}),
        loops: flow.loops,
        forkJoins: flow.forkJoins,
      },
    };
  }
  let pass = 1;
  let clean = 1;
  model.stages.forEach((s, i) => {
    const r = stagePass(s);
    const e = model.edges[i];
    pass *= r.pass;
    clean *= r.clean * (e === null ? 1 : 1 - e.contextLossProbability - e.formatMismatchProbability);
  });
  return { successRate: clean, silentFailureRate: pass - clean };
}
