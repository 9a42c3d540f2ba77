/**
 * Bad graphs end to end (issue 14, "Bad input"): the built CLI, `validate`
 * and `run`, on files in a temp dir. Each mistake exits 2 with one positioned
 * line – file:line:column, the field, what is wrong and what would be valid –
 * and never a stack trace. The messages themselves are checked in detail in
 * sim/scenario/graph-checks.test.ts; here, what a user sees. Needs `npm run build`.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { tempDir } from './test-support.js';
import { GRAPH_HEAD as HEAD } from '../sim/scenario/test-fixtures.js';

const BIN = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');


/** [file name, graph text after HEAD, the one line expected on stderr after "<file>:"]. */
const CASES: [string, string, string][] = [
  ['next-target', 'graph:\n  next:\n    plan: actt\n    act: check\n', '12:11 graph.next.plan: unknown node "actt"; did you mean "act"?'],
  ['next-source', 'graph:\n  next:\n    plan: act\n    actt: check\n', '13:5 graph.next.actt: unknown node "actt"; did you mean "act"?'],
  ['route-target', 'graph:\n  next:\n    plan: { route: { act: 0.5, chek: 0.5 } }\n    act: check\n', '12:32 graph.next.plan.route.chek: unknown node "chek"; did you mean "check"?'],
  ['on-failure', 'graph:\n  next:\n    plan: act\n    act: check\n  onFailure:\n    act: chek\n', '15:10 graph.onFailure.act: unknown node "chek"; did you mean "check"?'],
  [
    'body',
    'graph:\n  start: plan\n  next:\n    plan: agent\n  nodes:\n    agent:\n      loop:\n        body: [act, chekc]\n        iterations: { stop: 0.3 }\n',
    '17:21 graph.nodes.agent.loop.body[1]: unknown node "chekc"; did you mean "check"?',
  ],
  ['start', 'graph:\n  start: plann\n  next:\n    plan: act\n    act: check\n', '11:10 graph.start: unknown node "plann"; did you mean "plan"?'],
  [
    'unreachable-stage',
    'graph:\n  next:\n    plan: act\n',
    '9:11 stages[2].id: stage "check" is unreachable: no flow of the graph visits it – add it to graph.next, a sub-graph or a loop/map/parallel body, or remove it',
  ],
  [
    'unreachable-composite',
    'graph:\n  next:\n    plan: act\n  nodes:\n    fan:\n      parallel: { branches: [[check]] }\n',
    '14:5 graph.nodes.fan: node "fan" is unreachable: nothing in the graph leads to it from its start "plan", and no loop, map or parallel body names it – add it to next: (e.g. next: { plan: fan }) or remove it',
  ],
  [
    'cycle-next',
    'graph:\n  next:\n    plan: act\n    act: check\n    check: plan\n',
    '14:12 graph.next.check: a cycle without a step limit: plan → act → check → plan; an agent that goes round needs a loop node (graph.nodes.<id>.loop with body, iterations and limit)',
  ],
  [
    'cycle-on-failure',
    'graph:\n  next:\n    plan: act\n    act: check\n  onFailure:\n    check: plan\n',
    '15:12 graph.onFailure.check: a cycle without a step limit: plan → act → check → plan; an agent that goes round needs a loop node (graph.nodes.<id>.loop with body, iterations and limit)',
  ],
  ['route-0.9', 'graph:\n  next:\n    plan: { route: { act: 0.5, check: 0.4 } }\n', '12:20 graph.next.plan.route: routing shares sum to 0.9; they must sum to 1 (act 0.5 + check 0.4)'],
  ['route-1.1', 'graph:\n  next:\n    plan: { route: { act: 0.5, check: 0.6 } }\n', '12:20 graph.next.plan.route: routing shares sum to 1.1; they must sum to 1 (act 0.5 + check 0.6)'],
  ['map-fixed', 'graph:\n  start: plan\n  next: { plan: docs }\n  nodes:\n    docs:\n      map: { items: -1, body: [act, check] }\n', '15:21 graph.nodes.docs.map.items: must be a whole number of at least 0; got -1'],
  [
    'map-uniform',
    'graph:\n  start: plan\n  next: { plan: docs }\n  nodes:\n    docs:\n      map: { items: { dist: uniform, min: -2, max: 3 }, body: [act, check] }\n',
    '15:43 graph.nodes.docs.map.items.min: must be a whole number of at least 0; got -2',
  ],
  [
    'map-empirical',
    'graph:\n  start: plan\n  next: { plan: docs }\n  nodes:\n    docs:\n      map:\n        items: { dist: empirical, counts: [[-1, 0.5], [3, 0.5]] }\n        body: [act, check]\n',
    '16:45 graph.nodes.docs.map.items.counts[0][0]: must be a whole number of at least 0; got -1',
  ],
  [
    'loop-zero',
    'graph:\n  start: plan\n  next: { plan: agent }\n  nodes:\n    agent:\n      loop:\n        body: [act, check]\n        iterations: { dist: uniform, min: 0, max: 3 }\n',
    '17:21 graph.nodes.agent.loop.iterations: a loop runs its body at least once; this count can be 0 – give counts of at least 1',
  ],
  [
    'quorum',
    'graph:\n  start: fan\n  nodes:\n    fan:\n      parallel: { branches: [[plan], [act], [check]], join: { quorum: 4 } }\n',
    '14:71 graph.nodes.fan.parallel.join.quorum: a quorum of 4 out of 3 branches can never be met; at most 3',
  ],
  [
    'subgraph-unknown',
    'graph:\n  start: team\n  nodes:\n    team: { subgraph: reviw }\nsubgraphs:\n  review:\n    start: plan\n    next: { plan: act, act: check }\n',
    '13:23 graph.nodes.team.subgraph: unknown sub-graph "reviw"; did you mean "review"?',
  ],
  [
    'subgraph-self',
    'graph:\n  start: team\n  nodes:\n    team: { subgraph: review }\nsubgraphs:\n  review:\n    start: plan\n    next: { plan: act, act: check, check: inner }\n    nodes:\n      inner: { subgraph: review }\n',
    '19:26 subgraphs.review.nodes.inner.subgraph: sub-graph "review" contains node "inner", which runs it again: a sub-graph cannot nest inside itself',
  ],
  ['node-end', 'graph:\n  next: { plan: act, act: check }\n  nodes:\n    end: { subgraph: x }\n', '13:5 graph.nodes.end: "end" is the word that ends a flow (next: { a: end }); name the node otherwise'],
  [
    'two-kinds',
    'graph:\n  start: plan\n  next: { plan: agent }\n  nodes:\n    agent:\n      loop: { body: [act], iterations: { stop: 0.5 } }\n      map: { items: 2, body: [check] }\n',
    '16:7 graph.nodes.agent.map: a node is one of loop, map, parallel or subgraph; "agent" has loop and map – make each its own node',
  ],
  [
    'no-kind',
    'graph:\n  next: { plan: act, act: check, check: agent }\n  nodes:\n    agent:\n      description: nothing\n',
    '13:5 graph.nodes.agent: node "agent" has no kind: give it one of loop, map, parallel or subgraph',
  ],
  [
    'two-flows',
    'graph:\n  start: plan\n  next: { plan: agent, agent: act }\n  nodes:\n    agent:\n      loop: { body: [act, check], iterations: { stop: 0.5 } }\n',
    '15:22 graph.nodes.agent.loop.body[0]: node "act" is already in the graph; a node belongs to one flow – define another stage (a copy under a new id) for "agent body"',
  ],
  [
    'subgraphs-alone',
    'subgraphs:\n  review:\n    start: plan\n    next: { plan: act, act: check }\n',
    '10:1 subgraphs: sub-graphs are used from the nodes of a graph: section, and there is none – add graph: (with start and next) or remove subgraphs',
  ],
  [
    'join-in-next',
    'graph:\n  next:\n    plan: act\n    act: { join: all }\n',
    '13:12 graph.next.act.join: unknown key "join" here; a join is declared on the node that forks: graph.nodes.<id>.parallel.join or graph.nodes.<id>.map.join',
  ],
];

let dir: string;

beforeAll(() => {
  dir = tempDir('coordgap-graph-bad-');
  for (const [name, graph] of CASES) writeFileSync(join(dir, `${name}.yaml`), HEAD + graph);
});

describe('bad graphs through the built CLI', () => {
  it('the CLI is built', () => expect(existsSync(BIN)).toBe(true));

  it.each(CASES)('%s: validate and run exit 2 with one positioned line, no stack trace', (name, _graph, line) => {
    for (const command of ['validate', 'run']) {
      const r = spawnSync(process.execPath, [BIN, command, `${name}.yaml`, ...(command === 'run' ? ['--threads', '1'] : [])], { cwd: dir, encoding: 'utf8' });
      expect({ command, status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ command, status: 2, stderr: `${name}.yaml:${line}\n`, stdout: '' });
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  }, 120_000);

  it('the same file without its mistake runs (the cases differ from a good graph only by the mistake)', () => {
    writeFileSync(join(dir, 'good.yaml'), `${HEAD}graph:\n  next:\n    plan: { route: { act: 0.5, check: 0.5 } }\n  onFailure:\n    act: check\n`);
    const r = spawnSync(process.execPath, [BIN, 'run', 'good.yaml', '--threads', '1', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).requests).toBe(200);
  }, 120_000);
});
