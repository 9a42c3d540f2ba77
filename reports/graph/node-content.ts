/**
 * What a node box says and how big it must be: the layout sizes boxes from
 * it before ELK places them, the SVG writes the same lines into them – one
 * home, so text and box cannot disagree.
 */
import type { DrawingNode, DrawingNodeKind } from './pipeline-drawing.js';
import { sharePct, textWidthPx } from './text.js';

export type LineRole = 'caption' | 'title' | 'share' | 'detail';

export interface TextLine {
  text: string;
  role: LineRole;
  sizePx: number;
  bold: boolean;
}

/** Font size and weight per line role; line height is 1.3 × size. */
const LINE_STYLE: Record<LineRole, { sizePx: number; bold: boolean }> = {
  caption: { sizePx: 10, bold: false },
  title: { sizePx: 13, bold: true },
  share: { sizePx: 11, bold: true },
  detail: { sizePx: 11, bold: false },
};
export const LINE_HEIGHT = 1.3;

/** The tag on whatever the recommended fix acts on. */
export const RECOMMENDED_TAG = 'recommended fix';
export const TAG_FONT_PX = 10;
export const TAG_HEIGHT_PX = 16;
const TAG_GAP_PX = 4;

/**
 * Composite kinds say what they are in a small line above the name; a stage
 * is the default and says nothing, and a join's diamond says it (a line more
 * would widen the diamond by half: see nodeSize).
 */
const CAPTION: Partial<Record<DrawingNodeKind, string>> = {
  loop: 'loop',
  map: 'map · one branch per item',
  parallel: 'parallel',
  subgraph: 'subgraph',
  human: 'human',
};

/** "31 % of first faults" – the line every leak label shares (nodes and edges). */
export function shareLine(share: number): string {
  return `${sharePct(share)} of first faults`;
}

function line(text: string, role: LineRole): TextLine {
  return { text, role, ...LINE_STYLE[role] };
}

export interface NodeContent {
  lines: TextLine[];
  /** The recommended-fix tag, drawn as a pill under the lines. */
  tag: boolean;
  /** The text block (lines and tag) in px. */
  widthPx: number;
  heightPx: number;
}

export function nodeContent(node: DrawingNode): NodeContent {
  const lines: TextLine[] = [];
  const caption = CAPTION[node.kind];
  if (caption) lines.push(line(caption, 'caption'));
  lines.push(line(node.label, 'title'));
  if (node.faultShare !== undefined) lines.push(line(shareLine(node.faultShare), 'share'));
  if (node.detail) lines.push(line(node.detail, 'detail'));
  const tag = node.recommended === true;
  const widths = lines.map((l) => textWidthPx(l.text, l.sizePx, l.bold));
  if (tag) widths.push(tagWidthPx());
  const heightPx = lines.reduce((h, l) => h + l.sizePx * LINE_HEIGHT, 0) + (tag ? TAG_GAP_PX + TAG_HEIGHT_PX : 0);
  return { lines, tag, widthPx: Math.max(...widths), heightPx };
}

export function tagWidthPx(): number {
  return textWidthPx(RECOMMENDED_TAG, TAG_FONT_PX, true) + 12;
}

/** Room around the text inside a node's outline. */
const PAD_X = 12;
const PAD_Y = 8;
const MIN_WIDTH = 64;
const MIN_HEIGHT = 34;

/** Extra width the outline of each kind takes beside the text (tips, skew, stacked copies, icon). */
export const SHAPE_EXTRA = {
  /** Loop hexagon: each pointed end is this wide. */
  loopTipPx: 14,
  /** Parallelogram: the top edge is shifted right by this much. */
  parallelSkewPx: 12,
  /** Map: two copies behind, each offset by this much right and down. */
  mapStackPx: 4,
  /** Human: the person icon and the gap after it. */
  humanIconPx: 22,
  /** Subgraph: the inner outline's inset. */
  subgraphInsetPx: 3,
} as const;

export interface NodeSize {
  widthPx: number;
  heightPx: number;
}

/**
 * The box ELK places for a node: the text plus its kind's outline. A join is
 * a diamond, which holds a w × h text block when its half-diagonals a, b meet
 * w/(2a) + h/(2b) ≤ 1; with b fixed (height), a = w / (2 (1 − h/(2b))).
 */
export function nodeSize(kind: DrawingNodeKind, content: NodeContent): NodeSize {
  const w = content.widthPx;
  const h = content.heightPx;
  const boxH = Math.max(MIN_HEIGHT, h + 2 * PAD_Y);
  switch (kind) {
    case 'join': {
      const height = Math.max(44, 2 * h + 8);
      const a = w / (2 * (1 - h / height));
      return { widthPx: Math.max(MIN_WIDTH, 2 * a + 8), heightPx: height };
    }
    case 'start':
    case 'end':
      return { widthPx: Math.max(56, w + boxH), heightPx: boxH };
    case 'loop':
      return { widthPx: Math.max(MIN_WIDTH, w + 2 * PAD_X + 2 * SHAPE_EXTRA.loopTipPx), heightPx: boxH };
    case 'parallel':
      return { widthPx: Math.max(MIN_WIDTH, w + 2 * PAD_X + 2 * SHAPE_EXTRA.parallelSkewPx), heightPx: boxH };
    case 'map':
      return { widthPx: Math.max(MIN_WIDTH, w + 2 * PAD_X) + 2 * SHAPE_EXTRA.mapStackPx, heightPx: boxH + 2 * SHAPE_EXTRA.mapStackPx };
    case 'human':
      return { widthPx: Math.max(MIN_WIDTH, w + 2 * PAD_X + SHAPE_EXTRA.humanIconPx), heightPx: Math.max(boxH, 40) };
    case 'subgraph':
      return { widthPx: Math.max(MIN_WIDTH, w + 2 * PAD_X + 2 * SHAPE_EXTRA.subgraphInsetPx), heightPx: boxH + 2 * SHAPE_EXTRA.subgraphInsetPx };
    case 'stage':
      return { widthPx: Math.max(MIN_WIDTH, w + 2 * PAD_X), heightPx: boxH };
  }
}

/** The tag's gap above it, for the SVG. */
export const TAG_GAP = TAG_GAP_PX;
