/**
 * Parallel nodes inferred from traces (visits.ts): stages running at the same
 * time become one node with a branch per stage, joined `all`; clock skew and
 * the odd overlap stay in start order.
 */
import { describe, expect, it } from 'vitest';
import { inferStructure } from './structure.js';
import { chainOf, structureToScenario, type ScenarioFragment } from './structure-scenario.js';
import { compileScenario, scenarioSchema, type ScenarioInput } from '../scenario/index.js';
import { Draws, TraceSet, type Step, type StepSpec } from './structure.test-support.js';

/** The fragment as a whole scenario: validated (reachability, cycles, references) and compiled. */
function compiles(f: ScenarioFragment): void {
  const input: ScenarioInput = {
    name: 'fitted',
    seed: 1,
    requests: 100,
    arrivals: { kind: 'poisson', rate: '1/s' },
    pools: Object.fromEntries(f.pools.map((p) => [p, { kind: 'other', servers: 8 }])),
    stages: f.stages,
    graph: f.graph,
    ...(f.subgraphs ? { subgraphs: f.subgraphs } : {}),
  };
  expect(() => compileScenario(scenarioSchema.parse(input))).not.toThrow();
}

const PAR = 'parallel-execute_tool-search-retrieval-docs';

describe('parallel nodes', () => {
  it('plan → {search (retried once), retrieval} → answer: one parallel node of two branches, join all; a cancelled branch is neither an error nor a latency', () => {
    const set = new TraceSet(), d = new Draws('parallel');
    const n = 1000;
    let planFailed = 0, failedVisits = 0, searchSpans = 0, searchErrors = 0, retrievalErrors = 0, cancelled = 0;
    for (let i = 0; i < n; i++) {
      if (d.uniform() < 0.02) {
        planFailed++;
        set.trace(`t${i}`, i * 10_000, [{ name: 'chat plan', ms: d.ms(50), error: true }], { error: true });
        continue;
      }
      const search: StepSpec[] = [];
      for (let a = 0; a < 2 && (a === 0 || search[a - 1].error); a++) {
        const error = d.uniform() < 0.1;
        searchSpans++;
        if (error) searchErrors++;
        search.push({ name: 'execute_tool search', ms: d.ms(60), error, errorType: error ? 'timeout' : undefined });
      }
      const searchGaveUp = search[search.length - 1].error === true;
      const searchMs = search.reduce((t, s) => t + s.ms, search.length - 1);
      let retrieval: StepSpec = { name: 'retrieval docs', ms: d.ms(150), error: d.uniform() < 0.05 };
      if (searchGaveUp && retrieval.ms > searchMs) {
        // The join failed: the request stops waiting for retrieval (cut at the failure, as the exporter writes it).
        retrieval = { name: 'retrieval docs', ms: searchMs, error: true, errorType: 'cancelled' };
        cancelled++;
      } else if (retrieval.error) retrievalErrors++;
      const failed = searchGaveUp || retrieval.error === true;
      if (failed) failedVisits++;
      // Which branch's spans are written first varies: the node is the set of stages, whatever the order.
      const steps: Step[] = [{ name: 'chat plan', ms: d.ms(50) }, { branches: d.uniform() < 0.5 ? [search, [retrieval]] : [[retrieval], search] }];
      if (!failed) steps.push({ name: 'chat answer', ms: d.ms(80) });
      set.trace(`t${i}`, i * 10_000, steps, { error: failed });
    }
    const s = inferStructure(set.spans);
    expect(s.warnings).toEqual([]);
    expect(s.loops).toEqual([]);
    const visits = n - planFailed;
    expect(s.parallels).toEqual([{ id: PAR, branches: ['execute_tool-search', 'retrieval-docs'], visits, failedVisits, traces: visits, tracesWithStages: visits }]);
    expect(s.graph.start).toBe('chat-plan');
    expect(s.graph.edges.map((e) => [e.from, e.to, e.count])).toEqual([
      ['chat-answer', 'end', visits - failedVisits],
      ['chat-plan', PAR, visits],
      [PAR, 'chat-answer', visits - failedVisits],
    ]);
    expect(s.graph.failedExits).toEqual([
      { node: PAR, count: failedVisits },
      { node: 'chat-plan', count: planFailed },
    ]);
    const search = s.stages.find((st) => st.id === 'execute_tool-search')!;
    expect([search.visits, search.spans, search.errors, search.maxAttempts, search.cancelled]).toEqual([visits, searchSpans, searchErrors, 2, 0]);
    const retrieval = s.stages.find((st) => st.id === 'retrieval-docs')!;
    expect(cancelled).toBeGreaterThan(0);
    expect([retrieval.visits, retrieval.errors, retrieval.cancelled, retrieval.durationsMs.length]).toEqual([visits, retrievalErrors, cancelled, visits - cancelled]);
    expect(retrieval.errorTypes).toEqual(retrievalErrors > 0 ? [{ type: '(none)', count: retrievalErrors }] : []);

    const f = structureToScenario(s, { latencyFor: () => '10ms' });
    expect(f.graph.next).toEqual({ 'chat-plan': PAR, [PAR]: 'chat-answer' });
    expect(f.graph.nodes![PAR]).toEqual({
      description: `execute_tool-search, retrieval-docs at the same time (join all): ${visits} visits in ${visits} traces, ${failedVisits} with a failed branch`,
      parallel: { branches: [['execute_tool-search'], ['retrieval-docs']], join: 'all' },
    });
    compiles(f);
  });

  it('keeps a chain whose next step starts within 5 % of the shorter span before the previous ends (clock skew), and no warning; 6 % is parallel', () => {
    const traces = (earlyMs: number) => {
      const set = new TraceSet();
      for (let i = 0; i < 200; i++) set.trace(`t${i}`, i * 1000, [{ name: 'chat a', ms: 100 }, { name: 'chat b', ms: 50, startEarlyMs: earlyMs }, { name: 'chat c', ms: 10 }]);
      return inferStructure(set.spans);
    };
    // 2 ms of the 50 ms span: 4 %.
    const skewed = traces(2);
    expect(skewed.parallels).toEqual([]);
    expect(skewed.warnings).toEqual([]);
    expect(chainOf(skewed.graph)).toEqual(['chat-a', 'chat-b', 'chat-c']);
    // 3 ms: 6 %, in every trace – the two ran together.
    const overlapping = traces(3);
    expect(overlapping.parallels.map((p) => [p.id, p.branches, p.visits])).toEqual([['parallel-chat-a-chat-b', ['chat-a', 'chat-b'], 200]]);
    expect(chainOf(overlapping.graph)).toEqual(['parallel-chat-a-chat-b', 'chat-c']);
  });

  it('leaves an overlap seen in few traces in start order, with a warning that says why', () => {
    const set = new TraceSet(), d = new Draws('rare');
    const n = 400;
    let overlapped = 0;
    for (let i = 0; i < n; i++) {
      const late = d.uniform() < 0.05;
      if (late) overlapped++;
      set.trace(`t${i}`, i * 1000, [{ name: 'chat a', ms: 100 }, { name: 'chat b', ms: 50, startEarlyMs: late ? 30 : undefined }]);
    }
    // One trace alone never makes a node either.
    set.trace('lone', 1e7, [{ name: 'chat a', ms: 100 }, { fanOut: [{ name: 'chat x', ms: 10 }, { name: 'chat y', ms: 10 }] }]);
    const s = inferStructure(set.spans);
    expect(overlapped).toBeLessThan(0.1 * n);
    expect(s.parallels).toEqual([]);
    expect(s.graph.edges.filter((e) => e.from === 'chat-a').map((e) => [e.to, e.count])).toEqual([['chat-b', n], ['chat-x', 1]]);
    expect(s.warnings).toEqual([
      `${overlapped + 1} of ${n + 1} traces run different operations at the same time that the fit did not make a parallel node ({chat-a, chat-b}: together in ${overlapped} of the ${n} traces that run them all; {chat-x, chat-y}: together in 1 of the 1 traces that run them all); those are ordered by start time – a parallel node needs at least 2 traces and 10 % of the traces that run its stages, each stage once beside the others`,
    ]);
  });

  it('finds a parallel node inside an agent loop: plan, then search and calc together, per iteration (stop 0.4)', () => {
    const set = new TraceSet(), d = new Draws('parallel-loop');
    const n = 600;
    let iterations = 0;
    for (let i = 0; i < n; i++) {
      const steps: Step[] = [];
      for (let k = d.geometric(0.4); k > 0; k--, iterations++)
        steps.push({ name: 'chat plan', ms: d.ms(100) }, { branches: [[{ name: 'execute_tool search', ms: d.ms(40) }], [{ name: 'execute_tool calc', ms: d.ms(20) }]] });
      steps.push({ name: 'chat answer', ms: 30 });
      set.trace(`t${i}`, i * 100_000, steps);
    }
    const s = inferStructure(set.spans);
    const par = 'parallel-execute_tool-calc-execute_tool-search';
    expect(s.warnings).toEqual([]);
    expect(s.parallels.map((p) => [p.id, p.branches, p.visits, p.traces])).toEqual([[par, ['execute_tool-calc', 'execute_tool-search'], iterations, n]]);
    expect(s.loops).toHaveLength(1);
    const loop = s.loops[0];
    expect(chainOf(loop.body)).toEqual(['chat-plan', par]);
    // Every good iteration is a decision; each run stops once: the geometric MLE n / iterations.
    expect(loop.stop.estimate).toBe(n / iterations);
    expect(chainOf(s.graph)).toEqual(['chat-plan-loop', 'chat-answer']);
    const f = structureToScenario(s, { latencyFor: () => '10ms', loopIterations: 'geometric' });
    expect(f.graph.nodes!['chat-plan-loop'].loop!.body).toEqual(['chat-plan', par]);
    expect(f.graph.nodes![par].parallel!.branches).toEqual([['execute_tool-calc'], ['execute_tool-search']]);
    compiles(f);
  });

  it('a branch that fans out is its map node; a stage also run alone gets a copy for its branch (a node belongs to one flow); same result whatever the span order', () => {
    const set = new TraceSet(), d = new Draws('parallel-map');
    let together = 0, summarise = 0;
    for (let i = 0; i < 300; i++) {
      const both = d.uniform() < 0.7;
      const items = Array.from({ length: 1 + Math.floor(d.uniform() * 3) }, () => ({ name: 'chat summarise', ms: d.ms(80) }));
      if (both) [together, summarise] = [together + 1, summarise + items.length];
      set.trace(`t${i}`, i * 10_000, [{ name: 'chat plan', ms: 20 }, both ? { fanOut: [...items, { name: 'retrieval docs', ms: d.ms(60) }] } : { name: 'retrieval docs', ms: d.ms(60) }]);
    }
    const s = inferStructure(set.spans);
    const par = 'parallel-chat-summarise-retrieval-docs';
    expect(s.maps.map((m) => m.id)).toEqual(['chat-summarise-map']);
    expect(s.parallels.map((p) => [p.id, p.branches])).toEqual([[par, ['chat-summarise-map', 'retrieval-docs-beside-chat-summarise']]]);
    expect(s.graph.edges.filter((e) => e.from === 'chat-plan').map((e) => [e.to, e.count])).toEqual([
      [par, together],
      ['retrieval-docs', 300 - together],
    ]);
    // Each place its own stage, fitted from its own spans.
    expect(s.stages.map((st) => [st.id, st.spans])).toEqual([
      ['chat-plan', 300],
      ['chat-summarise', summarise],
      ['retrieval-docs', 300 - together],
      ['retrieval-docs-beside-chat-summarise', together],
    ]);
    compiles(structureToScenario(s, { latencyFor: () => '10ms' }));
    const shuffled = [...set.spans];
    const d2 = new Draws('shuffle-parallel');
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(d2.uniform() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    expect(inferStructure(shuffled)).toEqual(s);
  });
});
