/** What every chart module returns, and the title/size helpers they share. */
import type { TopLevelSpec } from 'vega-lite';
import { wrap } from '../format.js';

export interface Chart {
  /** File stem under charts/: `charts/NAME.vl.json`, `.svg`, and `.png` when asked for (ChartFiles). */
  name: string;
  /** The finding the title states, as plain text (alt text, figure caption). */
  title: string;
  spec: TopLevelSpec;
}

/**
 * The picture files a report writes per chart besides its Vega-Lite spec and
 * SVG. PNGs only when asked for: rasterising them was ~1.1 CPU-s of
 * `coordgap demo` (issue 13), and the SVG shows the same chart wherever
 * Markdown images or a browser do.
 */
export interface ChartFiles {
  png: boolean;
}

/** Characters per title line; titles wrap so they never run off the chart. */
const TITLE_CHARS = 80;
const SUBTITLE_CHARS = 100;

/** A title that states the finding, with what is plotted (and its units, its intervals) underneath. */
export function title(finding: string, subtitle: string) {
  return { text: wrap(finding, TITLE_CHARS), subtitle: wrap(subtitle, SUBTITLE_CHARS) };
}

/** A number for chart data: JSON cannot hold NaN or ±Infinity, and Vega-Lite filters null. */
export function finite(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** Height for a band chart with `rows` categories. */
export function bandHeight(rows: number, step = 26): number {
  return Math.max(60, rows * step);
}

/**
 * A log scale fitted to the data with ticks at 1, 2 and 5 × 10ᵏ (only powers
 * of ten when those would be too many): vega's own log ticks label every
 * minor tick, which buries the numbers.
 */
export function logScale(data: readonly (number | null | undefined)[], include: readonly number[] = []) {
  const xs = [...data, ...include].filter((x): x is number => x !== null && x !== undefined && Number.isFinite(x) && x > 0);
  if (xs.length === 0) return { scale: { type: 'log' as const }, axis: {} };
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const candidates: number[] = [];
  for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)) + 1; k++)
    for (const m of [1, 2, 5]) candidates.push(Number((m * 10 ** k).toPrecision(12)));
  const domainLo = Math.max(...candidates.filter((c) => c <= lo));
  const domainHi = Math.min(...candidates.filter((c) => c >= hi));
  let ticks = candidates.filter((c) => c >= domainLo && c <= domainHi);
  if (ticks.length > 9) ticks = ticks.filter((c) => Number.isInteger(Math.log10(c)) || c === domainLo || c === domainHi);
  return { scale: { type: 'log' as const, domain: [domainLo, domainHi], nice: false }, axis: { values: ticks } };
}

/**
 * Rows that have both ends of an interval, for an interval layer of their own:
 * a layer whose interval fields are all null would leave vega an empty extent
 * (a warning, and no axis range), e.g. p95 intervals of a single replication.
 */
export function withInterval<T extends Record<string, unknown>>(rows: readonly T[], low: keyof T, high: keyof T): T[] {
  return rows.filter((r) => typeof r[low] === 'number' && typeof r[high] === 'number');
}

/** The layer with `rows` as its data, or no layer at all when there are none (an empty layer still widens its scale to ±Infinity). */
export function intervalLayer<L extends object>(rows: readonly object[], layer: L): (L & { data: { values: object[] } })[] {
  return rows.length > 0 ? [{ data: { values: [...rows] }, ...layer }] : [];
}
