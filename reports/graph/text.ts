/**
 * Text for the pipeline picture: how wide a line is before any font is
 * loaded, and how numbers are written. The layout needs text sizes before
 * the SVG exists and must not depend on the machine's fonts (same input,
 * same bytes), so widths are estimated, not measured.
 */
import { FONT } from '../theme.js';

/** The charts' font family (reports/theme.ts): DejaVu Sans first, which resvg draws the PNG with. */
export const FONT_FAMILY = FONT;

/**
 * Advance width per character, in em, for DejaVu Sans – a fixed estimate.
 * Measured with resvg on DejaVu Sans 2.37 (bounding boxes of 100 px text):
 * mixed lower-case labels average 0.43–0.60 em a character in the regular
 * weight ("call-tool" 0.43, "summarise" 0.60) and 0.49–0.68 em in bold.
 * Near the top of each range: a box is a little wide for narrow text, and
 * a wide word ("summarise" in bold, 0.675 em) overruns its estimate by less
 * than the box's padding. A line of capitals W and M (~0.9 em) would
 * overflow – labels are names, not such lines.
 */
const CHAR_EM = 0.58;
const BOLD_CHAR_EM = 0.64;

/** Estimated width in px of `text` at `fontSizePx`. Counts code points, so an emoji or "→" is one character. */
export function textWidthPx(text: string, fontSizePx: number, bold = false): number {
  return [...text].length * fontSizePx * (bold ? BOLD_CHAR_EM : CHAR_EM);
}

/**
 * A share as a percentage for the picture: whole percent from 1 % up ("31 %",
 * as the issue writes them), one decimal below ("0.4 %"), "< 0.1 %" for a
 * share too small for that but not zero, so a leak never reads as "0 %".
 */
export function sharePct(share: number): string {
  if (share === 0) return '0 %';
  if (share < 0.001) return '< 0.1 %';
  if (share < 0.01) return `${(share * 100).toFixed(1)} %`;
  return `${Math.round(share * 100)} %`;
}

/** A probability on an edge: "70 %", with one decimal where rounding would hide it ("0.5 %", "99.5 %"). */
export function probabilityPct(p: number): string {
  const whole = Math.round(p * 100);
  const exact = Math.abs(p * 100 - whole) < 1e-9;
  return exact || (p >= 0.01 && p <= 0.99) ? `${whole} %` : `${(p * 100).toFixed(1)} %`;
}

/** A coordinate for the SVG: at most one decimal, no "-0", so the bytes do not depend on float noise. */
export function num(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}
