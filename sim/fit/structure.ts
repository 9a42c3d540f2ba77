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
 * - Fan-out. A leaf that starts before the end of the current visit's spans
 *   of the same node (they overlap in time) is another item of that visit; a
 *   node with any such visit is a map node, its items per visit counted (a
 *   visit of one item counts 1; a request that fanned out to no items shows
 *   as the map being skipped, a route around it).
 * - Retries. A leaf of the same node that follows a failed attempt of the
 *   current visit without overlapping it is another attempt of that visit.
 * - Everything else starts a new visit; the visits then give the flow
 *   (structure-flow.ts): loops from cycles, routing shares from successor
 *   counts, failed requests' last visits left out of the shares.
 * Limits: leaves of different nodes running at the same time are sequenced by
 * start (a `parallel:` node is not inferred; a warning counts such traces);
 * only consecutive leaves are grouped into a fan-out or retried.
 */
import type { FitSpan } from './span.js';
import { meanInterval, type Estimate } from '../metrics/intervals.js';
import { byStart, checkTrace, coveredMs } from './trace-tree.js';
import { countEntries, inferFlow, FLOW_END_ID, type CountEntry, type FlowSequence, type InferredFlow, type InferredLoop } from './structure-flow.js';

export type { CountEntry, InferredEdge, InferredFlow, InferredLoop } from './structure-flow.js';

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

/** A stage: the leaf spans of one operation and name. */
export interface InferredStage {
  id: string;
  name: string;
  operation: string;
  /** The span kind most spans have. */
  kind: number;
  /** Leaf spans (every attempt and item). */
  spans: number;
  visits: number;
  /** Per span, in trace order. */
  durationsMs: number[];
  errors: number;
  /** error.type values of the failed spans ("(none)" when a failed span gives none), most frequent first. */
  errorTypes: { type: string; count: number }[];
  /** Attempts per visit (visits that fanned out are counted under items instead). */
  attempts: CountEntry[];
  maxAttempts: number;
  /** Visits whose last attempt failed. */
  givenUp: number;
  /** Per span that carries them. */
  inputTokens: number[];
  outputTokens: number[];
  ttftMs: number[];
  /** The map node that fans out over this stage, or null. */
  mapId: string | null;
}

/** A fan-out over one stage. */
export interface InferredMap {
  id: string;
  body: string;
  visits: number;
  /** Items per visit (1 for a visit that did not overlap). */
  items: CountEntry[];
  meanItems: Estimate;
  maxItems: number;
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
const stageKey = (s: FitSpan) => `${s.operation}\u0000${s.name}`;

interface Visit {
  key: string;
  spans: FitSpan[];
  overlapped: boolean;
  hullEndMs: number;
}

/** Groups a trace's ordered leaves into visits: fan-out items, retries, or a new visit (the rules above). */
function visitsOf(leaves: FitSpan[]): { visits: Visit[]; concurrent: boolean } {
  const visits: Visit[] = [];
  let concurrent = false;
  for (const leaf of leaves) {
    const key = stageKey(leaf);
    const v = visits[visits.length - 1];
    if (v && v.key === key && leaf.startMs < v.hullEndMs) v.overlapped = true;
    else if (v && v.key === key && !v.overlapped && v.spans[v.spans.length - 1].error) {
      /* a retry */
    } else {
      if (v && leaf.startMs < v.hullEndMs) concurrent = true;
      visits.push({ key, spans: [leaf], overlapped: false, hullEndMs: leaf.endMs });
      continue;
    }
    v.spans.push(leaf);
    v.hullEndMs = Math.max(v.hullEndMs, leaf.endMs);
  }
  return { visits, concurrent };
}

interface StageAcc {
  spans: FitSpan[];
  visits: Visit[];
}

/** Infers the request path and each node's samples from the spans of many traces. */
export function inferStructure(spans: readonly FitSpan[]): InferredStructure {
  const byTrace = new Map<string, FitSpan[]>();
  for (const s of spans) (byTrace.get(s.traceId) ?? byTrace.set(s.traceId, []).get(s.traceId)!).push(s);
  const skipped: SkippedTrace[] = [];
  const requests: RequestSample[] = [];
  /** Per request (same order as `requests` before sorting), leaf spans per stage key; turned into stage ids once they exist. */
  const spansByKey = new Map<RequestSample, Map<string, number>>();
  const traceVisits: { visits: Visit[]; failed: boolean }[] = [];
  const stageAcc = new Map<string, StageAcc>();
  const containerAcc = new Map<string, { name: string; operation: string; overheadMs: number[] }>();
  let concurrentTraces = 0;

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
    const { visits, concurrent } = visitsOf(leaves);
    if (concurrent) concurrentTraces++;
    const last = visits[visits.length - 1];
    const lastFailed = last.overlapped ? last.spans.some((s) => s.error) : last.spans[last.spans.length - 1].error;
    traceVisits.push({ visits, failed: root.error || lastFailed });
    for (const v of visits) {
      const acc = stageAcc.get(v.key) ?? stageAcc.set(v.key, { spans: [], visits: [] }).get(v.key)!;
      acc.spans.push(...v.spans);
      acc.visits.push(v);
    }
    const labels = list.map((s) => s.evaluationPassed).filter((l): l is boolean => l !== null);
    const byKey = new Map<string, number>();
    for (const v of visits) byKey.set(v.key, (byKey.get(v.key) ?? 0) + v.spans.length);
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
    requests.push(request);
    spansByKey.set(request, byKey);
  }
  requests.sort((a, b) => a.startMs - b.startMs || cmp(a.traceId, b.traceId));

  const newId = makeIdAllocator();
  const keys = [...stageAcc.keys()].sort(cmp);
  const stageIds = new Map(keys.map((k) => [k, newId(stageAcc.get(k)!.spans[0].name)]));
  for (const [request, byKey] of spansByKey) request.stageSpans = Object.fromEntries([...byKey].map(([k, n]) => [stageIds.get(k)!, n]));
  const mapIds = new Map<string, string>();
  for (const k of keys) if (stageAcc.get(k)!.visits.some((v) => v.overlapped)) mapIds.set(k, newId(`${stageIds.get(k)}-map`));

  const stages = keys.map((k) => stageOf(stageIds.get(k)!, stageAcc.get(k)!, mapIds.get(k) ?? null));
  const maps = [...mapIds].map(([k, id]) => mapOf(id, stageIds.get(k)!, stageAcc.get(k)!.visits));
  const sequences: FlowSequence[] = traceVisits.map(({ visits, failed }) => ({
    failed,
    visits: visits.map((v) => ({
      node: mapIds.get(v.key) ?? stageIds.get(v.key)!,
      failed: v.overlapped ? v.spans.some((s) => s.error) : v.spans[v.spans.length - 1].error,
    })),
  }));
  const loops: InferredLoop[] = [];
  const graph = inferFlow(sequences, newId, loops);
  loops.sort((a, b) => cmp(a.id, b.id));

  const warnings: string[] = [];
  if (graph.starts.length > 1)
    warnings.push(
      `requests start at ${graph.starts.length} different nodes (${graph.starts.map((s) => `${s.node} ${s.count}`).join(', ')}); the graph starts at ${graph.start}, the most common, and cannot reach the other first nodes from there`,
    );
  if (concurrentTraces > 0)
    warnings.push(`${concurrentTraces} of ${requests.length} traces run different operations at the same time; the fit orders them by start time (parallel: nodes are not inferred)`);
  if (requests.length === 0) warnings.push(`no usable trace among ${byTrace.size}`);

  const containers = [...containerAcc.keys()].sort(cmp).map((k) => {
    const c = containerAcc.get(k)!;
    return { name: c.name, operation: c.operation, spans: c.overheadMs.length, overheadMs: c.overheadMs };
  });
  return { traces: { total: byTrace.size, used: requests.length, skipped }, requests, stages, maps, loops, graph, containers, warnings };
}

function stageOf(id: string, acc: StageAcc, mapId: string | null): InferredStage {
  const kinds = new Map<number, number>(), attempts = new Map<number, number>(), types = new Map<string, number>();
  let errors = 0, givenUp = 0;
  for (const s of acc.spans) {
    kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
    if (s.error) {
      errors++;
      const t = s.errorType ?? '(none)';
      types.set(t, (types.get(t) ?? 0) + 1);
    }
  }
  for (const v of acc.visits) {
    if (v.overlapped) continue;
    attempts.set(v.spans.length, (attempts.get(v.spans.length) ?? 0) + 1);
    if (v.spans[v.spans.length - 1].error) givenUp++;
  }
  const attemptEntries = countEntries(attempts);
  const pick = (f: (s: FitSpan) => number | null) => acc.spans.map(f).filter((x): x is number => x !== null);
  return {
    id,
    name: acc.spans[0].name,
    operation: acc.spans[0].operation,
    kind: [...kinds].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0],
    spans: acc.spans.length,
    visits: acc.visits.length,
    durationsMs: acc.spans.map((s) => s.endMs - s.startMs),
    errors,
    errorTypes: [...types].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).map(([type, count]) => ({ type, count })),
    attempts: attemptEntries,
    maxAttempts: attemptEntries.length === 0 ? 1 : attemptEntries[attemptEntries.length - 1].value,
    givenUp,
    inputTokens: pick((s) => s.inputTokens),
    outputTokens: pick((s) => s.outputTokens),
    ttftMs: pick((s) => s.ttftMs),
    mapId,
  };
}

function mapOf(id: string, body: string, visits: Visit[]): InferredMap {
  const counts = visits.map((v) => (v.overlapped ? v.spans.length : 1));
  const items = new Map<number, number>();
  for (const c of counts) items.set(c, (items.get(c) ?? 0) + 1);
  return { id, body, visits: visits.length, items: countEntries(items), meanItems: meanInterval(counts), maxItems: counts.reduce((a, b) => Math.max(a, b), 0) };
}
