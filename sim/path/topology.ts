/**
 * The shape of a model's request path as plain data, for pictures and
 * importers: its nodes (stages, composites, the start, the end, the human),
 * the edges between them – good output (`next`, a router's `route` with its
 * share), `onFailure` routes and escalation, a composite's `branch` into a
 * body and the body's `return` (`loop` for a loop's next iteration) – and the
 * groups (sub-graphs, loop bodies, branches) nodes sit in. A chain is a
 * graph too: its stages in a row.
 *
 * Names match the results': a stage by its id, a hand-off edge by its
 * `from→to` id (EdgeResult.id, attribution origins), a composite by its id
 * (attribution names a loop's limit `loop:<id> limit`).
 */
import { FLOW_END } from './graph.js';
import { graphOf } from './origins.js';
import type { Model } from './model.js';

export type TopologyNodeKind = 'stage' | 'loop' | 'map' | 'parallel' | 'subgraph' | 'start' | 'end' | 'human';
export type TopologyEdgeKind = 'next' | 'route' | 'onFailure' | 'branch' | 'loop' | 'return';

export interface TopologyNode {
  id: string;
  kind: TopologyNodeKind;
  /** The group (flow) the node sits in; absent: the main path. */
  group?: string;
}

export interface TopologyEdge {
  /** `from→to`; unique (a second edge between the same nodes gets ` (2)`). */
  id: string;
  from: string;
  to: string;
  kind: TopologyEdgeKind;
  /** A router's share, 0..1. */
  probability?: number;
  /** The hand-off edge's id in results (edges[].id, attribution), when the edge is a hand-off. */
  handoff?: string;
}

export interface TopologyGroup {
  id: string;
  label: string;
  kind: 'subgraph' | 'loop' | 'map' | 'parallel' | 'branch';
  /** The group the owning composite sits in; absent: the main path. */
  parent?: string;
}

export interface PathTopology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  groups: TopologyGroup[];
}

export const START_NODE_ID = 'start';
export const END_NODE_ID = 'end';
export const HUMAN_NODE_ID = 'human';

export function pathTopology(model: Model): PathTopology {
  const graph = graphOf(model);
  const n = model.stages.length;
  const groupOfFlow = (f: number): string | undefined => (f <= 0 ? undefined : `flow:${graph.flows[f].id}`);
  const nodes: TopologyNode[] = [{ id: START_NODE_ID, kind: 'start' }];
  graph.nodeIds.forEach((id, i) => {
    const f = graph.nodeFlow[i];
    if (f < 0) return;
    const group = groupOfFlow(f);
    nodes.push({ id, kind: i < n ? 'stage' : graph.composites[i - n].kind, ...(group ? { group } : {}) });
  });
  nodes.push({ id: END_NODE_ID, kind: 'end' });
  const groups: TopologyGroup[] = graph.flows.slice(1).map((flow, i) => {
    const owner = flow.owner >= 0 ? graph.composites[flow.owner - n] : undefined;
    const kind: TopologyGroup['kind'] = owner === undefined ? 'subgraph' : owner.kind === 'parallel' ? 'branch' : owner.kind;
    const parent = flow.owner >= 0 ? groupOfFlow(graph.nodeFlow[flow.owner]) : undefined;
    return { id: `flow:${flow.id}`, label: graph.flows[i + 1].id, kind, ...(parent ? { parent } : {}) };
  });
  const edges: TopologyEdge[] = [];
  const seen = new Map<string, number>();
  const push = (from: string, to: string, kind: TopologyEdgeKind, e: number, probability?: number) => {
    const base = `${from}→${to}`;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    const handoff = e >= 0 ? model.edges[e]?.id : undefined;
    edges.push({ id: k === 1 ? base : `${base} (${k})`, from, to, kind, ...(probability !== undefined ? { probability } : {}), ...(handoff ? { handoff } : {}) });
  };
  push(START_NODE_ID, graph.nodeIds[graph.flows[0].start], 'next', -1);
  graph.nodeIds.forEach((id, node) => {
    const f = graph.nodeFlow[node];
    if (f < 0) return;
    const succ = graph.next[node];
    const routed = succ.targets.length > 1;
    succ.targets.forEach((to, i) => {
      const share = succ.cumulative[i] - (i === 0 ? 0 : succ.cumulative[i - 1]);
      if (to !== FLOW_END) push(id, graph.nodeIds[to], routed ? 'route' : 'next', succ.edges[i], routed ? share : undefined);
      else if (f === 0) push(id, END_NODE_ID, routed ? 'route' : 'next', -1, routed ? share : undefined);
      else {
        // The end of a body returns to the composite that runs it; a loop's goes round.
        const owner = graph.flows[f].owner;
        if (owner >= 0) push(id, graph.nodeIds[owner], graph.composites[owner - n].kind === 'loop' ? 'loop' : 'return', -1, routed ? share : undefined);
      }
    });
    if (graph.onFailure[node] !== FLOW_END) push(id, graph.nodeIds[graph.onFailure[node]], 'onFailure', graph.onFailureEdge[node]);
    if (node >= n)
      for (const flow of graph.composites[node - n].flows) push(id, graph.nodeIds[graph.flows[flow].start], 'branch', graph.flows[flow].entryEdge);
  });
  if (model.escalation !== null) {
    const escalating = model.stages.filter((s, i) => s.escalate && graph.nodeFlow[i] >= 0);
    const limited = graph.composites.filter((c) => c.loop?.escalateAtLimit);
    if (escalating.length + limited.length > 0) {
      nodes.push({ id: HUMAN_NODE_ID, kind: 'human' });
      for (const s of escalating) push(s.id, HUMAN_NODE_ID, 'onFailure', -1);
      for (const c of limited) push(c.id, HUMAN_NODE_ID, 'onFailure', -1);
    }
  }
  return { nodes, edges, groups };
}
