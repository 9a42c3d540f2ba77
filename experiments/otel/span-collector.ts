/**
 * Turns the lines of a trace file, one at a time, into FitSpans: the state
 * machine both `parseSpanLines` (tests, in-memory text) and `readSpansFile`
 * (a stream) drive, so both read files the same way.
 *
 * The file is one of:
 * - OTLP/JSON lines: one ExportTraceServiceRequest per line, as the OTel
 *   collector's file exporter writes (opentelemetry-specification
 *   specification/protocol/file-exporter.md: "a JSON lines file … Each line is
 *   a valid JSON value"; open-telemetry/opentelemetry-collector-contrib
 *   exporter/fileexporter: `format` default json);
 * - one OTLP/JSON document spread over many lines (pretty-printed, like
 *   opentelemetry-proto's examples/trace.json): recognised when the first line
 *   is not a whole JSON value, and parsed whole (so it is limited to
 *   `maxDocumentBytes`);
 * - the JSONL span format (parse-jsonl-span.ts), one span per line.
 * Blank lines are skipped; a UTF-8 byte-order mark and CR line ends are allowed.
 */
import type { FitSpan } from '../../sim/fit/index.js';
import { checkTraces } from './check-traces.js';
import { jsonlSpan, looksLikeJsonlSpan } from './parse-jsonl-span.js';
import { otlpSpans } from './parse-otlp.js';
import { RecordContext } from './record-context.js';
import { SpanReadError, shownId } from './span-read-error.js';

export type SpanFormat = 'otlp' | 'jsonl';

/** Options of the readers, all optional (defaults in READ_SPANS_DEFAULTS). */
export interface ReadSpansOptions {
  /** A file larger than this is refused before it is read. Default 1 GiB. */
  maxBytes?: number;
  /** The longest line – or whole one-document file – parsed as one JSON text. Default 256 MiB (V8's longest string is ~512 M characters). */
  maxDocumentBytes?: number;
  /** How much earlier than its parent a child may start (clock skew, rounding). Default 1 ms (check-traces.ts). */
  clockSkewToleranceMs?: number;
  /** A trace with spans whose parent is not in the file: left out with a warning ('drop', default) or refused ('error'). */
  onIncompleteTrace?: 'drop' | 'error';
}

export type FilledReadSpansOptions = Required<ReadSpansOptions>;

export const READ_SPANS_DEFAULTS: FilledReadSpansOptions = {
  maxBytes: 1024 ** 3,
  maxDocumentBytes: 256 * 1024 ** 2,
  clockSkewToleranceMs: 1,
  onIncompleteTrace: 'drop',
};

export interface SpanReadResult {
  /** The spans of the traces kept, in file order. */
  spans: FitSpan[];
  format: SpanFormat;
  /** One line per kind of problem that did not stop the read ("…(and 41 more like it)"). */
  warnings: string[];
}

const VALID_RECORD = 'one JSON object per line: an OTLP trace export {"resourceSpans": [...]} or a span of the JSONL format {"traceId": …, "spanId": …}';

export class SpanCollector {
  private readonly ctx: RecordContext;
  private format: SpanFormat | null = null;
  private formatLine = 0;
  private mode: 'start' | 'lines' | 'document' = 'start';
  private readonly doc: string[] = [];
  private docChars = 0;
  private docLine = 0;
  /** A line whose JSON ended early: an error once another record follows (or at the end: a truncated file). */
  private pending: { line: number; reason: string } | null = null;
  private readonly traces = new Map<string, Map<string, FitSpan>>();
  private readonly order: FitSpan[] = [];

  constructor(
    readonly file: string,
    private readonly options: FilledReadSpansOptions,
  ) {
    this.ctx = new RecordContext(file);
  }

  /** One line of the file (without its line end), numbered from 1. */
  line(raw: string, lineNo: number): void {
    const text = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (this.mode === 'document') {
      this.docChars += text.length + 1;
      if (this.docChars > this.options.maxDocumentBytes) this.tooLong(this.docLine, 'the JSON document starting at this line');
      this.doc.push(text);
      return;
    }
    if (text.trim() === '') return;
    if (text.length > this.options.maxDocumentBytes) this.tooLong(lineNo, 'this line');
    if (this.pending) {
      const p = this.pending;
      throw new SpanReadError({ file: this.file, line: p.line }, `not valid JSON: ${p.reason}, and more lines follow – a record cut short or split over lines; expected ${VALID_RECORD}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const problem = jsonProblem(text, e);
      if (problem.incomplete && this.mode === 'start') {
        this.mode = 'document';
        this.docLine = lineNo;
        this.docChars = text.length + 1;
        this.doc.push(text);
        return;
      }
      if (problem.incomplete) {
        this.pending = { line: lineNo, reason: problem.reason };
        return;
      }
      throw new SpanReadError({ file: this.file, line: lineNo, column: problem.column }, `not valid JSON: ${problem.reason}; expected ${VALID_RECORD}`);
    }
    this.mode = 'lines';
    this.ctx.line = lineNo;
    this.record(value, lineNo);
  }

  /** After the last line: the spans, checked trace by trace. */
  end(): SpanReadResult {
    if (this.pending)
      throw new SpanReadError(
        { file: this.file, line: this.pending.line },
        `the last line ends before its JSON does (${this.pending.reason}): the file looks truncated – cut off while it was being written or copied; the lines before it are whole. Remove the partial last line or copy the file again`,
      );
    if (this.mode === 'document') this.document();
    if (this.format === null) throw new SpanReadError({ file: this.file }, `no spans: the file is empty; expected ${VALID_RECORD}`);
    const kept = checkTraces(this.traces, this.ctx, {
      clockSkewToleranceMs: this.options.clockSkewToleranceMs,
      onIncompleteTrace: this.options.onIncompleteTrace,
      startField: this.format === 'otlp' ? 'startTimeUnixNano' : 'start',
    });
    const spans = kept.size === this.traces.size ? this.order : this.order.filter((s) => kept.has(s.traceId));
    return { spans, format: this.format, warnings: this.ctx.warningLines() };
  }

  /** The one-document file, parsed whole. */
  private document(): void {
    const text = this.doc.join('\n');
    this.doc.length = 0;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const problem = jsonProblem(text, e);
      if (problem.incomplete)
        throw new SpanReadError({ file: this.file, line: this.docLine }, `the JSON document that starts here ends before it closes (${problem.reason}): the file looks truncated; expected one whole OTLP export {"resourceSpans": [...]}, or ${VALID_RECORD}`);
      const offset = problem.offset ?? 0;
      const before = text.slice(0, offset);
      const line = this.docLine + before.split('\n').length - 1;
      throw new SpanReadError({ file: this.file, line, column: problem.offset === null ? null : offset - before.lastIndexOf('\n') }, `not valid JSON: ${problem.reason}; expected one OTLP export {"resourceSpans": [...]} (or ${VALID_RECORD})`);
    }
    if (typeof value !== 'object' || value === null || !('resourceSpans' in value))
      throw new SpanReadError({ file: this.file, line: this.docLine }, `a JSON document over several lines that is not an OTLP trace export; expected {"resourceSpans": [...]} (or ${VALID_RECORD})`);
    this.ctx.line = this.docLine;
    this.ctx.lineOfSpan = spanLineLocator(text, this.docLine);
    this.record(value, this.docLine);
  }

  /** One parsed record: its spans added. */
  private record(value: unknown, lineNo: number): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new SpanReadError({ file: this.file, line: lineNo }, `a JSON ${Array.isArray(value) ? 'list' : typeof value}, not an object; expected ${VALID_RECORD}`);
    const record = value as Record<string, unknown>;
    const format: SpanFormat | null = 'resourceSpans' in record ? 'otlp' : looksLikeJsonlSpan(record) ? 'jsonl' : null;
    if (format === null) {
      const other = 'resourceMetrics' in record ? 'OTLP metrics' : 'resourceLogs' in record ? 'OTLP logs' : null;
      throw new SpanReadError({ file: this.file, line: lineNo }, other ? `this is ${other}, not traces; export traces (resourceSpans)` : `neither an OTLP trace export nor a JSONL span (no "resourceSpans", no "traceId" and "spanId"); expected ${VALID_RECORD}`);
    }
    if (this.format === null) {
      this.format = format;
      this.formatLine = lineNo;
    } else if (format !== this.format)
      throw new SpanReadError({ file: this.file, line: lineNo }, `a ${format === 'otlp' ? 'OTLP export' : 'JSONL span'}, but the file began as ${this.format === 'otlp' ? 'OTLP' : 'JSONL spans'} (line ${this.formatLine}); one file holds one format`);
    const spans = format === 'otlp' ? otlpSpans(record, this.ctx) : [jsonlSpan(record, this.ctx)];
    for (const span of spans) this.add(span);
  }

  /** Adds a span; an exact repeat is dropped (OTLP may deliver data twice), a different span under the same id is refused. */
  private add(span: FitSpan): void {
    let trace = this.traces.get(span.traceId);
    if (!trace) this.traces.set(span.traceId, (trace = new Map()));
    // One string per trace id (JSON.parse makes a new one per span): memory grows with spans, not with id copies.
    else span.traceId = trace.values().next().value?.traceId ?? span.traceId;
    const seen = trace.get(span.spanId);
    if (seen) {
      const same = seen.name === span.name && seen.startMs === span.startMs && seen.endMs === span.endMs && seen.parentSpanId === span.parentSpanId;
      if (!same)
        throw new SpanReadError({ file: this.file, line: span.line, spanId: span.spanId, field: 'spanId' }, `the id appears twice in trace ${shownId(span.traceId)} (lines ${seen.line} and ${span.line}) with different spans; a span id is unique within its trace`);
      this.ctx.warn('duplicate', `${this.file}:${span.line}: span ${shownId(span.spanId)} repeats line ${seen.line} exactly; the repeat was dropped (OTLP may deliver data twice: opentelemetry-proto docs/specification.md, "Duplicate Data")`);
      return;
    }
    trace.set(span.spanId, span);
    this.order.push(span);
  }

  private tooLong(lineNo: number, what: string): never {
    throw new SpanReadError(
      { file: this.file, line: lineNo },
      `${what} is longer than ${mib(this.options.maxDocumentBytes)} (maxDocumentBytes), the most parsed as one JSON text; write OTLP as one export per line (as the collector's file exporter does) or raise the limit`,
    );
  }
}

/** "256 MiB", "1 GiB", "120 bytes". */
export function mib(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) if (bytes >= size) return `${Number((bytes / size).toPrecision(3))} ${unit}`;
  return `${bytes} bytes`;
}

/** V8's JSON.parse error as a reason without the input quoted, the offset when it gives one, and whether the text simply ended too soon. */
function jsonProblem(text: string, e: unknown): { reason: string; offset: number | null; column: number | null; incomplete: boolean } {
  const v8 = e instanceof Error ? e.message : String(e);
  const at = /at position (\d+)/.exec(v8);
  const offset = at ? Number(at[1]) : /^Unexpected token/.test(v8) ? locateBadToken(text) : null;
  const reason = v8
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
  const incomplete = /^Unexpected end of JSON input|^Unterminated string/.test(v8) || (offset !== null && offset >= text.trimEnd().length);
  return { reason, offset, column: offset === null ? null : offset + 1, incomplete };
}

/**
 * Where V8's "Unexpected token 'x'" (which gives no position) is: the
 * shortest prefix that fails for another reason than ending too soon ends
 * with the bad character (every shorter prefix is valid JSON cut short).
 * Binary search, so ~log2(n) parses; skipped (null) past 16 MiB.
 */
function locateBadToken(text: string): number | null {
  if (text.length > 16 * 1024 ** 2) return null;
  const cutShort = (k: number) => {
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (e) {
      const m = e instanceof Error ? e.message : '';
      const at = /at position (\d+)/.exec(m);
      return /^Unexpected end of JSON input|^Unterminated string/.test(m) || (at !== null && Number(at[1]) >= k);
    }
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cutShort(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** In a one-document file, the line each span's "spanId" is on (spans appear in order, so the search moves forward). */
function spanLineLocator(text: string, firstLine: number): (spanId: string) => number {
  const key = /"spanId"\s*:\s*"([^"]*)"/g;
  let line = firstLine;
  let counted = 0;
  return (spanId) => {
    for (let m = key.exec(text); m; m = key.exec(text)) {
      if (m[1] !== spanId) continue;
      for (let i = text.indexOf('\n', counted); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
      counted = m.index;
      return line;
    }
    key.lastIndex = counted;
    return line;
  };
}
