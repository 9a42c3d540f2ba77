/**
 * What an edge's label says and how big it is: ELK places a box of this size
 * on the edge, the SVG writes the lines into it.
 */
import type { DrawingEdge } from './pipeline-drawing.js';
import { LINE_HEIGHT, RECOMMENDED_TAG, shareLine, TAG_FONT_PX, TAG_HEIGHT_PX, tagWidthPx, type TextLine } from './node-content.js';
import { probabilityPct, textWidthPx } from './text.js';

export const EDGE_LABEL_PAD_X = 4;
export const EDGE_LABEL_PAD_Y = 2;
const TAG_GAP_PX = 3;

export interface EdgeLabelContent {
  lines: TextLine[];
  tag: boolean;
  widthPx: number;
  heightPx: number;
}

/** The first line: the edge's own words and its probability, a loop's back-edge marked ↻, a failure path named. */
function headline(edge: DrawingEdge): string | undefined {
  const parts: string[] = [];
  if (edge.label) parts.push(edge.label);
  if (edge.probability !== undefined) parts.push(probabilityPct(edge.probability));
  if (parts.length === 0 && edge.kind === 'onFailure') parts.push('on failure');
  if (edge.kind === 'loop') return `↻ ${parts.length > 0 ? parts.join(' · ') : 'next iteration'}`;
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** The label of an edge, or undefined when it has nothing to say (a plain hand-off without a measured share). */
export function edgeLabelContent(edge: DrawingEdge): EdgeLabelContent | undefined {
  const lines: TextLine[] = [];
  const head = headline(edge);
  if (head !== undefined) lines.push({ text: head, role: 'detail', sizePx: 11, bold: false });
  if (edge.faultShare !== undefined && edge.faultShare > 0) lines.push({ text: shareLine(edge.faultShare), role: 'share', sizePx: 11, bold: true });
  const tag = edge.recommended === true;
  if (lines.length === 0 && !tag) return undefined;
  const widths = lines.map((l) => textWidthPx(l.text, l.sizePx, l.bold));
  if (tag) widths.push(tagWidthPx());
  const textH = lines.reduce((h, l) => h + l.sizePx * LINE_HEIGHT, 0) + (tag ? (lines.length > 0 ? TAG_GAP_PX : 0) + TAG_HEIGHT_PX : 0);
  return { lines, tag, widthPx: Math.max(...widths) + 2 * EDGE_LABEL_PAD_X, heightPx: textH + 2 * EDGE_LABEL_PAD_Y };
}

export const EDGE_TAG_GAP = TAG_GAP_PX;
export { RECOMMENDED_TAG, TAG_FONT_PX, TAG_HEIGHT_PX };
