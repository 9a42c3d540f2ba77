/**
 * What the pipeline picture draws: a scenario's graph, compiled, with where
 * its requests' first faults happen (issue 14, "the pipeline drawn"). The
 * report's input, so it lives here; the adapter from simulation results to it
 * is the caller's. Shape as in the graph spec (v1); the fields marked
 * "addition" are optional extras the picture uses when given.
 */

/** How a node is drawn: each kind has its own outline (reports/graph/shapes.ts). */
export type DrawingNodeKind = 'stage' | 'loop' | 'map' | 'parallel' | 'subgraph' | 'join' | 'start' | 'end' | 'human';

/**
 * What an edge is: `next` and `route` carry good output on, `onFailure` a
 * detected failure, `branch` enters a body or branch, `loop` goes back to the
 * start of a loop body, `return` leaves a body for its composite node.
 */
export type DrawingEdgeKind = 'next' | 'route' | 'onFailure' | 'branch' | 'loop' | 'return';

export interface DrawingNode {
  /** Unique among the drawing's nodes; any text (it is escaped in the SVG). */
  id: string;
  /** The name shown in the box. */
  label: string;
  kind: DrawingNodeKind;
  /** id of the cluster (subgraph / loop body / branch) the node sits in; none = the top level. */
  group?: string;
  /** Share of requests whose first fault is here, 0..1. Absent = not measured (drawn neutral). */
  faultShare?: number;
  /** A second line under the share, e.g. "p95 820 ms · 1.8 visits". */
  detail?: string;
  /** The recommended fix acts here. */
  recommended?: boolean;
}

export interface DrawingEdge {
  /** Unique among the drawing's edges, e.g. "router→rag". */
  id: string;
  /** Node ids. */
  from: string;
  to: string;
  /** Shown on the edge, before the probability. */
  label?: string;
  kind: DrawingEdgeKind;
  /** Routing probability, 0..1, shown as "70 %". */
  probability?: number;
  /** Share of requests whose first fault is on this hand-off, 0..1. */
  faultShare?: number;
  /** The recommended fix acts on this hand-off. */
  recommended?: boolean;
}

/** What a cluster frame stands for (addition): it picks the frame's style. */
export type DrawingGroupKind = 'subgraph' | 'loop' | 'map' | 'parallel' | 'branch';

export interface DrawingGroup {
  /** Unique among the groups (may equal a node id: groups and nodes are apart). */
  id: string;
  /** Shown at the frame's top left. */
  label: string;
  /** id of the group this one sits in; none = the top level. */
  parent?: string;
  /** Addition: the frame's style (dashed for loop bodies, stacked for maps…); absent = a plain frame. */
  kind?: DrawingGroupKind;
}

export interface PipelineDrawing {
  /** The finding, stated ("summarise is where 31 % of first faults start"). */
  title: string;
  /** Addition: one line under the title (what was simulated: requests, seed, scenario file). */
  subtitle?: string;
  nodes: DrawingNode[];
  edges: DrawingEdge[];
  groups: DrawingGroup[];
}
