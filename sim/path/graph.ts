/**
 * The request path as a graph: which node a request visits next, what its
 * composite nodes (agent loops, fan-outs, sub-graphs) do, and where each
 * hand-off edge runs. A scenario without a `graph:` section compiles to the
 * chain (chainGraph), whose numbering keeps every existing figure.
 *
 * Nodes are numbered stages first (node i is stage i, definition i), then
 * composites. A *flow* is one acyclic sub-path with a start node: the main
 * path, a loop body, a branch of a fan-out, a sub-graph. Cycles exist only
 * through a loop node, which runs its body flow again – so every flow has a
 * topological order (`rank`), and "upstream" means a lower rank.
 */
import type { CountSpec } from '../kernel/count-dist.js';

/** A successor target meaning "the flow is done" (the request ends, or returns to its composite). */
export const FLOW_END = -1;

/**
 * Where a node's good output goes: one target, or a router's draw among
 * several. `edges[i]` is the hand-off edge taken to `targets[i]` (an index
 * into Model.edges), −1 when the target is not a stage (a composite or the
 * flow's end: structure, not an agent receiving a hand-off).
 */
export interface SuccessorModel {
  targets: number[];
  edges: number[];
  /** Cumulative probabilities, the last exactly 1; one entry for a single target. */
  cumulative: number[];
}

/** How a fan-out's branches combine (join). */
export type JoinKind = 'all' | 'any' | 'quorum' | 'vote';

export interface LoopModel {
  /** Geometric iterations: after each completed iteration the agent stops with this probability (0: use `iterations`). */
  stopProbability: number;
  /** Iteration count drawn at entry (null: geometric stops); the runtime builds its sampler (runtime.ts). */
  iterationsSpec: CountSpec | null;
  /** Step limit: iterations run at most (LangGraph recursion_limit, CrewAI max_iter). */
  limit: number;
  /** At the limit the request is handed to a human instead of failing. */
  escalateAtLimit: boolean;
  /** Probability that a failed iteration is observed by the agent, which goes on with the next one. */
  observeErrors: number;
}

export interface CompositeModel {
  id: string;
  kind: 'loop' | 'map' | 'parallel' | 'subgraph';
  /** The flow each branch runs (parallel: one per branch; loop, map, subgraph: one). */
  flows: number[];
  join: JoinKind;
  /** Successful branches a quorum needs. */
  quorum: number;
  /** Map: branches per entry, drawn at entry; the runtime builds its sampler (runtime.ts). */
  itemsSpec: CountSpec | null;
  loop: LoopModel | null;
}

export interface FlowModel {
  /** "main", the sub-graph's name, or "<composite> branch i". */
  id: string;
  start: number;
  /** The edge into the start (from the owning composite), −1 for none. */
  entryEdge: number;
  /** The composite node that runs this flow; −1 for the main path. */
  owner: number;
}

export interface GraphModel {
  /** Node ids: stage ids, then composite ids. */
  nodeIds: string[];
  /** Per node: where its good output goes. */
  next: SuccessorModel[];
  /** Per node: where a detected failure goes once its own recovery is exhausted (FLOW_END: nowhere, it fails). */
  onFailure: number[];
  /** Per node: the edge taken to onFailure (−1: no hand-off). */
  onFailureEdge: number[];
  composites: CompositeModel[];
  flows: FlowModel[];
  /** Per node: the flow it belongs to (−1: a stage in no flow, never visited). */
  nodeFlow: number[];
  /** Per node: its topological rank within its flow. */
  rank: number[];
  /** Per stage: the unique node before it in its flow, whose call wraps it when it propagates (−1: none). */
  caller: number[];
  /** Per hand-off edge (Model.edges): the node it leaves (a stage or a composite; −1 for a chain's unused edge 0). */
  edgeFrom: number[];
  /** Per hand-off edge: the stage it enters. */
  edgeTo: number[];
}

/** The chain: stage i hands to stage i + 1 through edge i + 1 (Model.edges[i] is the hand-off into stage i). */
export function chainGraph(stageIds: readonly string[]): GraphModel {
  const n = stageIds.length;
  return {
    nodeIds: [...stageIds],
    next: stageIds.map((_, i) => (i + 1 < n ? { targets: [i + 1], edges: [i + 1], cumulative: [1] } : { targets: [FLOW_END], edges: [-1], cumulative: [1] })),
    onFailure: stageIds.map(() => FLOW_END),
    onFailureEdge: stageIds.map(() => -1),
    composites: [],
    flows: [{ id: 'main', start: 0, entryEdge: -1, owner: -1 }],
    nodeFlow: stageIds.map(() => 0),
    rank: stageIds.map((_, i) => i),
    caller: stageIds.map((_, i) => i - 1),
    edgeFrom: stageIds.map((_, i) => i - 1),
    edgeTo: stageIds.map((_, i) => i),
  };
}

/** The first node (in the flow's topological order) of flow `flow` reached from `node` by walking up owners, or −1. */
export function ancestorInFlow(graph: GraphModel, node: number, flow: number): number {
  let n = node;
  for (let guard = 0; n >= 0 && guard <= graph.flows.length; guard++) {
    const f = graph.nodeFlow[n];
    if (f === flow) return n;
    if (f < 0) return -1;
    n = graph.flows[f].owner;
  }
  return -1;
}
