/**
 * The imported graph as coordgap's graph language sees it (/tmp/graph-spec.md,
 * issue 14): per level (the top graph and each sub-graph) a start, composite
 * nodes and `next` edges, with no cycle left outside a loop.
 *
 * - A LangGraph node becomes a stage; `__start__`/`__end__` become the
 *   level's start and `end`.
 * - A sub-graph (node ids `name:…`) becomes a `subgraph` node in its parent;
 *   an edge from inside it to outside becomes `end` inside and an edge from
 *   the sub-graph node outside.
 * - A cycle (a strongly connected component, Tarjan 1972; or a node that
 *   routes to itself) becomes a `loop` whose body is the cycle's nodes in
 *   order from where it is entered – LangGraph has no loop construct, only
 *   edges back (the ReAct agent ⇄ tools).
 * - Several conditional successors become a route; several unconditional
 *   ones are LangGraph's parallel fan-out (all run in the next superstep) and
 *   become a `parallel` node when the branches are chains that meet again at
 *   one node.
 * What cannot be said exactly is said approximately and named in `notes`.
 */
import type { ImportedGraph, ImportedNode } from './imported-graph.js';

export const END = 'end';
const START = '\u0000start';

export type NextSpec = { to: string } | { route: string[]; labels: (string | undefined)[] };
export type Composite =
  | { kind: 'loop'; body: string[]; exits: string[]; exitsMidBody: string[]; approximate: boolean }
  | { kind: 'parallel'; branches: string[][] }
  | { kind: 'subgraph'; subgraph: string };

export interface StageSpec {
  id: string;
  /** The LangGraph node it stands for (its full path), or undefined for the entry router coordgap adds. */
  source?: ImportedNode;
  /** Set on the zero-time stage that stands in for a conditional `__start__`. */
  entryRouter?: boolean;
}

export interface FlowLevel {
  /** The sub-graph's key under `subgraphs:` ('' for `graph:`). */
  key: string;
  start: string;
  nodes: Map<string, Composite>;
  next: Map<string, NextSpec>;
}

export interface Flow {
  stages: StageSpec[];
  graph: FlowLevel;
  subgraphs: FlowLevel[];
  notes: string[];
}

/** Scenario identifiers: a letter, then letters, digits, ".", "_" or "-" (sim/scenario/schema.ts `identifier`), at most 100 characters. */
class Ids {
  private readonly taken = new Set<string>([END]);
  make(wanted: string): string {
    let base = wanted.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
    if (!/^[A-Za-z]/.test(base)) base = `n-${base}`;
    base = base.slice(0, 90);
    let id = base;
    for (let k = 2; this.taken.has(id); k++) id = `${base}-${k}`;
    this.taken.add(id);
    return id;
  }
}

interface LevelEdge {
  from: string;
  to: string;
  conditional: boolean;
  label?: string;
}

export function buildFlow(g: ImportedGraph): Flow {
  const ids = new Ids();
  const notes: string[] = [];
  const stages: StageSpec[] = [];
  const stageOf = new Map<string, string>();
  // Stage ids: the node's path with "." for ":" (names repeat across sub-graphs; paths do not).
  for (const n of g.nodes)
    if (n.kind === 'node') {
      const id = ids.make(n.parent ? `${n.parent.replace(/:/g, '.')}.${n.name}` : n.name);
      stageOf.set(n.id, id);
      stages.push({ id, source: n });
    }
  const compositeOf = new Map<string, string>();
  const subgraphKey = new Map<string, string>();
  for (const s of g.subgraphs) {
    compositeOf.set(s.id, ids.make(s.name));
    subgraphKey.set(s.id, ids.make(`${s.name}-graph`));
  }
  const byId = new Map(g.nodes.map((n) => [n.id, n]));

  const buildLevel = (key: string): FlowLevel => {
    const inScope = (n: ImportedNode) => key === '' || n.parent === key || n.parent.startsWith(`${key}:`);
    /** This level's name for an imported node: a stage, a child sub-graph's node, START/END, or null (outside). */
    const rep = (n: ImportedNode): string | null => {
      if (!inScope(n)) return null;
      if (n.parent === key) return n.kind === 'start' ? START : n.kind === 'end' ? END : stageOf.get(n.id)!;
      const rest = key === '' ? n.parent : n.parent.slice(key.length + 1);
      return compositeOf.get(key === '' ? rest.split(':')[0] : `${key}:${rest.split(':')[0]}`)!;
    };
    const children = new Set(g.subgraphs.filter((s) => s.parent === key).map((s) => compositeOf.get(s.id)!));
    const order: string[] = [];
    for (const n of g.nodes) {
      const r = rep(n);
      if (r !== null && r !== START && r !== END && !order.includes(r)) order.push(r);
    }
    const edges: LevelEdge[] = [];
    const entries: string[] = [];
    for (const e of g.edges) {
      const from = rep(byId.get(e.source)!);
      let to = rep(byId.get(e.target)!);
      if (from === null) {
        // Entering this sub-graph from outside: where it starts when it has no __start__ of its own.
        if (to !== null && to !== START && to !== END && !entries.includes(to)) entries.push(to);
        continue;
      }
      if (from === END || (from === to && children.has(from))) continue;
      if (to === null || to === START) to = END;
      const same = edges.find((x) => x.from === from && x.to === to);
      if (same) {
        if (e.label && !same.label?.split(' / ').includes(e.label)) same.label = same.label ? `${same.label} / ${e.label}` : e.label;
        continue;
      }
      edges.push({ from, to, conditional: e.conditional, ...(e.label ? { label: e.label } : {}) });
    }
    const where = key === '' ? 'the graph' : `sub-graph ${key}`;
    const level: FlowLevel = { key: key === '' ? '' : subgraphKey.get(key)!, start: '', nodes: new Map(), next: new Map() };
    if (!edges.some((e) => e.from === START)) {
      const first = entries[0] ?? order[0];
      if (first === undefined) throw new Error(`${where} has no nodes`);
      if (entries.length > 1) notes.push(`${where} is entered at ${entries.join(', ')}; the skeleton starts it at ${first} – check`);
      edges.unshift({ from: START, to: first, conditional: false });
    }
    for (const child of children) level.nodes.set(child, { kind: 'subgraph', subgraph: subgraphKey.get([...compositeOf].find(([, c]) => c === child)![0])! });
    const loopNodes = collapseCycles(order, edges, level, ids, notes, where);
    decideNext([START, ...loopNodes], edges, level, ids, stages, notes, where, key);
    return level;
  };

  const graph = buildLevel('');
  const subgraphs = g.subgraphs.map((s) => buildLevel(s.id));
  return { stages, graph, subgraphs, notes };
}

/** Replaces each cycle by a loop node (edges rewritten in place); returns the level's nodes afterwards, in order. */
function collapseCycles(order: string[], edges: LevelEdge[], level: FlowLevel, ids: Ids, notes: string[], where: string): string[] {
  const components = stronglyConnected(order, edges).filter((c) => c.length > 1 || edges.some((e) => e.from === c[0] && e.to === c[0]));
  let nodes = [...order];
  for (const component of components) {
    const inside = new Set(component);
    const entry = edges.find((e) => !inside.has(e.from) && inside.has(e.to))?.to ?? component.sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
    // The body: the cycle's nodes in depth-first order along its own edges, from where it is entered.
    const body: string[] = [];
    const visit = (n: string) => {
      if (body.includes(n)) return;
      body.push(n);
      for (const e of edges) if (e.from === n && inside.has(e.to)) visit(e.to);
    };
    visit(entry);
    const internal = edges.filter((e) => inside.has(e.from) && inside.has(e.to));
    const simple = body.every((n, i) => internal.filter((e) => e.from === n).length === 1 && internal.some((e) => e.from === n && e.to === body[(i + 1) % body.length]));
    const loop = ids.make(`${entry}-loop`);
    const leaving = edges.filter((e) => inside.has(e.from) && !inside.has(e.to));
    const exitsMidBody = [...new Set(leaving.map((e) => e.from))].filter((n) => n !== body[body.length - 1]);
    level.nodes.set(loop, { kind: 'loop', body, exits: [...new Set(leaving.map((e) => e.to))], exitsMidBody, approximate: !simple });
    if (!simple)
      notes.push(`${where}: the cycle among ${body.join(', ')} routes inside itself; loop ${loop} runs them as one chain per iteration – rewrite the body if the order matters`);
    const rewritten: LevelEdge[] = [];
    for (const e of edges) {
      if (inside.has(e.from) && inside.has(e.to)) continue;
      const from = inside.has(e.from) ? loop : e.from;
      const to = inside.has(e.to) ? loop : e.to;
      const same = rewritten.find((x) => x.from === from && x.to === to);
      if (same) same.conditional = same.conditional || e.conditional;
      else rewritten.push({ ...e, from, to });
    }
    edges.splice(0, edges.length, ...rewritten);
    const at = Math.min(...component.map((n) => nodes.indexOf(n)));
    nodes = nodes.filter((n) => !inside.has(n));
    nodes.splice(at, 0, loop);
  }
  return nodes;
}

/** Tarjan's strongly connected components, each listed in the level's order. */
function stronglyConnected(order: string[], edges: LevelEdge[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const e of edges) {
      if (e.from !== v || e.to === END || e.to === START) continue;
      if (!index.has(e.to)) {
        connect(e.to);
        low.set(v, Math.min(low.get(v)!, low.get(e.to)!));
      } else if (onStack.has(e.to)) low.set(v, Math.min(low.get(v)!, index.get(e.to)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    }
  };
  for (const v of order) if (!index.has(v)) connect(v);
  return out.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
}

/** Each node's successor: one node, a route, or a parallel fan-out (a new composite node). */
function decideNext(nodes: string[], edges: LevelEdge[], level: FlowLevel, ids: Ids, stages: StageSpec[], notes: string[], where: string, key: string): void {
  const outs = (n: string) => edges.filter((e) => e.from === n);
  const inDegree = (n: string) => edges.filter((e) => e.to === n).length;
  const inBranch = new Set<string>();
  const fanOuts = new Map<string, { branches: string[][]; join: string }>();
  for (const n of nodes) {
    const out = outs(n);
    if (out.length < 2 || out.some((e) => e.conditional)) continue;
    // Parallel branches: chains of nodes with one way in and one way out, all meeting at one node (or all ending).
    const branches: string[][] = [];
    const stops = new Set<string>();
    let chains = true;
    for (const e of out) {
      const chain: string[] = [];
      let c = e.to;
      while (c !== END && inDegree(c) === 1 && !inBranch.has(c) && !chain.includes(c)) {
        const next = outs(c);
        if (next.length !== 1) {
          chains = false;
          break;
        }
        chain.push(c);
        c = next[0].to;
      }
      stops.add(c);
      if (chain.length > 0) branches.push(chain);
    }
    if (chains && stops.size === 1 && branches.length > 0) {
      fanOuts.set(n, { branches, join: [...stops][0] });
      for (const b of branches) for (const c of b) inBranch.add(c);
    } else
      notes.push(
        `${where}: ${label(n)} fans out to ${out.map((e) => e.to).join(', ')} (LangGraph runs them all, in parallel), but the branches do not meet again at one node; the skeleton routes between them instead – rewrite this part as a parallel node by hand`,
      );
  }
  for (const n of nodes) {
    if (inBranch.has(n)) continue;
    const out = outs(n);
    let spec: NextSpec | undefined;
    const fan = fanOuts.get(n);
    if (fan) {
      const id = ids.make(`${n === START ? 'start' : n}-fanout`);
      level.nodes.set(id, { kind: 'parallel', branches: fan.branches });
      if (n === START) level.start = id;
      else level.next.set(n, { to: id });
      level.next.set(id, { to: fan.join });
      continue;
    }
    if (out.length === 1) spec = { to: out[0].to };
    else if (out.length > 1) {
      spec = { route: out.map((e) => e.to), labels: out.map((e) => e.label) };
      if (out.some((e) => !e.conditional) && out.some((e) => e.conditional))
        notes.push(`${where}: ${label(n)} has both plain and conditional edges (${out.map((e) => e.to).join(', ')}); the skeleton routes between all of them – check`);
    }
    if (n === START) {
      if (spec && 'to' in spec) level.start = spec.to;
      else if (spec) {
        // The graph language starts at one node; a conditional entry point needs a node that routes.
        const router = ids.make(key === '' ? 'entry-router' : `${key.replace(/:/g, '.')}.entry-router`);
        stages.push({ id: router, entryRouter: true });
        level.start = router;
        level.next.set(router, spec);
        notes.push(`${where} starts with a conditional entry point; stage ${router} (no work, no faults) stands in for it, since a scenario graph starts at one node`);
      }
    } else if (spec) level.next.set(n, spec);
    else level.next.set(n, { to: END });
  }
}

function label(n: string): string {
  return n === START ? '__start__' : n;
}
