/**
 * The round trip through a parallel node: a scenario that plans, then runs a
 * web search (retried once) and a retrieval at the same time, joins them
 * (all) and answers – simulated, exported as OTLP spans (the branches'
 * spans overlap under the root), fitted. The parallel node comes back with
 * its two branches, each stage's true error rate lies inside the fitted
 * count's 99.9 % Wilson interval, and the back-test's end-to-end p50 and p95
 * sit inside the traces' intervals – the request waits for the slower
 * branch, not for the two one after the other (fitted as a chain, the
 * simulated p50 was 623 ms against 493 ms observed).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli, tempDir } from './test-support.js';
import { wilson } from '../sim/metrics/index.js';

const SCENARIO = `name: parallel-rag
seed: 3
requests: 3000
arrivals: { kind: poisson, rate: 20/s }
pools: { llm: { servers: 200 }, tools: { servers: 200 } }
stages:
  - { id: plan, pool: llm, latency: { dist: lognormal, median: 80ms, p99: 300ms }, faults: { error: 0.02 } }
  - { id: search, pool: tools, tool: true, latency: { dist: gamma, shape: 2, scale: 100ms }, faults: { error: 0.05 }, retry: { maxAttempts: 2 } }
  - { id: retrieve, pool: tools, latency: { dist: lognormal, median: 150ms, p99: 600ms }, faults: { error: 0.03 } }
  - { id: answer, pool: llm, latency: { dist: gamma, shape: 4, scale: 50ms }, faults: { error: 0.02 } }
graph:
  start: plan
  nodes:
    gather:
      parallel: { branches: [[search], [retrieve]], join: all }
  next:
    plan: gather
    gather: answer
`;

/** The fitted stage ids (the exporter names a tool's spans "execute_tool {stage}") and their true error rates per attempt. */
const TRUE_ERRORS: Record<string, number> = { plan: 0.02, 'execute_tool-search': 0.05, retrieve: 0.03, answer: 0.02 };
const PARALLEL = 'parallel-execute_tool-search-retrieve';

describe('fit round trip through a parallel node', () => {
  it('plan → {search, retrieve} joined all → answer: the parallel node, each error rate and the end-to-end quantiles come back', async () => {
    const dir = tempDir('coordgap-fit-parallel-');
    const file = join(dir, 'parallel.yaml');
    writeFileSync(file, SCENARIO);
    const spans = join(dir, 'spans.jsonl');
    const exported = await runCli(['run', file, '--export-otel', spans, '--export-otel-requests', '3000'], dir);
    // Exit 1 would only mean a threshold failed; the scenario sets none, and the spans are written either way.
    expect([0, 1], `exit ${exported.code}: ${exported.stderr}`).toContain(exported.code);
    const r = await runCli(['fit', spans, '--out', join(dir, 'fit.yaml'), '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.traces.used).toBe(3000);
    expect(doc.fitWarnings.filter((w: string) => /at the same time/.test(w))).toEqual([]);

    const scenario = parse(readFileSync(join(dir, 'fit.yaml'), 'utf8'));
    expect(scenario.graph.start).toBe('plan');
    expect(scenario.graph.next).toEqual({ plan: PARALLEL, [PARALLEL]: 'answer' });
    expect(scenario.graph.nodes[PARALLEL].parallel).toEqual({ branches: [['execute_tool-search'], ['retrieve']], join: 'all' });
    expect(scenario.stages.find((s: { id: string }) => s.id === 'execute_tool-search').retry).toEqual({ maxAttempts: 2 });

    expect(doc.stages.map((s: { id: string }) => s.id).sort()).toEqual(Object.keys(TRUE_ERRORS).sort());
    for (const s of doc.stages) {
      // Four intervals at 99.9 % (at 95 % one in five runs would miss one).
      const { ci95 } = wilson(s.errors.events, s.errors.trials, 3.2905);
      expect(TRUE_ERRORS[s.id], s.id).toBeGreaterThanOrEqual(ci95[0]);
      expect(TRUE_ERRORS[s.id], s.id).toBeLessThanOrEqual(ci95[1]);
    }
    const rows = doc.backtest as { figure: string; verdict: string }[];
    expect(rows.filter((row) => /end-to-end p(50|95)/.test(row.figure)).map((row) => `${row.figure}: ${row.verdict}`)).toEqual(['end-to-end p50, ms: inside', 'end-to-end p95, ms: inside']);
    expect(rows.filter((row) => row.verdict !== 'inside')).toEqual([]);
  }, 180_000);
});
