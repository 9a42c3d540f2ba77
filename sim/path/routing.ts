/**
 * Where a request goes between nodes: the one home of "which node runs
 * next" and of the two ways back (the sender of a hand-off, the caller of a
 * nested call). The graph (graph.ts) holds the successors; a chain's are one
 * step along it. The movement code (request-path.ts passOn, recovery.ts)
 * calls these and nothing else about the shape of the path.
 */
import { FLOW_END, ancestorInFlow, type GraphModel, type SuccessorModel } from './graph.js';
import { originNode } from './origins.js';

/** The successor a router's uniform `u` picks: the first whose cumulative share exceeds u. */
export function pickSuccessor(successors: SuccessorModel, u: number): number {
  const c = successors.cumulative;
  const last = c.length - 1;
  for (let i = 0; i < last; i++) if (u < c[i]) return i;
  return last;
}

/**
 * The node a strict receiver at `position` refuses back to: the sender of
 * its input, when it is in the same flow; otherwise (the input came from the
 * composite that started this branch) the receiver itself – a branch cannot
 * redo its parent's work, so it takes its input again.
 */
export function senderOf(graph: GraphModel, position: number, sender: number): number {
  return sender >= 0 && graph.nodeFlow[sender] === graph.nodeFlow[position] ? sender : position;
}

/** The node whose call wraps `position` when it propagates its failure (nested retries); −1 for none. */
export function callerOf(graph: GraphModel, position: number): number {
  return graph.caller[position];
}

/** Where a token's flow starts: a recovery without checkpoints starts over there. */
export function flowStartOf(graph: GraphModel, position: number): number {
  return graph.flows[graph.nodeFlow[position]].start;
}

/**
 * The node of `position`'s flow a recovery redoes to remove corruption of
 * origin `code`: the node that produced it, or the composite in this flow
 * whose branches did; the flow's start when it came from outside the flow
 * (the input this branch was given).
 */
export function redoNodeOf(graph: GraphModel, edges: number, position: number, code: number): number {
  const a = ancestorInFlow(graph, originNode(graph, edges, code), graph.nodeFlow[position]);
  return a === -1 ? flowStartOf(graph, position) : a;
}

/**
 * Whether restarting at `restart` redoes the work that produced corruption
 * of origin `code` (it is at or upstream of it in the flow): then the redo
 * starts clean.
 */
export function restartClears(graph: GraphModel, edges: number, restart: number, code: number): boolean {
  const a = ancestorInFlow(graph, originNode(graph, edges, code), graph.nodeFlow[restart]);
  return a !== FLOW_END && graph.rank[restart] <= graph.rank[a];
}
