/**
 * `coordgap import langgraph`: a LangGraph graph export – the JSON of
 * `graph.get_graph().to_json()` or the Mermaid text of `draw_mermaid()` – as a
 * scenario skeleton in the graph language of issue 14, every parameter the
 * export cannot know marked `# ASSUMED – measure: …`.
 */
import { looksLikeJson, parseLangGraphJson } from './parse-json.js';
import { parseLangGraphMermaid } from './parse-mermaid.js';
import { buildFlow } from './structure.js';
import { buildSkeleton } from './skeleton.js';

export { LangGraphImportError, type ImportedGraph, type ImportedNode, type ImportedEdge, type ImportedSubgraph } from './imported-graph.js';
export { parseLangGraphJson } from './parse-json.js';
export { parseLangGraphMermaid, decodeMermaidId } from './parse-mermaid.js';
export { buildFlow, type Flow, type FlowLevel, type Composite, type NextSpec } from './structure.js';
export { buildSkeleton, ASSUMED, LANGGRAPH_DEFAULT_RECURSION_LIMIT, type Skeleton, type YamlPath } from './skeleton.js';

/**
 * The scenario skeleton for the export in `text`. The format is detected:
 * text that starts with "{" is read as to_json()'s JSON, anything else as
 * draw_mermaid()'s text.
 * @param fileName how messages name the file, and where the scenario's name comes from
 * @returns the scenario object, its YAML with the ASSUMED comments, and one note per assumption or approximation
 * @throws LangGraphImportError (a UsageError: exit 2) naming the file, line and column and what was expected
 */
export function importLangGraph(text: string, fileName: string): { scenario: object; yamlText: string; notes: string[] } {
  const graph = looksLikeJson(text) ? parseLangGraphJson(text, fileName) : parseLangGraphMermaid(text, fileName);
  const { scenario, yamlText, notes } = buildSkeleton(buildFlow(graph), graph, fileName);
  return { scenario, yamlText, notes };
}
