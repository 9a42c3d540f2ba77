/**
 * The round trip (issue 16's main test): simulate a known scenario, export
 * its requests as OTLP spans, fit them, and recover what it was made of –
 * every stage's true error rate inside the fitted rate's 99.9 % interval,
 * the structure (stages and their order), and a back-test whose figures sit
 * inside the traces' intervals. Also: silent failures recovered from the
 * exported evaluation labels, and nothing written when the traces are bad.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli, tempDir } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { wilson } from '../sim/metrics/index.js';

const STAGES = ['ingress', 'retrieval', 'orchestration', 'inference', 'tools', 'assembly'];

describe('fit round trip', () => {
  it('six-step-97 (0.03 errors per attempt at each of six stages): each fitted rate holds 0.03, the order is recovered, the back-test passes', async () => {
    const dir = tempDir('coordgap-fit-');
    const spans = join(dir, 'spans.jsonl');
    const exported = await runCli(['run', join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), '--requests', '4000', '--export-otel', spans, '--export-otel-requests', '4000'], dir);
    expect(exported.code, exported.stderr).toBe(0);
    const r = await runCli(['fit', spans, '--out', join(dir, 'fit.yaml'), '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.traces.used).toBe(4000);
    expect(doc.stages.map((s: { id: string }) => s.id).sort()).toEqual([...STAGES].sort());
    for (const s of doc.stages) {
      // The truth inside the 99.9 % Wilson interval of the fitted count (six intervals: at 95 % one would miss one run in four).
      const { ci95 } = wilson(s.errors.events, s.errors.trials, 3.2905);
      expect(0.03).toBeGreaterThanOrEqual(ci95[0]);
      expect(0.03).toBeLessThanOrEqual(ci95[1]);
    }
    const scenario = parse(readFileSync(join(dir, 'fit.yaml'), 'utf8'));
    // The chain's order: start at ingress, each stage to the next, assembly to the end.
    expect(scenario.graph.start).toBe('ingress');
    for (let i = 0; i + 1 < STAGES.length; i++) expect(scenario.graph.next[STAGES[i]]).toBe(STAGES[i + 1]);
    expect(scenario.uncertainty['stages.tools.faults.error'].dist).toBe('beta');
    const verdicts = doc.backtest.map((row: { figure: string; verdict: string }) => `${row.figure}: ${row.verdict}`);
    expect(verdicts.filter((v: string) => !v.endsWith('inside'))).toEqual([]);
    // Silent failures: six-step-97 has none, and the labels say so.
    expect(doc.silent.events).toBe(0);
  }, 180_000);

  it('silent failures come back from the exported evaluation labels: a 10 % corrupting step is fitted as 10 %', async () => {
    const dir = tempDir('coordgap-fit-silent-');
    const file = join(dir, 's.yaml');
    writeFileSync(
      file,
      `name: silent
seed: 2
requests: 5000
arrivals: { kind: poisson, rate: 20/s }
pools: { cpu: { servers: 50 } }
stages:
  - { id: draft, pool: cpu, latency: { dist: lognormal, median: 40ms, p99: 200ms }, faults: { error: 0.05 } }
  - { id: answer, pool: cpu, latency: { dist: gamma, shape: 3, scale: 10ms }, faults: { corruption: 0.1 } }
`,
    );
    const spans = join(dir, 'spans.jsonl');
    expect((await runCli(['run', file, '--export-otel', spans, '--export-otel-requests', '5000'], dir)).code).toBe(0);
    const r = await runCli(['fit', spans, '--out', join(dir, 'fit.yaml'), '--json', '--report', join(dir, 'report')], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    // The report: what was fitted and assumed, the back-test, a QQ plot per stage.
    const md = readFileSync(join(dir, 'report', 'fit.md'), 'utf8');
    expect(md).toMatch(/## Back-test/);
    expect(md).toMatch(/!\[answer: observed latency quantiles against the fitted gamma\]\(charts\/qq-answer\.svg\)/);
    expect(readFileSync(join(dir, 'report', 'charts', 'qq-answer.svg'), 'utf8')).toMatch(/^<svg/);
    // Among requests without an error, the evaluation fails with the answer step's corruption probability.
    const { ci95 } = wilson(doc.silent.events, doc.silent.trials, 3.2905);
    expect(0.1).toBeGreaterThanOrEqual(ci95[0]);
    expect(0.1).toBeLessThanOrEqual(ci95[1]);
    const answer = doc.stages.find((s: { id: string }) => s.id === 'answer');
    expect(answer.latency.use.dist).toBe('gamma');
    expect(doc.backtest.filter((row: { verdict: string }) => row.verdict === 'outside')).toEqual([]);
  }, 180_000);

  it('react-agent, an agent loop with runaways and a step limit: the loop, its limit and its observed errors come back, and the back-test passes', async () => {
    // The bundled ReAct agent: 2 % of tasks never stop on their own, 5 % tool errors, 90 % of them observed by
    // the agent and retried; with limit 25 the runaways end at the limit. Runs cut short by a failure are
    // censored counts: a fit that dropped them lost the runaways (10 calls a request instead of 16).
    const dir = tempDir('coordgap-fit-react-');
    const spans = join(dir, 'spans.jsonl');
    const src = join(PACKAGE_ROOT, 'scenarios', 'react-agent.yaml');
    const exported = await runCli(['run', src, '--requests', '2000', '--set', 'graph.nodes.react.loop.limit=25', '--export-otel', spans, '--export-otel-requests', '2000'], dir);
    // Exit 1: the run's success may fall below the scenario's 85 % threshold – the spans are written all the same.
    expect([0, 1], `exit ${exported.code}: ${exported.stderr}`).toContain(exported.code);
    const r = await runCli(['fit', spans, '--out', join(dir, 'fit.yaml'), '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.loops).toHaveLength(1);
    const loop = doc.loops[0];
    expect(loop.limit).toBe(25);
    // observeErrors 0.9 inside the fitted 95 % interval.
    expect(0.9).toBeGreaterThanOrEqual(loop.observeErrors.ci95[0]);
    expect(0.9).toBeLessThanOrEqual(loop.observeErrors.ci95[1]);
    // The runaways' share: the tasks that need more than 20 good iterations (none of the finite ones do) are
    // the 2 % that never stop – within four standard errors of a 2,000-run binomial share.
    const se = Math.sqrt((0.02 * 0.98) / 2000);
    expect(Math.abs(loop.outlasted.share - 0.02)).toBeLessThan(4 * se);
    const tool = doc.stages.find((st: { id: string }) => st.id.endsWith('call-tool'));
    const { ci95 } = wilson(tool.errors.events, tool.errors.trials, 3.2905);
    expect(0.05).toBeGreaterThanOrEqual(ci95[0]);
    expect(0.05).toBeLessThanOrEqual(ci95[1]);
    const scenario = parse(readFileSync(join(dir, 'fit.yaml'), 'utf8'));
    expect(scenario.graph.nodes[loop.id].loop.limit).toBe(25);
    expect(doc.backtest.filter((row: { verdict: string }) => row.verdict === 'outside')).toEqual([]);
  }, 180_000);

  it("fits the GenAI conventions' own examples: one trace gives constants where no law fits, requests that begin at different steps get a start router", async () => {
    const dir = tempDir('coordgap-fit-genai-');
    const fixtures = join(PACKAGE_ROOT, 'experiments', 'otel', 'fixtures');
    const agent = await runCli(['fit', join(fixtures, 'genai-agent-trace.json'), '--out', join(dir, 'agent.yaml'), '--json'], dir);
    expect(agent.code, agent.stderr).toBe(0);
    const a = JSON.parse(agent.stdout);
    expect(a.stages.map((s: { id: string }) => s.id).sort()).toEqual(['chat-gpt-4o', 'execute_tool-get_flights', 'execute_tool-get_weather']);
    // One span of get_weather (450 ms): a constant, said as one.
    const weather = a.stages.find((s: { id: string }) => s.id === 'execute_tool-get_weather');
    expect(weather.latency.use).toEqual({ dist: 'constant', value: 450 });
    expect(weather.latency.note).toMatch(/no law can be fitted/);
    for (const f of ['collector-file-exporter.jsonl', 'simple-spans.jsonl']) {
      const r = await runCli(['fit', join(fixtures, f), '--out', join(dir, `${f}.yaml`), '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      const scenario = parse(readFileSync(join(dir, `${f}.yaml`), 'utf8'));
      expect(scenario.graph.start).toBe('requests-start');
      const shares = Object.values(scenario.graph.next['requests-start'].route) as number[];
      expect(shares.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
      const fitWarnings: string[] = JSON.parse(r.stdout).fitWarnings;
      expect(fitWarnings.filter((w) => w.startsWith('requests start at'))).toEqual([]);
      // The collector's spans leave 100 ms of each 2.5 s request outside every step: said, since the scenario cannot hold it.
      if (f === 'collector-file-exporter.jsonl') expect(fitWarnings.filter((w) => w.startsWith('time between steps: the median request spent 100 ms (4.0 %'))).toHaveLength(1);
    }
  }, 120_000);

  it('per-trace labels joined by trace id (--labels): 40 of 400 failed evaluations fit a 10 % silent rate; bad labels are refused at their line', async () => {
    const dir = tempDir('coordgap-fit-labels-');
    const spans: string[] = [];
    const labels: string[] = [];
    for (let i = 0; i < 400; i++) {
      const t0 = 1736935200000 + i * 1000;
      const d = 80 + ((i * 37) % 61);
      spans.push(JSON.stringify({ traceId: `t${i}`, spanId: 'r', name: 'invoke_agent support', start: t0, end: t0 + d + 2 }));
      spans.push(JSON.stringify({ traceId: `t${i}`, spanId: 'c', parentSpanId: 'r', name: 'chat gpt-4o', operation: 'chat', start: t0 + 1, end: t0 + 1 + d }));
      labels.push(JSON.stringify({ traceId: `t${i}`, evaluation: i % 10 === 3 ? 'fail' : 'pass' }));
    }
    labels.push(JSON.stringify({ traceId: 'elsewhere', evaluation: true }));
    writeFileSync(join(dir, 'spans.jsonl'), spans.join('\n') + '\n');
    writeFileSync(join(dir, 'labels.jsonl'), labels.join('\n') + '\n');
    const r = await runCli(['fit', join(dir, 'spans.jsonl'), '--labels', join(dir, 'labels.jsonl'), '--out', join(dir, 'fit.yaml'), '--json', '--no-backtest'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 label name no trace/);
    const doc = JSON.parse(r.stdout);
    expect([doc.silent.events, doc.silent.trials]).toEqual([40, 400]);
    writeFileSync(join(dir, 'bad.jsonl'), '{"traceId":"t1","evaluation":"maybe"}\n');
    const bad = await runCli(['fit', join(dir, 'spans.jsonl'), '--labels', join(dir, 'bad.jsonl'), '--out', join(dir, 'fit2.yaml')], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.jsonl:1: evaluation: expected true\/false or a pass\/fail label/);
    expect(existsSync(join(dir, 'fit2.yaml'))).toBe(false);
  }, 120_000);

  it('refuses broken traces with the line, and writes nothing', async () => {
    const dir = tempDir('coordgap-fit-bad-');
    const spans = join(dir, 'bad.jsonl');
    writeFileSync(spans, '{"traceId":"t","spanId":"a","name":"x","start":1736935200000,"end":1736935200100}\n{"traceId":"t","spanId":"b","parentSpanId":"a","name":"y","start":1736935199000,"end"\n');
    const r = await runCli(['fit', spans, '--out', join(dir, 'fit.yaml')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl:2/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'fit.yaml'))).toBe(false);
  });
});
