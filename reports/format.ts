/**
 * Numbers as coordgap prints them, in one place so the report's summary,
 * tables and chart titles and the terminal (scripts/) agree: "65.6 %",
 * "+31.8 pp ± 1.0", "−74 ms ± 14 ms (−4.9 %)", "$0.489", "1,518 ms".
 * Negative numbers take U+2212 (the minus sign). What could not be measured
 * (NaN, null) prints as "n/a".
 */
import type { Estimate } from '../sim/metrics/index.js';

const MINUS = '\u2212';

/** `-0.5` → "−0.5": the typographic minus; `+` in front when `plus` and x ≥ 0. */
function signedText(x: number, text: string, plus: boolean): string {
  if (x < 0 && Number(text) !== 0) return `${MINUS}${text.replace(/^-/, '')}`;
  return `${plus ? '+' : ''}${text.replace(/^-/, '')}`;
}

/** A share as a percentage: 0.656 → "65.6 %". */
export function pct(share: number, digits = 1): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(digits)} %` : 'n/a';
}

/** Half the width of an interval, or NaN when it has none. */
export function halfWidth(e: Estimate): number {
  return (e.ci95[1] - e.ci95[0]) / 2;
}

/** ` ± 1.0` (the interval's half-width × scale), or "" when there is no interval. */
export function plusMinus(e: Estimate, scale: number, digits: number): string {
  const h = halfWidth(e) * scale;
  return Number.isFinite(h) ? ` ± ${h.toFixed(digits)}` : '';
}

/** A difference of shares in percentage points: 0.318 → "+31.8 pp". */
export function pp(delta: number, digits = 1): string {
  return Number.isFinite(delta) ? `${signedText(delta, (delta * 100).toFixed(digits), true)} pp` : 'n/a';
}

/** A difference of shares with its interval: "+31.8 pp ± 1.0". */
export function ppInterval(e: Estimate, digits = 1): string {
  return `${pp(e.estimate, digits)}${Number.isFinite(e.estimate) ? plusMinus(e, 100, digits) : ''}`;
}

/** Milliseconds, 3 significant figures below 10 ms, whole ms to 10 s, then seconds: "7.52 ms", "74 ms", "1,518 ms", "12.3 s". */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a === 0) return '0 ms';
  const text = a >= 10_000 ? `${(a / 1000).toFixed(1)} s` : a >= 10 ? `${Math.round(a).toLocaleString('en-US')} ms` : `${a.toPrecision(3)} ms`;
  return x < 0 ? `${MINUS}${text}` : text;
}

/** A signed difference in ms: "−74 ms". */
export function deltaMs(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x < 0 ? MINUS : '+'}${ms(Math.abs(x))}`;
}

/**
 * A change in a latency quantile (variant minus baseline p95) as it is
 * printed, computed by experiments/report-input.ts `latencyChange`: the ± is
 * the interval's half-width, but never less than the most by which the
 * histogram can misplace such a difference (sim/metrics/quantile-delta.ts) –
 * an interval narrower than the measurement's resolution would print as a
 * false "± 0".
 */
export interface LatencyChange {
  /** Variant minus baseline, ms. */
  estimateMs: number;
  /** The ± to print, ms; NaN when there is no interval (one replication). */
  halfMs: number;
  /** `halfMs` is the histogram's resolution, not the interval's half-width. */
  resolutionLimited: boolean;
  /** `estimateMs` relative to the baseline's quantile; NaN when that is not positive. */
  relative: number;
}

/**
 * A change in a latency quantile with its interval: "−81 ms ± 14 ms"; below the
 * histogram's resolution "−15 ms ± 15 ms (histogram resolution)"; "−81 ms" when
 * there is no interval. One formatter for the summary, the tables, the chart
 * tooltips and the terminal.
 */
export function deltaMsInterval(c: LatencyChange): string {
  if (!Number.isFinite(c.estimateMs) || !Number.isFinite(c.halfMs)) return deltaMs(c.estimateMs);
  return `${deltaMs(c.estimateMs)} ± ${ms(c.halfMs)}${c.resolutionLimited ? ' (histogram resolution)' : ''}`;
}

/**
 * A variant's change in p95 against the baseline, as every output prints it:
 * "−74 ms ± 20 ms (−4.9 %)", or below the resolution "−15 ms ± 15 ms (−1.0 %;
 * the ± is the histogram's resolution)" – the difference of the two arms' p95s
 * (sim/metrics/quantile-delta.ts), its interval, and the change relative to the baseline's p95.
 */
export function p95Change(c: LatencyChange): string {
  const rel = relative(c.relative);
  if (!Number.isFinite(c.estimateMs) || !Number.isFinite(c.halfMs)) return `${deltaMs(c.estimateMs)} (${rel})`;
  return `${deltaMs(c.estimateMs)} ± ${ms(c.halfMs)} (${rel}${c.resolutionLimited ? "; the ± is the histogram's resolution" : ''})`;
}

/** A signed relative change: −0.049 → "−4.9 %". */
export function relative(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${signedText(x, (x * 100).toFixed(digits), true)} %` : 'n/a';
}

/**
 * US dollars: cents from $1, 3 significant figures below, never an exponent:
 * "$0.489", "$56.42", "$1,234.50"; an exact zero (nothing priced) is "$0", and
 * what is not zero but under $0.000001 is "$0.000000".
 */
export function usd(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a === 0) return '$0';
  const text =
    a >= 1 ? `$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : a >= 1e-6 ? `$${a.toPrecision(3)}` : `$${a.toFixed(6)}`;
  return x < 0 ? `${MINUS}${text}` : text;
}

/** A signed difference in dollars with its interval, to the cent from $1, else to 1/100 cent: "−$55.93 ± 2.26", "+$0.0129 ± 0.3191". */
export function deltaUsd(e: Estimate): string {
  if (!Number.isFinite(e.estimate)) return 'n/a';
  const digits = Math.abs(e.estimate) >= 1 ? 2 : 4;
  const text = Math.abs(e.estimate).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const sign = e.estimate < 0 && Number(text.replace(/,/g, '')) !== 0 ? MINUS : '+';
  const h = halfWidth(e);
  return `${sign}$${text}${Number.isFinite(h) ? ` ± ${h.toFixed(digits)}` : ''}`;
}

/**
 * A signed dollar difference without an interval, to the cent from $1, else 3
 * significant digits in plain decimals (never an exponent): "−$55.93",
 * "+$0.0129", "−$0.000000324"; "+$0" for none.
 */
export function deltaDollars(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  const text = a >= 1 ? a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : a === 0 ? '0' : a.toFixed(Math.min(20, 2 - Math.floor(Math.log10(a))));
  return `${x < 0 ? MINUS : '+'}$${text}`;
}

/** A whole number with thousands separators: 20000 → "20,000". */
export function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/**
 * A run's sample per arm: "4 × 100,000" (replications × requests each), or
 * "100,000" for one replication. A result's `requests` counts every
 * replication (sim/metrics RunResult).
 */
export function sampleSize(r: { requests: number; replications: number }): string {
  return r.replications > 1 ? `${r.replications} × ${int(r.requests / r.replications)}` : int(r.requests);
}

/** A ratio: 1.876 → "1.88×". */
export function times(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a';
}

/** A rate per second: 1780 → "1,780/s". */
export function perSec(x: number): string {
  return Number.isFinite(x) ? `${int(x)}/s` : 'n/a';
}

/** Splits text into lines of at most `width` characters at spaces (a chart title that fits its chart). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  // A number keeps its unit: never break before %, pp, ms, s or ×.
  for (const word of text.split(/ (?!(?:%|pp|ms|s|×)(?:$|[ ,;.):]))/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A magnitude to 3 significant figures, the precision a memo quotes (its
 * intervals are usually wider than that): 322,345 → "322,000", 23.44 → "23.4",
 * 0.8049 → "0.805", 5 → "5"; the typographic minus.
 */
export function approx(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  const a = Math.abs(x);
  const rounded = Number(a.toPrecision(3));
  const text = rounded >= 100 ? Math.round(rounded).toLocaleString('en-US') : rounded.toLocaleString('en-US', { maximumFractionDigits: 20 });
  return x < 0 ? `${MINUS}${text}` : text;
}

/** Dollars to 3 significant figures, as a memo quotes them: "$339,000", "$833", "$1.06", "$0.280"; "$0" for nothing. */
export function usdApprox(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  if (x === 0) return '$0';
  // Under $1 the three figures are all shown ("$0.280", never "$0.28" beside "$0.279").
  const a = Math.abs(x);
  const text = a < 1 ? a.toFixed(Math.min(20, 2 - Math.floor(Math.log10(a)))) : approx(a);
  // Cents stay two digits from $1 to $100 ("$1.50", not "$1.5").
  const cents = a >= 1 && a < 100 && text.includes('.') ? text.replace(/\.(\d)$/, '.$10') : text;
  return x < 0 ? `${MINUS}$${cents}` : `$${cents}`;
}

/**
 * A 95 % interval in brackets, each end by `end`: "[11.9 to 12.7]"; "" when
 * either end is unknown (one replication) or both ends print the same (the
 * figure is exact to the digits shown). " to " rather than a comma: the ends
 * may carry thousands separators ("[3,900 to 4,300]").
 */
export function bracket(lo: number, hi: number, end: (x: number) => string): string {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return '';
  const [a, b] = [end(lo), end(hi)];
  return a === b ? '' : `[${a} to ${b}]`;
}

/** A difference of shares with its interval in brackets after the words: "+31.7 pp task success [31.4 to 32.0]". */
export function ppBracketWith(e: Estimate, words: string, digits = 1): string {
  const b = bracket(e.ci95[0], e.ci95[1], (x) => ppNumber(x, digits));
  return `${pp(e.estimate, digits)} ${words}${b ? ` ${b}` : ''}`;
}

/** An interval's end in ms at the precision of the wider end: whole ms once either end reaches 10 ms ("[−30 to 0]", not "[−30 to 0.0759]"), seconds with their unit from 10 s ("[9.8 s to 12.9 s]"). */
export function msEnd(x: number, lo: number, hi: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const wider = Math.max(Math.abs(lo), Math.abs(hi));
  if (wider < 10) return ms(x).replace(/ ms$/, '');
  // From 10 s, as ms() prints: seconds to 0.1, the unit said (the estimate beside it may still be in ms).
  if (wider >= 10_000) return `${x < 0 ? MINUS : ''}${(Math.abs(x) / 1000).toFixed(1)} s`;
  const whole = Math.round(x);
  return `${whole < 0 ? MINUS : ''}${Math.abs(whole).toLocaleString('en-US')}`;
}

/** A share's difference in percentage points without sign or unit, for an interval's ends: 0.119 → "11.9", −0.001 → "−0.1". */
export function ppNumber(delta: number, digits = 1): string {
  return Number.isFinite(delta) ? signedText(delta, (delta * 100).toFixed(digits), false) : 'n/a';
}

/** A difference of shares with its interval in brackets: "+31.7 pp [31.4 to 32.0]", "+0.0 pp [−0.1 to 0.1]"; no brackets without an interval. */
export function ppBracket(e: Estimate, digits = 1): string {
  const b = bracket(e.ci95[0], e.ci95[1], (x) => ppNumber(x, digits));
  return `${pp(e.estimate, digits)}${b ? ` ${b}` : ''}`;
}

/** Months from now, as a payback: "4 days" under a month (30.44 days), "less than a day", "2.3 months", from two years "55.5 years". */
export function monthsText(m: number | null): string {
  if (m === null || !Number.isFinite(m) || m < 0) return 'n/a';
  const days = m * (365.25 / 12);
  if (m < 1) return days < 1 ? 'less than a day' : `${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}`;
  return m < 24 ? `${approx(m)} months` : `${approx(m / 12)} years`;
}

/** A signed change to 3 significant figures: "+1,200", "−322,000", "0". */
export function deltaApprox(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x > 0 ? `+${approx(x)}` : approx(x);
}

/** A signed dollar change to 3 significant figures: "+$339,000", "−$48,300,000", "$0". */
export function deltaUsdApprox(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x > 0 ? `+${usdApprox(x)}` : usdApprox(x);
}

/** A rate in the unit that reads best: 0.5 → "0.5/s", 1/30 → "2/min", 1/180 → "20/h" (per second from 0.1/s, per minute from 1/min). */
export function rateText(perSec: number): string {
  if (!Number.isFinite(perSec)) return 'n/a';
  if (perSec >= 0.1) return `${approx(perSec)}/s`;
  if (perSec * 60 >= 1) return `${approx(perSec * 60)}/min`;
  return `${approx(perSec * 3600)}/h`;
}
