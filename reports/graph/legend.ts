/**
 * The legend under the picture: the leak shading's scale, the edge kinds the
 * drawing uses (only those, as the charts show only the kinds present) and
 * the recommended-fix mark. Items flow left to right and wrap at the
 * picture's width.
 */
import type { DrawingEdgeKind, PipelineDrawing } from './pipeline-drawing.js';
import { leakColor, INK, UNMEASURED_FILL } from './leak-scale.js';
import { EDGE_KIND_ORDER, EDGE_STYLES } from './edge-style.js';
import { RECOMMENDED_COLOR, textElement } from './svg-text.js';
import { num, sharePct, textWidthPx } from './text.js';

const FONT_PX = 11;
const ROW_HEIGHT_PX = 20;
const ITEM_GAP_PX = 16;
const SWATCH_PX = 14;
const LINE_SAMPLE_PX = 28;

/** Shares with a swatch each: evenly spread on the √ scale (0, 0.1², … ) rounded to shares people quote. */
const SWATCH_SHARES = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1];

interface Item {
  widthPx: number;
  /** The edge kind an edge sample stands for. */
  kind?: DrawingEdgeKind;
  /** SVG with its top-left corner at (0, 0), ROW_HEIGHT_PX high. */
  draw(x: number, y: number): string;
}

function label(text: string, x: number, y: number, bold = false): string {
  return textElement(text, x, y + ROW_HEIGHT_PX / 2 + FONT_PX * 0.36, FONT_PX, { color: INK, bold });
}

function swatch(fill: string, text: string): Item {
  return {
    widthPx: SWATCH_PX + 4 + textWidthPx(text, FONT_PX),
    draw: (x, y) =>
      `<rect x="${num(x)}" y="${num(y + (ROW_HEIGHT_PX - SWATCH_PX) / 2)}" width="${SWATCH_PX}" height="${SWATCH_PX}" rx="2" fill="${fill}" stroke="#8c8c8c" stroke-width="0.75"/>` +
      label(text, x + SWATCH_PX + 4, y),
  };
}

function heading(text: string): Item {
  return { widthPx: textWidthPx(text, FONT_PX, true), draw: (x, y) => label(text, x, y, true) };
}

function lineSample(color: string, widthPx: number, dash: string | undefined, text: string, kind: DrawingEdgeKind): Item {
  return {
    kind,
    widthPx: LINE_SAMPLE_PX + 6 + textWidthPx(text, FONT_PX),
    draw: (x, y) =>
      `<line x1="${num(x)}" y1="${num(y + ROW_HEIGHT_PX / 2)}" x2="${num(x + LINE_SAMPLE_PX)}" y2="${num(y + ROW_HEIGHT_PX / 2)}" stroke="${color}" stroke-width="${num(widthPx)}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
      label(text, x + LINE_SAMPLE_PX + 6, y),
  };
}

function legendRows(drawing: PipelineDrawing): Item[][] {
  const shading: Item[] = [heading('Shade: share of first faults (square-root scale)')];
  for (const s of SWATCH_SHARES) shading.push(swatch(leakColor(s), sharePct(s)));
  if (drawing.nodes.some((n) => n.faultShare === undefined && n.kind !== 'start' && n.kind !== 'end')) shading.push(swatch(UNMEASURED_FILL, 'not measured'));

  const marks: Item[] = [heading('Edges')];
  const kinds = new Set(drawing.edges.map((e) => e.kind));
  // A routed hand-off looks like any hand-off: one entry for both.
  const sameLook = (a: DrawingEdgeKind, b: DrawingEdgeKind) =>
    EDGE_STYLES[a].color === EDGE_STYLES[b].color && EDGE_STYLES[a].widthPx === EDGE_STYLES[b].widthPx && EDGE_STYLES[a].dash === EDGE_STYLES[b].dash;
  const shown: DrawingEdgeKind[] = [];
  for (const kind of EDGE_KIND_ORDER) {
    if (!kinds.has(kind)) continue;
    const style = EDGE_STYLES[kind];
    const twin = shown.find((k) => sameLook(k, kind));
    if (twin !== undefined) {
      const at = marks.findIndex((m) => m.kind === twin);
      marks[at] = lineSample(style.color, style.widthPx, style.dash, `${EDGE_STYLES[twin].meaning}; ${style.meaning}`, twin);
      continue;
    }
    shown.push(kind);
    marks.push(lineSample(style.color, style.widthPx, style.dash, style.meaning, kind));
  }
  if (drawing.nodes.some((n) => n.recommended) || drawing.edges.some((e) => e.recommended)) {
    const text = 'where the recommended fix acts';
    marks.push({
      widthPx: SWATCH_PX + 4 + textWidthPx(text, FONT_PX),
      draw: (x, y) =>
        `<rect x="${num(x + 1.5)}" y="${num(y + (ROW_HEIGHT_PX - SWATCH_PX) / 2 + 1.5)}" width="${SWATCH_PX - 3}" height="${SWATCH_PX - 3}" rx="2" fill="#ffffff" stroke="${RECOMMENDED_COLOR}" stroke-width="3"/>` +
        label(text, x + SWATCH_PX + 4, y),
    });
  }
  return marks.length > 1 ? [shading, marks] : [shading];
}

/** The legend's SVG, its top-left at (x, y), no wider than maxWidthPx (except a single item wider than that). */
export function legend(drawing: PipelineDrawing, x: number, y: number, maxWidthPx: number): { svg: string; widthPx: number; heightPx: number } {
  let svg = '';
  let row = 0;
  let widest = 0;
  for (const items of legendRows(drawing)) {
    let cx = 0;
    for (const item of items) {
      if (cx > 0 && cx + item.widthPx > maxWidthPx) {
        row++;
        cx = 0;
      }
      svg += item.draw(x + cx, y + row * ROW_HEIGHT_PX);
      cx += item.widthPx + ITEM_GAP_PX;
      widest = Math.max(widest, cx - ITEM_GAP_PX);
    }
    row++;
  }
  return { svg: `<g class="legend">${svg}</g>`, widthPx: widest, heightPx: row * ROW_HEIGHT_PX };
}

/** The legend's width if nothing wrapped: the picture is made at least this wide when the graph is narrower than a sensible minimum. */
export const LEGEND_MIN_WIDTH_PX = 560;
