/**
 * The OTLP JSON encoding of traces, as far as the span exporter writes it:
 * one `ExportTraceServiceRequest` (`{"resourceSpans":[…]}`) per line.
 *
 * Sources (read, not guessed):
 * - opentelemetry-proto `docs/specification.md`, "JSON Protobuf Encoding":
 *   proto3's JSON mapping with lowerCamelCase keys, except that `traceId` and
 *   `spanId` are hex strings (not base64) and enum values are integers; 64-bit
 *   integers (`fixed64` times, `int64` intValue) are decimal strings.
 * - opentelemetry-proto `opentelemetry/proto/trace/v1/trace.proto`: trace id
 *   16 bytes, span id 8 bytes; SpanKind 1 INTERNAL … 3 CLIENT; Status code
 *   0 UNSET, 1 OK, 2 ERROR; `Span.Event {timeUnixNano, name, attributes}`.
 * - OpenTelemetry specification, "OpenTelemetry Protocol File Exporter"
 *   (specs/otel/protocol/file-exporter): a JSON lines file (UTF-8, one JSON
 *   value per line, `\n` between them, extension `.jsonl`) of top-level
 *   `TracesData` – the layout the collector's file exporter writes, and the
 *   one `coordgap fit` reads back.
 */
import { createHash } from 'node:crypto';

/** The SpanKind numbers trace.proto gives. */
export const SPAN_KIND_INTERNAL = 1;
export const SPAN_KIND_CLIENT = 3;

/** The Status codes trace.proto gives (UNSET is written as an empty status, as proto3 JSON omits defaults). */
export const STATUS_CODE_ERROR = 2;

/** An attribute's value: OTLP's AnyValue, for the four scalar kinds the exporter writes. */
export type OtlpAnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes: OtlpKeyValue[];
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  /** Absent on a trace's root (proto3 JSON leaves an empty field out). */
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events?: OtlpEvent[];
  /** `{}` for UNSET; `{code: 2, message}` for ERROR. */
  status: { code?: number; message?: string };
}

/** A plain attribute value, typed the way OTLP's AnyValue types it. */
export type AttributeValue = string | number | boolean;

/**
 * `{key, value}` with the AnyValue field for the value's type: a whole
 * number is an `intValue` (a decimal string: int64 in proto3 JSON), any
 * other number a `doubleValue`. `double` forces a `doubleValue` (a score of 1.0).
 */
export function attribute(key: string, value: AttributeValue, double = false): OtlpKeyValue {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (!double && Number.isSafeInteger(value)) return { key, value: { intValue: String(value) } };
  return { key, value: { doubleValue: value } };
}

/** 2025-01-01T00:00:00Z: simulated time 0 of every export, so the same run exports the same timestamps. */
export const EXPORT_EPOCH_MS = Date.UTC(2025, 0, 1);

/**
 * Simulated ms as OTLP's `fixed64` Unix nanoseconds, a decimal string:
 * `epochMs` + `timeMs`, rounded to the nanosecond. BigInt keeps the sum
 * exact (1.7e18 ns is past 2^53); the simulated part is exact to the
 * nanosecond up to 2^53 ns ≈ 104 days of simulated time.
 */
export function unixNano(timeMs: number, epochMs = EXPORT_EPOCH_MS): string {
  return (BigInt(epochMs) * 1_000_000n + BigInt(Math.round(timeMs * 1e6))).toString();
}

/** The first `hexDigits` of sha256 over the parts, joined by NUL (so "a","bc" ≠ "ab","c"). */
function digest(hexDigits: number, parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.map(String).join('\0')).digest('hex').slice(0, hexDigits);
}

/**
 * A request's trace id: 32 hex digits (16 bytes, trace.proto) derived from
 * the scenario's name, the seed and the request's index – the same run
 * exports the same ids, and two scenarios or seeds do not collide.
 */
export function traceIdOf(scenario: string, seed: number | string, request: number): string {
  return digest(32, ['coordgap-trace', scenario, seed, request]);
}

/** A span's id within trace `traceId`: 16 hex digits (8 bytes) from the trace id and the span's serial (0: the root). */
export function spanIdOf(traceId: string, serial: number): string {
  return digest(16, ['coordgap-span', traceId, serial]);
}

/**
 * One line of the file: an ExportTraceServiceRequest holding one resource,
 * one instrumentation scope and `spans` (one trace), then `\n`.
 */
export function exportRequestLine(resource: readonly OtlpKeyValue[], scope: { name: string; version: string }, spans: readonly OtlpSpan[]): string {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope, spans }] }] }) + '\n';
}
