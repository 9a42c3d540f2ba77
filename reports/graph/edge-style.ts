/**
 * How each kind of edge is drawn, and the geometry of a drawn edge: an
 * orthogonal route with rounded corners and an arrowhead drawn as its own
 * polygon (no <marker>: markers need document-wide ids, which would clash
 * when two pictures sit in one HTML page, and one marker per colour).
 */
import type { DrawingEdgeKind } from './pipeline-drawing.js';
import type { Point } from './layout.js';
import { GREY, OKABE_ITO } from '../theme.js';
import { num } from './text.js';

export interface EdgeStyle {
  color: string;
  widthPx: number;
  /** SVG stroke-dasharray, or none for a solid line. */
  dash?: string;
  /** Legend text. */
  meaning: string;
}

const HAND_OFF = '#4d4d4d';

/**
 * Hand-offs dark and solid; a failure path dashed in vermillion (Okabe–Ito's
 * red); a loop's back-edge in blue, the loop frame's colour; entering a body
 * dotted, leaving it dashed grey – the structural edges recede behind the
 * ones requests are routed along.
 */
export const EDGE_STYLES: Record<DrawingEdgeKind, EdgeStyle> = {
  next: { color: HAND_OFF, widthPx: 1.5, meaning: 'hand-off' },
  route: { color: HAND_OFF, widthPx: 1.5, meaning: '% = share routed there' },
  onFailure: { color: OKABE_ITO.vermillion, widthPx: 1.5, dash: '6 4', meaning: 'on failure' },
  loop: { color: OKABE_ITO.blue, widthPx: 1.75, meaning: '↻ next loop iteration' },
  branch: { color: HAND_OFF, widthPx: 1.25, dash: '1.5 3', meaning: 'into a body or branch' },
  return: { color: GREY, widthPx: 1.25, dash: '5 3', meaning: 'back out of a body or branch' },
};

/** Legend order, and the order edges are drawn in (later on top): structure first, failure paths last. */
export const EDGE_KIND_ORDER: readonly DrawingEdgeKind[] = ['next', 'route', 'branch', 'return', 'loop', 'onFailure'];

const ARROW_LENGTH_PX = 9;
const ARROW_HALF_WIDTH_PX = 4.5;
const CORNER_RADIUS_PX = 6;

/** The route as an SVG path: straight runs, corners rounded, the last run stopping where the arrowhead begins. */
export function edgePathData(points: readonly Point[], stopShortPx = ARROW_LENGTH_PX): string {
  if (points.length < 2) return '';
  const pts = points.map((p) => ({ ...p }));
  const last = pts[pts.length - 1];
  const prev = pts[pts.length - 2];
  const len = Math.hypot(last.x - prev.x, last.y - prev.y);
  if (len > 0) {
    const cut = Math.min(stopShortPx, len);
    last.x -= ((last.x - prev.x) / len) * cut;
    last.y -= ((last.y - prev.y) / len) * cut;
  }
  let d = `M${num(pts[0].x)},${num(pts[0].y)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const [a, b, c] = [pts[i - 1], pts[i], pts[i + 1]];
    const r = Math.min(CORNER_RADIUS_PX, Math.hypot(b.x - a.x, b.y - a.y) / 2, Math.hypot(c.x - b.x, c.y - b.y) / 2);
    const into = towards(b, a, r);
    const out = towards(b, c, r);
    d += ` L${num(into.x)},${num(into.y)} Q${num(b.x)},${num(b.y)} ${num(out.x)},${num(out.y)}`;
  }
  return `${d} L${num(last.x)},${num(last.y)}`;
}

/** The point `r` px from `from` towards `to`. */
function towards(from: Point, to: Point, r: number): Point {
  const len = Math.hypot(to.x - from.x, to.y - from.y);
  return len === 0 ? from : { x: from.x + ((to.x - from.x) / len) * r, y: from.y + ((to.y - from.y) / len) * r };
}

/** The arrowhead at the route's end, pointing along its last run. */
export function arrowhead(points: readonly Point[], color: string): string {
  if (points.length < 2) return '';
  const tip = points[points.length - 1];
  const from = points[points.length - 2];
  const len = Math.hypot(tip.x - from.x, tip.y - from.y) || 1;
  const ux = (tip.x - from.x) / len;
  const uy = (tip.y - from.y) / len;
  const bx = tip.x - ux * ARROW_LENGTH_PX;
  const by = tip.y - uy * ARROW_LENGTH_PX;
  const corners = [
    [tip.x, tip.y],
    [bx - uy * ARROW_HALF_WIDTH_PX, by + ux * ARROW_HALF_WIDTH_PX],
    [bx + uy * ARROW_HALF_WIDTH_PX, by - ux * ARROW_HALF_WIDTH_PX],
  ];
  return `<polygon points="${corners.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}" fill="${color}"/>`;
}
