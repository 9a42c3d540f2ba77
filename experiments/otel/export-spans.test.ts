/**
 * The span exporter: the file is OTLP JSON lines in the layout the OTLP spec
 * gives (hex ids of 32 and 16 digits, times as decimal strings of
 * nanoseconds, typed attribute values), and what it says agrees with the
 * run's own books, counted by the collector independently of the trace
 * events: spans per stage = attempts started, ERROR spans per kind = the
 * stage's errors, timeouts, caught corruption and provider refusals,
 * evaluation labels = the outcome counts. Same seed → the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioText } from '../load-scenario.js';
import { runReplication, type Model } from '../../sim/path/index.js';
import { exportSpans, exportSpansToFile, DEFAULT_EXPORT_REQUESTS } from './export-spans.js';
import { EXPORT_EPOCH_MS } from './otlp-json.js';

/** A chain with every attempt ending the exporter maps: a tool stage with errors, timeouts and corruption, an LLM call with 529s, validation and a fallback. */
const CHAIN = `name: export-chain
seed: 7
requests: 600
arrivals: { kind: poisson, rate: 20/s }
pools:
  cpu: { servers: 10000 }
  llm: { kind: external, servers: 10000 }
providers:
  openai:
    overload: 0.1
    models:
      gpt-4o: { ttft: 300ms, tpot: 10ms, inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 }
stages:
  - id: retrieval
    pool: cpu
    tool: true
    latency: { dist: uniform, min: 20ms, max: 80ms }
    faults: { error: 0.1, timeout: 0.05, corruption: 0.1 }
    timeout: 1s
    retry: { maxAttempts: 3, backoff: { base: 10ms } }
  - id: answer
    pool: llm
    llm: { provider: openai, model: gpt-4o, inputTokens: 1200, outputTokens: 200 }
    validate: { catchRate: 0.5 }
    retry: { maxAttempts: 2, backoff: { base: 10ms } }
    fallback: answer-small
fallbacks:
  - id: answer-small
    pool: cpu
    latency: 50ms
    faults: { error: 0.2 }
    tokens: { input: 100, output: 50 }
`;

async function load(text: string): Promise<{ model: Model; tools: Set<string> }> {
  const loaded = await loadScenarioText(text, 's.yaml', tmpdir());
  return { model: loaded.model, tools: new Set(loaded.scenario.stages.filter((s) => s.tool === true).map((s) => s.id)) };
}

type Value = { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean };
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Value }[];
  events?: { name: string; timeUnixNano: string; attributes: { key: string; value: Value }[] }[];
  status: { code?: number; message?: string };
}

function attr(span: { attributes: { key: string; value: Value }[] }, key: string): string | number | boolean | undefined {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (v === undefined) return undefined;
  return v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue;
}

function exportText(model: Model, options: Parameters<typeof exportSpans>[2] = {}): { text: string; summary: ReturnType<typeof exportSpans> } {
  const lines: string[] = [];
  const summary = exportSpans(model, (l) => lines.push(l), options);
  return { text: lines.join(''), summary };
}

/** Each line's spans, checked for the layout every line must have. */
function traces(text: string): Span[][] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const doc = JSON.parse(line);
      expect(Object.keys(doc)).toEqual(['resourceSpans']);
      expect(doc.resourceSpans).toHaveLength(1);
      const rs = doc.resourceSpans[0];
      expect(rs.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'export-chain' } });
      expect(rs.scopeSpans).toHaveLength(1);
      expect(rs.scopeSpans[0].scope.name).toBe('coordgap');
      return rs.scopeSpans[0].spans as Span[];
    });
}

describe('exportSpans', () => {
  it('writes one OTLP trace per request whose spans agree with the run’s own counts', async () => {
    const { model, tools } = await load(CHAIN);
    const { text, summary } = exportText(model, { toolStages: tools, maxRequests: 10_000 });
    const all = traces(text);
    const c = runReplication(model, 0);
    expect(all).toHaveLength(600);
    expect(summary).toEqual({ requests: 600, spans: all.reduce((n, t) => n + t.length, 0), unfinished: 0 });

    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    const outcomes: Record<string, number> = {};
    const perStage = new Map<string, Record<string, number>>();
    const count = (stage: string, what: string) => {
      const row = perStage.get(stage) ?? {};
      row[what] = (row[what] ?? 0) + 1;
      perStage.set(stage, row);
    };
    for (const spans of all) {
      const [root, ...children] = spans;
      expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceIds.has(root.traceId)).toBe(false);
      traceIds.add(root.traceId);
      expect(root.parentSpanId).toBeUndefined();
      expect(root.name).toBe('invoke_agent export-chain');
      const outcome = String(attr(root, 'coordgap.outcome'));
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      // The evaluation label: passed for a success only; a silent failure looks fine (status unset) but fails.
      expect(attr(root, 'coordgap.evaluation.passed')).toBe(outcome === 'success');
      const evaluation = root.events!.find((e) => e.name === 'gen_ai.evaluation.result')!;
      expect(attr(evaluation, 'gen_ai.evaluation.score.label')).toBe(outcome === 'success' ? 'pass' : 'fail');
      expect(root.status.code === 2).toBe(outcome !== 'success' && outcome !== 'silentFailure');
      const start = BigInt(root.startTimeUnixNano);
      const end = BigInt(root.endTimeUnixNano);
      expect(start >= BigInt(EXPORT_EPOCH_MS) * 1_000_000n && end >= start).toBe(true);
      for (const s of spans) {
        expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(spanIds.has(s.spanId)).toBe(false);
        spanIds.add(s.spanId);
        expect(s.traceId).toBe(root.traceId);
        expect(s.startTimeUnixNano).toMatch(/^\d+$/);
        expect(s.endTimeUnixNano).toMatch(/^\d+$/);
      }
      for (const s of children) {
        expect(s.parentSpanId).toBe(root.spanId);
        expect(BigInt(s.startTimeUnixNano) >= start && BigInt(s.endTimeUnixNano) <= end).toBe(true);
        const stage = String(attr(s, 'coordgap.stage.id'));
        count(stage, 'attempts');
        const errorType = attr(s, 'error.type');
        expect(s.status.code === 2).toBe(errorType !== undefined);
        if (errorType !== undefined) count(stage, String(errorType));
        if (stage === 'retrieval') {
          expect(s.name).toBe('execute_tool retrieval');
          expect(attr(s, 'gen_ai.tool.name')).toBe('retrieval');
        } else if (stage === 'answer') {
          expect(s.name).toBe('chat gpt-4o');
          expect(s.kind).toBe(3);
          expect(attr(s, 'gen_ai.provider.name')).toBe('openai');
          expect(attr(s, 'gen_ai.request.model')).toBe('gpt-4o');
          // The scenario fixes the tokens: an answered call carries them, a refused one does not.
          expect(attr(s, 'gen_ai.usage.output_tokens')).toBe(errorType === undefined ? 200 : undefined);
        }
      }
    }
    expect(outcomes).toEqual(Object.fromEntries(['success', 'silentFailure', 'failed', 'escalated', 'timedOut', 'rejected'].map((o, i) => [o, c.outcomes[i]]).filter(([, n]) => n !== 0)));
    const ids = [...model.stages, ...model.fallbacks].map((s) => s.id);
    ids.forEach((id, d) => {
      const row = perStage.get(id) ?? {};
      expect({ id, attempts: row.attempts ?? 0, errors: row._OTHER ?? 0, timeouts: row.timeout ?? 0, caught: row.caught_corruption ?? 0, overloaded: row['529'] ?? 0 }).toEqual({
        id,
        attempts: c.defAttempts[d],
        errors: c.defErrors[d],
        timeouts: c.defTimeouts[d],
        caught: c.defCaught[d],
        overloaded: c.defOverloaded[d],
      });
    });
    // The scenario exercises every path it is meant to.
    expect(c.defErrors[0] * c.defTimeouts[0] * c.defCaught[1] * c.defOverloaded[1] * c.defAttempts[2]).toBeGreaterThan(0);
    expect(c.outcomes[1]).toBeGreaterThan(0);
  });

  it('exports the same bytes for the same seed, other ids for another', async () => {
    const { model, tools } = await load(CHAIN);
    const a = exportText(model, { toolStages: tools, maxRequests: 50 }).text;
    expect(exportText(model, { toolStages: tools, maxRequests: 50 }).text).toBe(a);
    const b = exportText(model, { toolStages: tools, maxRequests: 50, seed: 8 }).text;
    expect(b).not.toBe(a);
    expect(traces(b)[0][0].traceId).not.toBe(traces(a)[0][0].traceId);
  });

  it('samples every k-th request up to the cap, and stops the run once they have ended', async () => {
    const { model } = await load(CHAIN);
    const { text, summary } = exportText(model, { maxRequests: 20, every: 3 });
    const indices = traces(text).map((t) => Number(attr(t[0], 'coordgap.request.index')));
    expect([...indices].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => 3 * i));
    expect(summary.requests).toBe(20);
    expect(DEFAULT_EXPORT_REQUESTS).toBe(1000);
  });

  it('gives a hedged copy a span of its own, closed with the attempt it copies', async () => {
    const { model } = await load(`name: export-chain
seed: 5
requests: 300
arrivals: { kind: poisson, rate: 20/s }
pools:
  cpu: { servers: 1000 }
stages:
  - id: search
    pool: cpu
    latency: { dist: uniform, min: 10ms, max: 100ms }
    faults: { error: 0.1 }
    retry: { maxAttempts: 2, backoff: { base: 5ms } }
    hedge: { delay: 60ms }
`);
    const c = runReplication(model, 0);
    const children = traces(exportText(model, { maxRequests: 300 }).text).flatMap((t) => t.slice(1));
    const hedges = children.filter((s) => attr(s, 'coordgap.hedge') === true);
    expect(c.defHedges[0]).toBeGreaterThan(0);
    expect({ spans: children.length, hedges: hedges.length, errors: children.filter((s) => s.status.code === 2).length }).toEqual({
      spans: c.defAttempts[0],
      hedges: c.defHedges[0],
      errors: c.defErrors[0],
    });
    // Each copy ends with the attempt it copied: at the first result of the two.
    for (const h of hedges) {
      const primary = children.find((s) => s.traceId === h.traceId && s !== h && attr(s, 'coordgap.attempt') === attr(h, 'coordgap.attempt') && attr(s, 'coordgap.hedge') === undefined)!;
      expect(h.endTimeUnixNano).toBe(primary.endTimeUnixNano);
      expect(BigInt(h.startTimeUnixNano) - BigInt(primary.startTimeUnixNano)).toBe(60_000_000n);
    }
  });

  it('gives an attempt that timed out in its pool’s queue a span of its time limit', async () => {
    // One server, 100 ms a call, a request every 30 ms: the queue grows until waits pass the 250 ms limit.
    const { model } = await load(`name: export-chain
seed: 3
requests: 60
arrivals: { kind: fixed, interval: 30ms }
pools:
  cpu: { servers: 1 }
stages:
  - { id: slow, pool: cpu, latency: 100ms, timeout: 250ms }
`);
    const c = runReplication(model, 0);
    const timeouts = traces(exportText(model).text)
      .flatMap((t) => t.slice(1))
      .filter((s) => attr(s, 'error.type') === 'timeout');
    expect(timeouts.length).toBe(c.defTimeouts[0]);
    expect(timeouts.length).toBeGreaterThan(0);
    for (const s of timeouts) expect(Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano))).toBeLessThanOrEqual(250e6);
    expect(timeouts.some((s) => BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano) === 250_000_000n)).toBe(true);
  });
});

describe('exportSpansToFile', () => {
  it('writes the file whole, refuses to overwrite without force, and leaves no temporary file', async () => {
    const { model } = await load(CHAIN);
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-otel-'));
    const target = join(dir, 'spans.jsonl');
    const summary = await exportSpansToFile(model, target, { maxRequests: 5, shownAs: 'spans.jsonl' });
    const expected = exportText(model, { maxRequests: 5 }).text;
    expect(readFileSync(target, 'utf8')).toBe(expected);
    expect(summary.requests).toBe(5);
    writeFileSync(target, 'mine\n');
    await expect(exportSpansToFile(model, target, { maxRequests: 5, shownAs: 'spans.jsonl' })).rejects.toThrow(
      'refusing to overwrite spans.jsonl; pass --force to replace it or choose another file',
    );
    expect(readFileSync(target, 'utf8')).toBe('mine\n');
    await exportSpansToFile(model, target, { maxRequests: 5, force: true });
    expect(readFileSync(target, 'utf8')).toBe(expected);
    expect(readdirSync(dir)).toEqual(['spans.jsonl']);
    await expect(exportSpansToFile(model, join(dir, 'missing', 'x.jsonl'), { shownAs: 'missing/x.jsonl' })).rejects.toThrow(/cannot write missing\/x\.jsonl: ENOENT/);
  });
});
