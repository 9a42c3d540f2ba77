/**
 * One outline per node kind, so a reader tells a loop from a map from a join
 * without reading the caption. Conventions borrowed where there is one: the
 * diamond of a BPMN gateway for a join, BPMN's thin and thick circles (here
 * stadiums, to hold a label) for start and end, a stack of pages for a map
 * over items, a hexagon for a loop's controller.
 */
import type { DrawingNodeKind } from './pipeline-drawing.js';
import type { Box } from './layout.js';
import { SHAPE_EXTRA } from './node-content.js';
import { num } from './text.js';

export interface OutlineStyle {
  fill: string;
  stroke: string;
  strokeWidthPx: number;
}

function attrs(style: OutlineStyle): string {
  return `fill="${style.fill}" stroke="${style.stroke}" stroke-width="${num(style.strokeWidthPx)}" stroke-linejoin="round"`;
}

function rect(b: Box, rx: number, style: OutlineStyle): string {
  return `<rect x="${num(b.x)}" y="${num(b.y)}" width="${num(b.width)}" height="${num(b.height)}" rx="${num(rx)}" ${attrs(style)}/>`;
}

function polygon(points: readonly [number, number][], style: OutlineStyle): string {
  return `<polygon points="${points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}" ${attrs(style)}/>`;
}

/** The main outline of a map: the front page of the stack (the copies sit behind it, lower right). */
function mapFront(b: Box): Box {
  const s = 2 * SHAPE_EXTRA.mapStackPx;
  return { x: b.x, y: b.y, width: b.width - s, height: b.height - s };
}

/** The outline of a node of `kind` filling `b`, as SVG elements. */
export function nodeOutline(kind: DrawingNodeKind, b: Box, style: OutlineStyle): string {
  const { x, y, width: w, height: h } = b;
  switch (kind) {
    case 'stage':
      return rect(b, 6, style);
    case 'human':
      return rect(b, 6, style) + personIcon(x + 8, y + h / 2, style.stroke);
    case 'subgraph': {
      const i = SHAPE_EXTRA.subgraphInsetPx;
      const inner = { x: x + i, y: y + i, width: w - 2 * i, height: h - 2 * i };
      return rect(b, 8, style) + rect(inner, 5, { fill: 'none', stroke: style.stroke, strokeWidthPx: 1 });
    }
    case 'loop': {
      const t = SHAPE_EXTRA.loopTipPx;
      return polygon([[x + t, y], [x + w - t, y], [x + w, y + h / 2], [x + w - t, y + h], [x + t, y + h], [x, y + h / 2]], style);
    }
    case 'map': {
      const s = SHAPE_EXTRA.mapStackPx;
      const front = mapFront(b);
      const behind = { ...style, strokeWidthPx: Math.min(style.strokeWidthPx, 1.25) };
      return (
        rect({ ...front, x: x + 2 * s, y: y + 2 * s }, 6, behind) + rect({ ...front, x: x + s, y: y + s }, 6, behind) + rect(front, 6, style)
      );
    }
    case 'parallel': {
      const k = SHAPE_EXTRA.parallelSkewPx;
      return polygon([[x + k, y], [x + w, y], [x + w - k, y + h], [x, y + h]], style);
    }
    case 'join':
      return polygon([[x + w / 2, y], [x + w, y + h / 2], [x + w / 2, y + h], [x, y + h / 2]], style);
    case 'start':
      return rect(b, h / 2, style);
    case 'end':
      // BPMN's end event: the same outline, drawn thick.
      return rect(b, h / 2, { ...style, strokeWidthPx: Math.max(style.strokeWidthPx, 3) });
  }
}

/** Where a node's text goes: its outline's box, less a map's stacked copies and a human's icon. */
export function textArea(kind: DrawingNodeKind, b: Box): Box {
  if (kind === 'map') return mapFront(b);
  if (kind === 'human') return { x: b.x + SHAPE_EXTRA.humanIconPx, y: b.y, width: b.width - SHAPE_EXTRA.humanIconPx, height: b.height };
  return b;
}

/** A person, 14 px wide: a head and shoulders, its left edge at x, centred on y. */
function personIcon(x: number, cy: number, color: string): string {
  const head = `<circle cx="${num(x + 7)}" cy="${num(cy - 4)}" r="3.5" fill="${color}"/>`;
  const body = `<path d="M${num(x)},${num(cy + 9)} a7,7 0 0 1 14,0 z" fill="${color}"/>`;
  return head + body;
}

/**
 * Where a horizontal line at height `y` meets the outline of a node of `kind`
 * on its west or east side. ELK ends edges on the node's bounding box; for a
 * diamond, hexagon, parallelogram or stadium that point can lie in the empty
 * corner of the box, so the edge is extended to the outline itself.
 */
export function outlineX(kind: DrawingNodeKind, b: Box, y: number, side: 'west' | 'east'): number {
  const cy = b.y + b.height / 2;
  const dy = Math.min(1, Math.abs(y - cy) / (b.height / 2)); // 0 at the middle, 1 at the top or bottom
  let inset = 0;
  switch (kind) {
    case 'join':
      inset = (b.width / 2) * dy;
      break;
    case 'loop':
      inset = SHAPE_EXTRA.loopTipPx * dy;
      break;
    case 'parallel': {
      // The top edge is shifted right: the west side leans in at the top, the east side at the bottom.
      const fromTop = Math.min(1, Math.max(0, (y - b.y) / b.height));
      inset = SHAPE_EXTRA.parallelSkewPx * (side === 'west' ? 1 - fromTop : fromTop);
      break;
    }
    case 'start':
    case 'end': {
      const r = b.height / 2;
      inset = r - Math.sqrt(Math.max(0, r * r - (dy * r) ** 2));
      break;
    }
    default:
      inset = 0;
  }
  return side === 'west' ? b.x + inset : b.x + b.width - inset;
}
