/**
 * A trace's leaf spans as visits of the request path's nodes (structure.ts):
 * a visit of one stage – its attempts, or the items of a fan-out – or a visit
 * of a parallel node, several stages running at the same time.
 *
 * Stage visits, in start order: a leaf of the same stage that starts before
 * the current visit's spans end is another item of it (a fan-out); one that
 * follows a failed attempt without overlapping is another attempt (a retry);
 * anything else starts a new visit.
 *
 * Parallel visits. Two leaves of different stages overlap when they share
 * more than PARALLEL_MIN_OVERLAP (5 %) of the shorter one's duration; less is
 * read as clock skew or an asynchronous hand-off (a span closed just after
 * the next one opened), and the two stay in start order. A connected set of
 * overlapping leaves (a cluster) that holds two or more stages is one visit
 * of a parallel node, one branch per stage: that stage's visit with its
 * retries and items. Its node is named by the set of its stages, so every
 * trace's cluster of the same stages is a visit of the same node – when the
 * set becomes a node at all (parallel-nodes.ts: enough traces show it); a
 * cluster whose stage runs twice in it (two visits, not a retry) is not one
 * branch per stage. Clusters that become no node stay in start order. The
 * join is `all`: a visit failed when one of its branches did (its last
 * attempt failed, or it was cancelled).
 *
 * Not inferred: branches of several steps in sequence (a then b, beside c) –
 * timing alone cannot tell them from a parallel {a, c} followed by b when c
 * ends before a, so each stage is its own branch; and joins other than `all`
 * (a first-wins join shows as branches cancelled while the request goes on,
 * but a cancelled span may be closed when the request ends rather than when
 * it was abandoned, so it overlaps the steps after the join).
 *
 * Cancelled spans (isCancelled) are spans the request stopped waiting for –
 * a join that failed, a deadline: not the operation failing, and cut short.
 */
import type { FitSpan } from './span.js';

/** Overlap below this share of the shorter span is clock skew or a hand-off, not parallel work (a rule of thumb: 5 % of a 200 ms call is 10 ms). */
export const PARALLEL_MIN_OVERLAP = 0.05;

/**
 * error.type values that mean the span was cancelled: this exporter's
 * `cancelled`, gRPC's CANCELLED, asyncio's CancelledError, Java's
 * CancellationException, .NET's TaskCanceledException.
 */
const CANCELLED = /cancel+(ed|ation)(error|exception)?$/i;

/** The request stopped waiting for this span (a join that failed, a deadline): its error is not the operation's, and its duration is cut short. */
export const isCancelled = (s: FitSpan): boolean => s.error && s.errorType !== null && CANCELLED.test(s.errorType);

/** What groups spans into a stage: the operation and the name. */
export const stageKey = (s: FitSpan): string => `${s.operation}\u0000${s.name}`;

/** A visit of one stage: its attempts in order, or its items when they overlapped (a fan-out). */
export interface StageVisit {
  kind: 'stage';
  key: string;
  spans: FitSpan[];
  overlapped: boolean;
  hullEndMs: number;
}

/** A visit of a parallel node: one branch per stage, sorted by stage key. */
export interface ParallelVisit {
  kind: 'parallel';
  /** The branches' stage keys, sorted, joined by U+0001: the node's identity. */
  key: string;
  branches: StageVisit[];
  hullEndMs: number;
}

export type Visit = StageVisit | ParallelVisit;

/** The stage keys of a parallel node's key. */
export const parallelStageKeys = (key: string): string[] => key.split('\u0001');

/** A stage visit failed when one of its items did, or its last attempt. */
export function stageVisitFailed(v: StageVisit): boolean {
  return v.overlapped ? v.spans.some((s) => s.error) : v.spans[v.spans.length - 1].error;
}

/** A parallel visit (join all) failed when one of its branches did. */
export const visitFailed = (v: Visit): boolean => (v.kind === 'stage' ? stageVisitFailed(v) : v.branches.some(stageVisitFailed));

/** Adds a leaf to a visit list: an item or attempt of the last visit (or of a parallel visit's branch of its stage), or a new visit. */
function addLeaf(visits: Visit[], leaf: FitSpan): void {
  const key = stageKey(leaf);
  const v = visits[visits.length - 1];
  let into: StageVisit | undefined;
  if (v?.kind === 'stage' && v.key === key && leaf.startMs < v.hullEndMs) {
    into = v;
    v.overlapped = true;
  } else if (v?.kind === 'stage' && v.key === key && !v.overlapped && v.spans[v.spans.length - 1].error) into = v;
  else if (v?.kind === 'parallel') {
    // A branch's retry after the other branches ended: the join waits for it.
    const b = v.branches.find((x) => x.key === key);
    const last = b?.spans[b.spans.length - 1];
    if (b && !b.overlapped && last!.error && !isCancelled(last!)) into = b;
  }
  if (!into) {
    visits.push({ kind: 'stage', key, spans: [leaf], overlapped: false, hullEndMs: leaf.endMs });
    return;
  }
  into.spans.push(leaf);
  into.hullEndMs = Math.max(into.hullEndMs, leaf.endMs);
  if (v.kind === 'parallel') v.hullEndMs = Math.max(v.hullEndMs, leaf.endMs);
}

/** Whether two leaves of different stages overlap by more than PARALLEL_MIN_OVERLAP of the shorter one. */
function runTogether(a: FitSpan, b: FitSpan): boolean {
  if (stageKey(a) === stageKey(b)) return false;
  const overlapMs = Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs);
  return overlapMs > 0 && overlapMs > PARALLEL_MIN_OVERLAP * Math.min(a.endMs - a.startMs, b.endMs - b.startMs);
}

/** Leaves connected by runTogether, each cluster in start order, the clusters by their first leaf (union-find over a sweep of the open spans). */
function overlapClusters(leaves: readonly FitSpan[]): FitSpan[][] {
  const parent = leaves.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  let open: number[] = [];
  leaves.forEach((leaf, i) => {
    open = open.filter((j) => leaves[j].endMs > leaf.startMs);
    for (const j of open) if (runTogether(leaves[j], leaf)) parent[find(i)] = find(j);
    open.push(i);
  });
  const clusters = new Map<number, FitSpan[]>();
  leaves.forEach((leaf, i) => {
    const r = find(i);
    (clusters.get(r) ?? clusters.set(r, []).get(r)!).push(leaf);
  });
  // Filled in leaf order, so the clusters come in the order of their first leaves.
  return [...clusters.values()];
}

/** A trace's leaves grouped for the visits: a single leaf, or a cluster of several stages running together. */
export interface Cluster {
  leaves: FitSpan[];
  /** For a cluster of several stages: its parallel node's key; null for a single stage. */
  parallelKey: string | null;
  /** Its branches, one visit per stage; null when a stage runs more than one visit in it. */
  branches: StageVisit[] | null;
}

/** A trace's leaves (in start order, structure.ts byStart) as clusters. */
export function clustersOf(leaves: readonly FitSpan[]): Cluster[] {
  return overlapClusters(leaves).map((group): Cluster => {
    const keys = [...new Set(group.map(stageKey))].sort();
    if (keys.length === 1) return { leaves: group, parallelKey: null, branches: null };
    const branches: StageVisit[] = [];
    for (const key of keys) {
      const visits: Visit[] = [];
      for (const leaf of group) if (stageKey(leaf) === key) addLeaf(visits, leaf);
      if (visits.length !== 1) return { leaves: group, parallelKey: keys.join('\u0001'), branches: null };
      branches.push(visits[0] as StageVisit);
    }
    return { leaves: group, parallelKey: keys.join('\u0001'), branches };
  });
}

/**
 * The trace's visits: a cluster whose set became a parallel node is one
 * visit of it, every other leaf is added in start order. `inOrder` counts
 * the clusters of several stages left in start order.
 */
export function visitsOf(clusters: readonly Cluster[], accepted: ReadonlySet<string>): { visits: Visit[]; inOrder: number } {
  const visits: Visit[] = [];
  let inOrder = 0;
  for (const c of clusters) {
    if (c.parallelKey !== null && c.branches !== null && accepted.has(c.parallelKey)) {
      visits.push({ kind: 'parallel', key: c.parallelKey, branches: c.branches, hullEndMs: c.leaves.reduce((m, l) => Math.max(m, l.endMs), -Infinity) });
      continue;
    }
    if (c.parallelKey !== null) inOrder++;
    for (const leaf of c.leaves) addLeaf(visits, leaf);
  }
  return { visits, inOrder };
}
