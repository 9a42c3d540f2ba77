import { describe, expect, it } from 'vitest';
import { inferStructure, makeIdAllocator } from './structure.js';
import { type InferredFlow } from './structure-flow.js';
import { cyclicComponents } from './cycles.js';
import { wilson } from '../metrics/intervals.js';
import { Draws, TraceSet, fitSpan, type Step } from './structure.test-support.js';

/**
 * Φ⁻¹(0.9995): the tests check a seeded estimate against its true value with
 * a 99.9 % interval (the structure reports 95 % ones), so that the seed is
 * not one picked to pass.
 */
const Z999 = 3.290526731491926;

const within = (truth: number, successes: number, n: number) => {
  const [lo, hi] = wilson(successes, n, Z999).ci95;
  return lo <= truth && truth <= hi;
};

/** Whether `truth` lies within mean ± Z999·s/√n of the sample. */
function meanWithin(truth: number, xs: number[]): boolean {
  const n = xs.length, mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return Math.abs(mean - truth) <= (Z999 * sd) / Math.sqrt(n);
}

const edge = (s: InferredFlow, from: string, to: string) => s.edges.find((e) => e.from === from && e.to === to);

describe('inferStructure', () => {
  it('recovers a chain: start, one successor each, every visit one attempt', () => {
    const set = new TraceSet(), d = new Draws('chain');
    for (let i = 0; i < 200; i++)
      set.trace(`t${i}`, i * 1000, [
        { name: 'retrieval docs', ms: d.ms(20) },
        { name: 'chat gpt-4o', ms: d.ms(300) },
        { name: 'execute_tool send', ms: d.ms(50) },
      ]);
    const s = inferStructure(set.spans);
    expect(s.traces).toEqual({ total: 200, used: 200, skipped: [] });
    expect(s.stages.map((st) => [st.id, st.operation, st.visits, st.spans])).toEqual([
      ['chat-gpt-4o', 'chat', 200, 200],
      ['execute_tool-send', 'execute_tool', 200, 200],
      ['retrieval-docs', 'retrieval', 200, 200],
    ]);
    expect(s.graph.start).toBe('retrieval-docs');
    expect(s.graph.edges.map((e) => [e.from, e.to, e.count, e.share])).toEqual([
      ['chat-gpt-4o', 'execute_tool-send', 200, 1],
      ['execute_tool-send', 'end', 200, 1],
      ['retrieval-docs', 'chat-gpt-4o', 200, 1],
    ]);
    expect(s.loops).toEqual([]);
    expect(s.maps).toEqual([]);
    expect(s.stages[0].attempts).toEqual([{ value: 1, count: 200 }]);
    // e2e = the root's duration; busy = the three steps, not the 1 ms before, between and after them (and the root's own last 1 ms)
    const r = s.requests[0];
    expect(r.e2eMs - r.busyMs).toBe(5);
    expect(r.calls).toBe(3);
  });

  it('recovers a 70/30 router within the Wilson interval of its share', () => {
    const set = new TraceSet(), d = new Draws('router');
    let rag = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const toRag = d.uniform() < 0.7;
      if (toRag) rag++;
      set.trace(`t${i}`, i * 1000, [{ name: 'chat gpt-4o-mini', ms: 10 }, toRag ? { name: 'retrieval docs', ms: 5 } : { name: 'execute_tool search', ms: 8 }, { name: 'chat gpt-4o', ms: 40 }]);
    }
    const s = inferStructure(set.spans);
    const e = edge(s.graph, 'chat-gpt-4o-mini', 'retrieval-docs')!;
    expect(e.count).toBe(rag);
    expect(e.ci95).toEqual(wilson(rag, n).ci95);
    expect(within(0.7, e.count, n)).toBe(true);
    expect(edge(s.graph, 'chat-gpt-4o-mini', 'execute_tool-search')!.count).toBe(n - rag);
    expect(s.graph.start).toBe('chat-gpt-4o-mini');
  });

  it('counts retries after errors per visit, their max, and leaves given-up requests out of the shares', () => {
    const set = new TraceSet(), d = new Draws('retries');
    const n = 3000, q = 0.3;
    let givenUp = 0, errors = 0;
    for (let i = 0; i < n; i++) {
      const steps: Step[] = [];
      let ok = false;
      for (let a = 0; a < 3 && !ok; a++) {
        ok = d.uniform() >= q;
        if (!ok) errors++;
        steps.push({ name: 'chat gpt-4o', ms: d.ms(100), error: !ok, errorType: ok ? undefined : a === 0 ? 'timeout' : '429' });
      }
      if (ok) steps.push({ name: 'execute_tool calc', ms: 5 });
      else givenUp++;
      set.trace(`t${i}`, i * 10_000, steps, { error: !ok });
    }
    const s = inferStructure(set.spans);
    const chat = s.stages.find((st) => st.id === 'chat-gpt-4o')!;
    expect(chat.visits).toBe(n);
    expect(chat.errors).toBe(errors);
    expect(chat.maxAttempts).toBe(3);
    expect(chat.givenUp).toBe(givenUp);
    expect(chat.errorTypes.reduce((a, t) => a + t.count, 0)).toBe(errors);
    // P(attempts = 1, 2, 3) = 0.7, 0.3·0.7, 0.3² (the third is the last, whatever it gives)
    const [one, two, three] = chat.attempts;
    expect([one.value, two.value, three.value]).toEqual([1, 2, 3]);
    expect(within(0.7, one.count, n) && within(0.21, two.count, n) && within(0.09, three.count, n)).toBe(true);
    expect(within(0.027, givenUp, n)).toBe(true);
    expect(s.graph.failedExits).toEqual([{ node: 'chat-gpt-4o', count: givenUp }]);
    expect(s.graph.edges.filter((e) => e.from === 'chat-gpt-4o').map((e) => [e.to, e.count, e.share])).toEqual([['execute_tool-calc', n - givenUp, 1]]);
    expect(s.loops).toEqual([]);
  });

  it('finds a ReAct loop and its geometric iterations (stop 0.25, mean 4)', () => {
    const set = new TraceSet(), d = new Draws('react');
    const n = 1500, counts: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = d.geometric(0.25);
      counts.push(k);
      const steps: Step[] = [];
      for (let j = 0; j < k; j++) steps.push({ name: 'chat gpt-4o', ms: d.ms(200) }, { name: 'execute_tool search', ms: d.ms(50) });
      steps.push({ name: 'chat gpt-4o-mini', ms: 30 });
      set.trace(`t${i}`, i * 100_000, steps);
    }
    const s = inferStructure(set.spans);
    expect(s.loops).toHaveLength(1);
    const loop = s.loops[0];
    expect([loop.id, loop.entry, loop.runs, loop.completedRuns, loop.censoredRuns]).toEqual(['chat-gpt-4o-loop', 'chat-gpt-4o', n, n, 0]);
    expect(loop.body.start).toBe('chat-gpt-4o');
    expect(loop.body.edges.map((e) => [e.from, e.to, e.share])).toEqual([
      ['chat-gpt-4o', 'execute_tool-search', 1],
      ['execute_tool-search', 'end', 1],
    ]);
    const total = counts.reduce((a, b) => a + b, 0);
    expect(loop.iterations.reduce((a, e) => a + e.value * e.count, 0)).toBe(total);
    expect(loop.maxIterations).toBe(Math.max(...counts));
    expect(loop.stop.estimate).toBe(n / total);
    expect(within(0.25, n, total)).toBe(true);
    expect(meanWithin(4, counts)).toBe(true);
    expect(loop.meanIterations.estimate).toBeCloseTo(total / n, 12);
    expect(loop.lastIterationEndsEarly).toBe(0);
    expect(s.graph.start).toBe('chat-gpt-4o-loop');
    expect(s.graph.edges.map((e) => [e.from, e.to, e.count])).toEqual([
      ['chat-gpt-4o-loop', 'chat-gpt-4o-mini', n],
      ['chat-gpt-4o-mini', 'end', n],
    ]);
  });

  it('counts a ReAct trace that ends on a plan call as a last iteration that ends early', () => {
    const set = new TraceSet(), d = new Draws('react-real');
    const n = 400;
    let plans = 0;
    for (let i = 0; i < n; i++) {
      const k = d.geometric(0.3);
      plans += k;
      const steps: Step[] = [{ name: 'chat gpt-4o', ms: 100 }];
      for (let j = 1; j < k; j++) steps.push({ name: 'execute_tool search', ms: 20 }, { name: 'chat gpt-4o', ms: 100 });
      set.trace(`t${i}`, i * 100_000, steps);
    }
    const s = inferStructure(set.spans);
    const loop = s.loops[0];
    // A run of k plans is k iterations (one plan call alone too: the plan node is in the loop); every last one ends early.
    expect([loop.completedRuns, loop.lastIterationEndsEarly]).toEqual([n, n]);
    expect(loop.iterations.reduce((a, e) => a + e.value * e.count, 0)).toBe(plans);
    // The body's route carries the short last iterations: plan → end once a run, plan → tool the rest.
    expect(loop.body.edges.filter((e) => e.from === 'chat-gpt-4o').map((e) => [e.to, e.count, e.share])).toEqual([
      ['end', n, n / plans],
      ['execute_tool-search', plans - n, (plans - n) / plans],
    ]);
  });

  it('makes a loop whose body routes between two tools (60/40)', () => {
    const set = new TraceSet(), d = new Draws('two-tools');
    let search = 0, calls = 0;
    for (let i = 0; i < 800; i++) {
      const k = d.geometric(0.4);
      const steps: Step[] = [];
      for (let j = 0; j < k; j++) {
        const s = d.uniform() < 0.6;
        calls++;
        if (s) search++;
        steps.push({ name: 'chat gpt-4o', ms: 100 }, { name: s ? 'execute_tool search' : 'execute_tool calc', ms: 20 });
      }
      set.trace(`t${i}`, i * 100_000, steps);
    }
    const loop = inferStructure(set.spans).loops[0];
    const e = edge(loop.body, 'chat-gpt-4o', 'execute_tool-search')!;
    expect(e.count).toBe(search);
    expect(within(0.6, search, calls)).toBe(true);
    expect(loop.body.nodes).toEqual(['chat-gpt-4o', 'execute_tool-calc', 'execute_tool-search']);
  });

  it('finds a fan-out and its Poisson item counts; zero items show as a route around it', () => {
    const set = new TraceSet(), d = new Draws('fan-out');
    const n = 3000, mean = 4, counts: number[] = [];
    let none = 0;
    for (let i = 0; i < n; i++) {
      const k = d.poisson(mean);
      const steps: Step[] = [{ name: 'retrieval docs', ms: 5 }];
      if (k === 0) none++;
      else {
        counts.push(k);
        steps.push({ fanOut: Array.from({ length: k }, () => ({ name: 'chat gpt-4o-mini', ms: d.ms(300) })) });
      }
      steps.push({ name: 'chat gpt-4o', ms: 100 });
      set.trace(`t${i}`, i * 100_000, steps);
    }
    const s = inferStructure(set.spans);
    expect(s.maps).toHaveLength(1);
    const m = s.maps[0];
    expect([m.id, m.body, m.visits]).toEqual(['chat-gpt-4o-mini-map', 'chat-gpt-4o-mini', n - none]);
    // Items given at least one: the zero-truncated Poisson, mean λ/(1 − e^−λ), pmf e^−λ λ^k / k! / (1 − e^−λ).
    const trunc = 1 - Math.exp(-mean);
    expect(meanWithin(mean / trunc, counts)).toBe(true);
    let pmf = Math.exp(-mean);
    for (let k = 1; k <= 8; k++) {
      pmf *= mean / k;
      expect(within(pmf / trunc, m.items.find((e) => e.value === k)?.count ?? 0, m.visits)).toBe(true);
    }
    expect(m.maxItems).toBe(Math.max(...counts));
    expect(s.stages.find((st) => st.id === 'chat-gpt-4o-mini')!.mapId).toBe(m.id);
    const around = edge(s.graph, 'retrieval-docs', 'chat-gpt-4o')!;
    expect(around.count).toBe(none);
    expect(within(Math.exp(-mean), none, n)).toBe(true);
    expect(edge(s.graph, 'chat-gpt-4o-mini-map', 'chat-gpt-4o')!.count).toBe(n - none);
    expect(s.warnings).toEqual([]);
  });

  it('flattens an agent span around its calls and keeps its overhead', () => {
    const set = new TraceSet();
    set.trace('t0', 0, [
      { container: 'invoke_agent researcher', steps: [{ name: 'chat gpt-4o', ms: 100 }, { name: 'execute_tool search', ms: 20 }] },
      { name: 'chat gpt-4o-mini', ms: 10 },
    ]);
    const s = inferStructure(set.spans);
    expect(s.stages.map((st) => st.id)).toEqual(['chat-gpt-4o', 'chat-gpt-4o-mini', 'execute_tool-search']);
    expect(s.graph.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['chat-gpt-4o→execute_tool-search', 'chat-gpt-4o-mini→end', 'execute_tool-search→chat-gpt-4o-mini']);
    // the container runs 1 + 100 + 1 + 20 + 1 + 1 ms: 4 ms outside its two calls
    expect(s.containers).toEqual([{ name: 'invoke_agent researcher', operation: 'invoke_agent', spans: 1, overheadMs: [4] }]);
  });

  it('takes the evaluation label from the root, else from the spans (one false fails it)', () => {
    const set = new TraceSet();
    set.trace('a', 0, [{ name: 'chat m', ms: 1, evaluationPassed: true }], { evaluationPassed: false });
    set.trace('b', 10, [{ name: 'chat m', ms: 1, evaluationPassed: true }, { name: 'chat n', ms: 1, evaluationPassed: false }]);
    set.trace('c', 20, [{ name: 'chat m', ms: 1, evaluationPassed: true }]);
    set.trace('d', 30, [{ name: 'chat m', ms: 1 }]);
    expect(inferStructure(set.spans).requests.map((r) => [r.traceId, r.evaluationPassed])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
      ['d', null],
    ]);
  });

  it('skips broken traces with the reason and the line of the span at fault', () => {
    const sp = (traceId: string, spanId: string, parentSpanId: string | null, line: number, startMs = 0, endMs = 5) =>
      fitSpan({ traceId, spanId, parentSpanId, name: 'chat m', startMs, endMs, line });
    const s = inferStructure([
      sp('orphan', 'r', null, 1),
      sp('orphan', 'x', 'missing', 2),
      sp('two', 'r1', null, 3),
      sp('two', 'r2', null, 4),
      sp('cycle', 'r', null, 5),
      sp('cycle', 'a', 'b', 6),
      sp('cycle', 'b', 'a', 7),
      sp('dup', 'r', null, 8),
      sp('dup', 'r', 'r', 9),
      sp('back', 'r', null, 10),
      sp('back', 'c', 'r', 11, 5, 4),
      sp('ok', 'r', null, 12),
    ]);
    expect(s.traces.used).toBe(1);
    expect(s.traces.skipped.map((k) => [k.traceId, k.line])).toEqual([
      ['back', 11],
      ['cycle', 6],
      ['dup', 9],
      ['orphan', 2],
      ['two', 4],
    ]);
    expect(s.traces.skipped.map((k) => k.reason)).toEqual([
      'span c ("chat m") ends before it starts',
      'span a ("chat m") is not below the root: its parents form a cycle',
      'span id r appears twice',
      'span x ("chat m") names parent missing, which is not in the trace (a partial trace)',
      '2 root spans (r1, r2); a trace has one',
    ]);
    // a root without children is its own single step
    expect(s.stages.map((st) => st.id)).toEqual(['chat-m']);
  });

  it('gives the same structure whatever the order of the spans', () => {
    const set = new TraceSet(), d = new Draws('order');
    for (let i = 0; i < 300; i++) {
      const steps: Step[] = [{ name: 'retrieval docs', ms: 5 }];
      for (let j = d.geometric(0.5); j > 0; j--) steps.push({ name: 'chat a', ms: 3 }, { name: d.uniform() < 0.5 ? 'execute_tool x' : 'execute_tool y', ms: 2, error: d.uniform() < 0.1 });
      steps.push({ fanOut: [{ name: 'chat b', ms: 4 }, { name: 'chat b', ms: 5 }] });
      set.trace(`t${i}`, i * 1000, steps);
    }
    const shuffled = [...set.spans];
    const d2 = new Draws('shuffle');
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(d2.uniform() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    expect(inferStructure(shuffled)).toEqual(inferStructure(set.spans));
  });
});

describe('ids and cycles', () => {
  it('makes names identifiers, unique, never "end"', () => {
    const id = makeIdAllocator();
    expect(['chat gpt-4o', 'chat gpt-4o', 'end', '42 tool/run', 'Ω'].map(id)).toEqual(['chat-gpt-4o', 'chat-gpt-4o-2', 'end-2', 'tool-run', 'node']);
  });

  it('finds the cyclic components only, sorted', () => {
    const succ = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['a', 'c'])],
      ['c', new Set(['d'])],
      ['d', new Set(['d'])],
    ]);
    expect(cyclicComponents(['d', 'c', 'b', 'a', 'e'], succ)).toEqual([['a', 'b'], ['d']]);
  });
});
