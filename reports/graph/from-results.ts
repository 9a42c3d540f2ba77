/**
 * From a simulated baseline to the pipeline picture (issue 14, "the pipeline
 * drawn"): the scenario's request path (sim/path pathTopology, carried as
 * data in results.json – reports/ reads only types from sim/) with the
 * baseline's attribution painted on it.
 *
 * Every share on the picture is of the same whole: the requests that did not
 * succeed, each counted once, at the place its first fault happened
 * (RunResult.attribution). A node's share sums its own faults (`plan`), its
 * stale reads (`plan (stale state)`) and, for a composite, its own origin
 * (`loop:react limit`, `map:docs`); an edge's is its hand-off's (`a→b`,
 * TopologyEdge.handoff). Origins that have no place on the picture – a
 * request that only ran out of time – are named under the title, so the
 * shares on it may sum to less than 100 % but never hide the rest.
 */
import type { PathTopology, TopologyEdge, TopologyNode } from '../../sim/path/index.js';
import type { RunResult } from '../../sim/metrics/index.js';
import type { SensitivityResult } from '../../sim/experiment/index.js';
import type { DrawingEdge, DrawingGroup, DrawingNode, PipelineDrawing } from './pipeline-drawing.js';
import { sharePct } from './text.js';

/** Where the recommended fix acts: node ids and topology edge ids. */
export interface RecommendedFix {
  /** The intervention's name as the report ranks it ("fix: bureau retry"). */
  name: string;
  nodes: string[];
  edges: string[];
}

/** What the picture says beside the graph: the scenario file, the recommended fix. */
export interface DrawingContext {
  recommended?: RecommendedFix;
  /** Shown in the subtitle (the file the baseline was simulated from). */
  scenarioFile?: string;
}

/** Every attribution origin a node stands for: its own, its stale reads, a composite's kind-named one. */
function originsOfNode(node: TopologyNode): string[] {
  const own = node.kind === 'stage' ? [node.id] : node.kind === 'loop' ? [`loop:${node.id} limit`] : [`${node.kind}:${node.id}`];
  const named = node.kind === 'stage' ? node.id : `${node.kind}:${node.id}`;
  return [...own, `${named} (stale state)`];
}

/** "1.8", "0.97", "12": two significant figures below 10, whole numbers above. */
function figure(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x >= 10) return String(Math.round(x));
  return x.toPrecision(2);
}

/**
 * A stage's second line: visits per request (a graph: routes make them
 * fewer than 1, loops and maps more), attempts per request where retries or
 * hedges make them more than 1, and the shares of its attempts that errored,
 * timed out, passed corrupted output on or read stale state – only those
 * present.
 */
function stageDetail(id: string, r: RunResult): string | undefined {
  const row = r.stages.find((s) => s.id === id);
  if (row === undefined) return undefined;
  const requests = Math.max(1, r.requests);
  const parts: string[] = [];
  const visits = r.graph?.nodes.find((n) => n.id === id)?.visitsPerRequest;
  if (visits !== undefined) parts.push(`${figure(visits)} visits`);
  // Attempts beyond the visits (one per request in a chain) are retries and hedges: work multiplied.
  const attempts = row.attempts / requests;
  if (attempts > (visits ?? 1) * 1.005) parts.push(`${figure(attempts)} attempts/req`);
  if (row.attempts > 0 && row.errors > 0) parts.push(`${sharePct(row.errors / row.attempts)} errors`);
  if (row.attempts > 0 && row.timeouts > 0) parts.push(`${sharePct(row.timeouts / row.attempts)} timeouts`);
  // Silent faults (wrong output passed on) and stale reads: the leaks no error shows.
  if (row.attempts > 0 && row.silentInjected > 0) parts.push(`${sharePct(row.silentInjected / row.attempts)} corrupted`);
  if (row.attempts > 0 && row.staleReads > 0) parts.push(`${sharePct(row.staleReads / row.attempts)} stale reads`);
  return parts.join(' · ');
}

/** A composite's second line: a loop's iterations (mean, p95) and its limit hits, a fan-out's branches per entry. */
function compositeDetail(id: string, r: RunResult): string | undefined {
  const c = r.graph?.composites.find((x) => x.id === id);
  if (c === undefined) return undefined;
  if (c.iterations) {
    const it = c.iterations;
    const hits = it.limitHits > 0 ? ` · ${sharePct(it.limitHitRate)} hit limit ${it.limit}` : '';
    return `${figure(it.mean)} iterations (p95 ${it.p95})${hits}`;
  }
  if (c.kind === 'subgraph') return `${figure(c.entries / Math.max(1, r.requests))} runs/req`;
  return `${figure(c.branchesPerEntry)} branches · join ${c.join}`;
}

/** The finding: where most failed requests first went wrong. */
function finding(top: { origin: string; count: number } | undefined, total: number, topology: PathTopology): string {
  if (top === undefined || total === 0) return 'No request failed: every simulated request succeeded';
  const share = sharePct(top.count / total);
  // "none (ran out of time)": no fault at all – the request hit its deadline (sim/path/origins.ts).
  if (top.origin.startsWith('none')) return `${share} of failed requests had no fault: they ran out of time`;
  const edge = topology.edges.find((e) => e.handoff === top.origin);
  const where = edge ? `The ${top.origin} hand-off` : top.origin;
  return `${where} is where ${share} of failures start`;
}

/**
 * The picture of `topology` with the baseline's first faults on it.
 * @param topology the path the baseline ran (pathTopology of its model)
 * @param baseline its results: attribution, stage rows, and for a graph its visits and composites
 */
export function pipelineDrawing(topology: PathTopology, baseline: RunResult, context: DrawingContext = {}): PipelineDrawing {
  const total = baseline.attribution.reduce((s, a) => s + a.count, 0);
  const countOf = new Map(baseline.attribution.map((a) => [a.origin, a.count]));
  const placed = new Set<string>();
  const take = (origin: string): number => {
    const n = countOf.get(origin);
    if (n === undefined) return 0;
    placed.add(origin);
    return n;
  };
  const share = (count: number) => (total > 0 ? count / total : 0);
  const recommended = context.recommended;

  const nodes: DrawingNode[] = topology.nodes.map((n) => {
    const base: DrawingNode = { id: n.id, label: n.id, kind: n.kind, ...(n.group !== undefined ? { group: n.group } : {}) };
    if (n.kind === 'start' || n.kind === 'end') return base;
    if (recommended?.nodes.includes(n.id)) base.recommended = true;
    if (n.kind === 'human') {
      const escalated = baseline.escalation.count / Math.max(1, baseline.requests);
      return { ...base, label: 'human review', faultShare: 0, detail: `${sharePct(escalated)} of requests escalated` };
    }
    const detail = n.kind === 'stage' ? stageDetail(n.id, baseline) : compositeDetail(n.id, baseline);
    const count = originsOfNode(n).reduce((s, o) => s + take(o), 0);
    return { ...base, faultShare: share(count), ...(detail !== undefined ? { detail } : {}) };
  });

  const edges: DrawingEdge[] = topology.edges.map((e: TopologyEdge) => {
    const edge: DrawingEdge = { id: e.id, from: e.from, to: e.to, kind: e.kind };
    if (e.probability !== undefined) edge.probability = e.probability;
    if (e.handoff !== undefined) edge.faultShare = share(take(e.handoff));
    if (recommended?.edges.includes(e.id)) edge.recommended = true;
    return edge;
  });

  const groups: DrawingGroup[] = topology.groups.map((g) => ({ id: g.id, label: g.label, kind: g.kind, ...(g.parent !== undefined ? { parent: g.parent } : {}) }));

  const elsewhere = baseline.attribution.filter((a) => !placed.has(a.origin));
  const failed = baseline.requests - baseline.outcomes.success;
  const sentences = [
    total > 0
      ? `Shaded and labelled by share of failed requests' first faults: each of the ${failed.toLocaleString('en-US')} of ${baseline.requests.toLocaleString('en-US')} requests that did not succeed counted once, where it first went wrong.`
      : `${baseline.requests.toLocaleString('en-US')} requests simulated.`,
    ...(elsewhere.length > 0 ? [`Not on the picture: ${elsewhere.map((a) => `${a.origin} ${sharePct(share(a.count))}`).join(', ')}.`] : []),
    ...(recommended ? [`Recommended fix: ${recommended.name}${recommended.nodes.length + recommended.edges.length === 0 ? ' (it acts on no single node)' : ''}.`] : []),
    `Baseline, seed ${baseline.seed}${context.scenarioFile ? `, ${context.scenarioFile}` : ''}.`,
  ];
  const top = [...baseline.attribution].sort((a, b) => b.count - a.count || (a.origin < b.origin ? -1 : 1))[0];
  return { title: finding(top, total, topology), subtitle: sentences.join(' '), nodes, edges, groups };
}

function record(x: unknown): Record<string, unknown> | undefined {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

/**
 * Where the report's "fix first" acts – the best option of the sensitivity
 * ranking (summary.ts fixFirst names the same one): the stages its patch
 * sets, or for a `handoff` policy the hand-off edges into that stage (a
 * hand-off is written on its receiver), and the graph nodes it sets (a
 * loop's limit); a `handoffs:` setting acts on every hand-off. A patch
 * that names none of these (a pool, the protocol) marks nothing; the
 * picture still names it.
 */
export function recommendedFix(sensitivity: SensitivityResult | undefined, topology: PathTopology): RecommendedFix | undefined {
  const top = sensitivity?.options[0];
  if (top === undefined) return undefined;
  const fix: RecommendedFix = { name: top.name, nodes: [], edges: [] };
  const ids = new Set(topology.nodes.map((n) => n.id));
  // A graph patch's nodes (a loop's limit, a join) act on those composite nodes.
  // Settings for every hand-off (`handoffs:`, strict receivers) act on each hand-off edge.
  if (record(top.patch.handoffs)) fix.edges.push(...topology.edges.filter((e) => e.handoff !== undefined).map((e) => e.id));
  const graphNodes = record(record(top.patch.graph)?.nodes);
  if (graphNodes) fix.nodes.push(...Object.keys(graphNodes).filter((id) => ids.has(id)));
  const stages = record(top.patch.stages);
  if (stages === undefined) return fix;
  for (const [stage, fields] of Object.entries(stages)) {
    if (!ids.has(stage)) continue;
    const keys = fields !== null && typeof fields === 'object' ? Object.keys(fields) : [];
    const handoffOnly = keys.length > 0 && keys.every((k) => k === 'handoff');
    if (handoffOnly) fix.edges.push(...topology.edges.filter((e) => e.to === stage && e.handoff !== undefined).map((e) => e.id));
    else fix.nodes.push(stage);
  }
  return fix;
}
