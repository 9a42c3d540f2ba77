/**
 * Bad graphs (issue 14, "Bad input"): each mistake is one positioned issue –
 * the field to fix, its line and column, what would be valid, a did-you-mean
 * for a misspelt node – and never a cascade of issues that follow from it
 * (an unknown node used to make every node after it "unreachable" too).
 * Parsed with the real scenarioSchema from text, so positions are the file's.
 */
import { describe, expect, it } from 'vitest';
import { GRAPH_HEAD as HEAD, validationErrors } from './test-fixtures.js';

const errors = (graph: string): string[] => validationErrors(HEAD + graph);

describe('unknown nodes: did-you-mean, at the name', () => {
  it('in next: as a target (the value) and as a source (the key)', () => {
    expect(errors('graph:\n  next:\n    plan: actt\n    act: check\n')).toEqual(['s.yaml:12:11 graph.next.plan: unknown node "actt"; did you mean "act"?']);
    expect(errors('graph:\n  next:\n    plan: act\n    actt: check\n')).toEqual(['s.yaml:13:5 graph.next.actt: unknown node "actt"; did you mean "act"?']);
  });

  it('in a route, at the misspelt key', () => {
    expect(errors('graph:\n  next:\n    plan: { route: { act: 0.5, chek: 0.5 } }\n    act: check\n')).toEqual([
      's.yaml:12:32 graph.next.plan.route.chek: unknown node "chek"; did you mean "check"?',
    ]);
  });

  it('in onFailure:', () => {
    expect(errors('graph:\n  next:\n    plan: act\n    act: check\n  onFailure:\n    act: chek\n')).toEqual([
      's.yaml:15:10 graph.onFailure.act: unknown node "chek"; did you mean "check"?',
    ]);
  });

  it('in a loop body and in start:', () => {
    expect(errors('graph:\n  start: plan\n  next:\n    plan: agent\n  nodes:\n    agent:\n      loop:\n        body: [act, chekc]\n        iterations: { stop: 0.3 }\n')).toEqual([
      's.yaml:17:21 graph.nodes.agent.loop.body[1]: unknown node "chekc"; did you mean "check"?',
    ]);
    expect(errors('graph:\n  start: plann\n  next:\n    plan: act\n    act: check\n')).toEqual(['s.yaml:11:10 graph.start: unknown node "plann"; did you mean "plan"?']);
  });

  it('an unknown sub-graph name', () => {
    expect(errors('graph:\n  start: team\n  nodes:\n    team: { subgraph: reviw }\nsubgraphs:\n  review:\n    start: plan\n    next: { plan: act, act: check }\n')).toEqual([
      's.yaml:13:23 graph.nodes.team.subgraph: unknown sub-graph "reviw"; did you mean "review"?',
    ]);
  });
});

describe('reachability', () => {
  it('a stage no flow visits, at its id', () => {
    expect(errors('graph:\n  next:\n    plan: act\n')).toEqual([
      's.yaml:9:11 stages[2].id: stage "check" is unreachable: no flow of the graph visits it – add it to graph.next, a sub-graph or a loop/map/parallel body, or remove it',
    ]);
  });

  it('a composite nothing leads to, at its name', () => {
    expect(errors('graph:\n  next:\n    plan: act\n  nodes:\n    fan:\n      parallel: { branches: [[check]] }\n')).toEqual([
      's.yaml:14:5 graph.nodes.fan: node "fan" is unreachable: nothing in the graph leads to it from its start "plan", and no loop, map or parallel body names it – add it to next: (e.g. next: { plan: fan }) or remove it',
    ]);
  });

  it('a composite named in a loop body belongs to that body (parallel tool calls inside a ReAct loop)', () => {
    expect(errors('graph:\n  next: { plan: agent }\n  nodes:\n    agent:\n      loop: { body: [act, tools], iterations: { stop: 0.5 }, limit: 10 }\n    tools:\n      parallel: { branches: [[check]] }\n')).toEqual([]);
  });

  it('a sub-graph no node runs: one issue at its name, none for the stages it names', () => {
    expect(errors('graph:\n  next: { plan: act }\nsubgraphs:\n  review:\n    start: check\n')).toEqual([
      's.yaml:13:3 subgraphs.review: sub-graph "review" is not used: no node runs it (graph.nodes.<id>.subgraph: review, or a loop, map or parallel body: review) – use it or remove it',
    ]);
  });

  it('a node listed in next: that nothing leads to, at its key', () => {
    expect(errors('graph:\n  next:\n    plan: end\n    act: check\n')).toEqual([
      's.yaml:13:5 graph.next.act: node "act" is unreachable: nothing in the graph leads to it from its start "plan"',
    ]);
  });
});

describe('cycles need a loop node', () => {
  it('a cycle in next:', () => {
    expect(errors('graph:\n  next:\n    plan: act\n    act: check\n    check: plan\n')).toEqual([
      's.yaml:14:12 graph.next.check: a cycle without a step limit: plan → act → check → plan; an agent that goes round needs a loop node (graph.nodes.<id>.loop with body, iterations and limit)',
    ]);
  });

  it('a cycle closed by onFailure:', () => {
    expect(errors('graph:\n  next:\n    plan: act\n    act: check\n  onFailure:\n    check: plan\n')).toEqual([
      's.yaml:15:12 graph.onFailure.check: a cycle without a step limit: plan → act → check → plan; an agent that goes round needs a loop node (graph.nodes.<id>.loop with body, iterations and limit)',
    ]);
  });
});

describe('routing shares sum to 1', () => {
  it('0.9 and 1.1 are refused with the sum and the terms', () => {
    expect(errors('graph:\n  next:\n    plan: { route: { act: 0.5, check: 0.4 } }\n')).toEqual([
      's.yaml:12:20 graph.next.plan.route: routing shares sum to 0.9; they must sum to 1 (act 0.5 + check 0.4)',
    ]);
    expect(errors('graph:\n  next:\n    plan: { route: { act: 0.5, check: 0.6 } }\n')).toEqual([
      's.yaml:12:20 graph.next.plan.route: routing shares sum to 1.1; they must sum to 1 (act 0.5 + check 0.6)',
    ]);
  });

  it('decimals that sum to 1 in floating point error (0.1 + 0.2 + 0.7) are accepted', () => {
    expect(errors('graph:\n  nodes:\n    fan: { parallel: { branches: [[act]] } }\n  next:\n    plan: { route: { fan: 0.1, check: 0.2, end: 0.7 } }\n')).toEqual([]);
  });
});

describe('counts', () => {
  const map = (items: string) => `graph:\n  start: plan\n  next: { plan: docs }\n  nodes:\n    docs:\n      map:\n        items: ${items}\n        body: [act, check]\n`;

  it('a map whose item count can be negative: a fixed −1, a uniform from −2, an empirical −1', () => {
    expect(errors(map('-1'))).toEqual(['s.yaml:16:16 graph.nodes.docs.map.items: must be a whole number of at least 0; got -1']);
    expect(errors(map('{ dist: uniform, min: -2, max: 3 }'))).toEqual(['s.yaml:16:38 graph.nodes.docs.map.items.min: must be a whole number of at least 0; got -2']);
    expect(errors(map('{ dist: empirical, counts: [[-1, 0.5], [3, 0.5]] }'))).toEqual([
      's.yaml:16:45 graph.nodes.docs.map.items.counts[0][0]: must be a whole number of at least 0; got -1',
    ]);
    expect(errors(map('{ dist: uniform, min: 0, max: 3 }'))).toEqual([]); // zero items: the request passes through
  });

  it('a loop whose iteration count can be 0', () => {
    const loop = (iterations: string) => `graph:\n  start: plan\n  next: { plan: agent }\n  nodes:\n    agent:\n      loop:\n        body: [act, check]\n        iterations: ${iterations}\n`;
    expect(errors(loop('{ dist: uniform, min: 0, max: 3 }'))).toEqual([
      's.yaml:17:21 graph.nodes.agent.loop.iterations: a loop runs its body at least once; this count can be 0 – give counts of at least 1',
    ]);
    expect(errors(loop('0'))).toEqual(['s.yaml:17:21 graph.nodes.agent.loop.iterations: a loop runs its body at least once; this count can be 0 – give counts of at least 1']);
    expect(errors(loop('{ dist: uniform, min: 1, max: 3 }'))).toEqual([]);
  });

  it('a quorum larger than the branches, or than a map can draw', () => {
    expect(errors('graph:\n  start: fan\n  nodes:\n    fan:\n      parallel: { branches: [[plan], [act], [check]], join: { quorum: 4 } }\n')).toEqual([
      's.yaml:14:71 graph.nodes.fan.parallel.join.quorum: a quorum of 4 out of 3 branches can never be met; at most 3',
    ]);
    expect(errors('graph:\n  start: plan\n  next: { plan: docs }\n  nodes:\n    docs:\n      map: { items: { dist: uniform, min: 1, max: 3 }, body: [act, check], join: { quorum: 4 } }\n')).toEqual([
      's.yaml:15:92 graph.nodes.docs.map.join.quorum: a quorum of 4 can never be met: the map has at most 3 items; at most 3',
    ]);
  });
});

describe('node definitions', () => {
  it('a node named end', () => {
    expect(errors('graph:\n  next: { plan: act, act: check }\n  nodes:\n    end: { subgraph: x }\n')).toEqual([
      's.yaml:13:5 graph.nodes.end: "end" is the word that ends a flow (next: { a: end }); name the node otherwise',
    ]);
  });

  it('a node with two kinds, or none', () => {
    expect(errors('graph:\n  start: plan\n  next: { plan: agent }\n  nodes:\n    agent:\n      loop: { body: [act], iterations: { stop: 0.5 } }\n      map: { items: 2, body: [check] }\n')).toEqual([
      's.yaml:16:7 graph.nodes.agent.map: a node is one of loop, map, parallel or subgraph; "agent" has loop and map – make each its own node',
    ]);
    expect(errors('graph:\n  next: { plan: act, act: check, check: agent }\n  nodes:\n    agent:\n      description: nothing\n')).toEqual([
      's.yaml:13:5 graph.nodes.agent: node "agent" has no kind: give it one of loop, map, parallel or subgraph',
    ]);
  });

  it('a stage in two flows', () => {
    expect(errors('graph:\n  start: plan\n  next: { plan: agent, agent: act }\n  nodes:\n    agent:\n      loop: { body: [act, check], iterations: { stop: 0.5 } }\n')).toEqual([
      's.yaml:15:22 graph.nodes.agent.loop.body[0]: node "act" is already in the graph; a node belongs to one flow – define another stage (a copy under a new id) for "agent body"',
    ]);
  });

  it('a sub-graph that contains itself, at the reference that closes the cycle', () => {
    const text = 'graph:\n  start: team\n  nodes:\n    team: { subgraph: review }\nsubgraphs:\n  review:\n    start: plan\n    next: { plan: act, act: check, check: inner }\n    nodes:\n      inner: { subgraph: review }\n';
    expect(errors(text)).toEqual([
      's.yaml:19:26 subgraphs.review.nodes.inner.subgraph: sub-graph "review" contains node "inner", which runs it again: a sub-graph cannot nest inside itself',
    ]);
  });

  it('subgraphs: without graph:', () => {
    expect(errors('subgraphs:\n  review:\n    start: plan\n    next: { plan: act, act: check }\n')).toEqual([
      's.yaml:10:1 subgraphs: sub-graphs are used from the nodes of a graph: section, and there is none – add graph: (with start and next) or remove subgraphs',
    ]);
  });
});

describe('a join without its fork', () => {
  // A join is a field of its fork node (parallel.join, map.join): no separate join node exists to be orphaned.
  it('join: in next:, in graph: or on a loop is an unknown key that says where a join goes – one issue, no "missing route"', () => {
    const hint = 'unknown key "join" here; a join is declared on the node that forks: graph.nodes.<id>.parallel.join or graph.nodes.<id>.map.join';
    expect(errors('graph:\n  next:\n    plan: act\n    act: { join: all }\n')).toEqual([`s.yaml:13:12 graph.next.act.join: ${hint}`]);
    expect(errors('graph:\n  next: { plan: act, act: check }\n  join: all\n')).toEqual([`s.yaml:12:3 graph.join: ${hint}`]);
    expect(errors('graph:\n  start: plan\n  next: { plan: agent }\n  nodes:\n    agent:\n      loop: { body: [act, check], iterations: { stop: 0.5 }, join: all }\n')).toEqual([
      `s.yaml:15:62 graph.nodes.agent.loop.join: ${hint}`,
    ]);
  });

  it('a next: mapping without route says what next: takes', () => {
    expect(errors('graph:\n  next:\n    plan: act\n    act: {}\n')).toEqual([
      's.yaml:13:10 graph.next.act.route: missing required key "route": next: takes a node id, end, or { route: { <node>: <share>, … } }',
    ]);
  });
});
