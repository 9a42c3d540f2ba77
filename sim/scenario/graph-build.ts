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
 */
import { didYouMean } from './units.js';
import { makeCountSampler, type CountSpec } from '../kernel/count-dist.js';
import { FLOW_END, chainGraph, type CompositeModel, type FlowModel, type GraphModel, type SuccessorModel } from '../path/graph.js';
import { LANGGRAPH_RECURSION_LIMIT, type BodyInput, type CompositeInput, type CountInput, type FlowGraphInput, type JoinInput } from './graph-schema.js';

type Path = (string | number)[];
/**
 * Receives each problem at the field to fix. `target: 'key'` places it on the
 * key of the path's last segment instead of its value: an unknown node named
 * as a key of next:, onFailure: or a route is written there, not at its value.
 */
export type IssueSink = (path: Path, message: string, target?: 'key') => void;

/** The fields the graph reads; the validated Scenario has them all. */
export interface GraphScenarioLike {
  stages: { id: string; propagate?: boolean }[];
  graph?: FlowGraphInput;
  subgraphs?: Record<string, FlowGraphInput>;
}

/** A hand-off edge: from a node (a stage or a composite) into a stage. */
export interface HandoffEdge {
  from: number;
  to: number;
}

export interface BuiltGraph {
  graph: GraphModel;
  /** Model.edges in order; for a chain edges[0] is null (nothing hands into the first stage). */
  edges: (HandoffEdge | null)[];
}

/** The word that ends a flow in `next:`. */
export const END_NODE = 'end';

/** Routing shares must sum to 1 within this (they are written as decimals). */
const ROUTE_SUM_TOLERANCE = 1e-9;

export function countSpecOf(c: CountInput): CountSpec {
  if (typeof c === 'number') return { kind: 'fixed', count: c };
  switch (c.dist) {
    case 'poisson':
      return { kind: 'poisson', mean: c.mean };
    case 'uniform':
      return { kind: 'uniform', min: c.min, max: c.max };
    case 'geometric':
      return { kind: 'geometric', mean: c.mean };
    case 'empirical':
      return { kind: 'empirical', table: c.counts };
  }
}

function unknownNode(name: string, known: string[]): string {
  const hint = didYouMean(name, known);
  return `unknown node "${name}"${hint ? `; did you mean "${hint}"?` : `; known: ${known.join(', ') || '(none)'}`}`;
}

/** A flow to build: a graph section (main or sub-graph) or a body chain. */
interface FlowSource {
  id: string;
  path: Path;
  section: FlowGraphInput | null;
  chain: string[] | null;
  owner: number;
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
  const n = stageIds.length;
  const subgraphs = s.subgraphs ?? {};
  const subgraphNames = Object.keys(subgraphs);
  // Composite nodes: the graph's, then each sub-graph's, in file order.
  const composites: { id: string; input: CompositeInput; path: Path; section: string }[] = [];
  const sections: [string, FlowGraphInput, Path][] = [['graph', s.graph, ['graph']], ...subgraphNames.map((k): [string, FlowGraphInput, Path] => [k, subgraphs[k], ['subgraphs', k]])];
  const nodeIds = [...stageIds];
  let ok = true;
  const fail = (path: Path, message: string, target?: 'key') => {
    ok = false;
    issue(path, message, target);
  };
  /**
   * Set when a reference could not be resolved (an unknown node or sub-graph,
   * a node of no kind): the flows are then incomplete, and the nodes they
   * would have reached look unreachable. Those follow from the one mistake, so
   * unreachable nodes are reported only when every reference resolved.
   */
  let incomplete = false;
  const unresolved = (path: Path, message: string, target?: 'key') => {
    incomplete = true;
    fail(path, message, target);
  };
  const unreachable: [Path, string, 'key' | undefined][] = [];
  /** Unreached nodes whose report is another's (they come after an unreachable node in next:). */
  const explained = new Set<number>();
  for (const [name, section, path] of sections)
    for (const [id, input] of Object.entries(section.nodes ?? {})) {
      if (id === END_NODE) fail([...path, 'nodes', id], `"${END_NODE}" is the word that ends a flow (next: { a: end }); name the node otherwise`, 'key');
      else if (nodeIds.includes(id)) fail([...path, 'nodes', id], `duplicate node id "${id}" (a stage or another node has it); ids of stages and nodes are unique`, 'key');
      nodeIds.push(id);
      composites.push({ id, input, path: [...path, 'nodes', id], section: name });
    }
  if (!ok) return null;
  const nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
  const known = [...nodeIds, END_NODE];
  const N = nodeIds.length;
  const next: SuccessorModel[] = nodeIds.map(() => ({ targets: [FLOW_END], edges: [-1], cumulative: [1] }));
  const onFailure = nodeIds.map(() => FLOW_END);
  const onFailureEdge = nodeIds.map(() => -1);
  const nodeFlow = nodeIds.map(() => -1);
  const rank = nodeIds.map(() => 0);
  const caller = stageIds.map(() => -1);
  const flows: FlowModel[] = [];
  const edges: HandoffEdge[] = [];
  const edgeTo = (from: number, to: number): number => {
    if (to < 0 || to >= n) return -1;
    edges.push({ from, to });
    return edges.length - 1;
  };
  const compositeModels: CompositeModel[] = [];
  /** Per composite, where each of its flows is named (the body, branch or subgraph field): for errors about the reference. */
  const flowRefs: Path[][] = [];
  const subgraphFlow = new Map<string, number>();
  /** Per section built (graph, or a sub-graph's name): its flow and start id. */
  const sectionFlow = new Map<string, { flow: number; start: string }>();
  const queue: FlowSource[] = [];

  /** The flow a body runs: a sub-graph's (built once, shared) or a new chain flow. */
  const bodyFlow = (body: BodyInput, owner: number, label: string, path: Path): number => {
    if (typeof body === 'string') {
      if (!(body in subgraphs)) {
        const hint = didYouMean(body, subgraphNames);
        unresolved(path, `unknown sub-graph "${body}"${hint ? `; did you mean "${hint}"?` : `; known: ${subgraphNames.join(', ') || '(none) – define it under subgraphs:'}`}`);
        return -1;
      }
      const existing = subgraphFlow.get(body);
      if (existing !== undefined) return existing;
      flows.push({ id: body, start: -1, entryEdge: -1, owner });
      subgraphFlow.set(body, flows.length - 1);
      queue.push({ id: body, path: ['subgraphs', body], section: subgraphs[body], chain: null, owner });
      return flows.length - 1;
    }
    flows.push({ id: label, start: -1, entryEdge: -1, owner });
    queue.push({ id: label, path, section: null, chain: body, owner });
    return flows.length - 1;
  };

  // Composite models first (their bodies become flows, built below).
  composites.forEach((c, ci) => {
    const node = n + ci;
    const kinds = (['loop', 'map', 'parallel', 'subgraph'] as const).filter((k) => c.input[k] !== undefined);
    if (kinds.length !== 1) {
      if (kinds.length === 0) unresolved(c.path, `node "${c.id}" has no kind: give it one of loop, map, parallel or subgraph`, 'key');
      else unresolved([...c.path, kinds[1]], `a node is one of loop, map, parallel or subgraph; "${c.id}" has ${kinds.join(' and ')} – make each its own node`, 'key');
      compositeModels.push({ id: c.id, kind: 'subgraph', flows: [], join: 'all', quorum: 1, itemsSpec: null, loop: null });
      flowRefs.push([]);
      return;
    }
    const kind = kinds[0];
    const m: CompositeModel = { id: c.id, kind, flows: [], join: 'all', quorum: 1, itemsSpec: null, loop: null };
    if (kind === 'loop') {
      const l = c.input.loop!;
      m.flows = [bodyFlow(l.body, node, `${c.id} body`, [...c.path, 'loop', 'body'])];
      flowRefs.push([[...c.path, 'loop', 'body']]);
      const it = l.iterations;
      const geometric = typeof it === 'object' && 'stop' in it;
      let iterationsSpec: CountSpec | null = null;
      if (geometric) {
        if (it.stop === 0 && l.limit === undefined)
          fail(
            [...c.path, 'loop', 'iterations', 'stop'],
            `stop 0: the agent never stops on its own and runs to the step limit – by default LangGraph's recursion_limit (${LANGGRAPH_RECURSION_LIMIT} steps); set limit: to say which`,
          );
      } else {
        iterationsSpec = countSpecOf(it as CountInput);
        const min = makeCountSampler(iterationsSpec).min;
        if (min < 1) fail([...c.path, 'loop', 'iterations'], `a loop runs its body at least once; this count can be ${min} – give counts of at least 1`);
      }
      m.loop = {
        stopProbability: geometric ? it.stop : 0,
        iterationsSpec,
        // Without a limit: LangGraph's, set once the body's flow is known (below).
        limit: l.limit ?? 0,
        escalateAtLimit: l.atLimit === 'escalate',
        observeErrors: l.observeErrors,
      };
    } else if (kind === 'map') {
      const mp = c.input.map!;
      m.flows = [bodyFlow(mp.body, node, `${c.id} item`, [...c.path, 'map', 'body'])];
      flowRefs.push([[...c.path, 'map', 'body']]);
      const spec = countSpecOf(mp.items);
      if (spec.kind === 'uniform' && spec.max < spec.min) fail([...c.path, 'map', 'items', 'max'], `max (${spec.max}) must be at least min (${spec.min})`);
      else {
        m.itemsSpec = spec;
      }
      setJoin(m, mp.join);
      const most = m.itemsSpec === null ? Infinity : makeCountSampler(m.itemsSpec).max;
      if (m.join === 'quorum' && m.quorum > most)
        fail([...c.path, 'map', 'join', 'quorum'], `a quorum of ${m.quorum} can never be met: the map has at most ${most} item${most === 1 ? '' : 's'}; at most ${most}`);
    } else if (kind === 'parallel') {
      const p = c.input.parallel!;
      m.flows = p.branches.map((b, bi) => bodyFlow(b, node, `${c.id} branch ${bi + 1}`, [...c.path, 'parallel', 'branches', bi]));
      flowRefs.push(p.branches.map((_, bi) => [...c.path, 'parallel', 'branches', bi]));
      setJoin(m, p.join);
      if (m.join === 'quorum' && m.quorum > p.branches.length)
        fail([...c.path, 'parallel', 'join', 'quorum'], `a quorum of ${m.quorum} out of ${p.branches.length} branches can never be met; at most ${p.branches.length}`);
    } else {
      m.flows = [bodyFlow(c.input.subgraph!, node, c.id, [...c.path, 'subgraph'])];
      flowRefs.push([[...c.path, 'subgraph']]);
    }
    compositeModels.push(m);
  });

  function setJoin(m: CompositeModel, join: JoinInput): void {
    if (typeof join === 'string') m.join = join;
    else {
      m.join = 'quorum';
      m.quorum = join.quorum;
    }
  }

  // The main flow, then every flow the composites asked for (their bodies may add more).
  flows.unshift({ id: 'main', start: -1, entryEdge: -1, owner: -1 });
  // Composite bodies were numbered before the main flow was put first.
  for (const m of compositeModels) m.flows = m.flows.map((f) => (f < 0 ? f : f + 1));
  for (const [k, f] of subgraphFlow) subgraphFlow.set(k, f + 1);
  const pending: FlowSource[] = [{ id: 'main', path: ['graph'], section: s.graph, chain: null, owner: -1 }, ...queue.splice(0)];
  // Flow i of `pending` is flows[i]; composites inside sub-graphs were numbered above already.
  for (let fi = 0; fi < pending.length; fi++) {
    const src = pending[fi];
    buildFlow(fi, src);
  }

  function claim(node: number, flow: number, path: Path): boolean {
    if (nodeFlow[node] === flow) return true;
    if (nodeFlow[node] >= 0) {
      fail(path, `node "${nodeIds[node]}" is already in ${flowName(nodeFlow[node])}; a node belongs to one flow – define another stage (a copy under a new id) for ${flowName(flow)}`);
      return false;
    }
    nodeFlow[node] = flow;
    return true;
  }

  function flowName(f: number): string {
    return f === 0 ? 'the graph' : `"${flows[f].id}"`;
  }

  function buildFlow(fi: number, src: FlowSource): void {
    if (src.chain !== null) {
      const ids = src.chain;
      const idx: number[] = [];
      ids.forEach((id, i) => {
        const node = nodeIndex.get(id);
        if (node === undefined) unresolved([...src.path, i], unknownNode(id, nodeIds));
        else if (claim(node, fi, [...src.path, i])) idx.push(node);
      });
      if (idx.length !== ids.length) return;
      flows[fi].start = idx[0];
      flows[fi].entryEdge = edgeTo(src.owner, idx[0]);
      idx.forEach((node, i) => {
        rank[node] = i;
        const to = i + 1 < idx.length ? idx[i + 1] : FLOW_END;
        next[node] = { targets: [to], edges: [to === FLOW_END ? -1 : edgeTo(node, to)], cumulative: [1] };
        if (to !== FLOW_END && to < n) caller[to] = node < n ? node : -1;
      });
      return;
    }
    const g = src.section!;
    const nexts = g.next ?? {};
    const startId = g.start ?? (fi === 0 ? stageIds[0] : Object.keys(nexts)[0]);
    if (startId === undefined) {
      unresolved(src.path, `sub-graph "${src.id}" needs start: (its first node) or a next: section`);
      return;
    }
    const start = nodeIndex.get(startId);
    if (start === undefined) {
      unresolved([...src.path, 'start'], startId === END_NODE ? 'a flow cannot start at its end' : unknownNode(startId, nodeIds));
      return;
    }
    // A composite declared in this section is claimed by the flow that uses it:
    // this one (from its start, below) or a loop body or branch chain (a ReAct
    // loop whose body holds a parallel tool-call node).
    sectionFlow.set(fi === 0 ? 'graph' : src.id, { flow: fi, start: startId });
    const resolve = (id: string, path: Path, target?: 'key'): number | null => {
      if (id === END_NODE) return FLOW_END;
      const node = nodeIndex.get(id);
      if (node === undefined) {
        unresolved(path, unknownNode(id, known), target);
        return null;
      }
      return node;
    };
    // Successor lists, by node id.
    const successors = new Map<number, { targets: number[]; shares: number[] }>();
    for (const [fromId, spec] of Object.entries(nexts)) {
      const from = resolve(fromId, [...src.path, 'next', fromId], 'key');
      if (from === null) continue;
      if (from === FLOW_END) {
        fail([...src.path, 'next', fromId], `"${END_NODE}" ends a flow; nothing follows it`, 'key');
        continue;
      }
      if (typeof spec === 'string') {
        const to = resolve(spec, [...src.path, 'next', fromId]);
        if (to !== null) successors.set(from, { targets: [to], shares: [1] });
        continue;
      }
      if (spec.route === undefined) {
        // The schema has refused this mapping (a stray key such as join:); what it leads to is unknown.
        incomplete = true;
        continue;
      }
      const entries = Object.entries(spec.route);
      if (entries.length === 0) {
        fail([...src.path, 'next', fromId, 'route'], 'a route needs at least one successor');
        continue;
      }
      const sum = entries.reduce((a, [, p]) => a + p, 0);
      if (Math.abs(sum - 1) > ROUTE_SUM_TOLERANCE)
        fail([...src.path, 'next', fromId, 'route'], `routing shares sum to ${+sum.toFixed(9)}; they must sum to 1 (${entries.map(([k, p]) => `${k} ${p}`).join(' + ')})`);
      const targets: number[] = [];
      const shares: number[] = [];
      for (const [toId, p] of entries) {
        const to = resolve(toId, [...src.path, 'next', fromId, 'route', toId], 'key');
        if (to !== null) {
          targets.push(to);
          shares.push(p / sum);
        }
      }
      successors.set(from, { targets, shares });
    }
    const failures = new Map<number, number>();
    for (const [fromId, toId] of Object.entries(g.onFailure ?? {})) {
      const from = resolve(fromId, [...src.path, 'onFailure', fromId], 'key');
      const to = resolve(toId, [...src.path, 'onFailure', fromId]);
      if (from === null || to === null) continue;
      if (from === FLOW_END) fail([...src.path, 'onFailure', fromId], `"${END_NODE}" cannot fail`, 'key');
      else failures.set(from, to);
    }
    // Reachability from the start claims the nodes for this flow.
    flows[fi].start = start;
    flows[fi].entryEdge = fi === 0 ? -1 : edgeTo(src.owner, start);
    const reached = new Set<number>([start]);
    const order = [start];
    for (let i = 0; i < order.length; i++) {
      const node = order[i];
      const outs = [...(successors.get(node)?.targets ?? []), ...(failures.has(node) ? [failures.get(node)!] : [])];
      for (const to of outs) if (to !== FLOW_END && !reached.has(to)) {
        reached.add(to);
        order.push(to);
      }
    }
    for (const node of order) claim(node, fi, [...src.path, node === start ? 'start' : 'next']);
    // Nodes listed in next:/onFailure: that the start does not lead to: the
    // first of each unreached run is reported; the nodes after it (its
    // successors) follow from it and are not reported again, here or as stages.
    const unreached = [...new Set([...successors.keys(), ...failures.keys()])].filter((x) => !reached.has(x));
    const after = new Set<number>();
    for (const root of unreached) {
      const todo = [root];
      while (todo.length > 0) {
        const x = todo.pop()!;
        for (const to of [...(successors.get(x)?.targets ?? []), ...(failures.has(x) ? [failures.get(x)!] : [])])
          if (to !== FLOW_END && to !== root && !after.has(to) && !reached.has(to)) {
            after.add(to);
            todo.push(to);
          }
      }
    }
    for (const x of [...unreached, ...after]) explained.add(x);
    const roots = unreached.filter((x) => !after.has(x));
    for (const fromKey of roots.length > 0 ? roots : unreached.slice(0, 1)) // an unreached cycle has no root: its first node
      unreachable.push([[...src.path, successors.has(fromKey) ? 'next' : 'onFailure', nodeIds[fromKey]], `node "${nodeIds[fromKey]}" is unreachable: nothing in ${flowName(fi)} leads to it from its start "${startId}"`, 'key']);
    // Cycles: depth-first over next and onFailure; an agent that goes round needs a loop node.
    const state = new Map<number, 1 | 2>();
    const stack: number[] = [];
    let cycle: number[] | null = null;
    const visit = (node: number): void => {
      if (cycle !== null) return;
      state.set(node, 1);
      stack.push(node);
      const outs = [...(successors.get(node)?.targets ?? []), ...(failures.has(node) ? [failures.get(node)!] : [])];
      for (const to of outs) {
        if (to === FLOW_END) continue;
        if (state.get(to) === 1) {
          cycle = [...stack.slice(stack.indexOf(to)), to];
          return;
        }
        if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(node, 2);
    };
    visit(start);
    if (cycle !== null) {
      const c: number[] = cycle;
      fail([...src.path, failures.has(c[c.length - 2]) && !successors.get(c[c.length - 2])?.targets.includes(c[c.length - 1]) ? 'onFailure' : 'next', nodeIds[c[c.length - 2]]],
        `a cycle without a step limit: ${c.map((x) => nodeIds[x]).join(' → ')}; an agent that goes round needs a loop node (graph.nodes.<id>.loop with body, iterations and limit)`);
      return;
    }
    // Topological ranks (Kahn) for "upstream" comparisons.
    const indegree = new Map<number, number>(order.map((x) => [x, 0]));
    for (const node of order)
      for (const to of [...(successors.get(node)?.targets ?? []), ...(failures.has(node) ? [failures.get(node)!] : [])])
        if (to !== FLOW_END) indegree.set(to, indegree.get(to)! + 1);
    const ready = order.filter((x) => indegree.get(x) === 0);
    for (let r = 0; ready.length > 0; r++) {
      const node = ready.shift()!;
      rank[node] = r;
      for (const to of [...(successors.get(node)?.targets ?? []), ...(failures.has(node) ? [failures.get(node)!] : [])])
        if (to !== FLOW_END) {
          indegree.set(to, indegree.get(to)! - 1);
          if (indegree.get(to) === 0) ready.push(to);
        }
    }
    // Successor models, edges, callers.
    const predecessors = new Map<number, number[]>();
    for (const node of order) {
      const succ = successors.get(node) ?? { targets: [FLOW_END], shares: [1] };
      let running = 0;
      const cumulative = succ.shares.map((p) => (running += p));
      cumulative[cumulative.length - 1] = 1;
      next[node] = { targets: succ.targets, edges: succ.targets.map((to) => edgeTo(node, to)), cumulative };
      for (const to of succ.targets) if (to !== FLOW_END) predecessors.set(to, [...(predecessors.get(to) ?? []), node]);
      if (failures.has(node)) {
        onFailure[node] = failures.get(node)!;
        onFailureEdge[node] = edgeTo(node, onFailure[node]);
      }
    }
    for (const node of order) {
      if (node >= n) continue;
      const preds = predecessors.get(node) ?? [];
      caller[node] = preds.length === 1 && preds[0] < n ? preds[0] : -1;
    }
  }

  // Composites no flow uses, and sub-graphs no node runs.
  composites.forEach((c, ci) => {
    const home = sectionFlow.get(c.section);
    if (nodeFlow[n + ci] >= 0 || home === undefined || explained.has(n + ci)) return;
    unreachable.push([
      c.path,
      `node "${c.id}" is unreachable: nothing in ${flowName(home.flow)} leads to it from its start "${home.start}", and no loop, map or parallel body names it – add it to next: (e.g. next: { ${home.start}: ${c.id} }) or remove it`,
      'key',
    ]);
  });
  for (const name of subgraphNames) {
    if (subgraphFlow.has(name)) continue;
    unreachable.push([['subgraphs', name], `sub-graph "${name}" is not used: no node runs it (graph.nodes.<id>.subgraph: ${name}, or a loop, map or parallel body: ${name}) – use it or remove it`, 'key']);
    // What it names is unused because it is: one message.
    const g = subgraphs[name];
    for (const id of [g.start, ...Object.keys(g.nodes ?? {}), ...Object.keys(g.next ?? {}), ...Object.values(g.next ?? {}).flatMap((v) => (typeof v === 'string' ? [v] : Object.keys(v.route ?? {}))), ...Object.keys(g.onFailure ?? {}), ...Object.values(g.onFailure ?? {})]) {
      const node = id === undefined ? undefined : nodeIndex.get(id);
      if (node !== undefined) explained.add(node);
    }
  }

  // A loop without a limit gets LangGraph's recursion limit in iterations: ⌊limit / nodes per iteration⌋.
  compositeModels.forEach((m) => {
    if (m.loop === null || m.loop.limit > 0) return;
    const steps = nodeFlow.filter((f) => f === m.flows[0]).length; // a super-step per node run
    m.loop.limit = Math.max(1, Math.floor(LANGGRAPH_RECURSION_LIMIT / steps));
  });
  // A sub-graph that contains itself would nest without end: report the first
  // such cycle once, at the reference that closes it.
  for (let ci = 0; ci < compositeModels.length; ci++) {
    const m = compositeModels[ci];
    const seen = new Set<number>();
    const walk = (flow: number): boolean => {
      if (flow < 0 || seen.has(flow)) return false;
      seen.add(flow);
      for (let node = n; node < N; node++) {
        if (nodeFlow[node] !== flow) continue;
        if (node === n + ci) return true;
        if (compositeModels[node - n].flows.some(walk)) return true;
      }
      return false;
    };
    const k = m.flows.findIndex(walk);
    if (k >= 0) {
      fail(flowRefs[ci][k], `sub-graph "${flows[m.flows[k]].id}" contains node "${m.id}", which runs it again: a sub-graph cannot nest inside itself`);
      break;
    }
  }
  stageIds.forEach((id, i) => {
    if (nodeFlow[i] < 0 && !explained.has(i))
      unreachable.push([['stages', i, 'id'], `stage "${id}" is unreachable: no flow of the graph visits it – add it to graph.next, a sub-graph or a loop/map/parallel body, or remove it`, undefined]);
    if (s.stages[i].propagate && nodeFlow[i] >= 0 && !incomplete && caller[i] < 0)
      fail(['stages', i, 'propagate'], `stage "${id}" has no single stage before it in its flow to pass its failures to (propagate needs exactly one caller)`);
  });
  if (!incomplete) for (const [path, message, target] of unreachable) fail(path, message, target);
  if (!ok) return null;
  return {
    graph: { nodeIds, next, onFailure, onFailureEdge, composites: compositeModels, flows, nodeFlow, rank, caller, edgeFrom: edges.map((e) => e.from), edgeTo: edges.map((e) => e.to) },
    edges,
  };
}
