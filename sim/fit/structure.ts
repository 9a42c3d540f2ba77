/**
 * The request path inferred from traces (`coordgap fit`, issue 16): which
 * operations a request runs, in which order, how often each route is taken,
 * where it retries, loops and fans out – and, per node, the samples the later
 * fits need (durations, errors, attempts, tokens, TTFT). Pure: spans in,
 * plain data out (structure-scenario.ts turns it into stages and graph:).
 *
 * The rules, in the order they apply:
 * - Traces. Spans are grouped by trace id, in sorted order. A trace is used
 *   when it has exactly one root (no parent), every parent is in the trace,
 *   span ids are unique, every span is reachable from the root (else a
 *   cycle) and no span ends before it starts; otherwise it is skipped with
 *   the reason and the line of the span at fault. The root is the request:
 *   its duration is the end-to-end latency, its error the request's outcome.
 * - Nodes. A step is a leaf span (one without children); a root without
 *   children is its own single step. Steps are grouped by operation and
 *   name: the GenAI conventions name a span "{operation} {model or tool}"
 *   ("chat gpt-4o", "execute_tool search"), so two models or two tools are
 *   two nodes. The node id is the name made an identifier.
 * - Nesting is flattened. A span below the root with children (invoke_agent
 *   around its chat and execute_tool calls) is a container: its own time is
 *   its children's, so it is not a stage (that would count the time twice);
 *   its leaves take its place in the path, and the time it spends outside
 *   its children is kept as its overhead (`containers`). An agent's loop thus
 *   shows as a loop in the flattened path; sub-graphs are not inferred.
 * - Order. A trace's leaves are ordered by start, then end, then span id.
 * - Visits (visits.ts): leaves of the same node that overlap are a fan-out
 *   (a node with any such visit is a map node, its items per visit counted;
 *   a visit of one item counts 1; a request that fanned out to no items shows
 *   as the map being skipped, a route around it); a leaf that follows a
 *   failed attempt of the same node is a retry; leaves of different nodes
 *   that run together (more than 5 % of the shorter one overlapping) are a
 *   visit of a parallel node, one branch per node, join all – when the set
 *   of nodes runs together in enough traces (visits.ts says which).
 * - Everything else starts a new visit; the visits then give the flow
 *   (structure-flow.ts): loops from cycles, routing shares from successor
 *   counts, failed requests' last visits left out of the shares. A parallel
 *   node is one node of the flow, so it may sit in a loop or a route.
 * - Cancelled spans (error.type cancelled, CancelledError …) are neither a
 *   stage's errors nor its latency samples: the request stopped waiting.
 * Limits: a parallel branch is one node (a branch of several steps in
 * sequence shows as a parallel node of each step, or one followed by the
 * rest); the join is always `all`; overlaps that make no parallel node stay
 * in start order, and a warning counts such traces.
 */
import type { FitSpan } from './span.js';
import { byStart, checkTrace, coveredMs } from './trace-tree.js';
import { inferFlow, FLOW_END_ID, type FlowSequence, type InferredFlow, type InferredLoop } from './structure-flow.js';
import { clustersOf, parallelStageKeys, stageKey, visitFailed, visitsOf, type Cluster } from './visits.js';
import { judgeParallelSets, parallelWarning, splitStageKey, stageKeysByPlace } from './parallel-nodes.js';
import { mapOf, stageOf, type InferredMap, type InferredStage, type StageAcc } from './structure-stages.js';

export type { CountEntry, InferredEdge, InferredFlow, InferredLoop } from './structure-flow.js';
export type { InferredMap, InferredStage } from './structure-stages.js';

/** A trace left out, why, and the file line of the span at fault (or the trace's first span). */
export interface SkippedTrace {
  traceId: string;
  reason: string;
  line: number;
}

/** One used trace as a request: for arrivals, end-to-end latency, success and evaluation. */
export interface RequestSample {
  traceId: string;
  startMs: number;
  /** The root span's duration. */
  e2eMs: number;
  /** The root span failed. */
  error: boolean;
  /** The root's evaluation label; else false if any span's is false, true if any is true; null when none has one. */
  evaluationPassed: boolean | null;
  /** Leaf spans (attempts and items) in the trace. */
  calls: number;
  /** Time inside the root covered by at least one leaf; e2eMs − busyMs is time spent between steps. */
  busyMs: number;
  /**
   * Leaf spans per stage id in this trace (stages it never ran are absent): a
   * rate fitted per request is spread over a stage's attempts with each
   * request's own count, not the average (experiments/fit.ts, silent failures).
   */
  stageSpans: Record<string, number>;
}

/**
 * Stages running at the same time, one branch each, joined `all`: a
 * parallel node (visits.ts says when a set of stages becomes one).
 */
export interface InferredParallel {
  id: string;
  /** The branch nodes, one per stage (the stage, or its map node), sorted. */
  branches: string[];
  visits: number;
  /** Visits with a failed branch: the join failed. */
  failedVisits: number;
  /** Traces that ran it, and the traces that ran every one of its stages. */
  traces: number;
  tracesWithStages: number;
}

/** Spans with children below the root, by operation and name, with the time each spent outside its children. */
export interface InferredContainer {
  name: string;
  operation: string;
  spans: number;
  overheadMs: number[];
}

export interface InferredStructure {
  traces: { total: number; used: number; skipped: SkippedTrace[] };
  /** Per used trace, sorted by start then trace id. */
  requests: RequestSample[];
  stages: InferredStage[];
  maps: InferredMap[];
  parallels: InferredParallel[];
  loops: InferredLoop[];
  graph: InferredFlow;
  containers: InferredContainer[];
  warnings: string[];
}

/** Ids of the scenario language: a letter, then letters, digits, ".", "_", "-"; at most 100 characters; `end` is taken. */
export function makeIdAllocator(): (base: string) => string {
  const used = new Set<string>([FLOW_END_ID]);
  return (base) => {
    let id = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+/g, '-').replace(/^[^A-Za-z]+/, '').replace(/-$/, '').slice(0, 90);
    if (id === '') id = 'node';
    let out = id;
    for (let k = 2; used.has(out); k++) out = `${id}-${k}`;
    used.add(out);
    return out;
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A used trace between the two passes: its clusters are judged over every trace before they become visits. */
interface TraceDraft {
  request: RequestSample;
  rootError: boolean;
  clusters: Cluster[];
  stageKeys: Set<string>;
}

/** Infers the request path and each node's samples from the spans of many traces. */
export function inferStructure(spans: readonly FitSpan[]): InferredStructure {
  const byTrace = new Map<string, FitSpan[]>();
  for (const s of spans) (byTrace.get(s.traceId) ?? byTrace.set(s.traceId, []).get(s.traceId)!).push(s);
  const skipped: SkippedTrace[] = [];
  const drafts: TraceDraft[] = [];
  const containerAcc = new Map<string, { name: string; operation: string; overheadMs: number[] }>();

  for (const traceId of [...byTrace.keys()].sort(cmp)) {
    const list = byTrace.get(traceId)!.sort(byStart);
    const checked = checkTrace(list);
    if ('reason' in checked) {
      skipped.push({ traceId, reason: checked.reason, line: checked.line });
      continue;
    }
    const { root, children } = checked;
    const leaves: FitSpan[] = [];
    const todo = children.has(root.spanId) ? [...children.get(root.spanId)!] : [root];
    while (todo.length > 0) {
      const s = todo.pop()!;
      const kids = s === root ? undefined : children.get(s.spanId);
      if (!kids) {
        leaves.push(s);
        continue;
      }
      const key = stageKey(s);
      const acc = containerAcc.get(key) ?? containerAcc.set(key, { name: s.name, operation: s.operation, overheadMs: [] }).get(key)!;
      acc.overheadMs.push(s.endMs - s.startMs - coveredMs(kids.map((k) => [k.startMs, k.endMs]), s.startMs, s.endMs));
      todo.push(...kids);
    }
    leaves.sort(byStart);
    const labels = list.map((s) => s.evaluationPassed).filter((l): l is boolean => l !== null);
    const request: RequestSample = {
      traceId,
      startMs: root.startMs,
      e2eMs: root.endMs - root.startMs,
      error: root.error,
      evaluationPassed: root.evaluationPassed ?? (labels.length === 0 ? null : !labels.includes(false)),
      calls: leaves.length,
      busyMs: leaves.length === 1 && leaves[0] === root ? root.endMs - root.startMs : coveredMs(leaves.map((l) => [l.startMs, l.endMs]), root.startMs, root.endMs),
      stageSpans: {},
    };
    drafts.push({ request, rootError: root.error, clusters: clustersOf(leaves), stageKeys: new Set(leaves.map(stageKey)) });
  }

  // Which sets of stages running together are parallel nodes: judged over every trace, then each trace's visits.
  const candidates = judgeParallelSets(drafts);
  const accepted = new Set([...candidates.values()].filter((c) => c.accepted).map((c) => c.key));
  const traceVisits = drafts.map((d) => visitsOf(d.clusters, accepted));
  const keyOf = stageKeysByPlace(traceVisits.map((t) => t.visits));
  const stageAcc = new Map<string, StageAcc>();
  const parallelAcc = new Map<string, { visits: number; failed: number; traces: number }>();
  /** Per trace, leaf spans per stage key (a copy's key for a stage run in another place). */
  const spansByKey: Map<string, number>[] = [];
  for (const { visits } of traceVisits) {
    const byKey = new Map<string, number>();
    spansByKey.push(byKey);
    const ran = new Set<string>();
    for (const v of visits) {
      for (const sv of v.kind === 'stage' ? [v] : v.branches) {
        const key = keyOf(sv.key, v.kind === 'stage' ? null : v.key);
        const acc = stageAcc.get(key) ?? stageAcc.set(key, { spans: [], visits: [] }).get(key)!;
        acc.spans.push(...sv.spans);
        acc.visits.push(sv);
        byKey.set(key, (byKey.get(key) ?? 0) + sv.spans.length);
      }
      if (v.kind === 'parallel') {
        const acc = parallelAcc.get(v.key) ?? parallelAcc.set(v.key, { visits: 0, failed: 0, traces: 0 }).get(v.key)!;
        acc.visits++;
        if (visitFailed(v)) acc.failed++;
        if (!ran.has(v.key)) acc.traces++;
        ran.add(v.key);
      }
    }
  }
  const requests = drafts.map((d) => d.request).sort((a, b) => a.startMs - b.startMs || cmp(a.traceId, b.traceId));

  // Ids: each stage by its name, then the copies of stages run in another place (named by the stages beside them).
  const newId = makeIdAllocator();
  const keys = [...stageAcc.keys()].sort(cmp);
  const stageIds = new Map<string, string>();
  for (const k of keys) if (splitStageKey(k).parallelKey === null) stageIds.set(k, newId(stageAcc.get(k)!.spans[0].name));
  for (const k of keys) {
    const { stageKey: own, parallelKey } = splitStageKey(k);
    if (parallelKey !== null) stageIds.set(k, newId(`${stageIds.get(own)}-beside-${parallelStageKeys(parallelKey).filter((x) => x !== own).map((x) => stageIds.get(x)!).sort(cmp).join('-')}`));
  }
  drafts.forEach((d, i) => (d.request.stageSpans = Object.fromEntries([...spansByKey[i]].map(([k, n]) => [stageIds.get(k)!, n]))));
  const mapIds = new Map<string, string>();
  for (const k of keys) if (stageAcc.get(k)!.visits.some((v) => v.overlapped)) mapIds.set(k, newId(`${stageIds.get(k)}-map`));
  const nodeOf = (key: string) => mapIds.get(key) ?? stageIds.get(key)!;
  const parallelIds = new Map<string, string>();
  const parallels: InferredParallel[] = [...parallelAcc.keys()].sort(cmp).map((k) => {
    const members = parallelStageKeys(k);
    const id = newId(`parallel-${members.map((x) => stageIds.get(x)!).sort(cmp).join('-')}`);
    parallelIds.set(k, id);
    const acc = parallelAcc.get(k)!;
    const branches = members.map((x) => nodeOf(keyOf(x, k))).sort(cmp);
    return { id, branches, visits: acc.visits, failedVisits: acc.failed, traces: acc.traces, tracesWithStages: candidates.get(k)!.tracesWithStages };
  });
  parallels.sort((a, b) => cmp(a.id, b.id));

  const stages = keys.map((k) => stageOf(stageIds.get(k)!, stageAcc.get(k)!, mapIds.get(k) ?? null));
  const maps = [...mapIds].map(([k, id]) => mapOf(id, stageIds.get(k)!, stageAcc.get(k)!.visits));
  const sequences: FlowSequence[] = traceVisits.map(({ visits }, i) => ({
    failed: drafts[i].rootError || visitFailed(visits[visits.length - 1]),
    visits: visits.map((v) => ({ node: v.kind === 'stage' ? nodeOf(keyOf(v.key, null)) : parallelIds.get(v.key)!, failed: visitFailed(v) })),
  }));
  const loops: InferredLoop[] = [];
  const graph = inferFlow(sequences, newId, loops);
  loops.sort((a, b) => cmp(a.id, b.id));

  const warnings: string[] = [];
  if (graph.starts.length > 1)
    warnings.push(
      `requests start at ${graph.starts.length} different nodes (${graph.starts.map((s) => `${s.node} ${s.count}`).join(', ')}); the graph starts at ${graph.start}, the most common, and cannot reach the other first nodes from there`,
    );
  const inOrderTraces = traceVisits.filter((t) => t.inOrder > 0).length;
  if (inOrderTraces > 0) warnings.push(parallelWarning(inOrderTraces, requests.length, candidates.values(), (k) => stageIds.get(k)!));
  if (requests.length === 0) warnings.push(`no usable trace among ${byTrace.size}`);

  const containers = [...containerAcc.keys()].sort(cmp).map((k) => {
    const c = containerAcc.get(k)!;
    return { name: c.name, operation: c.operation, spans: c.overheadMs.length, overheadMs: c.overheadMs };
  });
  return { traces: { total: byTrace.size, used: requests.length, skipped }, requests, stages, maps, parallels, loops, graph, containers, warnings };
}
