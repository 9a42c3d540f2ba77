/**
 * One trace as a tree: the checks that make it usable (one root, known
 * parents, unique ids, no cycle, no span ending before it starts), each
 * span's children in order, and the time a set of spans covers.
 */
import type { FitSpan } from './span.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Start, then end, then span id: a total order, so every run sorts alike. */
export const byStart = (a: FitSpan, b: FitSpan): number => a.startMs - b.startMs || a.endMs - b.endMs || cmp(a.spanId, b.spanId);

/** Total length of the union of intervals, each clipped to [lo, hi]. */
export function coveredMs(intervals: [number, number][], lo: number, hi: number): number {
  const xs = intervals.map(([a, b]) => [Math.max(a, lo), Math.min(b, hi)] as [number, number]).filter(([a, b]) => b > a).sort((p, q) => p[0] - q[0]);
  let total = 0, curA = -Infinity, curB = -Infinity;
  for (const [a, b] of xs) {
    if (a > curB) {
      if (curB > curA) total += curB - curA;
      [curA, curB] = [a, b];
    } else curB = Math.max(curB, b);
  }
  if (curB > curA) total += curB - curA;
  return total;
}

/** The trace's root and each span's children (sorted), or why the trace cannot be used. */
export function checkTrace(spans: FitSpan[]): { root: FitSpan; children: Map<string, FitSpan[]> } | { reason: string; line: number } {
  const byId = new Map<string, FitSpan>();
  for (const s of spans) {
    if (byId.has(s.spanId)) return { reason: `span id ${s.spanId} appears twice`, line: s.line };
    if (!(s.endMs >= s.startMs)) return { reason: `span ${s.spanId} ("${s.name}") ends before it starts`, line: s.line };
    byId.set(s.spanId, s);
  }
  const roots = spans.filter((s) => s.parentSpanId === null);
  const orphan = spans.find((s) => s.parentSpanId !== null && !byId.has(s.parentSpanId));
  if (orphan) return { reason: `span ${orphan.spanId} ("${orphan.name}") names parent ${orphan.parentSpanId}, which is not in the trace (a partial trace)`, line: orphan.line };
  if (roots.length !== 1)
    return roots.length === 0
      ? { reason: 'no root span (every span has a parent: the parents form a cycle)', line: spans[0].line }
      : { reason: `${roots.length} root spans (${roots.map((r) => r.spanId).join(', ')}); a trace has one`, line: roots[1].line };
  const children = new Map<string, FitSpan[]>();
  for (const s of spans) if (s.parentSpanId !== null) (children.get(s.parentSpanId) ?? children.set(s.parentSpanId, []).get(s.parentSpanId)!).push(s);
  for (const list of children.values()) list.sort(byStart);
  let reached = 0;
  const todo = [roots[0]];
  while (todo.length > 0) {
    reached++;
    todo.push(...(children.get(todo.pop()!.spanId) ?? []));
  }
  if (reached !== spans.length) {
    const lost = spans.find((s) => s.parentSpanId !== null && !reachable(s, byId, roots[0]))!;
    return { reason: `span ${lost.spanId} ("${lost.name}") is not below the root: its parents form a cycle`, line: lost.line };
  }
  return { root: roots[0], children };
}

function reachable(s: FitSpan, byId: Map<string, FitSpan>, root: FitSpan): boolean {
  const seen = new Set<string>();
  for (let cur: FitSpan | undefined = s; cur; cur = cur.parentSpanId === null ? undefined : byId.get(cur.parentSpanId)) {
    if (cur === root) return true;
    if (seen.has(cur.spanId)) return false;
    seen.add(cur.spanId);
  }
  return false;
}
