/**
 * One flow of the graph – the main graph, a sub-graph, or a loop body or
 * parallel branch written as a chain – into the GraphContext: its next: and
 * onFailure: resolved to successors, the nodes reachable from its start
 * (claimed for the flow; the others reported unreachable), the check that it
 * has no cycle (an agent that goes round does so through a loop node, which
 * has a step limit), topological ranks, successor models, edges and callers.
 */
import { FLOW_END } from '../path/graph.js';
import type { FlowGraphInput } from './graph-schema.js';
import { END_NODE, unknownNode, type FlowSource, type GraphContext, type Path } from './graph-context.js';

/** Routing shares must sum to 1 within this (they are written as decimals). */
const ROUTE_SUM_TOLERANCE = 1e-9;

/** A section's next: and onFailure:, by node number. */
interface FlowEdges {
  successors: Map<number, { targets: number[]; shares: number[] }>;
  failures: Map<number, number>;
}

/** Where a node can go: its next: targets, then its onFailure: target. */
function outsOf({ successors, failures }: FlowEdges, node: number): number[] {
  return [...(successors.get(node)?.targets ?? []), ...(failures.has(node) ? [failures.get(node)!] : [])];
}

/** Builds flow `fi` (ctx.flows[fi]) from its source. */
export function buildFlow(ctx: GraphContext, fi: number, src: FlowSource): void {
  if (src.chain !== null) {
    buildChainFlow(ctx, fi, src.chain, src);
    return;
  }
  const g = src.section!;
  const startId = g.start ?? (fi === 0 ? ctx.stageIds[0] : Object.keys(g.next ?? {})[0]);
  if (startId === undefined) {
    ctx.unresolved(src.path, `sub-graph "${src.id}" needs start: (its first node) or a next: section`);
    return;
  }
  const start = ctx.nodeIndex.get(startId);
  if (start === undefined) {
    ctx.unresolved([...src.path, 'start'], startId === END_NODE ? 'a flow cannot start at its end' : unknownNode(startId, ctx.nodeIds));
    return;
  }
  // A composite declared in this section is claimed by the flow that uses it:
  // this one (from its start, below) or a loop body or branch chain (a ReAct
  // loop whose body holds a parallel tool-call node).
  ctx.sectionFlow.set(fi === 0 ? 'graph' : src.id, { flow: fi, start: startId });
  const e = readEdges(ctx, g, src.path);
  ctx.flows[fi].start = start;
  ctx.flows[fi].entryEdge = fi === 0 ? -1 : ctx.edgeTo(src.owner, start);
  // Reachability from the start claims the nodes for this flow.
  const order = [start];
  const reached = new Set<number>(order);
  for (let i = 0; i < order.length; i++)
    for (const to of outsOf(e, order[i]))
      if (to !== FLOW_END && !reached.has(to)) {
        reached.add(to);
        order.push(to);
      }
  for (const node of order) ctx.claim(node, fi, [...src.path, node === start ? 'start' : 'next']);
  reportUnreached(ctx, fi, e, reached, src.path, startId);
  if (reportCycle(ctx, e, start, src.path)) return;
  rankTopologically(ctx, e, order);
  setSuccessors(ctx, e, order);
}

/** A body or branch chain (plan → tool → observe): each node hands to the next, the last ends the flow. */
function buildChainFlow(ctx: GraphContext, fi: number, ids: string[], src: FlowSource): void {
  const idx: number[] = [];
  ids.forEach((id, i) => {
    const node = ctx.nodeIndex.get(id);
    if (node === undefined) ctx.unresolved([...src.path, i], unknownNode(id, ctx.nodeIds));
    else if (ctx.claim(node, fi, [...src.path, i])) idx.push(node);
  });
  if (idx.length !== ids.length) return;
  ctx.flows[fi].start = idx[0];
  ctx.flows[fi].entryEdge = ctx.edgeTo(src.owner, idx[0]);
  idx.forEach((node, i) => {
    ctx.rank[node] = i;
    const to = i + 1 < idx.length ? idx[i + 1] : FLOW_END;
    ctx.next[node] = { targets: [to], edges: [to === FLOW_END ? -1 : ctx.edgeTo(node, to)], cumulative: [1] };
    if (to !== FLOW_END && to < ctx.stageCount) ctx.caller[to] = node < ctx.stageCount ? node : -1;
  });
}

/** A node id (or END_NODE → FLOW_END) as its number; null, with an issue, when unknown. */
function resolve(ctx: GraphContext, id: string, path: Path, target?: 'key'): number | null {
  if (id === END_NODE) return FLOW_END;
  const node = ctx.nodeIndex.get(id);
  if (node === undefined) {
    ctx.unresolved(path, unknownNode(id, ctx.known), target);
    return null;
  }
  return node;
}

/** next: (a node, end, or a route's shares summing to 1) and onFailure:, resolved. */
function readEdges(ctx: GraphContext, g: FlowGraphInput, path: Path): FlowEdges {
  const successors = new Map<number, { targets: number[]; shares: number[] }>();
  for (const [fromId, spec] of Object.entries(g.next ?? {})) {
    const from = resolve(ctx, fromId, [...path, 'next', fromId], 'key');
    if (from === null) continue;
    if (from === FLOW_END) {
      ctx.fail([...path, 'next', fromId], `"${END_NODE}" ends a flow; nothing follows it`, 'key');
      continue;
    }
    if (typeof spec === 'string') {
      const to = resolve(ctx, spec, [...path, 'next', fromId]);
      if (to !== null) successors.set(from, { targets: [to], shares: [1] });
      continue;
    }
    if (spec.route === undefined) {
      // The schema has refused this mapping (a stray key such as join:); what it leads to is unknown.
      ctx.incomplete = true;
      continue;
    }
    const entries = Object.entries(spec.route);
    if (entries.length === 0) {
      ctx.fail([...path, 'next', fromId, 'route'], 'a route needs at least one successor');
      continue;
    }
    const sum = entries.reduce((a, [, p]) => a + p, 0);
    if (Math.abs(sum - 1) > ROUTE_SUM_TOLERANCE)
      ctx.fail([...path, 'next', fromId, 'route'], `routing shares sum to ${+sum.toFixed(9)}; they must sum to 1 (${entries.map(([k, p]) => `${k} ${p}`).join(' + ')})`);
    const targets: number[] = [];
    const shares: number[] = [];
    for (const [toId, p] of entries) {
      const to = resolve(ctx, toId, [...path, 'next', fromId, 'route', toId], 'key');
      if (to !== null) {
        targets.push(to);
        shares.push(p / sum);
      }
    }
    successors.set(from, { targets, shares });
  }
  const failures = new Map<number, number>();
  for (const [fromId, toId] of Object.entries(g.onFailure ?? {})) {
    const from = resolve(ctx, fromId, [...path, 'onFailure', fromId], 'key');
    const to = resolve(ctx, toId, [...path, 'onFailure', fromId]);
    if (from === null || to === null) continue;
    if (from === FLOW_END) ctx.fail([...path, 'onFailure', fromId], `"${END_NODE}" cannot fail`, 'key');
    else failures.set(from, to);
  }
  return { successors, failures };
}

/**
 * Nodes listed in next:/onFailure: that the start does not lead to: the
 * first of each unreached run is reported; the nodes after it (its
 * successors) follow from it and are not reported again, here or as stages.
 */
function reportUnreached(ctx: GraphContext, fi: number, e: FlowEdges, reached: Set<number>, path: Path, startId: string): void {
  const unreached = [...new Set([...e.successors.keys(), ...e.failures.keys()])].filter((x) => !reached.has(x));
  const after = new Set<number>();
  for (const root of unreached) {
    const todo = [root];
    while (todo.length > 0) {
      const x = todo.pop()!;
      for (const to of outsOf(e, x))
        if (to !== FLOW_END && to !== root && !after.has(to) && !reached.has(to)) {
          after.add(to);
          todo.push(to);
        }
    }
  }
  for (const x of [...unreached, ...after]) ctx.explained.add(x);
  const roots = unreached.filter((x) => !after.has(x));
  for (const fromKey of roots.length > 0 ? roots : unreached.slice(0, 1)) // an unreached cycle has no root: its first node
    ctx.unreachable.push([[...path, e.successors.has(fromKey) ? 'next' : 'onFailure', ctx.nodeIds[fromKey]], `node "${ctx.nodeIds[fromKey]}" is unreachable: nothing in ${ctx.flowName(fi)} leads to it from its start "${startId}"`, 'key']);
}

/** Depth-first over next and onFailure from the start; reports the first cycle at the edge that closes it, and says whether there was one. */
function reportCycle(ctx: GraphContext, e: FlowEdges, start: number, path: Path): boolean {
  const state = new Map<number, 1 | 2>();
  const stack: number[] = [];
  let cycle: number[] | null = null;
  const visit = (node: number): void => {
    if (cycle !== null) return;
    state.set(node, 1);
    stack.push(node);
    for (const to of outsOf(e, node)) {
      if (to === FLOW_END) continue;
      if (state.get(to) === 1) {
        cycle = [...stack.slice(stack.indexOf(to)), to];
        return;
      }
      if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(node, 2);
  };
  visit(start);
  if (cycle === null) return false;
  const c: number[] = cycle;
  const [from, to] = [c[c.length - 2], c[c.length - 1]];
  ctx.fail([...path, e.failures.has(from) && !e.successors.get(from)?.targets.includes(to) ? 'onFailure' : 'next', ctx.nodeIds[from]],
    `a cycle without a step limit: ${c.map((x) => ctx.nodeIds[x]).join(' → ')}; an agent that goes round needs a loop node (graph.nodes.<id>.loop with body, iterations and limit)`);
  return true;
}

/** Topological ranks (Kahn) for "upstream" comparisons. */
function rankTopologically(ctx: GraphContext, e: FlowEdges, order: number[]): void {
  const indegree = new Map<number, number>(order.map((x) => [x, 0]));
  for (const node of order)
    for (const to of outsOf(e, node))
      if (to !== FLOW_END) indegree.set(to, indegree.get(to)! + 1);
  const ready = order.filter((x) => indegree.get(x) === 0);
  for (let r = 0; ready.length > 0; r++) {
    const node = ready.shift()!;
    ctx.rank[node] = r;
    for (const to of outsOf(e, node))
      if (to !== FLOW_END) {
        indegree.set(to, indegree.get(to)! - 1);
        if (indegree.get(to) === 0) ready.push(to);
      }
  }
}

/** Successor models (cumulative shares), hand-off edges, failure routes, and each stage's caller. */
function setSuccessors(ctx: GraphContext, e: FlowEdges, order: number[]): void {
  const predecessors = new Map<number, number[]>();
  for (const node of order) {
    const succ = e.successors.get(node) ?? { targets: [FLOW_END], shares: [1] };
    let running = 0;
    const cumulative = succ.shares.map((p) => (running += p));
    cumulative[cumulative.length - 1] = 1;
    ctx.next[node] = { targets: succ.targets, edges: succ.targets.map((to) => ctx.edgeTo(node, to)), cumulative };
    for (const to of succ.targets) if (to !== FLOW_END) predecessors.set(to, [...(predecessors.get(to) ?? []), node]);
    if (e.failures.has(node)) {
      ctx.onFailure[node] = e.failures.get(node)!;
      ctx.onFailureEdge[node] = ctx.edgeTo(node, ctx.onFailure[node]);
    }
  }
  for (const node of order) {
    if (node >= ctx.stageCount) continue;
    const preds = predecessors.get(node) ?? [];
    ctx.caller[node] = preds.length === 1 && preds[0] < ctx.stageCount ? preds[0] : -1;
  }
}
