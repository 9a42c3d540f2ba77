/**
 * Where a fault came from, as one integer per request (cheap to carry in the
 * inner loop) and as a name in results. With N nodes (stages, then composite
 * nodes of a graph) and E hand-off edges:
 *   [0, N)          a node's own fault (a stage's error, timeout, corruption,
 *                   rejection; a loop's step limit)
 *   [N, N + E)      hand-off edge (code − N)
 *   [N + E, 2N + E) a stale read of shared state at node (code − N − E)
 *   2N + E          no fault (a request that only ran out of time)
 * A chain has N = E = stages (edge i is the hand-off into stage i), which is
 * the numbering results have always had.
 */
import { FLOW_END, chainGraph, type GraphModel } from './graph.js';
import type { Model } from './model.js';

export function stageOrigin(node: number): number {
  return node;
}

export function edgeOrigin(nodes: number, edge: number): number {
  return nodes + edge;
}

export function stateOrigin(nodes: number, edges: number, node: number): number {
  return nodes + edges + node;
}

export function noFaultOrigin(nodes: number, edges: number): number {
  return 2 * nodes + edges;
}

export function originCount(nodes: number, edges: number): number {
  return 2 * nodes + edges + 1;
}

/** The node whose output a recovery must redo to remove a fault of this origin (an edge: its sender); −1 for none. */
export function originNode(graph: GraphModel, edges: number, code: number): number {
  const nodes = graph.nodeIds.length;
  if (code < nodes) return code;
  if (code < nodes + edges) return graph.edgeFrom[code - nodes];
  if (code < 2 * nodes + edges) return code - nodes - edges;
  return FLOW_END;
}

/** A node as results name it: a stage by its id, a composite by kind and id (`loop:react`). */
export function nodeName(graph: GraphModel, node: number, stages: number): string {
  if (node < stages) return graph.nodeIds[node];
  const c = graph.composites[node - stages];
  return `${c.kind}:${c.id}`;
}

/** The graph a model runs: its own, or the chain of its stages. */
export function graphOf(model: Model): GraphModel {
  return model.graph ?? chainGraph(model.stages.map((s) => s.id));
}

/** The name of every origin code, in code order: what results call each place a fault came from. */
export function originNames(model: Model): string[] {
  const graph = graphOf(model);
  const n = model.stages.length;
  const nodes = graph.nodeIds.length;
  const edges = model.edges.length;
  return Array.from({ length: originCount(nodes, edges) }, (_, code) => {
    if (code < nodes) {
      if (code < n) return graph.nodeIds[code];
      const c = graph.composites[code - n];
      return c.kind === 'loop' ? `loop:${c.id} limit` : `${c.kind}:${c.id}`;
    }
    if (code < nodes + edges) {
      const e = code - nodes;
      return model.edges[e]?.id ?? `${graph.nodeIds[graph.edgeFrom[e]]}→${graph.nodeIds[graph.edgeTo[e]]}`;
    }
    if (code < 2 * nodes + edges) return `${nodeName(graph, code - nodes - edges, n)} (stale state)`;
    return 'none (ran out of time)';
  });
}
