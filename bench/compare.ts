/**
 * `bench compare`: per-kernel speedups of profile B over profile A, with
 * intervals, as hyperfine-style lines and a Markdown table. Pure.
 *
 * Each isolate's median is one replicate. The speedup is the ratio of the
 * geometric means of A's and B's isolate medians (> 1: B is faster). Two
 * uncertainty figures:
 * - "±" as hyperfine prints it: speedup · √((sd_A/mean_A)² + (sd_B/mean_B)²),
 *   first-order error propagation over the isolate medians;
 * - a 95 % interval: Welch's t interval on the difference of mean log
 *   medians, exponentiated (Welch–Satterthwaite degrees of freedom, fractional;
 *   the t quantile is sim/kernel's, exact for any real df).
 * With 3 isolates per side the interval is wide on purpose: that is how much
 * three isolates can tell.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import type { HardwareProfile, KernelResult } from './profile.js';
import { formatDuration, formatRatio, pad } from './format.js';
import { studentTQuantile } from '../sim/kernel/index.js';

/** Speedup of B over A with its uncertainty. */
export interface SpeedupEstimate {
  readonly speedup: number;
  /** hyperfine-style ± (error propagation). */
  readonly plusMinus: number;
  /** 95 % interval, or null with fewer than 2 isolates on a side. */
  readonly ci95: readonly [number, number] | null;
}

/**
 * Speedup from per-isolate medians of A and B.
 * @throws Error when a side is empty or holds a non-positive median.
 * @example speedupFromMedians([2, 2, 2], [1, 1, 1]) // { speedup: 2, plusMinus: 0, ci95: [2, 2] }
 */
export function speedupFromMedians(aMediansMs: readonly number[], bMediansMs: readonly number[]): SpeedupEstimate {
  if (aMediansMs.length === 0 || bMediansMs.length === 0) throw new Error('speedupFromMedians: each side needs at least one isolate');
  for (const m of [...aMediansMs, ...bMediansMs]) if (!(m > 0)) throw new Error(`speedupFromMedians: medians must be positive, got ${m}`);
  const logA = aMediansMs.map(Math.log);
  const logB = bMediansMs.map(Math.log);
  const diff = mean(logA) - mean(logB);
  const speedup = Math.exp(diff);
  // The coefficient of variation does not depend on scale; dividing by the largest first keeps
  // the sums finite for huge medians (1e308 ms summed to Infinity and printed "Infinity ± NaN").
  const cv = (xs: readonly number[]) => {
    if (xs.length < 2) return 0;
    const top = Math.max(...xs);
    const scaled = xs.map((x) => x / top);
    return sampleStandardDeviation(scaled) / mean(scaled);
  };
  const plusMinus = speedup * Math.sqrt(cv(aMediansMs) ** 2 + cv(bMediansMs) ** 2);
  if (logA.length < 2 || logB.length < 2) return { speedup, plusMinus, ci95: null };
  const va = sampleStandardDeviation(logA) ** 2 / logA.length;
  const vb = sampleStandardDeviation(logB) ** 2 / logB.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { speedup, plusMinus, ci95: [speedup, speedup] };
  const df = (va + vb) ** 2 / (va ** 2 / (logA.length - 1) + vb ** 2 / (logB.length - 1));
  const half = -studentTQuantile(0.025, df) * se; // t_{0.975, df}
  return { speedup, plusMinus, ci95: [Math.exp(diff - half), Math.exp(diff + half)] };
}

/** One kernel present in both profiles. */
export interface KernelComparison extends SpeedupEstimate {
  readonly id: string;
  readonly group: KernelResult['group'];
  /** The profiles' headline medians (median of isolate medians). */
  readonly aMedianMs: number;
  readonly bMedianMs: number;
  /** Geometric means of the isolate medians: the speedup is their ratio, and the output shows these. */
  readonly aGeoMeanMs: number;
  readonly bGeoMeanMs: number;
  /** The interval excludes 1. */
  readonly significant: boolean;
  /** Fixture parameters differ: the kernels did not do the same work. */
  readonly paramsDiffer: boolean;
  /** An isolate spread over the threshold on either side. */
  readonly spreadFlagged: boolean;
}

/** Geometric-mean speedup of a kernel group. */
export interface GroupSummary {
  readonly group: KernelResult['group'];
  readonly kernels: number;
  readonly geometricMeanSpeedup: number;
}

/** The whole comparison. */
export interface ProfileComparison {
  readonly a: string;
  readonly b: string;
  readonly kernels: readonly KernelComparison[];
  readonly groups: readonly GroupSummary[];
  readonly onlyInA: readonly string[];
  readonly onlyInB: readonly string[];
  /** Kernels in both profiles whose medians cannot give a ratio (a zero median, from a timer coarser than the kernel), with why. */
  readonly notCompared: readonly { readonly id: string; readonly reason: string }[];
}

/** Why these isolate medians give no ratio (one is zero, negative or not finite), or null when they do. */
function notComparable(side: string, mediansMs: readonly number[]): string | null {
  const bad = mediansMs.find((m) => !(m > 0 && Number.isFinite(m)));
  return bad === undefined ? null : `${side} has an isolate median of ${bad} ms; a speedup needs positive, finite times (a zero is a timer coarser than the kernel)`;
}

function geometricMean(xs: readonly number[]): number {
  return Math.exp(mean(xs.map(Math.log)));
}

function sameParams(a: KernelResult['params'], b: KernelResult['params']): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/** Compares every kernel the two profiles share, in A's order. `labels` default to the profile names. */
export function compareProfiles(a: HardwareProfile, b: HardwareProfile, labels: { readonly a: string; readonly b: string } = { a: a.name, b: b.name }): ProfileComparison {
  const kernels: KernelComparison[] = [];
  const notCompared: { id: string; reason: string }[] = [];
  for (const [id, ka] of Object.entries(a.kernels)) {
    const kb = b.kernels[id];
    if (!kb) continue;
    const aMedians = ka.runs.map((r) => r.medianMs);
    const bMedians = kb.runs.map((r) => r.medianMs);
    const reason = notComparable(`'${labels.a}' (A)`, aMedians) ?? notComparable(`'${labels.b}' (B)`, bMedians);
    if (reason !== null) {
      notCompared.push({ id, reason });
      continue;
    }
    const estimate = speedupFromMedians(aMedians, bMedians);
    kernels.push({
      id,
      group: ka.group,
      aMedianMs: ka.medianMs,
      bMedianMs: kb.medianMs,
      aGeoMeanMs: geometricMean(aMedians),
      bGeoMeanMs: geometricMean(bMedians),
      ...estimate,
      significant: estimate.ci95 !== null && (estimate.ci95[0] > 1 || estimate.ci95[1] < 1),
      paramsDiffer: !sameParams(ka.params, kb.params),
      spreadFlagged: ka.spread.flagged || kb.spread.flagged,
    });
  }
  const groups: GroupSummary[] = [];
  for (const group of [...new Set(kernels.map((k) => k.group))]) {
    const members = kernels.filter((k) => k.group === group && !k.paramsDiffer);
    if (members.length === 0) continue;
    groups.push({ group, kernels: members.length, geometricMeanSpeedup: Math.exp(mean(members.map((k) => Math.log(k.speedup)))) });
  }
  return {
    a: labels.a,
    b: labels.b,
    kernels,
    groups,
    onlyInA: Object.keys(a.kernels).filter((id) => !(id in b.kernels)),
    onlyInB: Object.keys(b.kernels).filter((id) => !(id in a.kernels)),
    notCompared,
  };
}

function ciText(ci: readonly [number, number] | null): string {
  return ci ? `${formatRatio(ci[0])}–${formatRatio(ci[1])}` : 'n/a';
}

function notes(k: KernelComparison): string[] {
  const out: string[] = [];
  if (k.paramsDiffer) out.push('parameters differ');
  if (k.spreadFlagged) out.push('isolates disagree >1.3×');
  if (!k.significant && k.ci95) out.push('no clear difference');
  return out;
}

/**
 * hyperfine-style summary, one block per kernel:
 *   retrieval.bm25
 *     A  1.23 ms   B  0.61 ms
 *     'B' ran 2.02 ± 0.05 times faster than 'A'  (95% CI 1.90–2.15)
 */
export function formatCompareLines(comparison: ProfileComparison): string[] {
  const lines: string[] = [
    `Comparing '${comparison.b}' (B) against '${comparison.a}' (A); speedup > 1 means B is faster.`,
    'Times are geometric means of the per-isolate medians; the speedup is their ratio.',
    '',
  ];
  const width = Math.max(0, ...comparison.kernels.map((k) => k.id.length));
  for (const k of comparison.kernels) {
    const faster = k.speedup >= 1;
    const factor = faster ? k.speedup : 1 / k.speedup;
    const pm = faster ? k.plusMinus : k.plusMinus / (k.speedup * k.speedup);
    const note = notes(k);
    lines.push(`${pad(k.id, width)}  A ${pad(formatDuration(k.aGeoMeanMs), 9, true)}  B ${pad(formatDuration(k.bGeoMeanMs), 9, true)}`);
    lines.push(
      `${pad('', width)}  '${comparison.b}' ran ${formatRatio(factor)} ± ${formatRatio(pm)} times ${faster ? 'faster' : 'slower'} than '${comparison.a}'  (95% CI of speedup ${ciText(k.ci95)})${note.length ? `  [${note.join('; ')}]` : ''}`,
    );
  }
  if (comparison.groups.length > 0) {
    lines.push('', 'Geometric mean speedup per group:');
    for (const g of comparison.groups) lines.push(`  ${pad(g.group, 14)} ${formatRatio(g.geometricMeanSpeedup)}× over ${g.kernels} kernel${g.kernels === 1 ? '' : 's'}`);
  }
  if (comparison.onlyInA.length) lines.push('', `Only in '${comparison.a}': ${comparison.onlyInA.join(', ')}`);
  if (comparison.onlyInB.length) lines.push('', `Only in '${comparison.b}': ${comparison.onlyInB.join(', ')}`);
  for (const n of comparison.notCompared) lines.push('', `Not compared: ${n.id}: ${n.reason}`);
  return lines;
}

/** A GitHub-flavoured Markdown table of the comparison (times: geometric means of isolate medians). */
export function formatCompareMarkdown(comparison: ProfileComparison): string {
  const rows = [
    `| kernel | ${comparison.a} (A) | ${comparison.b} (B) | speedup B/A | ± | 95% CI | notes |`,
    '|---|---:|---:|---:|---:|---:|---|',
    ...comparison.kernels.map(
      (k) =>
        `| \`${k.id}\` | ${formatDuration(k.aGeoMeanMs)} | ${formatDuration(k.bGeoMeanMs)} | ${formatRatio(k.speedup)}× | ${formatRatio(k.plusMinus)} | ${ciText(k.ci95)} | ${notes(k).join('; ')} |`,
    ),
    ...comparison.groups.map((g) => `| **${g.group}** (geometric mean, ${g.kernels}) | | | **${formatRatio(g.geometricMeanSpeedup)}×** | | | |`),
    ...comparison.notCompared.map((n) => `| \`${n.id}\` | | | n/a | | | not compared: ${n.reason} |`),
  ];
  return `${rows.join('\n')}\n`;
}
