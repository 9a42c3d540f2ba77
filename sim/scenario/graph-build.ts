/**
 * `graph:` and `subgraphs:` → the compiled GraphModel (path/graph.ts) and its
 * hand-off edges. One function for the checks (each problem an issue at the
 * field to fix, with did-you-mean) and for the compiler (which runs it on a
 * validated scenario, where it finds none).
 *
 * Rules: every node belongs to exactly one flow (the main graph, one
 * sub-graph, one loop body or branch chain); every stage is visited; `next`
 * and `onFailure` form no cycle – an agent that goes round does so through a
 * `loop` node, which has a step limit; route shares sum to 1; a sub-graph
 * does not contain itself.
 *
 * This file numbers the nodes and flows and runs the steps in order: the
 * composite nodes (graph-composites.ts), each flow (graph-flow.ts), then the
 * checks over the whole graph; the state they share is a GraphContext
 * (graph-context.ts).
 */
import { chainGraph, type GraphModel } from '../path/graph.js';
import type { BodyInput, FlowGraphInput } from './graph-schema.js';
import { didYouMean } from './units.js';
import { END_NODE, GraphContext, type FlowSource, type HandoffEdge, type IssueSink, type Path } from './graph-context.js';
import { applyDefaultLoopLimits, checkSelfNesting, compileComposites, type CompositeDeclaration } from './graph-composites.js';
import { buildFlow } from './graph-flow-build.js';

export { END_NODE, type HandoffEdge, type IssueSink } from './graph-context.js';
export { countSpecOf } from '../kernel/count-dist.js';

/** The fields the graph reads; the validated Scenario has them all. */
export interface GraphScenarioLike {
  stages: { id: string; propagate?: boolean }[];
  graph?: FlowGraphInput;
  subgraphs?: Record<string, FlowGraphInput>;
}

export interface BuiltGraph {
  graph: GraphModel;
  /** Model.edges in order; for a chain edges[0] is null (nothing hands into the first stage). */
  edges: (HandoffEdge | null)[];
}

export function buildGraph(s: GraphScenarioLike, issue: IssueSink): BuiltGraph | null {
  const stageIds = s.stages.map((st) => st.id);
  if (s.graph === undefined) {
    if (s.subgraphs !== undefined && Object.keys(s.subgraphs).length > 0) {
      issue(['subgraphs'], 'sub-graphs are used from the nodes of a graph: section, and there is none – add graph: (with start and next) or remove subgraphs', 'key');
      return null;
    }
    return { graph: chainGraph(stageIds), edges: stageIds.map((_, i) => (i === 0 ? null : { from: i - 1, to: i })) };
  }
  const subgraphs = s.subgraphs ?? {};
  const subgraphNames = Object.keys(subgraphs);
  const composites = declareComposites(s.graph, subgraphs, stageIds, issue);
  if (composites === null) return null;
  const ctx = new GraphContext(issue, stageIds, [...stageIds, ...composites.map((c) => c.id)]);

  // Flow 0 is the main graph; each body a composite runs is a flow after it
  // (a sub-graph's once, however many nodes run it).
  ctx.flows.push({ id: 'main', start: -1, entryEdge: -1, owner: -1 });
  const pending: FlowSource[] = [{ id: 'main', path: ['graph'], section: s.graph, chain: null, owner: -1 }];
  const subgraphFlow = new Map<string, number>();
  const bodyFlow = (body: BodyInput, owner: number, label: string, path: Path): number => {
    if (typeof body === 'string') {
      if (!(body in subgraphs)) {
        const hint = didYouMean(body, subgraphNames);
        ctx.unresolved(path, `unknown sub-graph "${body}"${hint ? `; did you mean "${hint}"?` : `; known: ${subgraphNames.join(', ') || '(none) – define it under subgraphs:'}`}`);
        return -1;
      }
      const existing = subgraphFlow.get(body);
      if (existing !== undefined) return existing;
      subgraphFlow.set(body, ctx.flows.length);
      ctx.flows.push({ id: body, start: -1, entryEdge: -1, owner });
      pending.push({ id: body, path: ['subgraphs', body], section: subgraphs[body], chain: null, owner });
      return ctx.flows.length - 1;
    }
    ctx.flows.push({ id: label, start: -1, entryEdge: -1, owner });
    pending.push({ id: label, path, section: null, chain: body, owner });
    return ctx.flows.length - 1;
  };
  // Composite models first: their bodies become the flows built next.
  const compiled = compileComposites(ctx, composites, bodyFlow);
  pending.forEach((src, fi) => buildFlow(ctx, fi, src));

  // Composites no flow uses, and sub-graphs no node runs.
  composites.forEach((c, ci) => {
    const home = ctx.sectionFlow.get(c.section);
    const node = ctx.stageCount + ci;
    if (ctx.nodeFlow[node] >= 0 || home === undefined || ctx.explained.has(node)) return;
    ctx.unreachable.push([
      c.path,
      `node "${c.id}" is unreachable: nothing in ${ctx.flowName(home.flow)} leads to it from its start "${home.start}", and no loop, map or parallel body names it – add it to next: (e.g. next: { ${home.start}: ${c.id} }) or remove it`,
      'key',
    ]);
  });
  for (const name of subgraphNames) {
    if (subgraphFlow.has(name)) continue;
    ctx.unreachable.push([['subgraphs', name], `sub-graph "${name}" is not used: no node runs it (graph.nodes.<id>.subgraph: ${name}, or a loop, map or parallel body: ${name}) – use it or remove it`, 'key']);
    // What it names is unused because it is: one message.
    for (const id of namedIn(subgraphs[name])) {
      const node = id === undefined ? undefined : ctx.nodeIndex.get(id);
      if (node !== undefined) ctx.explained.add(node);
    }
  }

  applyDefaultLoopLimits(ctx, compiled.models);
  checkSelfNesting(ctx, compiled);
  stageIds.forEach((id, i) => {
    if (ctx.nodeFlow[i] < 0 && !ctx.explained.has(i))
      ctx.unreachable.push([['stages', i, 'id'], `stage "${id}" is unreachable: no flow of the graph visits it – add it to graph.next, a sub-graph or a loop/map/parallel body, or remove it`, undefined]);
    if (s.stages[i].propagate && ctx.nodeFlow[i] >= 0 && !ctx.incomplete && ctx.caller[i] < 0)
      ctx.fail(['stages', i, 'propagate'], `stage "${id}" has no single stage before it in its flow to pass its failures to (propagate needs exactly one caller)`);
  });
  if (!ctx.incomplete) for (const [path, message, target] of ctx.unreachable) ctx.fail(path, message, target);
  if (!ctx.ok) return null;
  const { nodeIds, next, onFailure, onFailureEdge, flows, nodeFlow, rank, caller, edges } = ctx;
  return {
    graph: { nodeIds, next, onFailure, onFailureEdge, composites: compiled.models, flows, nodeFlow, rank, caller, edgeFrom: edges.map((e) => e.from), edgeTo: edges.map((e) => e.to) },
    edges,
  };
}

/**
 * The composite nodes: the graph's, then each sub-graph's, in file order
 * (node stageCount + i is the i-th). Null, with the issues, when an id is
 * END_NODE or already taken by a stage or another node.
 */
function declareComposites(graph: FlowGraphInput, subgraphs: Record<string, FlowGraphInput>, stageIds: string[], issue: IssueSink): CompositeDeclaration[] | null {
  const sections: [string, FlowGraphInput, Path][] = [['graph', graph, ['graph']], ...Object.keys(subgraphs).map((k): [string, FlowGraphInput, Path] => [k, subgraphs[k], ['subgraphs', k]])];
  const ids = [...stageIds];
  const composites: CompositeDeclaration[] = [];
  let ok = true;
  for (const [name, section, path] of sections)
    for (const [id, input] of Object.entries(section.nodes ?? {})) {
      const at = [...path, 'nodes', id];
      const problem =
        id === END_NODE
          ? `"${END_NODE}" is the word that ends a flow (next: { a: end }); name the node otherwise`
          : ids.includes(id)
            ? `duplicate node id "${id}" (a stage or another node has it); ids of stages and nodes are unique`
            : null;
      if (problem !== null) {
        ok = false;
        issue(at, problem, 'key');
      }
      ids.push(id);
      composites.push({ id, input, path: at, section: name });
    }
  return ok ? composites : null;
}

/** Every node id a section names: its start, nodes, next: (keys, targets, route keys) and onFailure:. */
function namedIn(g: FlowGraphInput): (string | undefined)[] {
  const nexts = Object.values(g.next ?? {}).flatMap((v) => (typeof v === 'string' ? [v] : Object.keys(v.route ?? {})));
  return [g.start, ...Object.keys(g.nodes ?? {}), ...Object.keys(g.next ?? {}), ...nexts, ...Object.keys(g.onFailure ?? {}), ...Object.values(g.onFailure ?? {})];
}
