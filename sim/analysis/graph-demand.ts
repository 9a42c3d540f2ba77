/**
 * Expected work per request on a graph: the traffic equations (graph-flow.ts)
 * give each stage's visits per request – routers' shares, fan-out widths,
 * loop iterations multiply them – and each visit makes the attempts, retries
 * and hedges a chain's visit of that stage makes (demand.ts attemptLaw and
 * visit-shape.ts), its fallback chain taking the visits it fails.
 *
 * Approximations beyond the chain's (demand.ts): corrupted input is not
 * followed into validation, nested retries (propagate) and restarts are not
 * counted – a graph's visits come from its structure; the budget and the
 * per-pool offered load need the right order of magnitude, which loops and
 * fan-outs decide.
 */
import type { Model } from '../path/model.js';
import type { GraphModel } from '../path/graph.js';
import { addVisits, attemptLaw, demandRows, MAX_FALLBACK_DEPTH, poolTotals } from './attempt-law.js';
import type { Demand } from './demand-types.js';
import { visitShape } from './visit-shape.js';
import { graphFlow } from './graph-flow.js';

export function graphDemand(model: Model, graph: GraphModel): Demand {
  const n = model.stages.length;
  const all = [...model.stages, ...model.fallbacks];
  const { defs, human } = demandRows(model);
  let backoffMs = 0;
  const visit = (d: number, visits: number, depth: number): void => {
    const s = all[d];
    const { law, draw } = attemptLaw(s, 0, 0);
    const shape = visitShape(law, draw, s.retry.maxAttempts, s.retry.backoff);
    backoffMs += addVisits(defs[d], visits, shape, s);
    const failed = visits * (1 - shape.pass);
    if (s.fallback >= 0 && depth < MAX_FALLBACK_DEPTH) visit(n + s.fallback, failed, depth + 1);
    else if (s.escalate && human !== null) {
      human.visits += failed;
      human.attempts += failed;
    }
  };
  const { nodeVisits } = graphFlow(model, graph);
  for (let i = 0; i < n; i++) if (nodeVisits[i] > 0) visit(i, nodeVisits[i], 0);
  if (human !== null) defs.push(human);
  return { defs, ...poolTotals(model, defs), backoffMs, nodeVisits };
}
