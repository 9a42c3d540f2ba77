/**
 * The checks that need a whole trace: parent links that go nowhere, parent
 * links that go round, and children that start before their parents.
 *
 * Decisions (the issue left them open):
 * - A trace whose only parentless-in-the-file span is its top span (no root,
 *   one span whose parent is absent) is whole below a caller that was not
 *   exported – a service upstream, as in opentelemetry-proto's own
 *   examples/trace.json, whose one span names a parent the file lacks. That
 *   span is read as the root, with a warning.
 * - Any other span whose parent is absent means the trace lost spans
 *   (sampling, a partial export, a file cut short). A fit from it would count
 *   too few calls, so the whole trace is dropped with a warning saying how
 *   many; `onIncompleteTrace: 'error'` refuses the file instead.
 * - A cycle in parent links is an error: no reading of it is right.
 * - A child starting before its parent by more than `clockSkewToleranceMs`
 *   is an error. Spans of one process share a clock, so their only
 *   disagreement is rounding (ISO times and the JSONL format keep whole
 *   milliseconds): the default tolerance is 1 ms. Spans from hosts whose
 *   clocks differ need a larger one, which the message says.
 */
import type { FitSpan } from '../../sim/fit/index.js';
import type { RecordContext } from './record-context.js';
import { SpanReadError, shownId } from './span-read-error.js';

export interface TraceCheckOptions {
  clockSkewToleranceMs: number;
  onIncompleteTrace: 'drop' | 'error';
  /** How the format names a span's start ("startTimeUnixNano", "start"), for messages. */
  startField: string;
}

/**
 * The ids of the traces to keep, after the checks; re-rooted spans get
 * parentSpanId null.
 * @throws SpanReadError on a cycle, a child starting before its parent beyond the tolerance, or (with 'error') an incomplete trace.
 */
export function checkTraces(traces: Map<string, Map<string, FitSpan>>, ctx: RecordContext, options: TraceCheckOptions): Set<string> {
  const kept = new Set<string>();
  for (const [traceId, spans] of traces) {
    rejectCycles(traceId, spans, ctx.file);
    const roots: FitSpan[] = [];
    const orphans: FitSpan[] = [];
    for (const span of spans.values()) {
      if (span.parentSpanId === null) roots.push(span);
      else if (!spans.has(span.parentSpanId)) orphans.push(span);
    }
    if (roots.length === 0 && orphans.length === 1) {
      const top = orphans[0];
      ctx.warn('reroot', `${ctx.file}:${top.line}: trace ${shownId(traceId)}: its top span ${shownId(top.spanId)} names parent ${shownId(top.parentSpanId!)}, which is not in the file (a caller in another service, presumably); it was read as the trace's root`);
      top.parentSpanId = null;
      roots.push(top);
      orphans.length = 0;
    }
    if (orphans.length > 0) {
      const first = orphans[0];
      const what = `trace ${shownId(traceId)} is incomplete: span ${shownId(first.spanId)} names parent ${shownId(first.parentSpanId!)}, which is not in its trace (${orphans.length} of its ${spans.size} spans have no parent in the file: spans lost to sampling, a partial export or a file cut short?)`;
      if (options.onIncompleteTrace === 'error')
        throw new SpanReadError({ file: ctx.file, line: first.line, spanId: first.spanId, field: 'parentSpanId' }, `${what}; export whole traces, or let incomplete traces be dropped`);
      ctx.warn('incomplete', `${ctx.file}:${first.line}: ${what}; the trace was left out, so every trace fitted is whole`);
      continue;
    }
    if (roots.length > 1)
      ctx.warn('multi-root', `${ctx.file}:${roots[1].line}: trace ${shownId(traceId)} has ${roots.length} root spans (${roots.slice(0, 3).map((r) => shownId(r.spanId)).join(', ')}${roots.length > 3 ? ', …' : ''}); a request is usually one tree under one root`);
    rejectSkew(spans, ctx.file, options);
    kept.add(traceId);
  }
  return kept;
}

/** Follows parent links from every span; a link back into the current path is a cycle. */
function rejectCycles(traceId: string, spans: Map<string, FitSpan>, file: string): void {
  const state = new Map<string, 1 | 2>(); // 1 on the current path, 2 known to reach a root or a missing parent
  for (const start of spans.values()) {
    const path: FitSpan[] = [];
    let at: FitSpan | undefined = start;
    while (at && !state.has(at.spanId)) {
      state.set(at.spanId, 1);
      path.push(at);
      at = at.parentSpanId === null ? undefined : spans.get(at.parentSpanId);
    }
    if (at && state.get(at.spanId) === 1) {
      const loop = path.slice(path.indexOf(at));
      const chain = [...loop, at].map((s) => `${shownId(s.spanId)} (line ${s.line})`).join(' → ');
      throw new SpanReadError(
        { file, line: at.line, spanId: at.spanId, field: 'parentSpanId' },
        `trace ${shownId(traceId)}: the parent links ${chain} form a cycle${loop.length === 1 ? ' (the span is its own parent)' : ''}; following parentSpanId from any span must end at a root (a span with no parent)`,
      );
    }
    for (const s of path) state.set(s.spanId, 2);
  }
}

/** A child may start before its parent by at most the tolerance. */
function rejectSkew(spans: Map<string, FitSpan>, file: string, options: TraceCheckOptions): void {
  for (const child of spans.values()) {
    if (child.parentSpanId === null) continue;
    const parent = spans.get(child.parentSpanId)!;
    const earlyMs = parent.startMs - child.startMs;
    if (earlyMs > options.clockSkewToleranceMs)
      throw new SpanReadError(
        { file, line: child.line, spanId: child.spanId, field: options.startField },
        `starts ${Number(earlyMs.toPrecision(4))} ms before its parent ${shownId(parent.spanId)} (line ${parent.line}) starts, beyond the clock-skew tolerance of ${options.clockSkewToleranceMs} ms; a child cannot start before its parent – if the two spans come from hosts whose clocks differ, raise the tolerance (clockSkewToleranceMs), otherwise the times are wrong`,
      );
  }
}
