/**
 * OTLP attribute lists decoded, and the GenAI fields the fit uses read from
 * them. Every attribute name here is quoted from its source:
 *
 * - AnyValue (open-telemetry/opentelemetry-proto opentelemetry/proto/common/v1/common.proto):
 *   `{ "key": "k", "value": { "stringValue" | "boolValue" | "intValue" | "doubleValue"
 *   | "arrayValue": { "values": [AnyValue] } | "kvlistValue": { "values": [KeyValue] }
 *   | "bytesValue" } }`; intValue is 64-bit, so a decimal string or a number.
 * - OpenTelemetry GenAI semantic conventions (open-telemetry/semantic-conventions,
 *   docs/registry/attributes/gen-ai.md and docs/gen-ai/*.md as of 953276f, since
 *   moved to open-telemetry/semantic-conventions-genai):
 *   `gen_ai.operation.name` (well-known values chat, create_agent, embeddings,
 *   execute_tool, generate_content, invoke_agent, invoke_workflow, retrieval,
 *   text_completion); `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`
 *   (int), with the deprecated `gen_ai.usage.prompt_tokens` /
 *   `gen_ai.usage.completion_tokens` they replaced; `gen_ai.response.time_to_first_chunk`
 *   ("Time to first chunk in a streaming response, measured from request
 *   issuance, in seconds", double); the event `gen_ai.evaluation.result` with
 *   `gen_ai.evaluation.score.label` (examples relevant, not_relevant, correct,
 *   incorrect, pass, fail; docs/gen-ai/gen-ai-events.md).
 * - `error.type` (stable; docs/registry/attributes/error.md): "Describes a class
 *   of error the operation ended with … If the operation has completed
 *   successfully, instrumentations SHOULD NOT set error.type."
 * - OpenInference (Arize-ai/openinference spec/semantic_conventions.md, what
 *   Phoenix exports): `llm.token_count.prompt`, `llm.token_count.completion`,
 *   `evaluation.label`.
 * - Langfuse's OTel attribute `langfuse.observation.completion_start_time`
 *   (an ISO-8601 time, sometimes JSON-quoted) – the first token's time, as the
 *   Langfuse SDKs set it (seen in their Go and Python instrumentations).
 * - coordgap's own: `coordgap.evaluation.passed` (bool; what `run --export-otel`
 *   writes beside the semconv event, export-spans.ts) and `evaluation`
 *   (true/false or a label, for hand-made files).
 */
import { isoToMs } from './time-units.js';

/** A decoded attribute value. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

/** Throws at `field` with `reason` (the caller adds file, line and span). */
export type Fail = (field: string, reason: string) => never;

/** One AnyValue as a plain value; an empty `{}` (no value set) is null. */
export function decodeAnyValue(raw: unknown, field: string, fail: Fail): AttrValue {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(field, 'expected an AnyValue object ({ "stringValue": … }, { "intValue": … } …)');
  const v = raw as Record<string, unknown>;
  if ('stringValue' in v) return typeof v.stringValue === 'string' ? v.stringValue : fail(`${field}.stringValue`, 'expected a string');
  if ('boolValue' in v) return typeof v.boolValue === 'boolean' ? v.boolValue : fail(`${field}.boolValue`, 'expected true or false');
  if ('intValue' in v) {
    const i = v.intValue;
    if (typeof i === 'number' && Number.isInteger(i)) return i;
    if (typeof i === 'string' && /^-?\d{1,20}$/.test(i)) return Number(i);
    return fail(`${field}.intValue`, 'expected an integer (a decimal string or a number)');
  }
  if ('doubleValue' in v) {
    const d = v.doubleValue;
    if (typeof d === 'number') return d;
    // proto3's JSON mapping writes the non-finite doubles as these strings.
    if (d === 'NaN' || d === 'Infinity' || d === '-Infinity') return Number(d);
    if (typeof d === 'string' && d.trim() !== '' && Number.isFinite(Number(d))) return Number(d);
    return fail(`${field}.doubleValue`, 'expected a number');
  }
  if ('arrayValue' in v) {
    const values = (v.arrayValue as { values?: unknown } | null)?.values ?? [];
    if (!Array.isArray(values)) return fail(`${field}.arrayValue.values`, 'expected a list of AnyValue');
    return values.map((item, i) => decodeAnyValue(item, `${field}.arrayValue.values[${i}]`, fail));
  }
  if ('kvlistValue' in v) {
    const values = (v.kvlistValue as { values?: unknown } | null)?.values ?? [];
    return Object.fromEntries(decodeAttributes(values, `${field}.kvlistValue.values`, fail));
  }
  if ('bytesValue' in v) return typeof v.bytesValue === 'string' ? v.bytesValue : fail(`${field}.bytesValue`, 'expected a base64 string');
  return null;
}

/** A KeyValue list (`attributes`) as a map; absent is empty. */
export function decodeAttributes(raw: unknown, field: string, fail: Fail): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) fail(field, 'expected a list of { "key": …, "value": { … } }');
  (raw as unknown[]).forEach((entry, i) => {
    const kv = entry as { key?: unknown; value?: unknown } | null;
    if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string') fail(`${field}[${i}].key`, 'expected an attribute { "key": "name", "value": { … } }');
    out.set(kv.key, kv.value === undefined || kv.value === null ? null : decodeAnyValue(kv.value, `${field}[${kv.key}]`, fail));
  });
  return out;
}

/** Labels read as "the result was right" / "wrong" (the semconv examples, plus their obvious forms). */
const PASS_LABELS = new Set(['pass', 'passed', 'correct', 'relevant', 'true', 'yes']);
const FAIL_LABELS = new Set(['fail', 'failed', 'incorrect', 'not_relevant', 'irrelevant', 'false', 'no']);

/** true / false for a pass-or-fail label or boolean; undefined for anything else. */
export function labelVerdict(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const l = value.trim().toLowerCase();
  return PASS_LABELS.has(l) ? true : FAIL_LABELS.has(l) ? false : undefined;
}

/** Several evaluations of one span: any fail makes it failed (a wrong answer by any evaluator's measure); none readable is null. */
export function combineVerdicts(verdicts: readonly boolean[]): boolean | null {
  if (verdicts.length === 0) return null;
  return verdicts.every((v) => v);
}

/** The FitSpan fields that come from attributes and events. */
export interface GenAiFields {
  operation: string | null;
  errorType: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  evaluationPassed: boolean | null;
  /** Labels that were neither pass nor fail (for one aggregated warning). */
  unreadLabels: string[];
}

/** A token count attribute: a whole number ≥ 0, else a message. */
function tokenCount(attrs: Map<string, AttrValue>, names: readonly string[], fail: Fail): number | null {
  for (const name of names) {
    if (!attrs.has(name)) continue;
    const v = attrs.get(name);
    if (v === null) continue;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    fail(`attributes[${name}]`, `expected a whole number of tokens ≥ 0 (an intValue); got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : JSON.stringify(v)?.slice(0, 40)}`);
  }
  return null;
}

/**
 * The GenAI fields of one OTLP span from its attributes and events.
 * @param startMs, endMs the span's times (TTFT is checked against them)
 */
export function genAiFields(attrs: Map<string, AttrValue>, events: readonly { name: string; attrs: Map<string, AttrValue> }[], startMs: number, endMs: number, fail: Fail): GenAiFields {
  const op = attrs.get('gen_ai.operation.name');
  const errorType = attrs.get('error.type');
  const fields: GenAiFields = {
    operation: typeof op === 'string' && op !== '' ? op : null,
    errorType: errorType === null || errorType === undefined || errorType === '' ? null : String(errorType),
    inputTokens: tokenCount(attrs, ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'], fail),
    outputTokens: tokenCount(attrs, ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'], fail),
    ttftMs: null,
    evaluationPassed: null,
    unreadLabels: [],
  };
  const durationMs = endMs - startMs;
  const ttftSec = attrs.get('gen_ai.response.time_to_first_chunk');
  if (ttftSec !== undefined && ttftSec !== null) {
    const field = 'attributes[gen_ai.response.time_to_first_chunk]';
    if (typeof ttftSec !== 'number' || !Number.isFinite(ttftSec) || ttftSec < 0) fail(field, 'expected seconds ≥ 0 (a doubleValue)');
    const ms = (ttftSec as number) * 1000;
    if (ms > durationMs + 1e-6)
      fail(field, `${ttftSec} s is longer than the span itself (${round(durationMs / 1000)} s); the attribute is in seconds (semconv: "in seconds") – was it written in milliseconds?`);
    fields.ttftMs = ms;
  }
  const completionStart = attrs.get('langfuse.observation.completion_start_time');
  if (fields.ttftMs === null && typeof completionStart === 'string') {
    const field = 'attributes[langfuse.observation.completion_start_time]';
    const at = isoToMs(completionStart.replace(/^"(.*)"$/, '$1'));
    if (at === null) fail(field, 'expected an ISO-8601 time with a zone ("2024-06-10T06:13:20.488Z")');
    const ms = (at as number) - startMs;
    if (ms < -1 || ms > durationMs + 1) fail(field, `the first token at ${completionStart} is ${ms < 0 ? `${round(-ms)} ms before the span starts` : `${round(ms - durationMs)} ms after it ends`}; it must fall within the span`);
    fields.ttftMs = Math.min(Math.max(ms, 0), durationMs);
  }
  const verdicts: boolean[] = [];
  const take = (value: AttrValue | undefined) => {
    if (value === undefined || value === null) return;
    const verdict = labelVerdict(value);
    if (verdict === undefined) fields.unreadLabels.push(String(value));
    else verdicts.push(verdict);
  };
  for (const event of events) if (event.name === 'gen_ai.evaluation.result') take(event.attrs.get('gen_ai.evaluation.score.label'));
  take(attrs.get('evaluation.label'));
  take(attrs.get('coordgap.evaluation.passed'));
  take(attrs.get('evaluation'));
  fields.evaluationPassed = combineVerdicts(verdicts);
  return fields;
}

/** 3 significant digits for a message. */
export function round(x: number): number {
  return Number(x.toPrecision(3));
}
