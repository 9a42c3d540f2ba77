/**
 * Per stage, what the later fits need from its spans (durations, errors,
 * attempts, tokens, TTFT), and per fan-out its items: the samples
 * structure.ts hands on, gathered from the visits (visits.ts).
 */
import type { FitSpan } from './span.js';
import { meanInterval, type Estimate } from '../metrics/intervals.js';
import { countEntries, type CountEntry } from './structure-flow.js';
import { isCancelled, type StageVisit } from './visits.js';

/** A stage: the leaf spans of one operation and name (a stage run both alone and as a parallel branch is two: see parallel-nodes.ts). */
export interface InferredStage {
  id: string;
  name: string;
  operation: string;
  /** The span kind most spans have. */
  kind: number;
  /** Leaf spans (every attempt and item). */
  spans: number;
  visits: number;
  /** Per span, in trace order; cancelled spans left out (cut short, not the operation's time). */
  durationsMs: number[];
  /** Failed spans, cancelled ones apart. */
  errors: number;
  /** Spans the request stopped waiting for (isCancelled: a join that failed, a deadline) – neither errors nor durations. */
  cancelled: number;
  /** error.type values of the failed spans ("(none)" when a failed span gives none), most frequent first. */
  errorTypes: { type: string; count: number }[];
  /** Attempts per visit (visits that fanned out are counted under items instead). */
  attempts: CountEntry[];
  maxAttempts: number;
  /** Visits whose last attempt failed (not cancelled). */
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

/** A stage's spans and visits, as the traces gave them. */
export interface StageAcc {
  spans: FitSpan[];
  visits: StageVisit[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The stage's samples and counts; cancelled spans are neither errors nor durations. */
export function stageOf(id: string, acc: StageAcc, mapId: string | null): InferredStage {
  const kinds = new Map<number, number>(), attempts = new Map<number, number>(), types = new Map<string, number>();
  let errors = 0, givenUp = 0, cancelled = 0;
  for (const s of acc.spans) {
    kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
    if (isCancelled(s)) cancelled++;
    else if (s.error) {
      errors++;
      const t = s.errorType ?? '(none)';
      types.set(t, (types.get(t) ?? 0) + 1);
    }
  }
  for (const v of acc.visits) {
    if (v.overlapped) continue;
    attempts.set(v.spans.length, (attempts.get(v.spans.length) ?? 0) + 1);
    const last = v.spans[v.spans.length - 1];
    if (last.error && !isCancelled(last)) givenUp++;
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
    durationsMs: acc.spans.filter((s) => !isCancelled(s)).map((s) => s.endMs - s.startMs),
    errors,
    cancelled,
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

/** A fan-out's items per visit (a visit that did not overlap counts 1). */
export function mapOf(id: string, body: string, visits: StageVisit[]): InferredMap {
  const counts = visits.map((v) => (v.overlapped ? v.spans.length : 1));
  const items = new Map<number, number>();
  for (const c of counts) items.set(c, (items.get(c) ?? 0) + 1);
  return { id, body, visits: visits.length, items: countEntries(items), meanItems: meanInterval(counts), maxItems: counts.reduce((a, b) => Math.max(a, b), 0) };
}
