/** Number formatting shared by the CLI and compare output. Pure. */

/** A duration given in ms, shown in the unit that keeps 3 significant digits readable. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 120_000) return `${(ms / 60_000).toPrecision(2)} min`;
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toPrecision(3)} µs`;
  return `${(ms * 1e6).toPrecision(3)} ns`;
}

/** Calls per second, compact. */
export function formatRate(perSec: number): string {
  if (perSec >= 1e6) return `${(perSec / 1e6).toPrecision(3)} M/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toPrecision(3)} k/s`;
  return `${perSec.toPrecision(3)} /s`;
}

/** A ratio with two decimals. */
export function formatRatio(ratio: number): string {
  return ratio.toFixed(2);
}

/** Pads to `width` (left-aligned text, or right-aligned when `right`). */
export function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - [...text].length));
  return right ? fill + text : text + fill;
}
