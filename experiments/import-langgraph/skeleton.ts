/**
 * The scenario skeleton for an imported LangGraph graph: the structure from
 * the export (structure.ts), and for everything an export cannot know – load,
 * servers, latency, faults, tokens, routing shares, iteration counts – a
 * plausible placeholder whose YAML line says `# ASSUMED – measure: …`, so no
 * figure simulated from it passes for a measurement.
 */
import { Document, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { ImportedGraph } from './imported-graph.js';
import { END, type Composite, type Flow, type FlowLevel, type NextSpec, type StageSpec } from './structure.js';

/**
 * LangGraph's default `recursion_limit` today: 10007 supersteps – the same
 * constant as the engine's (sim/scenario/graph-schema.ts
 * LANGGRAPH_RECURSION_LIMIT), which gives a loop without `limit` ⌊10007 /
 * body nodes⌋ iterations; so the skeleton writes no `limit` and says so.
 * langchain-ai/langgraph libs/langgraph/langgraph/_internal/_config.py,
 * `DEFAULT_RECURSION_LIMIT = int(getenv("LANGGRAPH_DEFAULT_RECURSION_LIMIT", "10007"))`
 * (langgraph 1.2.11, snapshot f09cfe8 of 2026-08-20). It was 25 until PR #6676
 * ("fix: change default recursion limit", a5827c5, 2026-01-12, released in
 * 1.0.7) made it 10000, and PR #7355 (2fb367e, 2026-03-30, released in 1.1.4)
 * 10007, so that an explicit 10000 is not mistaken for the default. LangGraph
 * raises GraphRecursionError when a run reaches it (pregel/main.py), hence
 * `atLimit: fail`. A loop's `limit` counts iterations, not supersteps: writing
 * 10007 would allow each iteration's nodes 10007 times over.
 */
export const LANGGRAPH_DEFAULT_RECURSION_LIMIT = 10007;
const LIMIT_SOURCE = 'langgraph 1.2.11 _internal/_config.py DEFAULT_RECURSION_LIMIT';

/** The placeholders, one place. Latency: an LLM call's order of magnitude; prices: inside the 3–15 $/M range of current frontier models (as scenarios/fintech-underwriting.yaml). */
const PLACEHOLDER = {
  ratePerSec: 1,
  servers: 16,
  latency: { dist: 'lognormal', median: '1s', p99: '5s' },
  faults: { error: 0.01 },
  tokens: { input: 1000, output: 200, inputPricePerMTokUsd: 3, outputPricePerMTokUsd: 15 },
  /** Geometric iterations with mean 1/0.5 = 2 tool rounds. */
  stop: 0.5,
} as const;

export type YamlPath = readonly (string | number)[];

export interface Skeleton {
  scenario: Record<string, unknown>;
  yamlText: string;
  notes: string[];
  /** Every path that holds a placeholder; each carries an `# ASSUMED – measure:` comment in yamlText. */
  assumed: YamlPath[];
}

export const ASSUMED = 'ASSUMED – measure:';

export function buildSkeleton(flow: Flow, g: ImportedGraph, fileName: string): Skeleton {
  const comments: { path: YamlPath; text: string; assumed: boolean }[] = [];
  const assume = (path: YamlPath, what: string) => comments.push({ path, text: `${ASSUMED} ${what}`, assumed: true });
  const say = (path: YamlPath, text: string) => comments.push({ path, text, assumed: false });
  const notes: string[] = [];
  const base = fileName.split(/[\\/]/).pop()!.replace(/\.[^.]*$/, '');
  const name = (base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z]+/, '') || 'langgraph').slice(0, 100);

  const stages = flow.stages.map((s, i) => stageObject(s, i, assume, say));
  const graph = levelObject(flow.graph, ['graph'], assume, say, notes);
  const scenario: Record<string, unknown> = {
    name,
    description: `Skeleton from a LangGraph ${g.format === 'json' ? 'get_graph().to_json()' : 'draw_mermaid()'} export (${fileName}); every value marked ASSUMED is a placeholder to measure.`,
    seed: 1,
    requests: 10000,
    arrivals: { kind: 'poisson', rate: `${PLACEHOLDER.ratePerSec}/s` },
    pools: { external: { servers: PLACEHOLDER.servers } },
    stages,
    graph,
  };
  assume(['arrivals'], 'your request rate in production');
  assume(['pools', 'external'], 'one shared pool for every node; split it by what each node waits on (cpu, gpu, an API) and set the concurrent calls each allows');
  if (flow.subgraphs.length > 0)
    scenario.subgraphs = Object.fromEntries(flow.subgraphs.map((s) => [s.key, levelObject(s, ['subgraphs', s.key], assume, say, notes)]));

  const real = flow.stages.filter((s) => !s.entryRouter).length;
  notes.unshift(
    `assumed for each of the ${real} stages: pool external (${PLACEHOLDER.servers} servers), latency lognormal median ${PLACEHOLDER.latency.median} / p99 ${PLACEHOLDER.latency.p99}, error ${PLACEHOLDER.faults.error * 100} %, ${PLACEHOLDER.tokens.input} input + ${PLACEHOLDER.tokens.output} output tokens at ${PLACEHOLDER.tokens.inputPricePerMTokUsd} / ${PLACEHOLDER.tokens.outputPricePerMTokUsd} $ per million`,
    `assumed arrivals: Poisson ${PLACEHOLDER.ratePerSec}/s`,
  );
  notes.push(...flow.notes);

  const doc = new Document(scenario);
  doc.commentBefore =
    ` Imported by coordgap import langgraph from ${fileName}.\n` +
    ' The structure (stages, routes, loops, sub-graphs) is the export\'s; every line marked\n' +
    ' "ASSUMED – measure:" is a placeholder the export cannot know – replace it with a\n' +
    ' measured value (LangSmith traces give latency, errors and token usage per node).';
  // Small mappings on one line; a comment then follows the whole mapping.
  const flowStyle = (path: YamlPath) => {
    const node = doc.getIn(path, true);
    if (isMap(node) || isSeq(node)) node.flow = true;
  };
  flowStyle(['arrivals']);
  flowStyle(['pools', 'external']);
  stages.forEach((s, i) => {
    for (const k of ['latency', 'faults', 'tokens']) if (k in s) flowStyle(['stages', i, k]);
  });
  for (const [path] of walkFlowPaths(scenario)) flowStyle(path);
  for (const c of comments) {
    const node = doc.getIn(c.path, true) as YamlNode | undefined;
    if (!node) throw new Error(`internal: no YAML node at ${c.path.join('.')} for its comment`);
    node.comment = ` ${c.text}`;
  }
  return { scenario, yamlText: doc.toString({ lineWidth: 0 }), notes, assumed: comments.filter((c) => c.assumed).map((c) => c.path) };
}

type Commenter = (path: YamlPath, text: string) => void;

function stageObject(s: StageSpec, i: number, assume: Commenter, say: Commenter): Record<string, unknown> {
  const at = (k: string): YamlPath => ['stages', i, k];
  if (s.entryRouter) {
    say(at('latency'), "not a LangGraph node: stands in for the conditional entry point (add_conditional_edges(START, …)); takes no time");
    return { id: s.id, description: 'Entry router: where LangGraph routes __start__ conditionally.', pool: 'external', latency: '0ms' };
  }
  const n = s.source!;
  const stage: Record<string, unknown> = {
    id: s.id,
    description: `LangGraph node "${n.id}"${n.runnable ? ` (${n.runnable})` : ''}`,
    pool: 'external',
  };
  // A ToolNode is a tool integration: the protocol layer's mismatch applies to its hand-offs.
  if (n.runnable?.endsWith('.ToolNode')) {
    stage.tool = true;
    say(at('tool'), 'the export names it a langgraph.prebuilt ToolNode');
  }
  Object.assign(stage, { latency: { ...PLACEHOLDER.latency }, faults: { ...PLACEHOLDER.faults }, tokens: { ...PLACEHOLDER.tokens } });
  assume(at('pool'), 'what this node waits on (cpu, gpu, an external API)');
  assume(at('latency'), "this node's run time, median and p99 (LangSmith run latency)");
  assume(at('faults'), "share of this node's runs that raise (and that return wrong output: corruption)");
  assume(at('tokens'), 'tokens per call from usage_metadata, 0 for a node that calls no model; your model\'s prices');
  return stage;
}

function levelObject(level: FlowLevel, at: YamlPath, assume: Commenter, say: Commenter, notes: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { start: level.start };
  if (level.nodes.size > 0) out.nodes = Object.fromEntries([...level.nodes].map(([id, c]) => [id, compositeObject(id, c, [...at, 'nodes', id], assume, notes)]));
  out.next = Object.fromEntries([...level.next].map(([id, spec]) => [id, nextObject(id, spec, [...at, 'next', id], assume, notes)]));
  return out;
}

function compositeObject(id: string, c: Composite, at: YamlPath, assume: Commenter, notes: string[]): Record<string, unknown> {
  if (c.kind === 'subgraph') return { subgraph: c.subgraph };
  if (c.kind === 'parallel') {
    assume([...at, 'parallel', 'join'], 'LangGraph waits for every branch when they finish in the same superstep or meet at a waiting edge (add_edge([...], node))');
    notes.push(`assumed: ${id} joins all of its ${c.branches.length} parallel branches`);
    return { parallel: { branches: c.branches, join: 'all' } };
  }
  const steps = c.body.length;
  const description =
    `LangGraph cycle ${c.body.join(' → ')} → ${c.body[0]}` +
    (c.exitsMidBody.length > 0
      ? `; it leaves from ${c.exitsMidBody.join(', ')}, before the end of the body, so each request's last iteration here runs ${c.body.slice(c.body.indexOf(c.exitsMidBody[0]) + 1).join(', ')} once more than LangGraph would`
      : '') +
    (c.approximate ? '; the cycle also routes inside itself – the body runs its nodes as one chain' : '') +
    '.';
  assume([...at, 'loop', 'iterations'], `iterations per request (geometric: stops after each with p = ${PLACEHOLDER.stop}, mean ${1 / PLACEHOLDER.stop})`);
  // No `limit:` – it counts iterations, and the engine's default is LangGraph's: ⌊10007 supersteps / nodes per iteration⌋.
  const iterations = Math.floor(LANGGRAPH_DEFAULT_RECURSION_LIMIT / steps);
  assume(
    [...at, 'loop', 'atLimit'],
    `the step limit – none written, so LangGraph's default recursion_limit applies: ${LANGGRAPH_DEFAULT_RECURSION_LIMIT} supersteps (${LIMIT_SOURCE}) ÷ ${steps} per iteration = ${iterations} iterations; ` +
      `if your invoke config passes recursion_limit R, write limit: ⌊R / ${steps}⌋. At the limit LangGraph raises GraphRecursionError`,
  );
  notes.push(
    `assumed: loop ${id} (body ${c.body.join(' → ')}) stops after each iteration with p = ${PLACEHOLDER.stop}; no limit written: LangGraph's default recursion_limit ${LANGGRAPH_DEFAULT_RECURSION_LIMIT} supersteps (${LIMIT_SOURCE}) ÷ ${steps} nodes = ${iterations} iterations`,
  );
  return { description, loop: { body: c.body, iterations: { stop: PLACEHOLDER.stop }, atLimit: 'fail' } };
}

function nextObject(id: string, spec: NextSpec, at: YamlPath, assume: Commenter, notes: string[]): unknown {
  if ('to' in spec) return spec.to;
  // Equal shares in 4 decimals; the last takes the rest so they sum to 1.
  const n = spec.route.length;
  const share = Math.round(10000 / n) / 10000;
  const route: Record<string, number> = {};
  spec.route.forEach((target, i) => {
    route[target] = i < n - 1 ? share : Math.round((1 - share * (n - 1)) * 10000) / 10000;
    const label = spec.labels[i];
    assume([...at, 'route', target], `share of runs the condition sends here${label ? ` (branch "${label}")` : ''}; equal split of ${n}`);
  });
  notes.push(`assumed: after ${id}, equal shares to ${spec.route.map((t) => (t === END ? 'end' : t)).join(', ')}`);
  return { route };
}

/** Paths of the loop bodies, iterations and parallel branches: written on one line. */
function* walkFlowPaths(scenario: Record<string, unknown>): Generator<[YamlPath]> {
  const levels: [YamlPath, Record<string, unknown>][] = [[['graph'], scenario.graph as Record<string, unknown>]];
  for (const [k, v] of Object.entries((scenario.subgraphs ?? {}) as Record<string, Record<string, unknown>>)) levels.push([['subgraphs', k], v]);
  for (const [at, level] of levels)
    for (const [id, c] of Object.entries((level.nodes ?? {}) as Record<string, Record<string, unknown>>)) {
      if (c.loop) {
        yield [[...at, 'nodes', id, 'loop', 'body']];
        yield [[...at, 'nodes', id, 'loop', 'iterations']];
      }
      if (c.parallel) {
        yield [[...at, 'nodes', id, 'parallel', 'branches']];
      }
    }
}
