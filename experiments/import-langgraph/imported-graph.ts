/**
 * The neutral shape both LangGraph exports are read into (parse-json.ts,
 * parse-mermaid.ts), and the error either parser throws.
 *
 * LangGraph names a node inside a sub-graph by its path joined with ":" –
 * `tool_two:tool_two_fast`, with the sub-graph's own `tool_two:__start__` and
 * `tool_two:__end__` – in both exports: `Graph.extend(graph, prefix=…)` in
 * langchain-ai/langchain libs/core/langchain_core/runnables/graph.py writes
 * `f"{prefix}:{id}"`, and graph_mermaid.py's `draw_mermaid` groups nodes into
 * sub-graphs by `":".join(key.split(":")[:-1])`. `buildImportedGraph` derives
 * the sub-graphs the same way, so both formats give the same structure.
 */
import { UsageError } from '../usage-error.js';

/** LangGraph's entry and exit pseudo-nodes (langgraph/constants.py START = "__start__", END = "__end__"). */
export const LG_START = '__start__';
export const LG_END = '__end__';

export interface ImportedNode {
  /** The id as the export writes it, decoded (`tool_two:tool_two_fast`). */
  id: string;
  /** Its last path part, or the label the export gives it. */
  name: string;
  kind: 'start' | 'end' | 'node';
  /** The sub-graph path it sits in ('' = the top-level graph). */
  parent: string;
  /** JSON: the runnable's class path (`langgraph.prebuilt.tool_node.ToolNode`), when the export names one. */
  runnable?: string;
  /** 1-based line of the node's declaration or first mention (Mermaid). */
  line?: number;
}

export interface ImportedEdge {
  source: string;
  target: string;
  /** Drawn from a conditional edge (`add_conditional_edges`): one of several possible successors. */
  conditional: boolean;
  /** The branch's name (the path_map key), when the export carries one. */
  label?: string;
  line?: number;
}

export interface ImportedSubgraph {
  /** Its path (`gp_two:p_two`). */
  id: string;
  name: string;
  /** The enclosing sub-graph's path ('' = the top-level graph). */
  parent: string;
}

export interface ImportedGraph {
  format: 'json' | 'mermaid';
  nodes: ImportedNode[];
  edges: ImportedEdge[];
  subgraphs: ImportedSubgraph[];
}

/** A LangGraph export that cannot be read: names the file and, where known, the line and column (exit 2). */
export class LangGraphImportError extends UsageError {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly col?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}${col !== undefined ? `:${col}` : ''}` : ''}: ${detail}`);
  }
}

/**
 * The graph from node ids (in the export's order) and edges; kinds, parents
 * and sub-graphs come from the ":" paths (see the module comment).
 */
export function buildImportedGraph(
  format: ImportedGraph['format'],
  declared: ReadonlyMap<string, { name?: string; runnable?: string; line?: number }>,
  edges: ImportedEdge[],
): ImportedGraph {
  const nodes: ImportedNode[] = [];
  const subgraphs = new Map<string, ImportedSubgraph>();
  for (const [id, info] of declared) {
    const parts = id.split(':');
    const last = parts[parts.length - 1];
    const parent = parts.slice(0, -1).join(':');
    for (let i = 1; i < parts.length; i++) {
      const path = parts.slice(0, i).join(':');
      if (!subgraphs.has(path)) subgraphs.set(path, { id: path, name: parts[i - 1], parent: parts.slice(0, i - 1).join(':') });
    }
    const kind = last === LG_START ? 'start' : last === LG_END ? 'end' : 'node';
    // The export's own name for a node is its path; the last part is what a reader recognises.
    const name = info.name !== undefined && info.name !== '' ? info.name.split(':').pop()! : last;
    nodes.push({ id, name, kind, parent, ...(info.runnable ? { runnable: info.runnable } : {}), ...(info.line !== undefined ? { line: info.line } : {}) });
  }
  return { format, nodes, edges, subgraphs: [...subgraphs.values()] };
}
