/**
 * An inferred structure (structure.ts) written in the scenario language: the
 * `stages` and the `graph:` (maps, parallel nodes and loops as composite
 * nodes; for a loop whose body routes, `subgraphs:`) of a ScenarioInput. What the structure does not decide is asked of the
 * caller: each stage's latency (the distribution fit, distributions.ts), its
 * pool, and any further fields (fault rates, tokens) – so this file holds no
 * fitted parameter but counts.
 */
import type { ScenarioInput } from '../scenario/schema.js';
import { FLOW_END_ID, type CountEntry, type InferredFlow, type InferredLoop } from './structure-flow.js';
import type { InferredStage, InferredStructure } from './structure.js';

export type StageFragment = ScenarioInput['stages'][number];
export type GraphFragment = NonNullable<ScenarioInput['graph']>;
export type LatencyFragment = NonNullable<StageFragment['latency']>;
type Composite = NonNullable<GraphFragment['nodes']>[string];
type Next = NonNullable<GraphFragment['next']>[string];

export interface ScenarioHooks {
  /** The stage's `latency:` from its per-attempt durations – the hook for the distribution fit. */
  latencyFor(stageId: string, durationsMs: readonly number[]): LatencyFragment;
  /** The stage's pool; default poolForOperation(stage.operation). */
  poolFor?(stage: InferredStage): string;
  /** More stage fields (faults, tokens, llm), merged over what this file writes. */
  extraFor?(stage: InferredStage): Partial<StageFragment>;
  /** A loop's iterations: the observed counts (default) or the geometric stop probability. */
  loopIterations?: 'empirical' | 'geometric';
}

export interface ScenarioFragment {
  stages: StageFragment[];
  graph: GraphFragment;
  /** Present when a loop body routes (a chain cannot say it). */
  subgraphs?: Record<string, GraphFragment>;
  /** The pools the stages name, sorted, for the caller to define. */
  pools: string[];
}

/**
 * GenAI semantic-convention operation names (gen_ai.operation.name) → a
 * pool: model calls share the provider's limits, tools theirs.
 */
export function poolForOperation(operation: string): string {
  if (['chat', 'text_completion', 'generate_content', 'embeddings', 'create_agent'].includes(operation)) return 'llm';
  if (operation === 'execute_tool') return 'tools';
  if (operation === 'retrieval') return 'retrieval';
  return 'other';
}

const counts = (entries: readonly CountEntry[]): [number, number][] => entries.map((e) => [e.value, e.count]);

/**
 * Where the runs that outlasted every finished run go when the traces show no
 * limit: a count past any limit (the schema's largest), so such a run goes on
 * until a failure – as every one of them did in the traces – or the loop's
 * limit (LangGraph's recursion limit when none is written) ends it.
 */
export const NEVER_STOPS_ITERATIONS = 1_000_000;

/** The loop's iteration weights: the product-limit shares, and the outlasting runs' share at the limit's next count (or NEVER_STOPS_ITERATIONS). */
function iterationWeights(l: InferredLoop): [number, number][] {
  const rows: [number, number][] = l.iterationShares.map((e) => [e.value, Number(e.share.toPrecision(6))]);
  if (l.outlasted !== null) rows.push([l.limit !== null ? l.limit + 1 : NEVER_STOPS_ITERATIONS, Number(l.outlasted.share.toPrecision(6))]);
  return rows;
}

/** The flow's `next:` – a node followed by one node, a route over several; a node that only ends the flow is left out. */
function nextOf(flow: InferredFlow): Record<string, Next> {
  const next: Record<string, Next> = {};
  for (const from of flow.nodes) {
    const out = flow.edges.filter((e) => e.from === from).sort((a, b) => b.count - a.count || (a.to < b.to ? -1 : 1));
    if (out.length === 0 || (out.length === 1 && out[0].to === FLOW_END_ID)) continue;
    next[from] = out.length === 1 ? out[0].to : { route: Object.fromEntries(out.map((e) => [e.to, e.share])) };
  }
  return next;
}

/** The flow as a chain of node ids when it is one (each node followed by one node, the last by the end); else null. */
export function chainOf(flow: InferredFlow): string[] | null {
  const chain: string[] = [];
  for (let at: string | undefined = flow.start; at !== undefined && at !== FLOW_END_ID; ) {
    if (chain.includes(at)) return null;
    chain.push(at);
    const out = flow.edges.filter((e) => e.from === at);
    if (out.length > 1) return null;
    at = out[0]?.to;
  }
  return chain.length === flow.nodes.length ? chain : null;
}

function section(flow: InferredFlow): GraphFragment {
  const next = nextOf(flow);
  return Object.keys(next).length > 0 ? { start: flow.start, next } : { start: flow.start };
}

/** The scenario's stages and graph for an inferred structure. */
export function structureToScenario(s: InferredStructure, hooks: ScenarioHooks): ScenarioFragment {
  const poolFor = hooks.poolFor ?? ((st: InferredStage) => poolForOperation(st.operation));
  const stages = s.stages.map((st): StageFragment => {
    const stage: StageFragment = {
      id: st.id,
      description: `${st.operation} "${st.name}": ${st.spans} spans in ${st.visits} visits (inferred from traces)`,
      pool: poolFor(st),
      latency: hooks.latencyFor(st.id, st.durationsMs),
    };
    if (st.operation === 'execute_tool') stage.tool = true;
    if (st.maxAttempts > 1) stage.retry = { maxAttempts: st.maxAttempts };
    return { ...stage, ...(hooks.extraFor?.(st) ?? {}) };
  });

  const nodes: Record<string, Composite> = {};
  const subgraphs: Record<string, GraphFragment> = {};
  for (const m of s.maps)
    nodes[m.id] = {
      description: `fan-out over ${m.body}: ${m.visits} visits, ${m.meanItems.estimate.toFixed(2)} items on average (at most ${m.maxItems})`,
      map: { items: { dist: 'empirical', counts: counts(m.items) }, body: [m.body], join: 'all' },
    };
  for (const p of s.parallels)
    nodes[p.id] = {
      description: `${p.branches.join(', ')} at the same time (join all): ${p.visits} visits in ${p.traces} traces, ${p.failedVisits} with a failed branch`,
      parallel: { branches: p.branches.map((b) => [b]), join: 'all' },
    };
  for (const l of s.loops) {
    const chain = chainOf(l.body);
    let body: string | string[];
    if (chain) body = chain;
    else {
      body = `${l.id}-body`;
      subgraphs[body] = section(l.body);
    }
    const geometric = hooks.loopIterations === 'geometric' || l.completedRuns === 0;
    const outlasted =
      l.outlasted === null
        ? ''
        : `; ${l.outlasted.runs} runs (share ${l.outlasted.share.toPrecision(3)}) went on past every finished one, to ${l.outlasted.longestIterations} iterations at most${l.limit !== null ? `, ended by a step limit of ${l.limit}` : ' – weighted at a count no limit lets them reach'}`;
    nodes[l.id] = {
      description: `loop from ${l.entry}: ${l.runs} runs (${l.censoredRuns} ended by a failure inside); finished runs took ${l.meanIterations.estimate.toFixed(2)} iterations on average${outlasted}`,
      loop: {
        body,
        iterations: geometric ? { stop: l.stop.estimate } : { dist: 'empirical', counts: iterationWeights(l) },
        ...(l.limit !== null ? { limit: l.limit } : {}),
        atLimit: 'fail',
        observeErrors: Number.isNaN(l.observeErrors.estimate) ? 0 : l.observeErrors.estimate,
      },
    };
  }
  const graph: GraphFragment = section(s.graph);
  if (Object.keys(nodes).length > 0) graph.nodes = Object.fromEntries(Object.keys(nodes).sort().map((k) => [k, nodes[k]]));
  const pools = [...new Set(stages.map((st) => st.pool))].sort();
  return Object.keys(subgraphs).length > 0 ? { stages, graph, subgraphs, pools } : { stages, graph, pools };
}
