/**
 * Graph warnings (warnings-graph.ts): a loop left at LangGraph's default
 * step limit, one that also retries what it observes, a map of more than a
 * thousand items, a route share of 0. Loaded the way the CLI loads a file, so
 * positions are the file's. The default limits come from LangGraph's
 * DEFAULT_RECURSION_LIMIT = 10007 (langgraph _internal/_config.py): one
 * super-step per node run, ⌊10007 / 2⌋ = 5003 iterations of a two-node body.
 */
import { describe, expect, it } from 'vitest';
import { parseSource, validateSource } from './index.js';
import { scenarioSchema } from './schema.js';
import { compileScenario } from './compile.js';
import { scenarioWarnings } from './warning-locate.js';
import { formatWarning } from './warnings.js';

function warningsOf(text: string): string[] {
  const src = parseSource(text, 's.yaml');
  const model = compileScenario(validateSource(src, scenarioSchema));
  return scenarioWarnings(src, { input: src.data, model }, []).map(formatWarning);
}

/** Lines 1–8; the graph: starts on line 9. Servers enough for a map of 5,000 items of 2 ms each at 10 requests/s. */
const HEAD = `name: g
arrivals: { kind: poisson, rate: 10/s }
pools:
  cpu: { servers: 1000 }
stages:
  - { id: plan, pool: cpu, latency: 1ms }
  - { id: act, pool: cpu, latency: 1ms }
  - { id: check, pool: cpu, latency: 1ms }
`;

const loop = (fields: string, body = '[act, check]') =>
  `${HEAD}graph:\n  next: { plan: agent }\n  nodes:\n    agent:\n      loop: { body: ${body}, iterations: { stop: 0.5 }${fields} }\n`;

describe('a loop without limit', () => {
  it('says the default it gets – ⌊10007 / body nodes⌋ iterations – and what an agent that never stops costs', () => {
    expect(warningsOf(loop(''))).toEqual([
      "s.yaml:13:13 warning: graph.nodes.agent.loop: no limit: the loop gets LangGraph's default recursion_limit of 10007 super-steps (langgraph 1.2.11, DEFAULT_RECURSION_LIMIT), " +
        "÷ 2 nodes per iteration = 5,003 iterations; an agent that never meets its stop condition runs, and pays for, all 5,003 iterations – set limit: to choose (CrewAI's max_iter default is 25)",
    ]);
    // A one-node body: every super-step is an iteration. check is then unused, so it stands after the loop.
    const one = `${HEAD}graph:\n  next: { plan: agent, agent: check }\n  nodes:\n    agent:\n      loop: { body: [act], iterations: { stop: 0.5 } }\n`;
    expect(warningsOf(one)).toEqual([
      "s.yaml:13:13 warning: graph.nodes.agent.loop: no limit: the loop gets LangGraph's default recursion_limit of 10007 super-steps (langgraph 1.2.11, DEFAULT_RECURSION_LIMIT), " +
        "10,007 iterations of its one node; an agent that never meets its stop condition runs, and pays for, all 10,007 iterations – set limit: to choose (CrewAI's max_iter default is 25)",
    ]);
  });

  it('is quiet once limit: is written', () => {
    expect(warningsOf(loop(', limit: 25'))).toEqual([]);
    expect(warningsOf(loop(', limit: 25, observeErrors: 0.8'))).toEqual([]);
  });

  it('with observeErrors above 0 says how often a failing tool is retried instead', () => {
    expect(warningsOf(loop(', observeErrors: 0.8'))).toEqual([
      "s.yaml:13:13 warning: graph.nodes.agent.loop: no limit: the loop gets LangGraph's default recursion_limit of 10007 super-steps (langgraph 1.2.11, DEFAULT_RECURSION_LIMIT), " +
        '÷ 2 nodes per iteration = 5,003 iterations, and the agent observes 80 % of failed iterations and tries again: a tool that keeps failing is retried up to 5,003 times, ' +
        "each iteration paying its tokens, before the loop gives up – set limit: (CrewAI's max_iter default is 25) unless the scenario is about that cost",
    ]);
  });

  it('a body so long that the default is under 100 iterations gets the plain warning even when it observes errors', () => {
    // 101 body nodes: ⌊10007 / 101⌋ = 99 iterations.
    const ids = Array.from({ length: 101 }, (_, i) => `s${i}`);
    const text = `name: g
arrivals: { kind: poisson, rate: 10/s }
pools:
  cpu: { servers: 100 }
stages:
${ids.map((id) => `  - { id: ${id}, pool: cpu, latency: 1ms }`).join('\n')}
graph:
  start: agent
  nodes:
    agent:
      loop: { body: [${ids.join(', ')}], iterations: { stop: 0.5 }, observeErrors: 0.5 }
`;
    const w = warningsOf(text);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('÷ 101 nodes per iteration = 99 iterations; an agent that never meets its stop condition runs, and pays for, all 99 iterations');
  });
});

describe('a map of many items', () => {
  const map = (items: string) => `${HEAD}graph:\n  next: { plan: docs }\n  nodes:\n    docs:\n      map: { items: ${items}, body: [act, check] }\n`;

  it('a mean above 1,000 items is warned about at items', () => {
    expect(warningsOf(map('{ dist: poisson, mean: 5000 }'))).toEqual([
      's.yaml:13:21 warning: graph.nodes.docs.map.items: a mean of 5,000 items per request: each item is a branch of its own, so one request fans out into that many sub-paths – ' +
        "likely a mistake (a map-reduce over retrieved documents has a handful: LangChain's similarity_search returns k = 4 by default); if meant, expect a slow, memory-heavy run",
    ]);
    expect(warningsOf(map('1001'))).toHaveLength(1);
  });

  it('1,000 or fewer is quiet', () => {
    expect(warningsOf(map('1000'))).toEqual([]);
    expect(warningsOf(map('{ dist: uniform, min: 3, max: 5 }'))).toEqual([]);
  });
});

describe('a route share of 0', () => {
  it('is a dead branch, warned about at the share', () => {
    expect(warningsOf(`${HEAD}graph:\n  next:\n    plan: { route: { act: 1, check: 0 } }\n`)).toEqual([
      's.yaml:11:37 warning: graph.next.plan.route.check: share 0: no request goes from plan to check – a dead branch; give it a share if it is meant to be taken, or remove it',
    ]);
    expect(warningsOf(`${HEAD}graph:\n  next:\n    plan: { route: { act: 0.999, check: 0.001 } }\n`)).toEqual([]);
  });

  it('in a sub-graph too', () => {
    const text = `${HEAD}graph:\n  next: { plan: team }\n  nodes:\n    team: { subgraph: review }\nsubgraphs:\n  review:\n    start: act\n    next: { act: { route: { check: 1, end: 0 } } }\n`;
    expect(warningsOf(text)).toEqual([
      's.yaml:16:44 warning: subgraphs.review.next.act.route.end: share 0: no request goes from act to end – a dead branch; give it a share if it is meant to be taken, or remove it',
    ]);
  });
});
