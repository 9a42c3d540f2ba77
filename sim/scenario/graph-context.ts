/**
 * The state one buildGraph run (graph-build.ts) shares between its steps –
 * compiling the composite nodes (graph-composites.ts), building each flow
 * (graph-flow.ts) and the checks over the whole graph – and the ways those
 * steps report: an issue at the field to fix, "unreachable" reports held back
 * until the end, and the flag that drops them when a reference did not resolve.
 */
import { didYouMean } from './units.js';
import { FLOW_END, type FlowModel, type SuccessorModel } from '../path/graph.js';
import type { FlowGraphInput } from './graph-schema.js';

export type Path = (string | number)[];
/**
 * Receives each problem at the field to fix. `target: 'key'` places it on the
 * key of the path's last segment instead of its value: an unknown node named
 * as a key of next:, onFailure: or a route is written there, not at its value.
 */
export type IssueSink = (path: Path, message: string, target?: 'key') => void;

/** A hand-off edge: from a node (a stage or a composite) into a stage. */
export interface HandoffEdge {
  from: number;
  to: number;
}

/** The word that ends a flow in `next:`. */
export const END_NODE = 'end';

/** A flow to build: a graph section (main or sub-graph) or a body chain. */
export interface FlowSource {
  id: string;
  path: Path;
  section: FlowGraphInput | null;
  chain: string[] | null;
  owner: number;
}

/** "unknown node" with a did-you-mean, or the known ids when none is close. */
export function unknownNode(name: string, known: string[]): string {
  const hint = didYouMean(name, known);
  return `unknown node "${name}"${hint ? `; did you mean "${hint}"?` : `; known: ${known.join(', ') || '(none)'}`}`;
}

/**
 * The graph under construction, numbered: nodes are the stages (0 to
 * stageCount - 1), then the composite nodes in file order; flow 0 is the main
 * graph. The arrays are the GraphModel's (path/graph.ts), filled in place.
 */
export class GraphContext {
  readonly stageCount: number;
  readonly nodeIndex: Map<string, number>;
  /** What next: and onFailure: may name: every node, and END_NODE. */
  readonly known: string[];
  readonly next: SuccessorModel[];
  readonly onFailure: number[];
  readonly onFailureEdge: number[];
  /** Per node, the flow that claimed it (-1: none yet). */
  readonly nodeFlow: number[];
  readonly rank: number[];
  /** Per stage, the one stage before it in its flow (-1: none or several) – what `propagate` needs. */
  readonly caller: number[];
  readonly flows: FlowModel[] = [];
  readonly edges: HandoffEdge[] = [];
  /** Per section built (graph, or a sub-graph's name): its flow and start id. */
  readonly sectionFlow = new Map<string, { flow: number; start: string }>();
  /** Unreachable nodes, stages and sub-graphs: reported at the end, and only when every reference resolved. */
  readonly unreachable: [Path, string, 'key' | undefined][] = [];
  /** Unreached nodes whose report is another's (they come after an unreachable node in next:). */
  readonly explained = new Set<number>();
  /** False once any issue was reported: there is no model to return. */
  ok = true;
  /**
   * Set when a reference could not be resolved (an unknown node or sub-graph,
   * a node of no kind): the flows are then incomplete, and the nodes they
   * would have reached look unreachable. Those follow from the one mistake, so
   * unreachable nodes are reported only when every reference resolved.
   */
  incomplete = false;

  constructor(
    private readonly issue: IssueSink,
    readonly stageIds: string[],
    readonly nodeIds: string[],
  ) {
    this.stageCount = stageIds.length;
    this.nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
    this.known = [...nodeIds, END_NODE];
    this.next = nodeIds.map(() => ({ targets: [FLOW_END], edges: [-1], cumulative: [1] }));
    this.onFailure = nodeIds.map(() => FLOW_END);
    this.onFailureEdge = nodeIds.map(() => -1);
    this.nodeFlow = nodeIds.map(() => -1);
    this.rank = nodeIds.map(() => 0);
    this.caller = stageIds.map(() => -1);
  }

  fail(path: Path, message: string, target?: 'key'): void {
    this.ok = false;
    this.issue(path, message, target);
  }

  /** A reference that did not resolve: an issue, and the flows are incomplete. */
  unresolved(path: Path, message: string, target?: 'key'): void {
    this.incomplete = true;
    this.fail(path, message, target);
  }

  /** Numbers a hand-off edge into a stage; -1 for a node that is not a stage (or the flow's end). */
  edgeTo(from: number, to: number): number {
    if (to < 0 || to >= this.stageCount) return -1;
    this.edges.push({ from, to });
    return this.edges.length - 1;
  }

  /** Puts a node in a flow; false (and an issue at `path`) if another flow has it. */
  claim(node: number, flow: number, path: Path): boolean {
    if (this.nodeFlow[node] === flow) return true;
    if (this.nodeFlow[node] >= 0) {
      this.fail(path, `node "${this.nodeIds[node]}" is already in ${this.flowName(this.nodeFlow[node])}; a node belongs to one flow – define another stage (a copy under a new id) for ${this.flowName(flow)}`);
      return false;
    }
    this.nodeFlow[node] = flow;
    return true;
  }

  flowName(f: number): string {
    return f === 0 ? 'the graph' : `"${this.flows[f].id}"`;
  }
}
