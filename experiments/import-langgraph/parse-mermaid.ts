/**
 * Reads the Mermaid text of `graph.get_graph().draw_mermaid()`.
 *
 * The format, as langchain-core writes it (langchain-ai/langchain
 * libs/core/langchain_core/runnables/graph_mermaid.py, `draw_mermaid`):
 *
 *   ---                                   frontmatter (with_styles=True): YAML, `config: flowchart: curve: linear`
 *   config: …                             (older releases wrote `%%{init: {'flowchart': {'curve': 'linear'}}}%%` instead)
 *   ---
 *   graph TD;
 *   	__start__([<p>__start__</p>]):::first     first node    `{id}([{label}]):::first`
 *   	agent(agent)                              other nodes   `{id}({label})`; node metadata adds `<hr/><small><em>k = v</em></small>`
 *   	__end__([<p>__end__</p>]):::last          last node
 *   	__start__ --> agent;                      edge
 *   	agent -.-> tools;                         conditional edge
 *   	agent -. &nbsp;continue&nbsp; .-> tools;  conditional edge with its label (`-- &nbsp;x&nbsp; -->` unconditional)
 *   	subgraph tool_two                         a sub-graph's nodes and inner edges, nested blocks for nested ones
 *   	tool_two\3afast(fast)
 *   	end
 *   	classDef default fill:#f2f0ff,line-height:1.2
 *
 * with_styles=False leaves out the frontmatter, the node lines and the
 * classDefs (edges and sub-graph blocks stay). Ids pass through `_to_safe_id`:
 * every character but [a-zA-Z0-9_-] becomes a backslash and its lowercase hex
 * code point, with no terminator – `tool_two:fast` is `tool_two\3afast`,
 * `Call Tool` is `Call\20Tool`. Since nothing ends the code, `\3ac_one` could
 * be read as U+3AC followed by "_one"; ids are decoded two hex digits at a
 * time when those name a printable ASCII character (every id in LangGraph's
 * own snapshots), and other escapes are left as written.
 */
import { buildImportedGraph, LangGraphImportError, type ImportedEdge, type ImportedGraph } from './imported-graph.js';

const ID = String.raw`[A-Za-z0-9_\\-]+`;
const HEADER = /^(graph|flowchart)\s+(TD|TB|BT|LR|RL)\s*;?$/;
const EDGE = new RegExp(String.raw`^(${ID})\s+(-->|-\.->|-\.\s+(.*?)\s+\.->|--\s+(.*?)\s+-->)\s+(${ID})\s*;?$`);
const NODE = new RegExp(String.raw`^(${ID})\s*(?:\(\[(.*)\]\)|\((.*)\)|\[(.*)\])\s*(?::::[A-Za-z0-9_-]+)?\s*;?$`);
const SUBGRAPH = /^subgraph\s+(\S.*?)\s*$/;
const STYLE_LINE = /^(classDef|class|style|linkStyle)\s/;

/** Decodes `_to_safe_id`'s escapes (see the module comment). */
export function decodeMermaidId(raw: string): string {
  return raw.replace(/\\([0-9a-f]{2})/g, (whole, hex: string) => {
    const code = parseInt(hex, 16);
    return code >= 0x20 && code <= 0x7e ? String.fromCharCode(code) : whole;
  });
}

/** A node or edge label as text: HTML entities and tags out, node metadata (after `<hr/>`) dropped. */
function labelText(raw: string): string {
  return raw
    .split('<hr/>')[0]
    .replace(/&nbsp;?<br>&nbsp;?|<br\s*\/?>/g, ' ')
    .replace(/&nbsp;?/g, ' ')
    .replace(/<[^>]*>/g, '')
    .trim();
}

/**
 * The graph in `text`.
 * @throws LangGraphImportError naming `file`, the line and the column of the
 *   first line that is not part of a draw_mermaid() export, and what would be.
 */
export function parseLangGraphMermaid(text: string, file: string): ImportedGraph {
  const lines = text.split(/\r?\n/);
  const declared = new Map<string, { name?: string; line: number }>();
  const edges: ImportedEdge[] = [];
  const open: { name: string; line: number }[] = [];
  let i = 0;
  const skipBlank = () => {
    while (i < lines.length && (lines[i].trim() === '' || lines[i].trim().startsWith('%%'))) i++;
  };
  skipBlank();
  if (lines[i]?.trim() === '---') {
    const from = i + 1;
    i++;
    while (i < lines.length && lines[i].trim() !== '---') i++;
    if (i >= lines.length) throw new LangGraphImportError(file, 'the frontmatter opened with --- is never closed with ---', from, 1);
    i++;
    skipBlank();
  }
  if (i >= lines.length || !HEADER.test(lines[i].trim()))
    throw new LangGraphImportError(
      file,
      `expected LangGraph's draw_mermaid() text, which starts with "graph TD;" (after an optional --- frontmatter), or the JSON of get_graph().to_json(); got ${i >= lines.length ? 'nothing' : `"${lines[i].trim().slice(0, 60)}"`}`,
      Math.min(i, lines.length - 1) + 1,
      1,
    );
  const mention = (raw: string, line: number, name?: string) => {
    const id = decodeMermaidId(raw);
    const known = declared.get(id);
    if (!known) declared.set(id, { ...(name !== undefined ? { name } : {}), line });
    else if (name !== undefined && known.name === undefined) known.name = name;
    return id;
  };
  for (i++; i < lines.length; i++) {
    const line = lines[i].trim();
    const at = i + 1;
    if (line === '' || line.startsWith('%%') || STYLE_LINE.test(line)) continue;
    const col = lines[i].length - lines[i].trimStart().length + 1;
    let m: RegExpExecArray | null;
    if ((m = EDGE.exec(line))) {
      const [, source, arrow, dottedLabel, solidLabel, target] = m;
      const label = dottedLabel ?? solidLabel;
      const text = label === undefined ? undefined : labelText(label);
      edges.push({ source: mention(source, at), target: mention(target, at), conditional: arrow.startsWith('-.'), ...(text ? { label: text } : {}), line: at });
    } else if ((m = NODE.exec(line))) {
      mention(m[1], at, labelText(m[2] ?? m[3] ?? m[4] ?? ''));
    } else if ((m = SUBGRAPH.exec(line))) {
      open.push({ name: m[1], line: at });
    } else if (line === 'end') {
      if (open.length === 0) throw new LangGraphImportError(file, '"end" closes no subgraph', at, col);
      open.pop();
    } else {
      throw new LangGraphImportError(
        file,
        `"${line.slice(0, 60)}" is not a line of a draw_mermaid() export; expected a node (agent(agent)), an edge (a --> b, a -.-> b, a -. &nbsp;label&nbsp; .-> b), "subgraph NAME", "end" or a classDef`,
        at,
        col,
      );
    }
  }
  if (open.length > 0) throw new LangGraphImportError(file, `subgraph ${open[open.length - 1].name} is never closed with "end"`, open[open.length - 1].line, 1);
  if (edges.length === 0) throw new LangGraphImportError(file, 'a draw_mermaid() export without edges; the graph needs at least __start__ --> a node', lines.length, 1);
  return buildImportedGraph('mermaid', declared, edges);
}
