import { describe, it, expect } from 'vitest';
import { modelOf } from '../test-support.js';
import { pathTopology } from './topology.js';

describe('pathTopology', () => {
  it('a chain: start, the stages in a row, end; hand-off edges named as results name them', () => {
    const t = pathTopology(
      modelOf({
        name: 't', arrivals: { kind: 'poisson', rate: 1 }, pools: { cpu: { servers: 1 } },
        stages: [{ id: 'a', pool: 'cpu', latency: 1 }, { id: 'b', pool: 'cpu', latency: 1 }],
      }),
    );
    expect(t.nodes.map((x) => x.id)).toEqual(['start', 'a', 'b', 'end']);
    expect(t.edges.map((e) => [e.id, e.kind, e.handoff])).toEqual([['start→a', 'next', undefined], ['a→b', 'next', 'a→b'], ['b→end', 'next', undefined]]);
    expect(t.groups).toEqual([]);
  });

  it('a graph: routes with shares, loop bodies as groups with branch and loop edges, onFailure and escalation', () => {
    const t = pathTopology(
      modelOf({
        name: 't', arrivals: { kind: 'poisson', rate: 1 }, pools: { cpu: { servers: 1 }, people: { kind: 'human', servers: 1 } },
        escalation: { pool: 'people', handlingTime: 1 },
        stages: ['router', 'rag', 'plan', 'act', 'answer', 'repair'].map((id) => ({ id, pool: 'cpu', latency: 1, ...(id === 'answer' ? { escalate: true } : {}) })),
        graph: {
          start: 'router',
          nodes: { react: { loop: { body: ['plan', 'act'], iterations: { stop: 0.5 }, limit: 10 } } },
          next: { router: { route: { rag: 0.7, react: 0.3 } }, rag: 'answer', react: 'answer', repair: 'answer' },
          onFailure: { rag: 'repair' },
        },
      }),
    );
    const byId = Object.fromEntries(t.edges.map((e) => [e.id, e]));
    expect(byId['router→rag']).toMatchObject({ kind: 'route', probability: 0.7, handoff: 'router→rag' });
    expect(byId['router→react'].kind).toBe('route');
    expect(byId['router→react'].probability).toBeCloseTo(0.3, 12);
    expect(byId['router→react'].handoff).toBeUndefined();
    expect(byId['react→plan']).toMatchObject({ kind: 'branch', handoff: 'react→plan' });
    expect(byId['act→react']).toMatchObject({ kind: 'loop' });
    expect(byId['rag→repair']).toMatchObject({ kind: 'onFailure' });
    expect(byId['answer→human']).toMatchObject({ kind: 'onFailure' });
    expect(t.nodes.find((x) => x.id === 'plan')).toEqual({ id: 'plan', kind: 'stage', group: 'flow:react body' });
    expect(t.groups).toEqual([{ id: 'flow:react body', label: 'react body', kind: 'loop' }]);
  });
});
