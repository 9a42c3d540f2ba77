import { describe, expect, it } from 'vitest';
import { layoutPipeline, type Box, type PipelineLayout, type Point } from './layout.js';
import { largeDrawing, reactRag } from './drawings.test-support.js';
import type { PipelineDrawing } from './pipeline-drawing.js';

/** Interiors meet (touching edges do not count). */
function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** Does the axis-parallel segment p→q pass through the interior of b (shrunk by 1 px against rounding)? */
function segmentThrough(p: Point, q: Point, b: Box): boolean {
  const [x0, x1] = [Math.min(p.x, q.x), Math.max(p.x, q.x)];
  const [y0, y1] = [Math.min(p.y, q.y), Math.max(p.y, q.y)];
  return x0 < b.x + b.width - 1 && x1 > b.x + 1 && y0 < b.y + b.height - 1 && y1 > b.y + 1;
}

/** Every geometric promise the picture relies on, for any drawing. */
function expectClean(drawing: PipelineDrawing, layout: PipelineLayout) {
  const { nodes, groups, edges } = layout;
  expect(nodes.map((n) => n.node.id)).toEqual(drawing.nodes.map((n) => n.id));
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++)
      expect(overlap(nodes[i].box, nodes[j].box), `${nodes[i].node.id} overlaps ${nodes[j].node.id}`).toBe(false);
  const groupBox = new Map(groups.map((g) => [g.group.id, g.box]));
  const parentOf = new Map(drawing.groups.map((g) => [g.id, g.parent]));
  for (const { node, box } of nodes) {
    const chain = new Set<string>();
    for (let g = node.group; g !== undefined; g = parentOf.get(g)) chain.add(g);
    for (const [id, frame] of groupBox) {
      if (chain.has(id)) expect(inside(box, frame), `${node.id} outside its group ${id}`).toBe(true);
      else expect(overlap(box, frame), `${node.id} inside group ${id}, not its own`).toBe(false);
    }
  }
  for (const { edge, points, label } of edges) {
    expect(points.length, `${edge.id} has a route`).toBeGreaterThanOrEqual(2);
    // Orthogonal routing: every run horizontal or vertical, and no run through a node it does not connect.
    // Within 1 px: where an edge crosses a group's frame ELK joins its two halves with a jog of half a pixel.
    for (let k = 1; k < points.length; k++) {
      const [p, q] = [points[k - 1], points[k]];
      expect(Math.abs(p.x - q.x) <= 1 || Math.abs(p.y - q.y) <= 1, `${edge.id} run ${k} is diagonal`).toBe(true);
      for (const n of nodes)
        if (n.node.id !== edge.from && n.node.id !== edge.to) expect(segmentThrough(p, q, n.box), `${edge.id} crosses ${n.node.id}`).toBe(false);
    }
    if (label) for (const n of nodes) expect(overlap(label.box, n.box), `label of ${edge.id} covers ${n.node.id}`).toBe(false);
  }
  expect(layout.widthPx).toBeGreaterThan(0);
  expect(layout.heightPx).toBeGreaterThan(0);
}

describe('layoutPipeline', () => {
  it('lays the demo graph out without overlaps: nodes apart, inside their own frames only, edges around boxes, labels off nodes', async () => {
    const drawing = reactRag();
    expectClean(drawing, await layoutPipeline(drawing));
  });

  it('lays out a 61-node graph with nested groups and loops as cleanly', async () => {
    const drawing = largeDrawing(7);
    expect(drawing.nodes).toHaveLength(61);
    expectClean(drawing, await layoutPipeline(drawing));
  });

  it('runs left to right: every forward hand-off ends right of where it starts; a loop back-edge ends left of it', async () => {
    const layout = await layoutPipeline(reactRag());
    for (const { edge, points } of layout.edges) {
      const [first, last] = [points[0], points[points.length - 1]];
      if (edge.kind === 'loop') expect(last.x, edge.id).toBeLessThan(first.x);
      else expect(last.x, edge.id).toBeGreaterThan(first.x);
    }
  });

  it('names the element and the rule when a drawing is malformed', async () => {
    const base = reactRag();
    await expect(layoutPipeline({ ...base, edges: [{ id: 'x', from: 'router', to: 'nowhere', kind: 'next' }] })).rejects.toThrow(
      'pipeline drawing: edges[0] "x".to "nowhere" is not a node',
    );
    await expect(layoutPipeline({ ...base, nodes: [...base.nodes, { id: 'router', label: 'again', kind: 'stage' }] })).rejects.toThrow(
      `nodes[${base.nodes.length}] "router": the id is used by an earlier node`,
    );
    await expect(layoutPipeline({ ...base, nodes: [{ id: 'a', label: 'a', kind: 'stage', faultShare: 1.5 }], edges: [] })).rejects.toThrow(
      'nodes[0] "a".faultShare is 1.5; it must be a share between 0 and 1',
    );
    await expect(layoutPipeline({ ...base, groups: [{ id: 'g', label: 'g', parent: 'h' }, { id: 'h', label: 'h', parent: 'g' }] })).rejects.toThrow(
      'groups[0] "g" sits inside itself',
    );
  });
});
