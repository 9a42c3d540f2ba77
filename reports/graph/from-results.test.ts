/**
 * The adapter from a simulated baseline to the pipeline picture: every
 * attribution origin lands on the node or hand-off it names (or is listed
 * under the title), and the shares are of the failed requests – so they add
 * up to 1 over the picture and the list. Real runs of a chain and a graph.
 */
import { describe, expect, it } from 'vitest';
import { modelOf } from '../../sim/test-support.js';
import { pathTopology, simulateModel } from '../../sim/path/index.js';
import type { ScenarioInput } from '../../sim/scenario/index.js';
import type { SensitivityResult } from '../../sim/experiment/index.js';
import type { RunResult } from '../../sim/metrics/index.js';
import { pipelineDrawing, recommendedFix } from './from-results.js';
import { drawPipelineSvg } from './index.js';
import type { PipelineDrawing } from './pipeline-drawing.js';

const BASE = { seed: 5, requests: 4000, arrivals: { kind: 'poisson', rate: 100 }, pools: { cpu: { servers: 1000 } } } as const;

const chain: ScenarioInput = {
  name: 'chain',
  ...BASE,
  stages: [
    { id: 'intake', pool: 'cpu', latency: 1, faults: { error: 0.02 } },
    { id: 'analysis', pool: 'cpu', latency: 1, faults: { corruption: 0.05 }, staleRead: 0.03, handoff: { contextLoss: 0.1 } },
    { id: 'decision', pool: 'cpu', latency: 1, faults: { error: 0.01 } },
  ],
};

const graph: ScenarioInput = {
  name: 'graph',
  ...BASE,
  pools: { ...BASE.pools, people: { kind: 'human', servers: 4 } },
  escalation: { pool: 'people', handlingTime: 1 },
  stages: ['router', 'rag', 'plan', 'act', 'answer', 'repair'].map((id) => ({
    id,
    pool: 'cpu',
    latency: 1,
    faults: { error: id === 'act' ? 0.1 : id === 'rag' ? 0.05 : 0.01 },
    ...(id === 'rag' ? { handoff: { contextLoss: 0.05 } } : {}),
    ...(id === 'answer' ? { escalate: true } : {}),
  })),
  graph: {
    start: 'router',
    nodes: { react: { loop: { body: ['plan', 'act'], iterations: { stop: 0.2 }, limit: 4, atLimit: 'fail' } } },
    next: { router: { route: { rag: 0.6, react: 0.4 } }, rag: 'answer', react: 'answer', repair: 'answer' },
    onFailure: { rag: 'repair' },
  },
};

function run(input: ScenarioInput) {
  const model = modelOf(input);
  return { topology: pathTopology(model), result: simulateModel(model) };
}

/** Shares on the picture plus those listed as not on it. */
function shareTotal(d: PipelineDrawing, r: RunResult): number {
  const onPicture = [...d.nodes, ...d.edges].reduce((s, x) => s + (x.faultShare ?? 0), 0);
  const total = r.attribution.reduce((s, a) => s + a.count, 0);
  const listed = r.attribution.filter((a) => a.origin.startsWith('none')).reduce((s, a) => s + a.count, 0);
  return onPicture + listed / total;
}

describe('pipelineDrawing', () => {
  it('a chain: each stage, its stale reads and its hand-off carry their own origins; the shares sum to 1', () => {
    const { topology, result } = run(chain);
    const d = pipelineDrawing(topology, result);
    const count = (origin: string) => result.attribution.find((a) => a.origin === origin)?.count ?? 0;
    const total = result.attribution.reduce((s, a) => s + a.count, 0);
    expect(total).toBe(result.requests - result.outcomes.success);
    expect(count('analysis (stale state)')).toBeGreaterThan(0);
    expect(count('intake→analysis')).toBeGreaterThan(0);
    const node = (id: string) => d.nodes.find((n) => n.id === id)!;
    expect(node('analysis').faultShare).toBeCloseTo((count('analysis') + count('analysis (stale state)')) / total, 12);
    expect(node('intake').faultShare).toBeCloseTo(count('intake') / total, 12);
    expect(d.edges.find((e) => e.id === 'intake→analysis')!.faultShare).toBeCloseTo(count('intake→analysis') / total, 12);
    // start→intake is no hand-off: not measured, not zero.
    expect(d.edges.find((e) => e.id === 'start→intake')!.faultShare).toBeUndefined();
    expect(shareTotal(d, result)).toBeCloseTo(1, 12);
    const top = [...result.attribution].sort((a, b) => b.count - a.count)[0];
    expect(d.title).toBe(`${top.origin === 'intake→analysis' ? 'The intake→analysis hand-off' : top.origin} is where ${Math.round((100 * top.count) / total)} % of failures start`);
    expect(d.subtitle).toContain(`share of failed requests' first faults: each of the ${total.toLocaleString('en-US')} of 4,000 requests`);
    expect(node('intake').detail).toMatch(/^\d.* % errors$/);
    expect(node('analysis').detail).toMatch(/^\d.* % corrupted · \d.* % stale reads$/);
  });

  it('a graph: a loop\'s limit lands on the loop node, routes keep their shares, visits per stage; the shares sum to 1', () => {
    const { topology, result } = run(graph);
    const d = pipelineDrawing(topology, result);
    const total = result.attribution.reduce((s, a) => s + a.count, 0);
    const count = (origin: string) => result.attribution.find((a) => a.origin === origin)?.count ?? 0;
    expect(count('loop:react limit')).toBeGreaterThan(0);
    const node = (id: string) => d.nodes.find((n) => n.id === id)!;
    expect(node('react').faultShare).toBeCloseTo(count('loop:react limit') / total, 12);
    expect(node('act').faultShare).toBeCloseTo(count('act') / total, 12);
    expect(node('act').group).toBe('flow:react body');
    expect(node('react').detail).toMatch(/iterations \(p95 \d+\)/);
    expect(node('plan').detail).toMatch(/^\d\.\d+ visits/);
    expect(node('human').kind).toBe('human');
    const route = d.edges.find((e) => e.id === 'router→rag')!;
    expect(route.probability).toBe(0.6);
    expect(route.faultShare).toBeCloseTo(count('router→rag') / total, 12);
    expect(d.groups).toEqual([{ id: 'flow:react body', label: 'react body', kind: 'loop' }]);
    expect(shareTotal(d, result)).toBeCloseTo(1, 12);
    // Every origin found its place: nothing is listed as off the picture.
    expect(d.subtitle).not.toContain('Not on the picture');
  });

  it('origins with no place on the picture are named under the title', () => {
    const { topology, result } = run(chain);
    const withNone: RunResult = { ...result, attribution: [...result.attribution, { origin: 'none (ran out of time)', count: 40 }] };
    const d = pipelineDrawing(topology, withNone);
    expect(d.subtitle).toMatch(/Not on the picture: none \(ran out of time\) \d/);
    expect(shareTotal(d, withNone)).toBeCloseTo(1, 12);
    // When most failed requests had no fault, the title says that rather than naming a place.
    const mostlyNone: RunResult = { ...result, attribution: [{ origin: 'none (ran out of time)', count: 900 }, ...result.attribution] };
    expect(pipelineDrawing(topology, mostlyNone).title).toMatch(/^\d+ % of failed requests had no fault: they ran out of time$/);
  });

  it('a run where everything succeeds says so and paints nothing', () => {
    const { topology, result } = run({ ...chain, stages: chain.stages.map((s) => ({ id: s.id, pool: 'cpu', latency: 1 })) });
    const d = pipelineDrawing(topology, result);
    expect(d.title).toBe('No request failed: every simulated request succeeded');
    expect(d.nodes.every((n) => (n.faultShare ?? 0) === 0)).toBe(true);
  });

  it('draws: the drawing is one the picture accepts, for the chain and the graph', async () => {
    for (const input of [chain, graph]) {
      const { topology, result } = run(input);
      const svg = await drawPipelineSvg(pipelineDrawing(topology, result, { scenarioFile: 'x.yaml' }));
      expect(svg).toContain('of failures start');
    }
  });
});

describe('recommendedFix', () => {
  const sensitivity = (patch: Record<string, unknown>, name = 'fix: analysis retry') => ({ options: [{ name, patch }] }) as unknown as SensitivityResult;
  const { topology } = run(chain);

  it('marks the stage the top option patches, or the hand-offs into it for a handoff policy', () => {
    expect(recommendedFix(sensitivity({ stages: { analysis: { retry: { maxAttempts: 3 } } } }), topology)).toEqual({ name: 'fix: analysis retry', nodes: ['analysis'], edges: [] });
    expect(recommendedFix(sensitivity({ stages: { analysis: { handoff: { protocol: true } } } }), topology)).toEqual({ name: 'fix: analysis retry', nodes: [], edges: ['intake→analysis'] });
  });

  it("a graph patch marks the node it sets (a loop's limit); a handoffs: setting every hand-off", () => {
    const { topology: g } = run(graph);
    expect(recommendedFix(sensitivity({ graph: { nodes: { react: { loop: { limit: 25 } } } } }, 'limit-25: graph'), g)).toEqual({ name: 'limit-25: graph', nodes: ['react'], edges: [] });
    expect(recommendedFix(sensitivity({ handoffs: { strict: true } }, 'typed: handoffs'), g)!.edges).toEqual(g.edges.filter((e) => e.handoff !== undefined).map((e) => e.id));
  });

  it('a patch that names no stage marks nothing but keeps the name; no ranking, no fix', () => {
    expect(recommendedFix(sensitivity({ pools: { cpu: { servers: 2 } } }, 'more servers'), topology)).toEqual({ name: 'more servers', nodes: [], edges: [] });
    expect(recommendedFix(undefined, topology)).toBeUndefined();
  });

  it('the picture outlines it and says its name', () => {
    const { result } = run(chain);
    const d = pipelineDrawing(topology, result, { recommended: { name: 'fix: analysis retry', nodes: ['analysis'], edges: [] } });
    expect(d.nodes.find((n) => n.id === 'analysis')!.recommended).toBe(true);
    expect(d.subtitle).toContain('Recommended fix: fix: analysis retry.');
  });
});
