/**
 * The leak shading: a share of first faults → a fill colour, from near-white
 * (no leak) to a strong red, so a reader finds where the pipeline bleeds by
 * the darkest box.
 *
 * Colours: ColorBrewer "Reds", 9 classes (Harrower & Brewer 2003, "ColorBrewer.org:
 * an online tool for selecting colour schemes for maps", The Cartographic
 * Journal 40(1); https://colorbrewer2.org) – a sequential scheme whose
 * lightness falls steadily, so darker always means more, also in greyscale
 * and for the common colour-vision deficiencies. Between two classes the
 * colour is interpolated linearly in sRGB (the classes are close enough that
 * this stays monotone in luminance; a test checks it).
 *
 * Position on the scale: the square root of the share over a fixed 0..100 %
 * domain. Fixed, so the same share has the same shade in every picture (a
 * pipeline whose worst spot is 2 % does not look as alarming as one at 40 %);
 * square root, so the shares that matter in practice (1–30 %) spread over most
 * of the scale instead of the palest quarter. The legend says so.
 */

const REDS_9 = ['#fff5f0', '#fee0d2', '#fcbba1', '#fc9272', '#fb6a4a', '#ef3b2c', '#cb181d', '#a50f15', '#67000d'] as const;

/** Fill of a node, or of an edge label, with no measured share (faultShare absent). */
export const UNMEASURED_FILL = '#ffffff';

function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function hexOf(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** Where a share sits on the scale, 0..1: √share, clamped. */
export function scalePosition(share: number): number {
  return Math.sqrt(Math.min(1, Math.max(0, share)));
}

/** The fill colour (#rrggbb) for a share of first faults in 0..1. */
export function leakColor(share: number): string {
  const t = scalePosition(share) * (REDS_9.length - 1);
  const i = Math.min(REDS_9.length - 2, Math.floor(t));
  const a = rgbOf(REDS_9[i]);
  const b = rgbOf(REDS_9[i + 1]);
  const f = t - i;
  return hexOf(a.map((c, k) => c + (b[k] - c) * f));
}

/**
 * Relative luminance of a #rrggbb colour, 0 (black) .. 1 (white), as WCAG 2.x
 * defines it (sRGB linearised; https://www.w3.org/TR/WCAG21/#dfn-relative-luminance).
 */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Text colour on a fill: white on the dark reds, near-black otherwise – the
 * one of the two with the larger WCAG contrast ratio ((L1 + 0.05) / (L2 + 0.05)).
 */
export function textColorOn(fill: string): string {
  const l = relativeLuminance(fill);
  const onWhite = (1 + 0.05) / (l + 0.05);
  const onDark = (l + 0.05) / (relativeLuminance(INK) + 0.05);
  return onWhite > onDark ? '#ffffff' : INK;
}

/** The picture's text colour. */
export const INK = '#1a1a1a';
