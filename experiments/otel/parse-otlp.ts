/**
 * One OTLP/JSON trace export (an ExportTraceServiceRequest / TracesData) as
 * FitSpans. The layout, from open-telemetry/opentelemetry-proto
 * (opentelemetry/proto/collector/trace/v1/trace_service.proto, trace/v1/trace.proto,
 * examples/trace.json) and its JSON encoding (docs/specification.md, "JSON
 * Protobuf Encoding"):
 *
 *   { "resourceSpans": [ { "resource": { "attributes": [...] },
 *       "scopeSpans": [ { "scope": { "name": "…" },
 *         "spans": [ { "traceId": "5B8EFFF798038103D269B633813FC60C",   // 16 bytes, hex, case-insensitive
 *                      "spanId": "EEE19B7EC3C1B174",                    // 8 bytes, hex
 *                      "parentSpanId": "EEE19B7EC3C1B173",              // "" or absent for a root
 *                      "name": "chat gpt-4o", "kind": 3,                // SpanKind as an integer
 *                      "startTimeUnixNano": "1544712660000000000",      // decimal string or number
 *                      "endTimeUnixNano": 1544712661000000000,
 *                      "attributes": [ { "key": "gen_ai.operation.name", "value": { "stringValue": "chat" } } ],
 *                      "events": [ { "timeUnixNano": "…", "name": "…", "attributes": [...] } ],
 *                      "status": { "code": 2, "message": "…" } } ] } ] } ] }
 *
 * - "An ID with all zeroes OR of length other than 16 [8] bytes is considered
 *   invalid (empty string in OTLP/JSON is zero-length and thus is also
 *   invalid)" (trace.proto): refused. Ids in protobuf's standard base64 form
 *   (some exporters write them; the spec says hex) are read, with a warning.
 * - "only integer enum values are allowed in OTLP JSON"; enum names
 *   ("SPAN_KIND_CLIENT", "STATUS_CODE_ERROR"), which some exporters write
 *   anyway, are read too.
 * - Status code 0 unset, 1 ok, 2 error; no status means unset (trace.proto).
 * - Unknown fields are ignored, as "OTLP/JSON receivers MUST ignore message
 *   fields with unknown names" (docs/specification.md).
 */
import type { FitSpan } from '../../sim/fit/index.js';
import { decodeAttributes, genAiFields, type AttrValue, type Fail } from './genai-attributes.js';
import type { RecordContext } from './record-context.js';
import { describeValue } from './span-read-error.js';
import { asDate, nanosToMs, unitByMagnitude } from './time-units.js';

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** The spans of one export; `doc` has a `resourceSpans` key. */
export function otlpSpans(doc: Record<string, unknown>, ctx: RecordContext): FitSpan[] {
  const out: FitSpan[] = [];
  const resourceSpans = doc.resourceSpans;
  if (!Array.isArray(resourceSpans)) ctx.fail(`expected a list of { "scopeSpans": [...] }; got ${describeValue(resourceSpans)}`, { field: 'resourceSpans' });
  (resourceSpans as unknown[]).forEach((rs, r) => {
    const scopeSpans = (rs as { scopeSpans?: unknown } | null)?.scopeSpans;
    if (scopeSpans === undefined) {
      ctx.warn('no-scopeSpans', `${ctx.file}:${ctx.line}: resourceSpans[${r}] has no "scopeSpans"; nothing was read from it (OTLP 1.0 puts spans under resourceSpans[].scopeSpans[].spans[])`);
      return;
    }
    if (!Array.isArray(scopeSpans)) ctx.fail(`expected a list; got ${describeValue(scopeSpans)}`, { field: `resourceSpans[${r}].scopeSpans` });
    (scopeSpans as unknown[]).forEach((ss, s) => {
      const spans = (ss as { spans?: unknown } | null)?.spans;
      if (spans === undefined) return; // an empty envelope: "receivers MAY ignore empty envelopes"
      const where = `resourceSpans[${r}].scopeSpans[${s}].spans`;
      if (!Array.isArray(spans)) ctx.fail(`expected a list of spans; got ${describeValue(spans)}`, { field: where });
      (spans as unknown[]).forEach((raw, i) => out.push(otlpSpan(raw, `${where}[${i}]`, ctx)));
    });
  });
  return out;
}

/** One Span message as a FitSpan. */
function otlpSpan(raw: unknown, where: string, ctx: RecordContext): FitSpan {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) ctx.fail(`expected a span object; got ${describeValue(raw)}`, { field: where });
  const span = raw as Record<string, unknown>;
  const spanIdRaw = typeof span.spanId === 'string' ? span.spanId : null;
  if (ctx.lineOfSpan && spanIdRaw) ctx.line = ctx.lineOfSpan(spanIdRaw);
  const fail: Fail = (field, reason) => ctx.fail(reason, { spanId: spanIdRaw, field });

  const spanId = hexId(span.spanId, 8, 'spanId', fail, ctx)!;
  const traceId = hexId(span.traceId, 16, 'traceId', fail, ctx)!;
  const parentSpanId = hexId(span.parentSpanId, 8, 'parentSpanId', fail, ctx);
  if (typeof span.name !== 'string' || span.name === '')
    fail('name', `expected the span's name (a non-empty string, e.g. "chat gpt-4o"); got ${describeValue(span.name)}`);
  const startMs = epochNanos(span.startTimeUnixNano, 'startTimeUnixNano', fail, ctx);
  const endMs = epochNanos(span.endTimeUnixNano, 'endTimeUnixNano', fail, ctx);
  if (endMs < startMs)
    fail('endTimeUnixNano', `the span ends ${round(startMs - endMs)} ms before it starts (start ${String(span.startTimeUnixNano)}, end ${String(span.endTimeUnixNano)}); OTLP expects end_time ≥ start_time`);

  const attrs = decodeAttributes(span.attributes, 'attributes', fail);
  const events = readEvents(span.events, fail);
  const gen = genAiFields(attrs, events, startMs, endMs, fail);
  for (const label of gen.unreadLabels)
    ctx.warn('evaluation-label', `${ctx.file}:${ctx.line}: span ${spanId}: evaluation label ${describeValue(label)} is neither pass nor fail (read: pass, passed, correct, relevant, true / fail, failed, incorrect, not_relevant, false); it was not used`);
  const statusCode = statusOf(span.status, fail);
  return {
    traceId,
    spanId,
    parentSpanId,
    name: span.name as string,
    operation: gen.operation ?? (span.name as string),
    kind: kindOf(span.kind, fail),
    startMs,
    endMs,
    error: statusCode === 2 || gen.errorType !== null,
    errorType: gen.errorType,
    inputTokens: gen.inputTokens,
    outputTokens: gen.outputTokens,
    ttftMs: gen.ttftMs,
    evaluationPassed: gen.evaluationPassed,
    line: ctx.line,
  };
}

/** A hex id of `bytes` bytes, lower-cased; null for an absent or empty parentSpanId. */
function hexId(raw: unknown, bytes: number, field: string, fail: Fail, ctx: RecordContext): string | null {
  const digits = bytes * 2;
  const optional = field === 'parentSpanId';
  if (optional && (raw === undefined || raw === null || raw === '')) return null;
  const what = `${digits} hex digits (${bytes === 8 ? 'an' : 'a'} ${bytes}-byte id; OTLP/JSON writes ids in hex, e.g. "${'5b8efff798038103d269b633813fc60c'.slice(0, digits)}")`;
  if (typeof raw !== 'string' || raw === '') return fail(field, `expected ${what}; got ${describeValue(raw)}${raw === '' ? ' (OTLP: an empty id is invalid)' : ''}`);
  let hex: string;
  if (raw.length === digits && /^[0-9a-f]+$/i.test(raw)) hex = raw.toLowerCase();
  else if (isBase64Of(raw, bytes)) {
    hex = Buffer.from(raw, 'base64').toString('hex');
    ctx.warn('base64-id', `${ctx.file}:${ctx.line}: ${field} ${describeValue(raw)} is base64 (protobuf's standard JSON mapping), not hex as OTLP/JSON specifies; read as base64 (= ${hex})`);
  } else return fail(field, `expected ${what}; got ${describeValue(raw)} (${raw.length} characters)`);
  if (/^0+$/.test(hex)) return fail(field, `${describeValue(raw)} is all zeros, which OTLP calls an invalid id; expected ${what}`);
  return hex;
}

/** Padded standard base64 of exactly `bytes` bytes (24 characters for 16 bytes, 12 for 8). */
function isBase64Of(text: string, bytes: number): boolean {
  if (text.length !== Math.ceil(bytes / 3) * 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  return Buffer.from(text, 'base64').length === bytes;
}

/** A *TimeUnixNano field as ms since the epoch; any other unit is refused, saying which it looks like. */
function epochNanos(raw: unknown, field: string, fail: Fail, ctx: RecordContext): number {
  if (raw === undefined || raw === null) return fail(field, 'missing; every span needs its start and end as nanoseconds since the epoch ("1718000000123456789")');
  const t = nanosToMs(raw);
  if ('problem' in t) return fail(field, `${t.problem}; got ${describeValue(raw)}`);
  if (t.nanos === 0) return fail(field, 'is 0, which OTLP uses for "not set"; every span needs its start and end as nanoseconds since the epoch');
  const unit = unitByMagnitude(t.nanos);
  if (unit !== 'nanoseconds') {
    const others = ctx.firstTimeLine !== null ? `; the times read before it are in nanoseconds (the first on line ${ctx.firstTimeLine})` : '';
    const detected = unit ? `looks like ${unit} since the epoch (${asDate(t.nanos, unit)} if so), not nanoseconds` : 'is not a nanosecond epoch time (before 1973 in any unit)';
    return fail(field, `${String(raw)} ${detected}${others}; OTLP's ${field} is nanoseconds since the epoch (opentelemetry-proto trace.proto) – convert it to nanoseconds`);
  }
  ctx.firstTimeLine ??= ctx.line;
  return t.ms;
}

/** SpanKind: an integer 0–5, or its enum name; absent is 0 (unspecified). */
function kindOf(raw: unknown, fail: Fail): number {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw < SPAN_KINDS.length) return raw;
  if (typeof raw === 'string' && SPAN_KINDS.includes(raw)) return SPAN_KINDS.indexOf(raw);
  return fail('kind', `expected a SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer; got ${describeValue(raw)}`);
}

/** Status code: 0 unset, 1 ok, 2 error (or the enum name); no status is unset. */
function statusOf(raw: unknown, fail: Fail): number {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw !== 'object' || Array.isArray(raw)) return fail('status', `expected { "code": 0 | 1 | 2 }; got ${describeValue(raw)}`);
  const code = (raw as { code?: unknown }).code;
  if (code === undefined || code === null) return 0;
  if (code === 0 || code === 1 || code === 2) return code;
  if (typeof code === 'string' && STATUS_CODES.includes(code)) return STATUS_CODES.indexOf(code);
  return fail('status.code', `expected 0 (unset), 1 (ok) or 2 (error); got ${describeValue(code)}`);
}

/** Span events: name and attributes (the evaluation event is read from them). */
function readEvents(raw: unknown, fail: Fail): { name: string; attrs: Map<string, AttrValue> }[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return fail('events', 'expected a list of { "name": …, "timeUnixNano": …, "attributes": [...] }');
  return raw.map((e, i) => {
    const event = (e ?? {}) as { name?: unknown; attributes?: unknown };
    return { name: typeof event.name === 'string' ? event.name : '', attrs: decodeAttributes(event.attributes, `events[${i}].attributes`, fail) };
  });
}

function round(x: number): number {
  return Number(x.toPrecision(3));
}
