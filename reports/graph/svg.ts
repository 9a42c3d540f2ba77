/**
 * The laid-out pipeline as one standalone SVG: title, group frames, edges,
 * nodes, edge labels, legend – in that order, so labels sit on top of the
 * lines they name. Where the pipeline leaks is painted on it: every node and
 * every edge with a share of first faults is filled (an edge: haloed) by
 * leakColor and says its share; the recommended fix has a thick
 * bluish-green outline and a "recommended fix" tag.
 *
 * Deterministic: no ids at all (arrowheads are polygons, not markers), every
 * number through `num`, elements in the drawing's order.
 */
import type { PipelineDrawing } from './pipeline-drawing.js';
import type { PipelineLayout, PlacedEdge, PlacedGroup, PlacedNode, Point } from './layout.js';
import { GROUP_LABEL_FONT_PX, GROUP_PAD_PX } from './layout.js';
import { INK, leakColor, textColorOn, UNMEASURED_FILL } from './leak-scale.js';
import { nodeOutline, outlineX, textArea } from './shapes.js';
import { arrowhead, EDGE_KIND_ORDER, EDGE_STYLES, edgePathData } from './edge-style.js';
import { EDGE_LABEL_PAD_X, EDGE_LABEL_PAD_Y, EDGE_TAG_GAP } from './edge-content.js';
import { centredBlock, RECOMMENDED_COLOR, textElement, xmlText } from './svg-text.js';
import { legend, LEGEND_MIN_WIDTH_PX } from './legend.js';
import { shareLine } from './node-content.js';
import { FONT_FAMILY, num, textWidthPx } from './text.js';
import { OKABE_ITO } from '../theme.js';
import { wrap } from '../format.js';

const MARGIN_PX = 16;
const TITLE_FONT_PX = 15;
const SUBTITLE_FONT_PX = 11;
const NODE_STROKE = '#4d4d4d';

/** Frames: light greys, a shade darker per level of nesting; a loop body's frame in the loop edge's blue. */
const FRAME_FILLS = ['#f6f6f6', '#ececec', '#e2e2e2'];

function groupFrame({ group, box, depth }: PlacedGroup): string {
  const fill = FRAME_FILLS[Math.min(depth, FRAME_FILLS.length - 1)];
  const stroke = group.kind === 'loop' ? OKABE_ITO.blue : '#a6a6a6';
  const dash = group.kind === 'loop' ? ' stroke-dasharray="6 3"' : group.kind === 'branch' ? ' stroke-dasharray="2 3"' : '';
  const r = (b: typeof box) => `<rect x="${num(b.x)}" y="${num(b.y)}" width="${num(b.width)}" height="${num(b.height)}" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="1.25"${dash}/>`;
  // A map's frame is a stack of pages, like the map node: one copy behind, lower right.
  const behind = group.kind === 'map' ? r({ ...box, x: box.x + 4, y: box.y + 4 }) : '';
  const labelText = textElement(group.label, box.x + GROUP_PAD_PX, box.y + 8 + GROUP_LABEL_FONT_PX, GROUP_LABEL_FONT_PX, {
    bold: true,
    color: group.kind === 'loop' ? OKABE_ITO.blue : '#404040',
  });
  return `<g class="group" data-id="${xmlText(group.id)}">${behind}${r(box)}${labelText}</g>`;
}

function nodeElement({ node, content, box }: PlacedNode): string {
  const fill = node.faultShare === undefined ? UNMEASURED_FILL : leakColor(node.faultShare);
  const outline = node.recommended ? { fill, stroke: RECOMMENDED_COLOR, strokeWidthPx: 4 } : { fill, stroke: NODE_STROKE, strokeWidthPx: 1.25 };
  const tooltip = [node.label, node.faultShare !== undefined ? shareLine(node.faultShare) : '', node.detail ?? '', node.recommended ? 'recommended fix' : ''].filter((t) => t !== '').join(' · ');
  return (
    `<g class="node" data-id="${xmlText(node.id)}" data-kind="${node.kind}"><title>${xmlText(tooltip)}</title>` +
    nodeOutline(node.kind, box, outline) +
    centredBlock(content.lines, content.tag, textArea(node.kind, box), textColorOn(fill)) +
    '</g>'
  );
}

/**
 * The route with its two ends moved from the node's bounding box onto its
 * outline (shapes.ts outlineX), where the end run is horizontal and meets the
 * box's west or east side – the only sides a left-to-right layout uses.
 */
function onOutlines(route: readonly Point[], from: PlacedNode, to: PlacedNode): Point[] {
  const points = route.map((p) => ({ ...p }));
  const snap = (end: Point, next: Point, { node, box }: PlacedNode) => {
    if (Math.abs(end.y - next.y) > 1) return;
    const side = Math.abs(end.x - box.x) < 1 ? 'west' : Math.abs(end.x - (box.x + box.width)) < 1 ? 'east' : undefined;
    if (side) end.x = outlineX(node.kind, box, end.y, side);
  };
  if (points.length >= 2) {
    snap(points[0], points[1], from);
    snap(points[points.length - 1], points[points.length - 2], to);
  }
  return points;
}

/** Halo (the leak), casing (the recommended fix), the line and its arrowhead. */
function edgeLine({ edge, points: route }: PlacedEdge, placed: ReadonlyMap<string, PlacedNode>): string {
  const points = onOutlines(route, placed.get(edge.from)!, placed.get(edge.to)!);
  const style = EDGE_STYLES[edge.kind];
  const d = edgePathData(points);
  const full = edgePathData(points, 0);
  let out = `<g class="edge" data-id="${xmlText(edge.id)}" data-kind="${edge.kind}">`;
  if (edge.faultShare !== undefined && edge.faultShare > 0)
    out += `<path d="${full}" fill="none" stroke="${leakColor(edge.faultShare)}" stroke-width="${num(6 + 10 * Math.sqrt(edge.faultShare))}" stroke-linecap="round" stroke-linejoin="round"/>`;
  if (edge.recommended) out += `<path d="${full}" fill="none" stroke="${RECOMMENDED_COLOR}" stroke-width="5" stroke-linejoin="round"/>`;
  out += `<path d="${d}" fill="none" stroke="${style.color}" stroke-width="${num(style.widthPx)}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`;
  return `${out}${arrowhead(points, style.color)}</g>`;
}

function edgeLabel({ edge, label }: PlacedEdge): string {
  if (!label) return '';
  const shaded = edge.faultShare !== undefined && edge.faultShare > 0;
  const fill = shaded ? leakColor(edge.faultShare!) : '#ffffff';
  const { box, content } = label;
  const border = shaded ? ` stroke="${EDGE_STYLES[edge.kind].color}" stroke-width="0.75"` : '';
  const area = { x: box.x + EDGE_LABEL_PAD_X, y: box.y + EDGE_LABEL_PAD_Y, width: box.width - 2 * EDGE_LABEL_PAD_X, height: box.height - 2 * EDGE_LABEL_PAD_Y };
  const color = edge.kind === 'onFailure' && !shaded ? OKABE_ITO.vermillion : edge.kind === 'loop' && !shaded ? OKABE_ITO.blue : textColorOn(fill);
  return (
    `<g class="edge-label" data-id="${xmlText(edge.id)}">` +
    `<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="3" fill="${fill}" fill-opacity="${shaded ? 1 : 0.9}"${border}/>` +
    centredBlock(content.lines, content.tag, area, color, EDGE_TAG_GAP) +
    '</g>'
  );
}

/** The title (wrapped to the picture's width) and subtitle, as SVG, and the height they take. */
function header(drawing: PipelineDrawing, widthPx: number): { svg: string; heightPx: number } {
  const titleLines = wrap(drawing.title, Math.max(20, Math.floor((widthPx - 2 * MARGIN_PX) / textWidthPx('x', TITLE_FONT_PX, true))));
  const subLines = drawing.subtitle ? wrap(drawing.subtitle, Math.max(20, Math.floor((widthPx - 2 * MARGIN_PX) / textWidthPx('x', SUBTITLE_FONT_PX)))) : [];
  let y = MARGIN_PX;
  let svg = '';
  for (const line of titleLines) {
    y += TITLE_FONT_PX * 1.3;
    svg += textElement(line, MARGIN_PX, y - TITLE_FONT_PX * 0.25, TITLE_FONT_PX, { bold: true, color: INK });
  }
  for (const line of subLines) {
    y += SUBTITLE_FONT_PX * 1.3;
    svg += textElement(line, MARGIN_PX, y - SUBTITLE_FONT_PX * 0.25, SUBTITLE_FONT_PX, { color: '#444444' });
  }
  return { svg: `<g class="title">${svg}</g>`, heightPx: y + 8 };
}

/** The SVG document for a drawing and its layout (layoutPipeline). */
export function pipelineSvg(drawing: PipelineDrawing, layout: PipelineLayout): string {
  const widthPx = Math.ceil(Math.max(layout.widthPx + 2 * MARGIN_PX, LEGEND_MIN_WIDTH_PX + 2 * MARGIN_PX));
  const head = header(drawing, widthPx);
  const graphTop = head.heightPx;
  const legendTop = graphTop + layout.heightPx + 12;
  const key = legend(drawing, MARGIN_PX, legendTop, widthPx - 2 * MARGIN_PX);
  const heightPx = Math.ceil(legendTop + key.heightPx + MARGIN_PX);
  const byKind = [...layout.edges].sort((a, b) => EDGE_KIND_ORDER.indexOf(a.edge.kind) - EDGE_KIND_ORDER.indexOf(b.edge.kind));
  const graphX = (widthPx - layout.widthPx) / 2;
  const placed = new Map(layout.nodes.map((n) => [n.node.id, n]));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" font-family="${xmlText(FONT_FAMILY)}" role="img">`,
    `<title>${xmlText(drawing.title)}</title>`,
    `<rect width="${widthPx}" height="${heightPx}" fill="#ffffff"/>`,
    head.svg,
    `<g class="graph" transform="translate(${num(graphX)},${num(graphTop)})">`,
    ...layout.groups.map(groupFrame),
    ...byKind.map((e) => edgeLine(e, placed)),
    ...layout.nodes.map(nodeElement),
    ...layout.edges.map(edgeLabel),
    '</g>',
    key.svg,
    '</svg>',
    '',
  ].join('\n');
}
