import { describe, expect, it } from 'vitest';
import { inferStructure } from './structure.js';
import { chainOf, structureToScenario, type ScenarioFragment } from './structure-scenario.js';
import { compileScenario, scenarioSchema, type ScenarioInput } from '../scenario/index.js';
import { Draws, TraceSet, type Step } from './structure.test-support.js';

/** A whole scenario around a fragment: the pools it names, arrivals, a seed. */
function scenarioOf(f: ScenarioFragment): ScenarioInput {
  return {
    name: 'fitted',
    seed: 1,
    requests: 100,
    arrivals: { kind: 'poisson', rate: '1/s' },
    pools: Object.fromEntries(f.pools.map((p) => [p, { kind: 'other', servers: 8 }])),
    stages: f.stages,
    graph: f.graph,
    ...(f.subgraphs ? { subgraphs: f.subgraphs } : {}),
  };
}

/** retrieve → summarise each of 1–4 documents (overlapping) → a ReAct loop (plan, then search or calc) → answer; the plan call sometimes retried. */
function agentTraces(n: number): TraceSet {
  const set = new TraceSet(), d = new Draws('fragment');
  for (let i = 0; i < n; i++) {
    const steps: Step[] = [{ name: 'retrieval docs', ms: d.ms(5) }];
    steps.push({ fanOut: Array.from({ length: 1 + Math.floor(d.uniform() * 4) }, () => ({ name: 'chat gpt-4o-mini', ms: d.ms(200) })) });
    for (let j = d.geometric(0.4); j > 0; j--) {
      if (d.uniform() < 0.1) steps.push({ name: 'chat gpt-4o', ms: 50, error: true, errorType: '429' });
      steps.push({ name: 'chat gpt-4o', ms: d.ms(100) }, { name: d.uniform() < 0.7 ? 'execute_tool search' : 'execute_tool calc', ms: d.ms(20) });
    }
    steps.push({ name: 'chat gpt-4o-2024', ms: d.ms(300) });
    set.trace(`t${i}`, i * 100_000, steps);
  }
  return set;
}

describe('structureToScenario', () => {
  it('writes stages with the latency hook, and a graph of a map, a loop with a routing body and a chain', () => {
    const s = inferStructure(agentTraces(500).spans);
    const seen: [string, number][] = [];
    const f = structureToScenario(s, {
      latencyFor: (id, ms) => {
        seen.push([id, ms.length]);
        return `${Math.round(ms.reduce((a, b) => a + b, 0) / ms.length)}ms`;
      },
    });
    expect(seen).toEqual(s.stages.map((st) => [st.id, st.spans]));
    expect(f.pools).toEqual(['llm', 'retrieval', 'tools']);
    expect(f.stages.map((st) => [st.id, st.pool, st.tool ?? false, st.retry ?? null])).toEqual([
      ['chat-gpt-4o', 'llm', false, { maxAttempts: 2 }],
      ['chat-gpt-4o-2024', 'llm', false, null],
      ['chat-gpt-4o-mini', 'llm', false, null],
      ['execute_tool-calc', 'tools', true, null],
      ['execute_tool-search', 'tools', true, null],
      ['retrieval-docs', 'retrieval', false, null],
    ]);
    expect(f.graph.start).toBe('retrieval-docs');
    expect(f.graph.next).toEqual({ 'retrieval-docs': 'chat-gpt-4o-mini-map', 'chat-gpt-4o-mini-map': 'chat-gpt-4o-loop', 'chat-gpt-4o-loop': 'chat-gpt-4o-2024' });
    const nodes = f.graph.nodes!;
    expect(Object.keys(nodes)).toEqual(['chat-gpt-4o-loop', 'chat-gpt-4o-mini-map']);
    const map = nodes['chat-gpt-4o-mini-map'].map!;
    expect(map.body).toEqual(['chat-gpt-4o-mini']);
    expect(map.items).toEqual({ dist: 'empirical', counts: s.maps[0].items.map((e) => [e.value, e.count]) });
    const loop = nodes['chat-gpt-4o-loop'].loop!;
    expect(loop.body).toBe('chat-gpt-4o-loop-body');
    const route = (f.subgraphs!['chat-gpt-4o-loop-body'].next!['chat-gpt-4o'] as { route: Record<string, number> }).route;
    expect(Object.keys(route)).toEqual(['execute_tool-search', 'execute_tool-calc']);
    expect(route['execute_tool-search'] + route['execute_tool-calc']).toBe(1);
    // the fragment is a valid scenario, and compiles
    expect(() => compileScenario(scenarioSchema.parse(scenarioOf(f)))).not.toThrow();
  });

  it('writes a loop over a chain as the chain, with its geometric stop when asked', () => {
    const set = new TraceSet(), d = new Draws('chain-loop');
    for (let i = 0; i < 200; i++) {
      const steps: Step[] = [];
      for (let j = d.geometric(0.5); j > 0; j--) steps.push({ name: 'chat plan', ms: 10 }, { name: 'execute_tool run', ms: 5 });
      set.trace(`t${i}`, i * 1000, steps);
    }
    const s = inferStructure(set.spans);
    expect(chainOf(s.loops[0].body)).toEqual(['chat-plan', 'execute_tool-run']);
    const f = structureToScenario(s, { latencyFor: () => '10ms', loopIterations: 'geometric' });
    expect(f.graph).toEqual({
      start: 'chat-plan-loop',
      nodes: {
        'chat-plan-loop': {
          description: expect.stringMatching(/^loop from chat-plan: 200 runs \(0 ended by a failure inside\)/),
          loop: { body: ['chat-plan', 'execute_tool-run'], iterations: { stop: s.loops[0].stop.estimate }, atLimit: 'fail', observeErrors: 0 },
        },
      },
    });
    expect(f.subgraphs).toBeUndefined();
    expect(() => compileScenario(scenarioSchema.parse(scenarioOf(f)))).not.toThrow();
  });
});
