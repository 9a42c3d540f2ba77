/**
 * The span reader on hand-written files that follow the published formats
 * (fixtures/README.md says which). Expected values are read off the fixture
 * text: times are the nanosecond strings / 1e6, tokens the attributes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import type { FitSpan } from '../../sim/fit/index.js';
import { parseSpanLines, readSpansFile } from './read-spans.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);
const lines = (name: string) => readFileSync(fixture(name), 'utf8').split('\n');
const TMP = mkdtempSync(join(tmpdir(), 'coordgap-read-spans-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A FitSpan with the defaults of a span that carries nothing optional. */
function span(s: Partial<FitSpan> & Pick<FitSpan, 'traceId' | 'spanId' | 'name' | 'startMs' | 'endMs' | 'line'>): FitSpan {
  return { parentSpanId: null, operation: s.name, kind: 0, error: false, errorType: null, inputTokens: null, outputTokens: null, ttftMs: null, evaluationPassed: null, ...s };
}

const T0 = 1736935200000; // 2025-01-15T10:00:00Z in ms

describe('OTLP: the GenAI conventions example (one pretty-printed document)', () => {
  const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
  const root = '00f067aa0ba902b7';
  const expected: FitSpan[] = [
    span({ traceId: trace, spanId: root, name: 'invoke_agent travel-planner', operation: 'invoke_agent', kind: 1, startMs: T0, endMs: T0 + 4210, evaluationPassed: true, line: 15 }),
    span({ traceId: trace, spanId: 'b7ad6b7169203331', parentSpanId: root, name: 'chat gpt-4o', operation: 'chat', kind: 3, startMs: T0 + 120, endMs: T0 + 1950, inputTokens: 812, outputTokens: 164, ttftMs: 310, line: 41 }),
    span({ traceId: trace, spanId: '5fb397be34d26b51', parentSpanId: root, name: 'execute_tool get_weather', operation: 'execute_tool', kind: 1, startMs: T0 + 1960, endMs: T0 + 2410, line: 60 }),
    span({ traceId: trace, spanId: '6e0c63257de34c92', parentSpanId: root, name: 'execute_tool get_flights', operation: 'execute_tool', kind: 1, startMs: T0 + 2420, endMs: T0 + 3420, error: true, errorType: 'timeout', line: 74 }),
    span({ traceId: trace, spanId: 'd75597dee50b0cac', parentSpanId: root, name: 'chat gpt-4o', operation: 'chat', kind: 3, startMs: T0 + 3430, endMs: T0 + 4200, inputTokens: 1030, outputTokens: 95, ttftMs: 280, line: 89 }),
  ];

  it('reads every span with its GenAI fields, and the line its spanId is on', () => {
    const result = parseSpanLines(lines('genai-agent-trace.json'), 'genai-agent-trace.json');
    expect(result.format).toBe('otlp');
    expect(result.warnings).toEqual([]);
    // 0.31 s and 0.28 s are not exact in binary; compare TTFT to the microsecond.
    expect(result.spans.map((s) => ({ ...s, ttftMs: s.ttftMs === null ? null : Math.round(s.ttftMs * 1000) / 1000 }))).toEqual(expected);
  });

  it('reads the same from the file, as a stream', async () => {
    const fromFile = await readSpansFile(fixture('genai-agent-trace.json'));
    expect(fromFile).toEqual(parseSpanLines(lines('genai-agent-trace.json'), fixture('genai-agent-trace.json')));
  });
});

describe('OTLP: the collector file exporter (one export per line)', () => {
  it('joins a trace split over two lines, lower-cases hex ids, reads enum names and numbers as well as strings', async () => {
    const result = await readSpansFile(fixture('collector-file-exporter.jsonl'), { shownAs: 'collector.jsonl' });
    expect(result.format).toBe('otlp');
    expect(result.warnings).toEqual([]);
    const a = '5b8efff798038103d269b633813fc60c';
    const b = '1d8e4a0e9c5b4f3a8a2f6c7e0b9d1234';
    expect(result.spans.map((s) => [s.traceId, s.spanId, s.parentSpanId, s.operation, s.kind, s.startMs - T0, s.endMs - T0, s.error, s.errorType, s.inputTokens, s.outputTokens, s.line])).toEqual([
      [a, 'eee19b7ec3c1b174', null, 'invoke_agent', 1, 0, 2500, false, null, null, null, 1],
      [a, 'eee19b7ec3c1b175', 'eee19b7ec3c1b174', 'chat', 3, 50, 1250, false, null, 640, 120, 1],
      [a, 'eee19b7ec3c1b176', 'eee19b7ec3c1b174', 'retrieval', 3, 1260, 1480, false, null, null, null, 2],
      [b, 'a1b2c3d4e5f60718', null, 'invoke_agent', 1, 60000, 63000, false, null, null, null, 2],
      [b, 'a1b2c3d4e5f60719', 'a1b2c3d4e5f60718', 'chat', 3, 60010, 60910, false, null, 300, 42, 2],
      [b, 'a1b2c3d4e5f6071a', 'a1b2c3d4e5f60718', 'execute_tool', 1, 60920, 62920, true, '429', null, null, 3],
    ]);
  });
});

describe('the JSONL span format', () => {
  it('reads ISO-8601 times in any zone and epoch milliseconds, names, statuses and labels', async () => {
    const result = await readSpansFile(fixture('simple-spans.jsonl'), { shownAs: 'simple-spans.jsonl' });
    expect(result.format).toBe('jsonl');
    expect(result.warnings).toEqual([]);
    expect(result.spans).toEqual([
      span({ traceId: 'req-1', spanId: 'a', name: 'invoke_agent support', operation: 'invoke_agent', kind: 1, startMs: T0, endMs: T0 + 4210, evaluationPassed: true, line: 1 }),
      span({ traceId: 'req-1', spanId: 'b', parentSpanId: 'a', name: 'chat gpt-4o', operation: 'chat', kind: 3, startMs: T0 + 120, endMs: T0 + 1950, inputTokens: 812, outputTokens: 164, ttftMs: 310, line: 2 }),
      span({ traceId: 'req-1', spanId: 'c', parentSpanId: 'a', name: 'execute_tool search', operation: 'execute_tool', startMs: T0 + 1960, endMs: T0 + 3100, error: true, errorType: 'timeout', line: 3 }),
      span({ traceId: 'req-2', spanId: 'a', name: 'invoke_agent support', operation: 'invoke_agent', startMs: T0 + 60000, endMs: T0 + 61500.5, evaluationPassed: false, line: 5 }),
    ]);
  });

  it('warns of a field the format does not have, with the one meant', () => {
    const result = parseSpanLines(['{"traceId":"t","spanId":"s","name":"chat","start":1736935200000,"end":1736935200100,"inputToken":5}'], 'x.jsonl');
    expect(result.warnings).toEqual(['x.jsonl:1: field "inputToken" is not part of the JSONL span format and was ignored; did you mean "inputTokens"?']);
    expect(result.spans[0].inputTokens).toBeNull();
  });
});

describe('100,000 spans, streamed', () => {
  it('reads a 100,000-span collector file whole and right; heap growth is reported, not asserted', async () => {
    const traces = 20_000;
    const perTrace = 5;
    const path = join(TMP, 'big.jsonl');
    const out: string[] = [];
    const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
    const base = 1736935200000000000n;
    // 100 traces (500 spans) per line, as batches of the collector's file exporter.
    for (let batch = 0; batch < traces / 100; batch++) {
      const spans = [];
      for (let t = batch * 100; t < (batch + 1) * 100; t++) {
        const traceId = hex(t + 1, 32);
        const start = base + BigInt(t) * 1_000_000_000n;
        for (let k = 0; k < perTrace; k++) {
          const s = start + BigInt(k) * 10_000_000n;
          spans.push({
            traceId,
            spanId: hex(t * perTrace + k + 1, 16),
            parentSpanId: k === 0 ? '' : hex(t * perTrace + 1, 16),
            name: k === 0 ? 'invoke_agent a' : 'chat m',
            kind: k === 0 ? 1 : 3,
            startTimeUnixNano: String(s),
            endTimeUnixNano: String(s + (k === 0 ? 900_000_000n : 5_000_000n)),
            attributes: k === 0 ? [] : [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }, { key: 'gen_ai.usage.output_tokens', value: { intValue: String(k * 10) } }],
          });
        }
      }
      out.push(JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ scope: { name: 'gen' }, spans }] }] }));
    }
    writeFileSync(path, out.join('\n') + '\n');
    const fileBytes = readFileSync(path).length;

    out.length = 0;
    // A report figure only (no assertion): heap before, at its peak during the read (sampled), and kept after it, each after a full GC.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Garbage still referenced from settled promises and stream internals goes only after a few turns of the event loop.
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        gc();
      }
    };
    await settle();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 2);
    const result = await readSpansFile(path);
    clearInterval(sampler);
    await settle();
    const heapKept = process.memoryUsage().heapUsed;
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    console.log(`[report figure] 100,000 spans from a ${mb(fileBytes)} file: heap +${mb(heapPeak - heapBefore)} at the sampled peak, +${mb(heapKept - heapBefore)} kept (the spans) after GC`);

    expect(result.format).toBe('otlp');
    expect(result.warnings).toEqual([]);
    expect(result.spans).toHaveLength(traces * perTrace);
    expect(new Set(result.spans.map((s) => s.traceId)).size).toBe(traces);
    const last = result.spans[result.spans.length - 1];
    expect(last).toEqual(
      span({ traceId: hex(traces, 32), spanId: hex(traces * perTrace, 16), parentSpanId: hex((traces - 1) * perTrace + 1, 16), name: 'chat m', operation: 'chat', kind: 3, startMs: T0 + (traces - 1) * 1000 + 40, endMs: T0 + (traces - 1) * 1000 + 45, outputTokens: 40, line: traces / 100 }),
    );
    expect(result.spans.filter((s) => s.parentSpanId === null)).toHaveLength(traces);
  });
});
