/**
 * Lays a pipeline drawing out with ELK's layered (Sugiyama) algorithm –
 * elkjs, the Eclipse Layout Kernel compiled to JavaScript
 * (https://eclipse.dev/elk/reference/algorithms/org-eclipse-elk-layered.html).
 * Left to right, as a request flows; groups (subgraphs, loop bodies, map and
 * parallel branches) are compound nodes laid out together with the rest
 * (hierarchyHandling INCLUDE_CHILDREN), so an edge into a loop body is routed
 * like any other; orthogonal edge routing; ELK places the edge labels.
 *
 * Every coordinate comes back relative to the drawing's top-left corner
 * (json.shapeCoords / json.edgeCoords ROOT,
 * https://eclipse.dev/elk/documentation/tooldevelopers/graphdatastructure/coordinatesystem.html),
 * so the SVG needs no walk up the hierarchy. ELK is deterministic for a given
 * input (its randomSeed is fixed below), so the same drawing gives the same
 * layout.
 */
import ElkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkApi, ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';
import type { DrawingEdge, DrawingGroup, DrawingNode, PipelineDrawing } from './pipeline-drawing.js';
import { nodeContent, nodeSize, type NodeContent } from './node-content.js';
import { edgeLabelContent, type EdgeLabelContent } from './edge-content.js';
import { validateDrawing } from './validate-drawing.js';
import { textWidthPx } from './text.js';

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedNode {
  node: DrawingNode;
  content: NodeContent;
  box: Box;
}

export interface PlacedGroup {
  group: DrawingGroup;
  box: Box;
  /** 0 for a top-level group, 1 inside one, …: nested frames are shaded apart. */
  depth: number;
}

export interface PlacedEdge {
  edge: DrawingEdge;
  /** From the source's side to the target's: start, bend points, end. */
  points: Point[];
  label?: { content: EdgeLabelContent; box: Box };
}

export interface PipelineLayout {
  widthPx: number;
  heightPx: number;
  nodes: PlacedNode[];
  /** Outer groups before the groups inside them, so frames can be drawn in this order. */
  groups: PlacedGroup[];
  edges: PlacedEdge[];
}

/** A group's label: bold, this size, in the frame's top-left corner, inside the padding reserved for it. */
export const GROUP_LABEL_FONT_PX = 11;
export const GROUP_PAD_PX = 14;
const GROUP_LABEL_BAND_PX = Math.ceil(GROUP_LABEL_FONT_PX * 1.3) + 8;

/**
 * Spacing in px. Layers 44 px apart leave room for an arrow between two boxes
 * (a labelled edge gets a layer of its own for the label);
 * 28 px between nodes of a layer keeps a shaded box from touching the next.
 */
const ROOT_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.randomSeed': '1',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.spacing.edgeNode': '16',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.spacing.edgeEdge': '12',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '12',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.labelLabel': '4',
  // Keep the drawing's order where crossings allow: branches stay in the order the scenario lists them.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  // No graph wrapping (layered.wrapping): tried for long pipelines, it drew
  // diagonal edges across the groups – it does not combine with INCLUDE_CHILDREN.
};

/**
 * elk.bundled.js is a CommonJS bundle whose module.exports is the ELK class;
 * its typings declare it as a default export, which Node's ESM-from-CJS
 * import hands over as the module object itself.
 */
const ElkClass = ((ElkModule as unknown as { default?: unknown }).default ?? ElkModule) as unknown as new () => ElkApi;
let elk: ElkApi | undefined;

/** The chain of groups a group sits in, itself first. */
function groupChain(id: string | undefined, parentOf: ReadonlyMap<string, string | undefined>): string[] {
  const chain: string[] = [];
  for (let g = id; g !== undefined; g = parentOf.get(g)) chain.push(g);
  return chain;
}

/** The innermost group holding both ends of an edge (undefined = the top level): where ELK expects the edge. */
function edgeContainer(from: string | undefined, to: string | undefined, parentOf: ReadonlyMap<string, string | undefined>): string | undefined {
  const toChain = new Set(groupChain(to, parentOf));
  return groupChain(from, parentOf).find((g) => toChain.has(g));
}

/**
 * Lays the drawing out. ELK ids are positional (n0, g0, e0) so no id from the
 * drawing, whatever its characters, reaches ELK.
 * @throws Error from validateDrawing on a malformed drawing.
 */
export async function layoutPipeline(drawing: PipelineDrawing): Promise<PipelineLayout> {
  validateDrawing(drawing);
  const groupIndex = new Map(drawing.groups.map((g, i) => [g.id, i]));
  const nodeIndex = new Map(drawing.nodes.map((n, i) => [n.id, i]));
  const parentOf = new Map(drawing.groups.map((g) => [g.id, g.parent]));

  const contents = drawing.nodes.map(nodeContent);
  const labels = drawing.edges.map(edgeLabelContent);
  const root: ElkNode = { id: 'root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  const elkGroups = drawing.groups.map((g, i): ElkNode => {
    const labelW = textWidthPx(g.label, GROUP_LABEL_FONT_PX, true);
    return {
      id: `g${i}`,
      children: [],
      edges: [],
      layoutOptions: {
        'elk.padding': `[top=${GROUP_LABEL_BAND_PX + GROUP_PAD_PX / 2},left=${GROUP_PAD_PX},bottom=${GROUP_PAD_PX},right=${GROUP_PAD_PX}]`,
        'elk.nodeSize.constraints': '[MINIMUM_SIZE]',
        'elk.nodeSize.minimum': `(${Math.ceil(labelW + 2 * GROUP_PAD_PX)},${GROUP_LABEL_BAND_PX + 2 * GROUP_PAD_PX})`,
      },
    };
  });
  const holder = (group: string | undefined): ElkNode => (group === undefined ? root : elkGroups[groupIndex.get(group)!]);
  drawing.groups.forEach((g, i) => holder(g.parent).children!.push(elkGroups[i]));
  drawing.nodes.forEach((n, i) => {
    const size = nodeSize(n.kind, contents[i]);
    const options: LayoutOptions = {};
    // Where a request enters and leaves: first and last layer of its graph.
    if (n.kind === 'start') options['elk.layered.layering.layerConstraint'] = 'FIRST';
    if (n.kind === 'end') options['elk.layered.layering.layerConstraint'] = 'LAST';
    holder(n.group).children!.push({ id: `n${i}`, width: Math.ceil(size.widthPx), height: Math.ceil(size.heightPx), layoutOptions: options });
  });
  drawing.edges.forEach((e, i) => {
    const label = labels[i];
    const elkEdge: ElkExtendedEdge = {
      id: `e${i}`,
      sources: [`n${nodeIndex.get(e.from)}`],
      targets: [`n${nodeIndex.get(e.to)}`],
      // A loop's back-edge is the one edge meant to point backwards: every
      // other edge outranks it when ELK breaks cycles
      // (layered.priority.direction, evaluated in cycle breaking).
      layoutOptions: { 'elk.layered.priority.direction': e.kind === 'loop' ? '0' : '1' },
      ...(label && {
        labels: [{ id: `e${i}l`, text: label.lines.map((l) => l.text).join(' ') || 'tag', width: Math.ceil(label.widthPx), height: Math.ceil(label.heightPx), layoutOptions: { 'elk.edgeLabels.placement': 'CENTER' } }],
      }),
    };
    const container = edgeContainer(drawing.nodes[nodeIndex.get(e.from)!].group, drawing.nodes[nodeIndex.get(e.to)!].group, parentOf);
    holder(container).edges!.push(elkEdge);
  });

  elk ??= new ElkClass();
  const out = await elk.layout(root);
  return collect(drawing, out, contents, labels);
}

function boxOf(n: { x?: number; y?: number; width?: number; height?: number }): Box {
  return { x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 };
}

/** Reads ELK's answer back onto the drawing's own elements. */
function collect(drawing: PipelineDrawing, out: ElkNode, contents: NodeContent[], labels: (EdgeLabelContent | undefined)[]): PipelineLayout {
  const nodes: PlacedNode[] = [];
  const groups: PlacedGroup[] = [];
  const edges = new Map<number, PlacedEdge>();
  const walk = (elkNode: ElkNode, depth: number) => {
    for (const child of elkNode.children ?? []) {
      const index = Number(child.id.slice(1));
      if (child.id.startsWith('g')) {
        groups.push({ group: drawing.groups[index], box: boxOf(child), depth });
        walk(child, depth + 1);
      } else nodes[index] = { node: drawing.nodes[index], content: contents[index], box: boxOf(child) };
    }
    for (const e of (elkNode.edges ?? []) as ElkExtendedEdge[]) {
      const index = Number(e.id.slice(1));
      const points: Point[] = [];
      for (const s of e.sections ?? []) {
        for (const p of [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]) {
          const last = points[points.length - 1];
          if (!last || last.x !== p.x || last.y !== p.y) points.push({ x: p.x, y: p.y });
        }
      }
      const content = labels[index];
      const elkLabel = e.labels?.[0];
      edges.set(index, { edge: drawing.edges[index], points, ...(content && elkLabel && { label: { content, box: boxOf(elkLabel) } }) });
    }
  };
  walk(out, 0);
  return {
    widthPx: out.width ?? 0,
    heightPx: out.height ?? 0,
    nodes,
    groups,
    edges: drawing.edges.map((_, i) => edges.get(i)!),
  };
}
