/**
 * The LangGraph importer on real exports (fixtures/README.md says where each
 * comes from). Expected counts are read off the fixture text itself, not from
 * the parser.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { compileScenario, parseSource, scenarioSchema, validateSource, scenarioWarnings } from '../../sim/scenario/index.js';
import { simulateModel } from '../../sim/path/index.js';
import {
  ASSUMED,
  buildFlow,
  buildSkeleton,
  importLangGraph,
  LangGraphImportError,
  LANGGRAPH_DEFAULT_RECURSION_LIMIT,
  parseLangGraphJson,
  parseLangGraphMermaid,
  decodeMermaidId,
} from './index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const JSON_FIXTURES = ['react-agent.json', 'human-agent-loop.json', 'nested-subgraph-xray.json'];
const MERMAID_FIXTURES = ['react-agent.mmd', 'xray-subgraph.mmd', 'multi-agent-collaboration.mmd', 'weather-subgraph.mmd'];

/** Throws, and returns the error for inspection. */
function failure(f: () => unknown): LangGraphImportError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LangGraphImportError);
    return e as LangGraphImportError;
  }
  throw new Error('expected an error');
}

describe('parse the JSON of get_graph().to_json()', () => {
  it.each(JSON_FIXTURES)('%s: every node and edge, conditional edges, start and end', (name) => {
    const raw = JSON.parse(fixture(name)) as { nodes: { id: string }[]; edges: { conditional?: boolean; data?: string }[] };
    const g = parseLangGraphJson(fixture(name), name);
    expect(g.nodes.map((n) => n.id)).toEqual(raw.nodes.map((n) => n.id));
    expect(g.edges).toHaveLength(raw.edges.length);
    expect(g.edges.filter((e) => e.conditional)).toHaveLength(raw.edges.filter((e) => e.conditional === true).length);
    expect(g.edges.filter((e) => e.label !== undefined).map((e) => e.label)).toEqual(raw.edges.filter((e) => e.data !== undefined).map((e) => e.data));
    expect(g.nodes.find((n) => n.id === '__start__')?.kind).toBe('start');
    expect(g.nodes.find((n) => n.id === '__end__')?.kind).toBe('end');
  });

  it('reads an xray export into its sub-graph (ids prefixed "tool_two:")', () => {
    const g = parseLangGraphJson(fixture('nested-subgraph-xray.json'), 'x.json');
    expect(g.subgraphs).toEqual([{ id: 'tool_two', name: 'tool_two', parent: '' }]);
    expect(g.nodes.filter((n) => n.parent === 'tool_two').map((n) => [n.name, n.kind])).toEqual([
      ['__start__', 'start'],
      ['tool_two_slow', 'node'],
      ['tool_two_fast', 'node'],
      ['__end__', 'end'],
    ]);
  });
});

describe('parse the Mermaid text of draw_mermaid()', () => {
  it.each(MERMAID_FIXTURES)('%s: every edge (conditional ones drawn -.->), start and end', (name) => {
    const text = fixture(name);
    const edgeLines = text.split('\n').filter((l) => /\s(-->|-\.->|\.->)\s/.test(l));
    const g = parseLangGraphMermaid(text, name);
    expect(g.edges).toHaveLength(edgeLines.length);
    expect(g.edges.filter((e) => e.conditional)).toHaveLength(edgeLines.filter((l) => l.includes('.->')).length);
    expect(g.edges.filter((e) => e.label !== undefined)).toHaveLength(edgeLines.filter((l) => l.includes('&nbsp;')).length);
    expect(g.nodes.some((n) => n.id === '__end__' && n.kind === 'end')).toBe(true);
  });

  it('react-agent.mmd: the four nodes of create_react_agent, agent ⇄ tools', () => {
    const g = parseLangGraphMermaid(fixture('react-agent.mmd'), 'r.mmd');
    expect(g.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual(['__start__:start', 'agent:node', '__end__:end', 'tools:node']);
    expect(g.edges.map((e) => `${e.source}${e.conditional ? ' -.-> ' : ' --> '}${e.target}`)).toEqual([
      '__start__ --> agent',
      'agent -.-> __end__',
      'agent -.-> tools',
      'tools --> agent',
    ]);
  });

  it('decodes _to_safe_id escapes, labels and nested sub-graphs (xray-subgraph.mmd)', () => {
    const g = parseLangGraphMermaid(fixture('xray-subgraph.mmd'), 'x.mmd');
    expect(g.subgraphs.map((s) => s.id)).toEqual(['p_two']);
    expect(g.edges.filter((e) => e.label).map((e) => `${e.source}→${e.target} ${e.label}`)).toEqual([
      'p_one→__end__ 1',
      'p_one→p_two:__start__ 0',
      'p_two:c_one→p_two:__end__ 1',
      'p_two:c_one→p_two:c_two 0',
    ]);
    expect(decodeMermaidId(String.raw`Call\20Tool`)).toBe('Call Tool');
    expect(parseLangGraphMermaid(fixture('weather-subgraph.mmd'), 'w.mmd').nodes.find((n) => n.id === 'weather_graph:weather_node')?.name).toBe('weather_node');
  });

  it("reads the older header (%%{init}%%) and node lines with ';'", () => {
    // The shape langchain-core wrote before the frontmatter (graph_mermaid.py, `%%{init: {'flowchart': {'curve': 'linear'}}}%%`).
    const text = "%%{init: {'flowchart': {'curve': 'linear'}}}%%\ngraph TD;\n\t__start__[__start__]:::startclass;\n\tagent([agent]):::otherclass;\n\t__start__ --> agent;\n\tagent -- done --> __end__;\n";
    const g = parseLangGraphMermaid(text, 'old.mmd');
    expect(g.edges.map((e) => [e.source, e.target, e.conditional, e.label])).toEqual([
      ['__start__', 'agent', false, undefined],
      ['agent', '__end__', false, 'done'],
    ]);
  });
});

describe('the skeleton', () => {
  it.each(['react-agent.json', 'react-agent.mmd'])('%s: the ReAct cycle agent ⇄ tools is a loop left at LangGraph\'s default recursion_limit', (name) => {
    const { scenario, yamlText } = importLangGraph(fixture(name), name) as { scenario: { graph: Record<string, any>; stages: { id: string }[] }; yamlText: string };
    expect(scenario.stages.map((s) => s.id)).toEqual(['agent', 'tools']);
    // 10007: langchain-ai/langgraph libs/langgraph/langgraph/_internal/_config.py DEFAULT_RECURSION_LIMIT (langgraph 1.2.11; PR #6676, #7355).
    expect(LANGGRAPH_DEFAULT_RECURSION_LIMIT).toBe(10007);
    // No limit: written – a loop's limit counts iterations, and the engine's default is ⌊10007 supersteps / 2 nodes⌋.
    expect(scenario.graph).toMatchObject({
      start: 'agent-loop',
      nodes: { 'agent-loop': { loop: { body: ['agent', 'tools'], iterations: { stop: 0.5 }, atLimit: 'fail' } } },
      next: { 'agent-loop': 'end' },
    });
    expect(scenario.graph.nodes['agent-loop'].loop).not.toHaveProperty('limit');
    expect(yamlText).toContain('atLimit: fail # ASSUMED – measure: the step limit – none written, so LangGraph\'s default recursion_limit applies: 10007 supersteps');
    expect(yamlText).toContain('÷ 2 per iteration = 5003 iterations; if your invoke config passes recursion_limit R, write limit: ⌊R / 2⌋.');
    const model = compileScenario(scenarioSchema.parse(scenario));
    expect(model.graph!.composites.find((c) => c.id === 'agent-loop')!.loop!.limit).toBe(Math.floor(10007 / 2));
  });

  it('a sub-graph is a subgraph node, its cycles loops of their own (xray-subgraph.mmd)', () => {
    const { scenario } = importLangGraph(fixture('xray-subgraph.mmd'), 'x.mmd') as { scenario: Record<string, any> };
    expect(scenario.graph.nodes['p_one-loop'].loop.body).toEqual(['p_one', 'p_two']);
    expect(scenario.graph.nodes.p_two).toEqual({ subgraph: 'p_two-graph' });
    expect(scenario.subgraphs['p_two-graph']).toMatchObject({ start: 'p_two.c_one-loop', next: { 'p_two.c_one-loop': 'end' } });
    expect(scenario.subgraphs['p_two-graph'].nodes['p_two.c_one-loop'].loop.body).toEqual(['p_two.c_one', 'p_two.c_two']);
  });

  it('conditional successors are a route with equal shares summing to 1; a conditional entry point gets a router stage', () => {
    const { scenario, notes } = importLangGraph(fixture('nested-subgraph-xray.json'), 'n.json') as { scenario: Record<string, any>; notes: string[] };
    const route = scenario.graph.next['entry-router'].route as Record<string, number>;
    expect(Object.keys(route)).toEqual(['tool_one', 'tool_three', 'tool_two']);
    expect(Math.abs(Object.values(route).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(scenario.stages.find((s: { id: string }) => s.id === 'entry-router')).toMatchObject({ latency: '0ms' });
    expect(notes.some((n) => n.includes('conditional entry point'))).toBe(true);
  });

  it('plain fan-out becomes a parallel node that joins where the branches meet', () => {
    // LangGraph's test_in_one_fan_out_state_graph_waiting_edge snapshot (test_pregel.ambr), with_styles=False.
    const text = 'graph TD;\n\t__start__ --> rewrite_query;\n\tanalyzer_one --> retriever_one;\n\tretriever_one --> qa;\n\tretriever_two --> qa;\n\trewrite_query --> analyzer_one;\n\trewrite_query --> retriever_two;\n\tqa --> __end__;\n';
    const { scenario } = importLangGraph(text, 'fan.mmd') as { scenario: Record<string, any> };
    expect(scenario.graph.nodes['rewrite_query-fanout']).toEqual({ parallel: { branches: [['analyzer_one', 'retriever_one'], ['retriever_two']], join: 'all' } });
    expect(scenario.graph.next).toEqual({ rewrite_query: 'rewrite_query-fanout', 'rewrite_query-fanout': 'qa', qa: 'end' });
  });

  it.each([...JSON_FIXTURES, ...MERMAID_FIXTURES])('%s: every assumed value carries "# ASSUMED – measure:", and the YAML is the scenario', (name) => {
    const graph = name.endsWith('.json') ? parseLangGraphJson(fixture(name), name) : parseLangGraphMermaid(fixture(name), name);
    const skeleton = buildSkeleton(buildFlow(graph), graph, name);
    const doc = parseDocument(skeleton.yamlText);
    expect(doc.errors).toEqual([]);
    expect(parse(skeleton.yamlText)).toEqual(skeleton.scenario);
    const key = (p: readonly (string | number)[]) => p.join('.');
    const assumed = new Set(skeleton.assumed.map(key));
    // What the export cannot know, listed independently of the code that marks it.
    const expected: string[] = ['arrivals', 'pools.external'];
    const s = skeleton.scenario as Record<string, any>;
    s.stages.forEach((stage: { tokens?: unknown }, i: number) => {
      if (stage.tokens) for (const k of ['pool', 'latency', 'faults', 'tokens']) expected.push(`stages.${i}.${k}`);
    });
    const levels: [string, Record<string, any>][] = [['graph', s.graph], ...Object.entries(s.subgraphs ?? {}).map(([k, v]) => [`subgraphs.${k}`, v] as [string, Record<string, any>])];
    for (const [at, level] of levels) {
      for (const [id, c] of Object.entries(level.nodes ?? {}) as [string, Record<string, any>][]) {
        if (c.loop) expected.push(`${at}.nodes.${id}.loop.iterations`, `${at}.nodes.${id}.loop.atLimit`); // atLimit's line says the limit none is written for
        if (c.parallel) expected.push(`${at}.nodes.${id}.parallel.join`);
      }
      for (const [id, next] of Object.entries(level.next ?? {}) as [string, any][])
        if (typeof next === 'object') for (const target of Object.keys(next.route)) expected.push(`${at}.next.${id}.route.${target}`);
    }
    expect([...assumed].sort()).toEqual(expected.sort());
    for (const path of skeleton.assumed) {
      const node = doc.getIn(path, true) as { comment?: string } | undefined;
      expect(node?.comment, key(path)).toContain(ASSUMED);
    }
    // The comments sit on the value's own line (the header comment names the marker too).
    const marked = skeleton.yamlText.split('\n').filter((l) => l.includes(ASSUMED) && !l.startsWith('#'));
    expect(marked).toHaveLength(skeleton.assumed.length);
    for (const line of marked) expect(line).toMatch(/^\s*[\w.-]+: .+ # ASSUMED – measure: /);
  });
});

describe('the skeleton runs', () => {
  // The YAML as written by the importer, loaded as the CLI loads a file: parsed with positions, validated, compiled, simulated.
  it.each([...JSON_FIXTURES, ...MERMAID_FIXTURES])('%s: parses with scenarioSchema, compiles and simulates 200 requests', (name) => {
    const { yamlText } = importLangGraph(fixture(name), name);
    const src = parseSource(yamlText, `${name}.yaml`);
    const scenario = validateSource(src, scenarioSchema);
    const model = compileScenario({ ...scenario, requests: 200 });
    const r = simulateModel(model);
    const o = r.outcomes;
    expect(o.success + o.silentFailure + o.failed + o.escalated + o.timedOut + o.rejected).toBe(200);
    // Its loops are left at LangGraph's default limit, and each says so as a warning; nothing else is flagged.
    const loops = (model.graph?.composites ?? []).filter((c) => c.loop !== null).length;
    const warnings = scenarioWarnings(src, { input: src.data, model: compileScenario(scenario) }, []);
    expect(warnings.map((w) => w.code)).toEqual(Array(loops).fill('loop-default-limit'));
  });
});

describe('bad input: a positioned error naming the file and what was expected', () => {
  it('truncated JSON: the line and column where it stops', () => {
    const text = fixture('react-agent.json');
    const cut = text.slice(0, text.indexOf('"tools"') + 3);
    const e = failure(() => importLangGraph(cut, 'react-agent.json'));
    const lines = cut.split('\n');
    expect([e.line, e.col]).toEqual([lines.length, lines[lines.length - 1].length + 1]);
    expect(e.message).toMatch(new RegExp(`^react-agent\\.json:${lines.length}:\\d+: not valid JSON: .*expected the JSON of graph\\.get_graph\\(\\)\\.to_json\\(\\)`));
  });

  it('JSON with an edge to an unknown node: the field and a did-you-mean', () => {
    const raw = JSON.parse(fixture('react-agent.json'));
    raw.edges[3].target = 'agnet';
    const e = failure(() => importLangGraph(JSON.stringify(raw), 'g.json'));
    expect(e.message).toBe('g.json: edges[3].target: "agnet" is not a node id; did you mean "agent"?');
  });

  it('JSON that is not a graph export', () => {
    expect(failure(() => importLangGraph('{"name": "x"}', 'g.json')).message).toMatch(/^g\.json: JSON without "nodes" and "edges" lists/);
  });

  it('a Mermaid line that is neither a node nor an edge: its line and column', () => {
    const text = fixture('react-agent.mmd').replace('\tagent -.-> tools;', '\tagent => tools;');
    const e = failure(() => importLangGraph(text, 'react-agent.mmd'));
    expect([e.line, e.col]).toEqual([4, 2]);
    expect(e.message).toMatch(/^react-agent\.mmd:4:2: "agent => tools;" is not a line of a draw_mermaid\(\) export; expected a node/);
  });

  it('neither format: says both', () => {
    const e = failure(() => importLangGraph('nodes:\n  - agent\n', 'graph.yaml'));
    expect(e.message).toMatch(/^graph\.yaml:1:1: expected LangGraph's draw_mermaid\(\) text, which starts with "graph TD;".*or the JSON of get_graph\(\)\.to_json\(\)/);
  });

  it('a subgraph block never closed', () => {
    const text = fixture('xray-subgraph.mmd').replace(/\tend\n/, '');
    const e = failure(() => importLangGraph(text, 'x.mmd'));
    expect(e.message).toMatch(/^x\.mmd:\d+:1: subgraph p_two is never closed with "end"/);
  });
});
