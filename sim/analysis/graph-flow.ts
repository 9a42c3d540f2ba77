/**
 * A graph's traffic equations and its closed forms, in one walk.
 *
 * Each flow (graph.ts) is acyclic, so requests can be pushed through it in
 * topological order as two masses – arriving with clean input, arriving with
 * corrupted input – split by routers' shares, passed or failed by each node,
 * sent down onFailure routes when they fail. A stage passes with the chain's
 * per-stage figures (closed-forms.ts stagePass: retries included) and keeps
 * a clean output with its clean share; a lenient hand-off turns a share
 * (1 − contextLoss − formatMismatch) of the clean mass corrupt. A composite
 * combines its branches' figures (each branch a flow, computed once):
 *
 *   all-join       pass Π pᵢ, clean Π cᵢ                 (series-parallel)
 *   any-join       pass 1 − Π(1 − pᵢ); clean = pass·c/p when every branch
 *                  has the same clean share c/p (else the winner's share
 *                  depends on timing and no closed form is given)
 *   quorum k       P(at least k of the branches pass)     (Poisson-binomial)
 *   vote           clean = P(a strict majority of the branches is clean),
 *                  pass = 1 − Π(1 − pᵢ)
 *   map over N     the same with the branch count drawn: E[p^N] = G_N(p),
 *                  the count's probability generating function
 *   loop           per iteration: continue clean c(1 − s) + (1 − p)·o, stop
 *                  clean c·s; over at most L iterations a geometric sum,
 *                  success = c·s·(1 − q^L)/(1 − q) with q the continue share
 *                  (E[r^N] for a geometric N when o = 0 and L = ∞); a drawn
 *                  count n ≤ L: Σ P(n)·cⁿ
 *
 * Corrupted input stays corrupted (no validation is allowed in a closed
 * form), so a node passes it on with its pass probability. Visits per node
 * are the masses reaching it, times a composite's branches per entry (a
 * loop's mean iterations E[min(T, L)] = (1 − q^L)/(1 − q), q the share that
 * goes round again) – what the demand estimate (graph-demand.ts), the
 * budget and the offered load per pool are built on.
 */
import type { Model } from '../path/model.js';
import { FLOW_END, type CompositeModel, type GraphModel } from '../path/graph.js';
import { countPmf } from '../kernel/count-dist.js';
import { stagePass } from './stage-pass.js';
import { atLeast, forkJoins, voteClean, type ForkJoinFigures } from './graph-joins.js';

/** What one flow does to a request entering it with clean input (corrupted input leaves corrupted, with the same pass probability). */
export interface FlowFigures {
  /** Probability the flow returns an output. */
  pass: number;
  /** Probability it returns a clean output. */
  clean: number;
  /** Whether the figures are exact under the closed forms' assumptions (false: an approximation, good enough for visit counts). */
  exact: boolean;
}

/** A loop's closed-form figures per entry. */
export interface LoopFigures {
  id: string;
  /** Mean iterations per entry, E[min(T, L)]. */
  meanIterations: number;
  /** Probability an entry meets the step limit. */
  limitHitRate: number;
}

export interface GraphFlowResult {
  /** Per loop node, in node order. */
  loops: LoopFigures[];
  /** Per fork-join whose branches meet ForkJoinFigures' conditions. */
  forkJoins: ForkJoinFigures[];
  /** The main flow: success = clean, silent failure = pass − clean. */
  main: FlowFigures;
  /** Expected visits per request, per node (stages, then composites). */
  nodeVisits: number[];
  /** Why a closed form does not hold, one line per cause (empty: exact). */
  notExact: string[];
  /**
   * Whether nodeVisits are exact: a join that decides early (all on a
   * failure, any, quorum) abandons branches part-way, so the nodes after a
   * branch's first are visited less than the walk, which runs every branch
   * to its end, says – an upper bound then, right for the demand estimate.
   */
  visitsExact: boolean;
}

export function graphFlow(model: Model, graph: GraphModel): GraphFlowResult {
  const n = model.stages.length;
  const nodeVisits = graph.nodeIds.map(() => 0);
  const notExact: string[] = [];
  const loops = new Map<string, LoopFigures>();
  let visitsExact = true;
  /** Nodes a flow holds, composites' own flows not counted. */
  const flowSize = (f: number) => graph.nodeFlow.filter((x) => x === f).length;
  const stageFigures = model.stages.map((s) => stagePass(s));

  /** A lenient hand-off's clean factor on edge e (−1: none). */
  const edgeClean = (e: number): number => {
    const edge = e >= 0 ? model.edges[e] : null;
    return edge === null ? 1 : 1 - edge.contextLossProbability - edge.formatMismatchProbability;
  };

  /**
   * Pushes `entries` requests (clean input) through flow f, adding visits;
   * returns what one entry does. Figures per entry are computed once per
   * flow; visits add for every call (a sub-graph used in several places).
   */
  const walk = (f: number, entries: number): FlowFigures => {
    const flow = graph.flows[f];
    const order = graph.nodeIds.map((_, i) => i).filter((i) => graph.nodeFlow[i] === f).sort((a, b) => graph.rank[a] - graph.rank[b]);
    const clean = new Map<number, number>();
    const corrupt = new Map<number, number>();
    const add = (m: Map<number, number>, node: number, x: number) => m.set(node, (m.get(node) ?? 0) + x);
    const entryClean = edgeClean(flow.entryEdge);
    add(clean, flow.start, entryClean);
    add(corrupt, flow.start, 1 - entryClean);
    let endClean = 0;
    let endCorrupt = 0;
    let exact = true;
    const send = (to: number, e: number, c: number, k: number) => {
      if (to === FLOW_END) {
        endClean += c;
        endCorrupt += k;
        return;
      }
      const keep = edgeClean(e);
      add(clean, to, c * keep);
      add(corrupt, to, k + c * (1 - keep));
    };
    for (const node of order) {
      const c = clean.get(node) ?? 0;
      const k = corrupt.get(node) ?? 0;
      if (c + k === 0) continue;
      nodeVisits[node] += entries * (c + k);
      let pass: number;
      let cleanOut: number;
      if (node < n) {
        pass = stageFigures[node].pass;
        cleanOut = stageFigures[node].clean;
        if (model.stages[node].fallback >= 0 || model.stages[node].escalate) exact = false;
      } else {
        const r = composite(graph.composites[node - n], node, entries * (c + k));
        pass = r.pass;
        cleanOut = r.clean;
        exact &&= r.exact;
      }
      const outC = c * cleanOut;
      const outK = c * (pass - cleanOut) + k * pass;
      const succ = graph.next[node];
      succ.targets.forEach((to, i) => {
        const share = succ.cumulative[i] - (i === 0 ? 0 : succ.cumulative[i - 1]);
        send(to, succ.edges[i], outC * share, outK * share);
      });
      const failTo = graph.onFailure[node];
      if (failTo !== FLOW_END) send(failTo, graph.onFailureEdge[node], c * (1 - pass), k * (1 - pass));
    }
    return { pass: endClean + endCorrupt, clean: endClean, exact };
  };

  const composite = (m: CompositeModel, node: number, entries: number): FlowFigures => {
    if (m.kind === 'subgraph') return walk(m.flows[0], entries);
    if (m.kind === 'loop') {
      const loop = m.loop!;
      // One iteration's figures; the body's visits are added once the mean iterations are known.
      const body = walk(m.flows[0], 0);
      const o = loop.observeErrors;
      const L = loop.limit;
      let pass: number;
      let clean: number;
      let iterations: number;
      if (loop.iterationsSpec === null) {
        const s = loop.stopProbability;
        const qAll = body.pass * (1 - s) + (1 - body.pass) * o;
        const qClean = body.clean * (1 - s) + (1 - body.pass) * o;
        const geometricSum = (q: number) => (q >= 1 ? L : (1 - q ** L) / (1 - q));
        pass = body.pass * s * geometricSum(qAll);
        clean = body.clean * s * geometricSum(qClean);
        iterations = geometricSum(qAll);
        loops.set(m.id, { id: m.id, meanIterations: iterations, limitHitRate: qAll ** L });
      } else {
        const pmf = countPmf(loop.iterationsSpec!);
        pass = 0;
        clean = 0;
        iterations = 0;
        // An unobserved failure ends the loop early: with f its chance per iteration,
        // E[min(T, m)] = (1 − (1 − f)^m)/f iterations run of m wanted (m when f = 0).
        const f = (1 - body.pass) * (1 - o);
        const expectedRun = (m: number) => (f > 0 ? (1 - (1 - f) ** m) / f : m);
        for (const [count, p] of pmf) {
          iterations += p * expectedRun(Math.min(count, L));
          if (count <= L) {
            pass += p * body.pass ** count;
            clean += p * body.clean ** count;
          }
        }
        const over = pmf.filter(([count]) => count > L).reduce((a, [, p]) => a + p, 0);
        loops.set(m.id, { id: m.id, meanIterations: iterations, limitHitRate: over });
        if (o > 0) notExact.push(`loop:${m.id}: observed errors with a drawn iteration count add iterations past the count; no closed form`);
      }
      walk(m.flows[0], entries * iterations);
      // A failed loop takes on the corruption its earlier iterations left (composites.ts); the walk sends failures on clean.
      if (graph.onFailure[node] !== FLOW_END && body.clean < body.pass)
        notExact.push(`loop:${m.id}: a failure routed on carries what earlier iterations corrupted; no closed form`);
      // At its limit an escalating loop hands the whole request to the human, past any enclosing onFailure route.
      if (loop.escalateAtLimit && model.escalation !== null) notExact.push(`loop:${m.id}: escalates at its limit; no closed form`);
      return { pass, clean, exact: body.exact && (loop.iterationsSpec === null || o === 0) };
    }
    // Fan-outs: parallel (fixed branches) and map (a drawn count of one body).
    if (m.join !== 'vote' && m.flows.some((f) => flowSize(f) > 1 || graph.composites.some((c, i) => graph.nodeFlow[n + i] === f))) visitsExact = false;
    if (m.kind === 'parallel') {
      const branches = m.flows.map((f) => walk(f, entries));
      const p = branches.map((b) => b.pass);
      const c = branches.map((b) => b.clean);
      const exact = branches.every((b) => b.exact);
      return joinFigures(m, p, c, exact);
    }
    const pmf = countPmf(m.itemsSpec!);
    const meanItems = pmf.reduce((a, [count, q]) => a + count * q, 0);
    const body = walk(m.flows[0], entries * meanItems);
    let pass = 0;
    let clean = 0;
    let exact = body.exact;
    for (const [count, q] of pmf) {
      if (count === 0) {
        pass += q;
        clean += q;
        continue;
      }
      if (m.join === 'quorum' && count < m.quorum) continue;
      const r = joinFigures(m, new Array(count).fill(body.pass), new Array(count).fill(body.clean), body.exact);
      pass += q * r.pass;
      clean += q * r.clean;
      exact &&= r.exact;
    }
    return { pass, clean, exact };
  };

  const joinFigures = (m: CompositeModel, p: number[], c: number[], exact: boolean): FlowFigures => {
    const allFail = p.reduce((a, x) => a * (1 - x), 1);
    switch (m.join) {
      case 'all':
        return { pass: p.reduce((a, x) => a * x, 1), clean: c.reduce((a, x) => a * x, 1), exact };
      case 'any': {
        const shares = p.map((x, i) => (x > 0 ? c[i] / x : 1));
        const same = shares.every((x) => Math.abs(x - shares[0]) < 1e-12);
        if (!same) notExact.push(`${m.kind}:${m.id}: an any-join's winner depends on timing and its branches' clean shares differ`);
        return { pass: 1 - allFail, clean: (1 - allFail) * shares[0], exact: exact && same };
      }
      case 'quorum': {
        const pass = atLeast(m.quorum, p);
        const corruptible = p.some((x, i) => c[i] < x);
        if (corruptible) notExact.push(`${m.kind}:${m.id}: which branches make a quorum depends on timing, and some may be corrupted`);
        return { pass, clean: corruptible ? pass * (c[0] / (p[0] || 1)) : pass, exact: exact && !corruptible };
      }
      case 'vote':
        return { pass: 1 - allFail, clean: voteClean(p, c), exact };
    }
  };

  const main = walk(0, 1);
  if (!main.exact && notExact.length === 0) notExact.push('fallbacks or escalation inside a graph: the graph closed forms do not follow them');
  // Loop bodies walked with 0 entries first add no visits; nothing else to correct.
  const loopFigures = graph.composites.flatMap((c) => (loops.has(c.id) ? [loops.get(c.id)!] : []));
  return { main, nodeVisits, notExact, visitsExact, loops: loopFigures, forkJoins: forkJoins(model, graph) };
}
