/**
 * One line of coordgap's simple JSONL span format – for traces that do not
 * come from OpenTelemetry – as a FitSpan. One span per line:
 *
 *   {"traceId":"req-1","spanId":"a","parentSpanId":null,"name":"invoke_agent support","kind":"internal",
 *    "start":"2025-01-15T10:00:00.000Z","end":"2025-01-15T10:00:04.210Z","status":"ok"}
 *   {"traceId":"req-1","spanId":"b","parentSpanId":"a","name":"chat gpt-4o","operation":"chat",
 *    "start":1736935200120,"end":1736935201950,"inputTokens":812,"outputTokens":164,"ttftMs":310}
 *
 * Required: traceId, spanId (1–128 characters of A–Z a–z 0–9 . _ : -, so hex
 * OTel ids and UUIDs both fit; a span id is unique within its trace), name,
 * start, end (ISO-8601 with a zone, or milliseconds since the epoch as a
 * number – not seconds, not a numeric string). Optional: parentSpanId
 * (null, "" or absent for a root), operation (default: name), kind (0–5 or
 * unspecified/internal/server/client/producer/consumer), status
 * ("unset" | "ok" | "error", or 0 | 1 | 2), inputTokens, outputTokens (whole
 * numbers ≥ 0), ttftMs (time to first token, ms from the span's start, within
 * the span), errorType (a string; makes the span failed, like OTel's
 * error.type), evaluation (true/false or a pass/fail label: the result was
 * right / wrong). Unknown fields are ignored with a warning (a misspelt
 * field would otherwise vanish).
 */
import { didYouMean } from '../../sim/scenario/index.js';
import type { FitSpan } from '../../sim/fit/index.js';
import { labelVerdict } from './genai-attributes.js';
import type { RecordContext } from './record-context.js';
import { describeValue } from './span-read-error.js';
import { asDate, isoToMs, unitByMagnitude } from './time-units.js';

/** The fields of the format, in the order the README lists them. */
export const JSONL_FIELDS = ['traceId', 'spanId', 'parentSpanId', 'name', 'operation', 'kind', 'start', 'end', 'status', 'inputTokens', 'outputTokens', 'ttftMs', 'errorType', 'evaluation'] as const;

const KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_NAMES = ['unset', 'ok', 'error'];
const ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when a parsed line looks like a JSONL span rather than something else. */
export function looksLikeJsonlSpan(record: Record<string, unknown>): boolean {
  return 'spanId' in record && 'traceId' in record;
}

/** One JSONL span. */
export function jsonlSpan(record: Record<string, unknown>, ctx: RecordContext): FitSpan {
  const spanIdRaw = typeof record.spanId === 'string' ? record.spanId : null;
  const fail = (field: string, reason: string): never => ctx.fail(reason, { spanId: spanIdRaw, field });

  for (const key of Object.keys(record)) {
    if ((JSONL_FIELDS as readonly string[]).includes(key)) continue;
    const guess = didYouMean(key, JSONL_FIELDS);
    ctx.warn(`jsonl-unknown:${key}`, `${ctx.file}:${ctx.line}: field ${describeValue(key)} is not part of the JSONL span format and was ignored${guess ? `; did you mean "${guess}"?` : ` (the fields are ${JSONL_FIELDS.join(', ')})`}`);
  }
  const id = (field: 'traceId' | 'spanId' | 'parentSpanId'): string | null => {
    const v = record[field];
    if (field === 'parentSpanId' && (v === undefined || v === null || v === '')) return null;
    if (typeof v !== 'string' || !ID.test(v))
      return fail(field, `expected an id of 1–128 characters from A–Z a–z 0–9 . _ : - ("4bf92f3577b34da6a3ce929d0e0e4736", "req-17"); got ${describeValue(v)}${v === undefined ? ` – ${field} is required` : ''}`);
    return v;
  };
  const traceId = id('traceId')!;
  const spanId = id('spanId')!;
  const parentSpanId = id('parentSpanId');
  if (typeof record.name !== 'string' || record.name === '') fail('name', `expected the span's name (a non-empty string, e.g. "chat gpt-4o"); got ${describeValue(record.name)}`);
  const name = record.name as string;
  if (record.operation !== undefined && record.operation !== null && (typeof record.operation !== 'string' || record.operation === ''))
    fail('operation', `expected a non-empty string (e.g. "chat", "execute_tool") or no operation at all (then the name is used); got ${describeValue(record.operation)}`);

  const startMs = epochMs(record.start, 'start', fail, ctx);
  const endMs = epochMs(record.end, 'end', fail, ctx);
  if (endMs < startMs) fail('end', `the span ends ${round(startMs - endMs)} ms before it starts (start ${describeValue(record.start)}, end ${describeValue(record.end)}); end must be at or after start`);

  const tokens = (field: 'inputTokens' | 'outputTokens'): number | null => {
    const v = record[field];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    return fail(field, `expected a whole number of tokens ≥ 0; got ${describeValue(v)}`);
  };
  let ttftMs: number | null = null;
  if (record.ttftMs !== undefined && record.ttftMs !== null) {
    const v = record.ttftMs;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail('ttftMs', `expected milliseconds ≥ 0 from the span's start to its first token; got ${describeValue(v)}`);
    if ((v as number) > endMs - startMs + 1e-9) fail('ttftMs', `${v as number} ms is longer than the span itself (${round(endMs - startMs)} ms); the first token comes within the span (ttftMs is in milliseconds)`);
    ttftMs = v as number;
  }
  const errorTypeRaw = record.errorType;
  if (errorTypeRaw !== undefined && errorTypeRaw !== null && typeof errorTypeRaw !== 'string') fail('errorType', `expected a string ("timeout", "429", "RateLimitError") or null; got ${describeValue(errorTypeRaw)}`);
  const errorType = typeof errorTypeRaw === 'string' && errorTypeRaw !== '' ? errorTypeRaw : null;
  let evaluationPassed: boolean | null = null;
  if (record.evaluation !== undefined && record.evaluation !== null) {
    const verdict = labelVerdict(record.evaluation);
    if (verdict === undefined) fail('evaluation', `expected true/false or a pass/fail label ("pass", "fail", "correct", "incorrect"); got ${describeValue(record.evaluation)}`);
    evaluationPassed = verdict!;
  }
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    operation: typeof record.operation === 'string' ? record.operation : name,
    kind: enumValue(record.kind, KIND_NAMES, 'kind', 0, fail),
    startMs,
    endMs,
    error: enumValue(record.status, STATUS_NAMES, 'status', 0, fail) === 2 || errorType !== null,
    errorType,
    inputTokens: tokens('inputTokens'),
    outputTokens: tokens('outputTokens'),
    ttftMs,
    evaluationPassed,
    line: ctx.line,
  };
}

/** start/end: ISO-8601 with a zone, or epoch milliseconds as a number (other units refused, naming the one detected). */
function epochMs(raw: unknown, field: string, fail: (field: string, reason: string) => never, ctx: RecordContext): number {
  const valid = 'give milliseconds since the epoch as a number (1736935200120) or an ISO-8601 time with a zone ("2025-01-15T10:00:00.120Z")';
  if (raw === undefined || raw === null) return fail(field, `missing; ${valid}`);
  let ms: number;
  if (typeof raw === 'string') {
    const parsed = isoToMs(raw);
    if (parsed === null) return fail(field, `${describeValue(raw)} is not an ISO-8601 time with a zone${/^\d+(\.\d+)?$/.test(raw) ? ' (a number in quotes?)' : /T\d\d:\d\d/.test(raw) ? ' (add Z or an offset such as +02:00: a local time is ambiguous)' : ''}; ${valid}`);
    ms = parsed;
  } else if (typeof raw === 'number' && Number.isFinite(raw)) {
    const unit = unitByMagnitude(Math.abs(raw));
    if (unit !== 'milliseconds') {
      const others = ctx.firstTimeLine !== null ? `; the times read before it are in milliseconds (the first on line ${ctx.firstTimeLine})` : '';
      const detected = unit ? `looks like ${unit} since the epoch (${asDate(raw, unit)} if so), not milliseconds` : 'is not an epoch time in milliseconds (it would be before 1973)';
      return fail(field, `${raw} ${detected}${others}; ${valid}`);
    }
    ms = raw;
  } else return fail(field, `${describeValue(raw)}: ${valid}`);
  ctx.firstTimeLine ??= ctx.line;
  return ms;
}

/** An enum given as its number or (case-insensitive) name, OTLP's SPAN_KIND_/STATUS_CODE_ prefixes allowed. */
function enumValue(raw: unknown, names: readonly string[], field: string, absent: number, fail: (field: string, reason: string) => never): number {
  if (raw === undefined || raw === null) return absent;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw < names.length) return raw;
  if (typeof raw === 'string') {
    const i = names.indexOf(raw.toLowerCase().replace(/^(span_kind_|status_code_)/, ''));
    if (i >= 0) return i;
  }
  return fail(field, `expected one of ${names.map((n, i) => `"${n}" (${i})`).join(', ')}; got ${describeValue(raw)}`);
}

function round(x: number): number {
  return Number(x.toPrecision(3));
}
