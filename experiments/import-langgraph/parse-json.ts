/**
 * Reads the JSON of `graph.get_graph().to_json()` (or `get_graph(xray=True)`).
 *
 * The format, as langchain-core writes it (langchain-ai/langchain
 * libs/core/langchain_core/runnables/graph.py, `Graph.to_json` and
 * `node_data_json`):
 *
 *   { "nodes": [ { "id": "agent", "type": "runnable",
 *                  "data": { "id": ["langgraph", "_internal", "_runnable", "RunnableCallable"], "name": "agent" } },
 *                { "id": "__end__" } ],                        // node.data None → no type, no data
 *     "edges": [ { "source": "agent", "target": "tools", "data": "continue", "conditional": true },
 *                { "source": "tools", "target": "agent" } ] }
 *
 * - a node id is the node's name, or its index (a number) when the graph gave
 *   it a UUID (`stable_node_ids`); `type` is "runnable", "schema" or "unknown";
 * - `data` on an edge is the branch's label (only when there is one);
 *   `conditional` appears only when true;
 * - nodes of an expanded sub-graph (xray) are prefixed `name:` (`Graph.extend`).
 */
import { didYouMean } from '../../sim/scenario/index.js';
import { buildImportedGraph, LangGraphImportError, type ImportedEdge, type ImportedGraph } from './imported-graph.js';

/** Text that starts like a JSON object is read as JSON (a Mermaid export never starts with "{"). */
export function looksLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text);
}

/**
 * The graph in `text`.
 * @throws LangGraphImportError naming `file`, and the line and column for a JSON syntax error
 *   ("react.json:12:3: not valid JSON: Unexpected end of JSON input"), or the field for a wrong shape
 *   ("edges[3].target: 'tool' is not a node id; did you mean 'tools'?").
 */
export function parseLangGraphJson(text: string, file: string): ImportedGraph {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    // V8 names the offset ("… in JSON at position 42 (line 3 column 5)"); at the end of the input it names none.
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.trimEnd().length;
    const { line, col } = lineAndColumn(text, offset);
    throw new LangGraphImportError(file, `not valid JSON: ${message.replace(/\s*in JSON at position \d+.*$/, '')}; expected the JSON of graph.get_graph().to_json()`, line, col);
  }
  const root = value as { nodes?: unknown; edges?: unknown } | null;
  if (typeof root !== 'object' || root === null || Array.isArray(root) || !Array.isArray(root.nodes) || !Array.isArray(root.edges))
    throw new LangGraphImportError(file, 'JSON without "nodes" and "edges" lists; expected the JSON of graph.get_graph().to_json() ({ "nodes": [...], "edges": [...] })');

  const declared = new Map<string, { name?: string; runnable?: string }>();
  root.nodes.forEach((raw: unknown, i: number) => {
    const node = raw as { id?: unknown; data?: unknown } | null;
    const id = idOf(node?.id);
    if (id === undefined) throw new LangGraphImportError(file, `nodes[${i}].id: expected a string or a number (the node's name or index); got ${describe(node?.id)}`);
    if (declared.has(id)) throw new LangGraphImportError(file, `nodes[${i}].id: "${id}" appears twice; node ids are unique in a to_json() export`);
    const data = node?.data as { id?: unknown; name?: unknown } | string | undefined;
    const name = typeof data === 'string' ? data : typeof data?.name === 'string' ? data.name : undefined;
    const runnable = typeof data === 'object' && Array.isArray(data?.id) && data.id.every((p) => typeof p === 'string') ? data.id.join('.') : undefined;
    declared.set(id, { ...(name !== undefined ? { name } : {}), ...(runnable ? { runnable } : {}) });
  });

  const known = [...declared.keys()];
  const edges: ImportedEdge[] = root.edges.map((raw: unknown, i: number) => {
    const edge = raw as { source?: unknown; target?: unknown; data?: unknown; conditional?: unknown } | null;
    const end = (field: 'source' | 'target'): string => {
      const id = idOf(edge?.[field]);
      if (id === undefined) throw new LangGraphImportError(file, `edges[${i}].${field}: expected a node id (a string or a number); got ${describe(edge?.[field])}`);
      if (!declared.has(id)) {
        const guess = didYouMean(id, known);
        throw new LangGraphImportError(file, `edges[${i}].${field}: "${id}" is not a node id${guess ? `; did you mean "${guess}"?` : ` (the nodes are ${known.join(', ')})`}`);
      }
      return id;
    };
    if (edge?.conditional !== undefined && typeof edge.conditional !== 'boolean')
      throw new LangGraphImportError(file, `edges[${i}].conditional: expected true or false; got ${describe(edge.conditional)}`);
    const label = edge?.data === undefined || edge.data === null ? undefined : String(edge.data);
    return { source: end('source'), target: end('target'), conditional: edge?.conditional === true, ...(label !== undefined ? { label } : {}) };
  });
  return buildImportedGraph('json', declared, edges);
}

function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return undefined;
}

function describe(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 40) ?? String(v);
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: lines[lines.length - 1].length + 1 };
}
