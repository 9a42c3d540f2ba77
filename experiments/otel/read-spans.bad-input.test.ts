/**
 * Bad trace files: each case with the exact message a user sees (file, line,
 * span, field, what would be valid). Inputs are built inline so each case
 * shows the one thing wrong with it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSystemError } from '../safe-files.js';
import { parseSpanLines, readSpansFile, type ReadSpansOptions } from './read-spans.js';
import { SpanReadError } from './span-read-error.js';

const TMP = mkdtempSync(join(tmpdir(), 'coordgap-bad-spans-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const NS0 = 1736935200000000000n; // 2025-01-15T10:00:00Z
const ns = (ms: number) => String(NS0 + BigInt(Math.round(ms * 1e6)));
/** One OTLP span (start/end in ms after 10:00:00Z), with fields replaced or removed (undefined). */
function ospan(spanId: string, parent: string, startMs: number, endMs: number, extra: Record<string, unknown> = {}) {
  return JSON.parse(JSON.stringify({ traceId: TRACE, spanId, parentSpanId: parent, name: 'chat m', kind: 3, startTimeUnixNano: ns(startMs), endTimeUnixNano: ns(endMs), ...extra }));
}
const otlp = (...spans: unknown[]) => JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans }] }] });
/** One JSONL span line (times in ms after 10:00:00Z). */
const T0 = 1736935200000;
const jl = (spanId: string, parent: string | null, startMs: number, endMs: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ traceId: 't', spanId, parentSpanId: parent, name: 'step', start: T0 + startMs, end: T0 + endMs, ...extra });

const VALID = 'expected one JSON object per line: an OTLP trace export {"resourceSpans": [...]} or a span of the JSONL format {"traceId": …, "spanId": …}';
const TIME_VALID = 'give milliseconds since the epoch as a number (1736935200120) or an ISO-8601 time with a zone ("2025-01-15T10:00:00.120Z")';

/** The SpanReadError `f` throws. */
function failure(f: () => unknown): SpanReadError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SpanReadError);
    return e as SpanReadError;
  }
  throw new Error('expected a SpanReadError');
}
const read = (lines: string[], file = 'x.jsonl', options?: ReadSpansOptions) => parseSpanLines(lines, file, options);
const message = (lines: string[], file = 'x.jsonl', options?: ReadSpansOptions) => failure(() => read(lines, file, options)).message;

describe('malformed and truncated JSON', () => {
  it('names line and column of a syntax error', () => {
    const e = failure(() => read([jl('a', null, 0, 10), '{"traceId":"t","spanId":"b",}']));
    expect(e.message).toBe(`x.jsonl:2:29: not valid JSON: Expected double-quoted property name; ${VALID}`);
    expect([e.file, e.line, e.column]).toEqual(['x.jsonl', 2, 29]);
  });

  it('says a truncated last line is a truncated file', async () => {
    const text = `${jl('a', null, 0, 10)}\n{"traceId":"t","spanId":"b","na`;
    const expected = 'x.jsonl:2: the last line ends before its JSON does (Unterminated string): the file looks truncated – cut off while it was being written or copied; the lines before it are whole. Remove the partial last line or copy the file again';
    expect(message(text.split('\n'))).toBe(expected);
    const path = join(TMP, 'cut.jsonl');
    writeFileSync(path, text);
    await expect(readSpansFile(path, { shownAs: 'x.jsonl' })).rejects.toThrow(expected);
  });

  it('finds the column of a bad token V8 gives no position for, and the line inside a one-document file', () => {
    expect(message(['{"traceId": "t", "spanId": tru}'])).toBe(`x.jsonl:1:31: not valid JSON: Unexpected token '}'; ${VALID}`);
    expect(message(['{', '  "resourceSpans": [', '    { "scopeSpans": [ } ]', ']}'], 'x.json')).toBe(
      `x.json:3:23: not valid JSON: Unexpected token '}'; expected one OTLP export {"resourceSpans": [...]} (or ${VALID.replace(/^expected /, '')})`,
    );
  });

  it('says a record cut short mid-file is one', () => {
    expect(message([jl('a', null, 0, 10), '{"traceId":"t"', jl('b', 'a', 1, 2)])).toBe(
      `x.jsonl:2: not valid JSON: Expected ',' or '}' after property value, and more lines follow – a record cut short or split over lines; ${VALID}`,
    );
  });

  it('says a one-document file cut short is truncated', () => {
    expect(message(['{', '  "resourceSpans": [', '    { "scopeSpans": ['], 'x.json')).toBe(
      `x.json:1: the JSON document that starts here ends before it closes (Unexpected end of JSON input): the file looks truncated; expected one whole OTLP export {"resourceSpans": [...]}, or ${VALID.replace(/^expected /, '')}`,
    );
  });

  it('refuses an empty file, OTLP metrics, and a mix of the two formats', () => {
    expect(message(['', '  '], 'e.jsonl')).toBe(`e.jsonl: no spans: the file is empty; ${VALID}`);
    expect(message(['{"resourceMetrics":[]}'], 'm.jsonl')).toBe('m.jsonl:1: this is OTLP metrics, not traces; export traces (resourceSpans)');
    expect(message([otlp(ospan('00f067aa0ba902b7', '', 0, 10)), jl('a', null, 0, 10)], 'm.jsonl')).toBe('m.jsonl:2: a JSONL span, but the file began as OTLP (line 1); one file holds one format');
  });
});

describe('fields', () => {
  it('names a missing required field and what it must hold', () => {
    const noStart = ospan('00f067aa0ba902b7', '', 0, 10, { startTimeUnixNano: undefined });
    expect(message([otlp(noStart)], 'o.jsonl')).toBe('o.jsonl:1: span 00f067aa0ba902b7: startTimeUnixNano: missing; every span needs its start and end as nanoseconds since the epoch ("1718000000123456789")');
    expect(message([JSON.stringify({ traceId: 't', spanId: 's', name: 'x', start: T0 })])).toBe(`x.jsonl:1: span s: end: missing; ${TIME_VALID}`);
    expect(message([otlp(ospan('00f067aa0ba902b7', '', 0, 10, { name: '' }))], 'o.jsonl')).toBe(
      'o.jsonl:1: span 00f067aa0ba902b7: name: expected the span\'s name (a non-empty string, e.g. "chat gpt-4o"); got an empty string',
    );
  });

  it('refuses ids of the wrong shape, saying the shape', () => {
    const e = failure(() => read([otlp(ospan('00f067aa0ba902b', '', 0, 10))], 'o.jsonl'));
    expect(e.message).toBe('o.jsonl:1: span 00f067aa0ba902b: spanId: expected 16 hex digits (an 8-byte id; OTLP/JSON writes ids in hex, e.g. "5b8efff798038103"); got "00f067aa0ba902b" (15 characters)');
    expect([e.line, e.spanId, e.field]).toEqual([1, '00f067aa0ba902b', 'spanId']);
    expect(message([otlp(ospan('00f067aa0ba902b7', '', 0, 10, { traceId: '0'.repeat(32) }))], 'o.jsonl')).toBe(
      `o.jsonl:1: span 00f067aa0ba902b7: traceId: "${'0'.repeat(32)}" is all zeros, which OTLP calls an invalid id; expected 32 hex digits (a 16-byte id; OTLP/JSON writes ids in hex, e.g. "5b8efff798038103d269b633813fc60c")`,
    );
    expect(message([jl('a b', null, 0, 10)])).toBe('x.jsonl:1: span "a b": spanId: expected an id of 1–128 characters from A–Z a–z 0–9 . _ : - ("4bf92f3577b34da6a3ce929d0e0e4736", "req-17"); got "a b"');
  });

  it('reads base64 ids (protobuf JSON) with a warning', () => {
    const id = Buffer.from('00f067aa0ba902b7', 'hex').toString('base64');
    const result = read([otlp(ospan(id, '', 0, 10))], 'o.jsonl');
    expect(result.spans[0].spanId).toBe('00f067aa0ba902b7');
    expect(result.warnings).toEqual([`o.jsonl:1: spanId "${id}" is base64 (protobuf's standard JSON mapping), not hex as OTLP/JSON specifies; read as base64 (= 00f067aa0ba902b7)`]);
  });

  it('refuses an end before the start', () => {
    expect(message([otlp(ospan('00f067aa0ba902b7', '', 1000, 500))], 'o.jsonl')).toBe(
      `o.jsonl:1: span 00f067aa0ba902b7: endTimeUnixNano: the span ends 500 ms before it starts (start ${ns(1000)}, end ${ns(500)}); OTLP expects end_time ≥ start_time`,
    );
    expect(message([jl('a', null, 1000, 500)])).toBe(`x.jsonl:1: span a: end: the span ends 500 ms before it starts (start ${T0 + 1000}, end ${T0 + 500}); end must be at or after start`);
  });

  it('refuses a token count that is not a whole number, and a TTFT in ms where seconds belong', () => {
    const tokens = ospan('00f067aa0ba902b7', '', 0, 1830, { attributes: [{ key: 'gen_ai.usage.input_tokens', value: { stringValue: 'many' } }] });
    expect(message([otlp(tokens)], 'o.jsonl')).toBe('o.jsonl:1: span 00f067aa0ba902b7: attributes[gen_ai.usage.input_tokens]: expected a whole number of tokens ≥ 0 (an intValue); got "many"');
    const ttft = ospan('00f067aa0ba902b7', '', 0, 1830, { attributes: [{ key: 'gen_ai.response.time_to_first_chunk', value: { doubleValue: 310 } }] });
    expect(message([otlp(ttft)], 'o.jsonl')).toBe(
      'o.jsonl:1: span 00f067aa0ba902b7: attributes[gen_ai.response.time_to_first_chunk]: 310 s is longer than the span itself (1.83 s); the attribute is in seconds (semconv: "in seconds") – was it written in milliseconds?',
    );
  });
});

describe('units', () => {
  it('says what a time in seconds among nanoseconds looks like', () => {
    const seconds = ospan('b7ad6b7169203331', '00f067aa0ba902b7', 0, 10, { startTimeUnixNano: '1736935200' });
    expect(message([otlp(ospan('00f067aa0ba902b7', '', 0, 100)), otlp(seconds)], 'o.jsonl')).toBe(
      "o.jsonl:2: span b7ad6b7169203331: startTimeUnixNano: 1736935200 looks like seconds since the epoch (2025-01-15T10:00:00.000Z if so), not nanoseconds; the times read before it are in nanoseconds (the first on line 1); OTLP's startTimeUnixNano is nanoseconds since the epoch (opentelemetry-proto trace.proto) – convert it to nanoseconds",
    );
    const millis = ospan('00f067aa0ba902b7', '', 0, 10, { endTimeUnixNano: 1736935200010 });
    expect(message([otlp(millis)], 'o.jsonl')).toBe(
      "o.jsonl:1: span 00f067aa0ba902b7: endTimeUnixNano: 1736935200010 looks like milliseconds since the epoch (2025-01-15T10:00:00.010Z if so), not nanoseconds; the times read before it are in nanoseconds (the first on line 1); OTLP's endTimeUnixNano is nanoseconds since the epoch (opentelemetry-proto trace.proto) – convert it to nanoseconds",
    );
  });

  it('says what a JSONL time in seconds or nanoseconds looks like, and that a local ISO time needs a zone', () => {
    expect(message([jl('a', null, 0, 10), JSON.stringify({ traceId: 't', spanId: 'b', parentSpanId: 'a', name: 's', start: 1736935200, end: T0 + 5 })])).toBe(
      `x.jsonl:2: span b: start: 1736935200 looks like seconds since the epoch (2025-01-15T10:00:00.000Z if so), not milliseconds; the times read before it are in milliseconds (the first on line 1); ${TIME_VALID}`,
    );
    expect(message([JSON.stringify({ traceId: 't', spanId: 'a', name: 's', start: 1736935200000000000, end: T0 })])).toBe(
      `x.jsonl:1: span a: start: 1736935200000000000 looks like nanoseconds since the epoch (2025-01-15T10:00:00.000Z if so), not milliseconds; ${TIME_VALID}`,
    );
    expect(message([JSON.stringify({ traceId: 't', spanId: 'a', name: 's', start: '2025-01-15T10:00:00', end: T0 })])).toBe(
      `x.jsonl:1: span a: start: "2025-01-15T10:00:00" is not an ISO-8601 time with a zone (add Z or an offset such as +02:00: a local time is ambiguous); ${TIME_VALID}`,
    );
  });
});

describe('parent links', () => {
  it('reads a top span whose parent is upstream as the root, with a warning', () => {
    const result = read([otlp(ospan('eee19b7ec3c1b174', 'eee19b7ec3c1b173', 0, 1000), ospan('eee19b7ec3c1b175', 'eee19b7ec3c1b174', 10, 20))], 'o.jsonl');
    expect(result.spans.map((s) => s.parentSpanId)).toEqual([null, 'eee19b7ec3c1b174']);
    expect(result.warnings).toEqual([
      `o.jsonl:1: trace ${TRACE}: its top span eee19b7ec3c1b174 names parent eee19b7ec3c1b173, which is not in the file (a caller in another service, presumably); it was read as the trace's root`,
    ]);
  });

  it('drops a trace that lost spans (warning), or refuses it when asked', () => {
    const lines = [jl('a', null, 0, 100), jl('b', 'lost', 10, 20), jl('c', 'b', 11, 12), JSON.stringify({ traceId: 'u', spanId: 'a', name: 'step', start: T0, end: T0 + 5 })];
    const result = read(lines);
    expect(result.spans.map((s) => `${s.traceId}/${s.spanId}`)).toEqual(['u/a']);
    expect(result.warnings).toEqual([
      'x.jsonl:2: trace t is incomplete: span b names parent lost, which is not in its trace (1 of its 3 spans have no parent in the file: spans lost to sampling, a partial export or a file cut short?); the trace was left out, so every trace fitted is whole',
    ]);
    const e = failure(() => read(lines, 'x.jsonl', { onIncompleteTrace: 'error' }));
    expect(e.message).toBe(
      'x.jsonl:2: span b: parentSpanId: trace t is incomplete: span b names parent lost, which is not in its trace (1 of its 3 spans have no parent in the file: spans lost to sampling, a partial export or a file cut short?); export whole traces, or let incomplete traces be dropped',
    );
  });

  it('refuses a cycle, naming the spans on it', () => {
    expect(message([jl('a', 'b', 0, 10), jl('b', 'a', 0, 10)])).toBe(
      'x.jsonl:1: span a: parentSpanId: trace t: the parent links a (line 1) → b (line 2) → a (line 1) form a cycle; following parentSpanId from any span must end at a root (a span with no parent)',
    );
    expect(message([jl('r', null, 0, 10), jl('s', 's', 1, 2)])).toBe(
      'x.jsonl:2: span s: parentSpanId: trace t: the parent links s (line 2) → s (line 2) form a cycle (the span is its own parent); following parentSpanId from any span must end at a root (a span with no parent)',
    );
  });

  it('refuses a child starting before its parent beyond the skew tolerance (1 ms unless raised)', () => {
    const lines = [jl('a', null, 5, 100), jl('b', 'a', 0, 10)];
    expect(message(lines)).toBe(
      'x.jsonl:2: span b: start: starts 5 ms before its parent a (line 1) starts, beyond the clock-skew tolerance of 1 ms; a child cannot start before its parent – if the two spans come from hosts whose clocks differ, raise the tolerance (clockSkewToleranceMs), otherwise the times are wrong',
    );
    expect(read(lines, 'x.jsonl', { clockSkewToleranceMs: 5 }).spans).toHaveLength(2);
    expect(read([jl('a', null, 0.8, 100), jl('b', 'a', 0, 10)]).spans).toHaveLength(2);
  });

  it('drops an exact repeat (warning) and refuses two different spans under one id', () => {
    const result = read([jl('a', null, 0, 10), jl('a', null, 0, 10)]);
    expect(result.spans).toHaveLength(1);
    expect(result.warnings).toEqual(['x.jsonl:2: span a repeats line 1 exactly; the repeat was dropped (OTLP may deliver data twice: opentelemetry-proto docs/specification.md, "Duplicate Data")']);
    expect(message([jl('a', null, 0, 10), jl('a', null, 0, 11)])).toBe('x.jsonl:2: span a: spanId: the id appears twice in trace t (lines 1 and 2) with different spans; a span id is unique within its trace');
  });
});

describe('size limits and files', () => {
  it('refuses a file over maxBytes before reading it', async () => {
    const path = join(TMP, 'big.jsonl');
    writeFileSync(path, `${jl('a', null, 0, 10)}\n`.repeat(3));
    await expect(readSpansFile(path, { maxBytes: 100, shownAs: 'big.jsonl' })).rejects.toThrow(
      /^big\.jsonl: the file is 3\d\d bytes, over the limit of 100 bytes \(maxBytes\); nothing was read\. Split it \(keeping each trace's spans in one file\) or raise the limit$/,
    );
  });

  it.runIf(existsSync('/proc/cpuinfo'))('stops one byte past maxBytes when the size was not known beforehand (/proc)', async () => {
    await expect(readSpansFile('/proc/cpuinfo', { maxBytes: 100 })).rejects.toThrow(
      "/proc/cpuinfo: the file holds more than the limit of 100 bytes (maxBytes) – it grew while being read, or its size was not known beforehand; nothing was returned. Split it (keeping each trace's spans in one file) or raise the limit",
    );
  });

  it('refuses a line longer than maxDocumentBytes before building it', async () => {
    const path = join(TMP, 'long.jsonl');
    writeFileSync(path, `${jl('a', null, 0, 10)}\n${jl('b', 'a', 0, 10, { name: 'x'.repeat(200) })}\n`);
    await expect(readSpansFile(path, { maxDocumentBytes: 150, shownAs: 'long.jsonl' })).rejects.toThrow(
      "long.jsonl:2: this line is longer than 150 bytes (maxDocumentBytes), the most parsed as one JSON text; write OTLP as one export per line (as the collector's file exporter does) or raise the limit",
    );
  });

  it('refuses what is not a regular file, and a missing one', async () => {
    await expect(readSpansFile(TMP, { shownAs: 'dir' })).rejects.toThrow(new FileSystemError('cannot read trace file dir: it is not a regular file'));
    await expect(readSpansFile(join(TMP, 'none.jsonl'), { shownAs: 'none.jsonl' })).rejects.toThrow('cannot read trace file none.jsonl: ENOENT (no such file or directory)');
  });
});
