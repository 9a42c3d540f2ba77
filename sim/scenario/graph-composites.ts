/**
 * Composite nodes (graph.nodes.<id>: loop, map, parallel or subgraph) → their
 * CompositeModel (path/graph.ts): the flows each runs (a body, each branch, a
 * sub-graph), its join and quorum, its item or iteration counts – a setting
 * that can never work is an issue at its field. Once the flows are built: a
 * loop without a limit gets LangGraph's, and no sub-graph may contain itself.
 */
import { countSpecOf, makeCountSampler, type CountSpec } from '../kernel/count-dist.js';
import type { CompositeModel } from '../path/graph.js';
import { LANGGRAPH_RECURSION_LIMIT, type BodyInput, type CompositeInput, type CountInput, type JoinInput } from './graph-schema.js';
import type { GraphContext, Path } from './graph-context.js';

/** A composite node as declared: in the graph's or a sub-graph's `nodes:`. */
export interface CompositeDeclaration {
  id: string;
  input: CompositeInput;
  path: Path;
  /** `graph`, or the sub-graph's name. */
  section: string;
}

/** Registers the flow a body runs (a chain, or a named sub-graph) and gives its number; -1 if the sub-graph is unknown. */
export type BodyFlow = (body: BodyInput, owner: number, label: string, path: Path) => number;

export interface CompiledComposites {
  models: CompositeModel[];
  /** Per composite, where each of its flows is named (the body, branch or subgraph field): for errors about the reference. */
  flowRefs: Path[][];
}


/** Each composite's model, in declaration order; composite ci is node stageCount + ci. */
export function compileComposites(ctx: GraphContext, composites: CompositeDeclaration[], bodyFlow: BodyFlow): CompiledComposites {
  const models: CompositeModel[] = [];
  const flowRefs: Path[][] = [];
  composites.forEach((c, ci) => {
    const node = ctx.stageCount + ci;
    const kinds = (['loop', 'map', 'parallel', 'subgraph'] as const).filter((k) => c.input[k] !== undefined);
    if (kinds.length !== 1) {
      if (kinds.length === 0) ctx.unresolved(c.path, `node "${c.id}" has no kind: give it one of loop, map, parallel or subgraph`, 'key');
      else ctx.unresolved([...c.path, kinds[1]], `a node is one of loop, map, parallel or subgraph; "${c.id}" has ${kinds.join(' and ')} – make each its own node`, 'key');
      models.push({ id: c.id, kind: 'subgraph', flows: [], join: 'all', quorum: 1, itemsSpec: null, loop: null });
      flowRefs.push([]);
      return;
    }
    const kind = kinds[0];
    const m: CompositeModel = { id: c.id, kind, flows: [], join: 'all', quorum: 1, itemsSpec: null, loop: null };
    if (kind === 'loop') {
      m.flows = [bodyFlow(c.input.loop!.body, node, `${c.id} body`, [...c.path, 'loop', 'body'])];
      flowRefs.push([[...c.path, 'loop', 'body']]);
      compileLoop(ctx, m, c);
    } else if (kind === 'map') {
      m.flows = [bodyFlow(c.input.map!.body, node, `${c.id} item`, [...c.path, 'map', 'body'])];
      flowRefs.push([[...c.path, 'map', 'body']]);
      compileMap(ctx, m, c);
    } else if (kind === 'parallel') {
      const p = c.input.parallel!;
      m.flows = p.branches.map((b, bi) => bodyFlow(b, node, `${c.id} branch ${bi + 1}`, [...c.path, 'parallel', 'branches', bi]));
      flowRefs.push(p.branches.map((_, bi) => [...c.path, 'parallel', 'branches', bi]));
      setJoin(m, p.join);
      if (m.join === 'quorum' && m.quorum > p.branches.length)
        ctx.fail([...c.path, 'parallel', 'join', 'quorum'], `a quorum of ${m.quorum} out of ${p.branches.length} branches can never be met; at most ${p.branches.length}`);
    } else {
      m.flows = [bodyFlow(c.input.subgraph!, node, c.id, [...c.path, 'subgraph'])];
      flowRefs.push([[...c.path, 'subgraph']]);
    }
    models.push(m);
  });
  return { models, flowRefs };
}

/** A loop's iterations: geometric ({ stop: p }) or a count of at least 1; its limit is set after the flows (applyDefaultLoopLimits) when not written. */
function compileLoop(ctx: GraphContext, m: CompositeModel, c: CompositeDeclaration): void {
  const l = c.input.loop!;
  const it = l.iterations;
  const geometric = typeof it === 'object' && 'stop' in it;
  let iterationsSpec: CountSpec | null = null;
  if (geometric) {
    if (it.stop === 0 && l.limit === undefined)
      ctx.fail(
        [...c.path, 'loop', 'iterations', 'stop'],
        `stop 0: the agent never stops on its own and runs to the step limit – by default LangGraph's recursion_limit (${LANGGRAPH_RECURSION_LIMIT} steps); set limit: to say which`,
      );
  } else {
    iterationsSpec = countSpecOf(it as CountInput);
    const min = makeCountSampler(iterationsSpec).min;
    if (min < 1) ctx.fail([...c.path, 'loop', 'iterations'], `a loop runs its body at least once; this count can be ${min} – give counts of at least 1`);
  }
  m.loop = {
    stopProbability: geometric ? it.stop : 0,
    iterationsSpec,
    // Without a limit: LangGraph's, set once the body's flow is known (applyDefaultLoopLimits).
    limit: l.limit ?? 0,
    escalateAtLimit: l.atLimit === 'escalate',
    observeErrors: l.observeErrors,
  };
}

/** A map's item count and join: a quorum above the most items there can be is never met. */
function compileMap(ctx: GraphContext, m: CompositeModel, c: CompositeDeclaration): void {
  const mp = c.input.map!;
  const spec = countSpecOf(mp.items);
  if (spec.kind === 'uniform' && spec.max < spec.min) ctx.fail([...c.path, 'map', 'items', 'max'], `max (${spec.max}) must be at least min (${spec.min})`);
  else m.itemsSpec = spec;
  setJoin(m, mp.join);
  const most = m.itemsSpec === null ? Infinity : makeCountSampler(m.itemsSpec).max;
  if (m.join === 'quorum' && m.quorum > most)
    ctx.fail([...c.path, 'map', 'join', 'quorum'], `a quorum of ${m.quorum} can never be met: the map has at most ${most} item${most === 1 ? '' : 's'}; at most ${most}`);
}

function setJoin(m: CompositeModel, join: JoinInput): void {
  if (typeof join === 'string') m.join = join;
  else {
    m.join = 'quorum';
    m.quorum = join.quorum;
  }
}

/**
 * A loop without a limit gets LangGraph's recursion limit in iterations:
 * ⌊limit / nodes per iteration⌋, each node run being one super-step
 * (graph-schema.ts, LANGGRAPH_RECURSION_LIMIT).
 */
export function applyDefaultLoopLimits(ctx: GraphContext, models: CompositeModel[]): void {
  models.forEach((m) => {
    if (m.loop === null || m.loop.limit > 0) return;
    const steps = ctx.nodeFlow.filter((f) => f === m.flows[0]).length;
    m.loop.limit = Math.max(1, Math.floor(LANGGRAPH_RECURSION_LIMIT / steps));
  });
}

/**
 * A sub-graph that contains itself would nest without end: reports the first
 * such cycle once, at the reference that closes it.
 */
export function checkSelfNesting(ctx: GraphContext, { models, flowRefs }: CompiledComposites): void {
  const n = ctx.stageCount;
  for (let ci = 0; ci < models.length; ci++) {
    const m = models[ci];
    const seen = new Set<number>();
    const walk = (flow: number): boolean => {
      if (flow < 0 || seen.has(flow)) return false;
      seen.add(flow);
      for (let node = n; node < ctx.nodeIds.length; node++) {
        if (ctx.nodeFlow[node] !== flow) continue;
        if (node === n + ci) return true;
        if (models[node - n].flows.some(walk)) return true;
      }
      return false;
    };
    const k = m.flows.findIndex(walk);
    if (k >= 0) {
      ctx.fail(flowRefs[ci][k], `sub-graph "${ctx.flows[m.flows[k]].id}" contains node "${m.id}", which runs it again: a sub-graph cannot nest inside itself`);
      break;
    }
  }
}
