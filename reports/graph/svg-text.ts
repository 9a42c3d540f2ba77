/**
 * Text blocks in the picture: lines centred in a box, and the
 * "recommended fix" tag. Every string is XML-escaped here, the one place the
 * picture writes text.
 */
import { escapeHtml } from '../escape.js';
import { xmlSafe } from '../render.js';
import { OKABE_ITO } from '../theme.js';
import type { Box } from './layout.js';
import { LINE_HEIGHT, RECOMMENDED_TAG, TAG_FONT_PX, TAG_GAP, TAG_HEIGHT_PX, tagWidthPx, type TextLine } from './node-content.js';
import { num } from './text.js';

/** The mark of the recommended fix: the coordination colour of the charts (theme KIND_COLORS). */
export const RECOMMENDED_COLOR = OKABE_ITO.bluishGreen;

/**
 * Text for an SVG element or attribute: escaped for XML (&, <, >, quotes)
 * and with characters XML 1.0 cannot hold (control characters, lone
 * surrogates) shown as \uXXXX, as the charts do (render.ts xmlSafe).
 */
export function xmlText(text: string): string {
  return xmlSafe(escapeHtml(text));
}

/** One <text> element: `anchor` start/middle/end at (x, baseline). */
export function textElement(text: string, x: number, baseline: number, sizePx: number, options: { bold?: boolean; italic?: boolean; color: string; anchor?: 'start' | 'middle' | 'end'; opacity?: number }): string {
  const parts = [
    `x="${num(x)}"`,
    `y="${num(baseline)}"`,
    `font-size="${num(sizePx)}"`,
    options.bold ? 'font-weight="bold"' : '',
    options.italic ? 'font-style="italic"' : '',
    `fill="${options.color}"`,
    options.opacity !== undefined ? `fill-opacity="${num(options.opacity)}"` : '',
    options.anchor && options.anchor !== 'start' ? `text-anchor="${options.anchor}"` : '',
  ].filter((p) => p !== '');
  return `<text ${parts.join(' ')}>${xmlText(text)}</text>`;
}

/** Baseline of a line of `sizePx` text whose line box starts at `top`: the x-height's middle on the line's middle. */
function baselineIn(top: number, sizePx: number): number {
  return top + (sizePx * LINE_HEIGHT) / 2 + sizePx * 0.36;
}

/** The tag pill, centred on cx, its top at `top`. */
export function recommendedTag(cx: number, top: number): string {
  const w = tagWidthPx();
  return (
    `<rect x="${num(cx - w / 2)}" y="${num(top)}" width="${num(w)}" height="${TAG_HEIGHT_PX}" rx="${TAG_HEIGHT_PX / 2}" fill="${RECOMMENDED_COLOR}"/>` +
    textElement(RECOMMENDED_TAG, cx, baselineIn(top + (TAG_HEIGHT_PX - TAG_FONT_PX * LINE_HEIGHT) / 2, TAG_FONT_PX), TAG_FONT_PX, { bold: true, color: '#ffffff', anchor: 'middle' })
  );
}

/**
 * Lines (and the tag, if any) centred in `area`, in `color`. A node's caption
 * and detail are set a little lighter than its name and share.
 */
export function centredBlock(lines: readonly TextLine[], tag: boolean, area: Box, color: string, tagGapPx = TAG_GAP): string {
  const blockH = lines.reduce((h, l) => h + l.sizePx * LINE_HEIGHT, 0) + (tag ? (lines.length > 0 ? tagGapPx : 0) + TAG_HEIGHT_PX : 0);
  const cx = area.x + area.width / 2;
  let top = area.y + (area.height - blockH) / 2;
  let out = '';
  for (const l of lines) {
    const light = l.role === 'caption' || l.role === 'detail';
    out += textElement(l.text, cx, baselineIn(top, l.sizePx), l.sizePx, { bold: l.bold, italic: l.role === 'caption', color, anchor: 'middle', ...(light && { opacity: 0.8 }) });
    top += l.sizePx * LINE_HEIGHT;
  }
  if (tag) out += recommendedTag(cx, top + (lines.length > 0 ? tagGapPx : 0));
  return out;
}
