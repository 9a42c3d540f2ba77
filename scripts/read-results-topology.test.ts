/**
 * The pipeline picture's topology read back with `report --from`: kept as
 * written when it is one the tool could have written; refused, naming the
 * field, when a reference points nowhere, a group holds itself, a kind is
 * unknown or the graph is larger than the picture can lay out.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TOPOLOGY_NODES, parseReportResults } from './read-results.js';
import { fintechComparison } from '../reports/fixtures/load.js';
import type { PathTopology } from '../sim/path/index.js';

const VERSION = '0.1.0';

const topology = (): PathTopology => ({
  nodes: [
    { id: 'start', kind: 'start' },
    { id: 'react', kind: 'loop' },
    { id: 'plan', kind: 'stage', group: 'flow:react body' },
    { id: 'end', kind: 'end' },
  ],
  edges: [
    { id: 'start→react', from: 'start', to: 'react', kind: 'next' },
    { id: 'react→plan', from: 'react', to: 'plan', kind: 'branch', handoff: 'react→plan' },
    { id: 'plan→react', from: 'plan', to: 'react', kind: 'loop', probability: 0.7 },
    { id: 'react→end', from: 'react', to: 'end', kind: 'next' },
  ],
  groups: [{ id: 'flow:react body', label: 'react body', kind: 'loop' }],
});

const read = (t: unknown) => parseReportResults(JSON.parse(JSON.stringify({ comparison: fintechComparison(), topology: t })), 'results.json', VERSION);

describe('a topology read back', () => {
  it('is kept as written', () => {
    expect(read(topology()).topology).toEqual(topology());
  });

  it('an edge to a node it does not hold, a group that is not there, a group inside itself: refused, the field named', () => {
    const t = topology();
    t.edges[2].to = 'plann';
    expect(() => read(t)).toThrow('results.json: not a coordgap results file: field topology.edges[2].to: "plann" is not one of the topology\'s nodes');
    const g = topology();
    g.nodes[2].group = 'flow:nowhere';
    expect(() => read(g)).toThrow('field topology.nodes[2].group: "flow:nowhere" is not one of the topology\'s groups');
    const c = topology();
    c.groups.push({ id: 'a', label: 'a', kind: 'subgraph', parent: 'b' }, { id: 'b', label: 'b', kind: 'subgraph', parent: 'a' });
    expect(() => read(c)).toThrow('field topology.groups[1].parent: group "a" sits inside itself (through "a")');
  });

  it('an unknown kind, a probability above 1, a duplicate id, too many nodes: refused', () => {
    const k = topology() as unknown as { nodes: { kind: string }[] };
    k.nodes[1].kind = 'loopy';
    expect(() => read(k)).toThrow(/field topology\.nodes\[1\]\.kind: /);
    const p = topology();
    p.edges[2].probability = 1.5;
    expect(() => read(p)).toThrow('field topology.edges[2].probability: must be a share in [0, 1]');
    const d = topology();
    d.nodes[3].id = 'plan';
    expect(() => read(d)).toThrow('field topology.nodes[3].id: "plan" is the id of an earlier one of the nodes');
    const big = topology();
    big.nodes = Array.from({ length: MAX_TOPOLOGY_NODES + 1 }, (_, i) => ({ id: `n${i}`, kind: 'stage' as const }));
    expect(() => read({ ...big, edges: [], groups: [] })).toThrow(`field topology.nodes: must hold at most ${MAX_TOPOLOGY_NODES} nodes`);
  });
});
