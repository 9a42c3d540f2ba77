/**
 * The plain-language summary on top of the report, written from the numbers:
 * what the best coordination fix and the best compute upgrade each buy, which
 * buys more (only when the intervals say so), silent failures, cost, what to
 * fix first, the reliability-vs-steps study and the hardware. Plain text; the
 * HTML and Markdown writers escape it.
 */
import type { ComparisonResult, VariantComparison } from '../sim/experiment/index.js';
import type { Estimate } from '../sim/metrics/index.js';
import type { ReportInput } from './input.js';
import { bestOfKind } from './arms.js';
import { deltaMsInterval, deltaUsd, ms, p95Change, pct, ppInterval, sampleSize, times, usd, type LatencyChange } from './format.js';
import { stepPoints } from './charts/steps.js';
import { profileLabels } from './charts/hardware.js';
import { stabilityWarnings } from './stability-notes.js';
import { verdictSentence } from './thresholds.js';
import { OUTCOME_LABELS, OUTCOME_ORDER } from './theme.js';
import { uncertaintySentence } from './uncertainty.js';

/** Whether an interval lies wholly above zero (+1), wholly below (−1), or straddles it (0); NaN intervals straddle. */
function direction(e: Estimate): 1 | -1 | 0 {
  if (e.ci95[0] > 0) return 1;
  if (e.ci95[1] < 0) return -1;
  return 0;
}

function successChange(v: VariantComparison, c: ComparisonResult): string {
  const from = pct(c.baseline.successRate.estimate);
  const to = pct(v.result.successRate.estimate);
  const d = v.delta.successRate;
  const dir = direction(d);
  if (dir > 0) return `raises task success from ${from} to ${to} (${ppInterval(d)})`;
  if (dir < 0) return `lowers task success from ${from} to ${to} (${ppInterval(d)})`;
  return `changes task success by ${ppInterval(d)}`;
}

/** `p95` follows `c.variants` (figures.variantP95). */
function latencyChange(v: VariantComparison, c: ComparisonResult, p95: readonly LatencyChange[]): string {
  return `p95 latency by ${p95Change(p95[c.variants.indexOf(v)])}`;
}

function headline(c: ComparisonResult, p95: readonly LatencyChange[]): string[] {
  const coord = bestOfKind(c, 'coordination');
  const compute = bestOfKind(c, 'compute');
  const out: string[] = [];
  if (coord && compute) {
    out.push(
      `${coord.name} (a coordination fix) ${successChange(coord, c)}; ${compute.name} (a compute upgrade) ${
        direction(compute.delta.successRate) === 0 ? `changes it by ${ppInterval(compute.delta.successRate)} and` : `${successChange(compute, c)} and changes`
      } ${latencyChange(compute, c, p95)}.`,
    );
    const [a, b] = [coord.delta.successRate, compute.delta.successRate];
    if (a.ci95[0] > b.ci95[1]) out.push('On task success the coordination fix buys more than the compute upgrade: their 95 % intervals do not overlap.');
    else if (b.ci95[0] > a.ci95[1]) out.push('On task success the compute upgrade buys more than the coordination fix: their 95 % intervals do not overlap.');
    else out.push('Their 95 % intervals for task success overlap: this run cannot tell which buys more.');
  } else {
    const only = coord ?? compute ?? bestOfKind(c, 'mixed');
    if (only) out.push(`${only.name} (${only.kind === 'coordination' ? 'a coordination fix' : only.kind === 'compute' ? 'a compute upgrade' : 'a mixed change'}) ${successChange(only, c)} and changes ${latencyChange(only, c, p95)}.`);
    else out.push(...baselineAlone(c));
  }
  return out;
}

/**
 * A scenario without variants: how its requests ended and how long the
 * successful ones took – what a baseline alone can say before "where it leaks"
 * and "what to fix first".
 */
function baselineAlone(c: ComparisonResult): string[] {
  const b = c.baseline;
  const rest = OUTCOME_ORDER.filter((o) => o !== 'success' && b.outcomes[o] > 0).map((o) => `${OUTCOME_LABELS[o]} ${pct(b.outcomes[o] / b.requests)}`);
  return [
    `Task success is ${pct(b.successRate.estimate)} (${pct(b.successRate.ci95[0])} to ${pct(b.successRate.ci95[1])}, 95 % interval)${rest.length > 0 ? `; the other requests ended ${rest.join(', ')}` : ''}; ` +
      `p95 latency of successful requests ${ms(b.latencyMs.p95)}. The scenario has no variants: this report is the baseline alone.`,
  ];
}

function silent(c: ComparisonResult): string[] {
  const b = c.baseline.silentFailureRate.estimate;
  if (!(b > 0)) return [];
  const least = [...c.variants].sort((x, y) => x.result.silentFailureRate.estimate - y.result.silentFailureRate.estimate)[0];
  if (!least || !(least.result.silentFailureRate.estimate < b)) return [`Silent failures (wrong results that reached the user unnoticed): ${pct(b)} of requests, and no variant lowers them.`];
  return [`Silent failures (wrong results that reached the user unnoticed): ${pct(b)} of requests in the baseline, ${pct(least.result.silentFailureRate.estimate)} with ${least.name}.`];
}

/**
 * Money spent per success and the scenario's assumed silent-failure cost per
 * success, each in a sentence of its own, and the total only as their sum
 * (sim/metrics/cost.ts: on a pipeline that fails silently the assumption is nearly
 * all of the total and would hide what a fix costs to run).
 */
function cost(c: ComparisonResult): string[] {
  const best = bestOfKind(c, 'coordination') ?? bestOfKind(c, 'mixed') ?? bestOfKind(c, 'compute');
  const b = c.baseline.costUsd;
  if (!best || b.perSuccess === null) return [];
  const v = best.result.costUsd;
  const all = [b, ...c.variants.map((x) => x.result.costUsd)];
  const out: string[] = [];
  // A scenario without prices (no token, server or human costs) has no spend to speak of.
  if (all.some((x) => x.spend.total > 0)) {
    const ratio = b.spend.perSuccess !== null && b.spend.perSuccess > 0 && v.spend.perSuccess !== null ? `, ${times(v.spend.perSuccess / b.spend.perSuccess)} the baseline's` : '';
    out.push(
      `Spend per successful request (tokens, compute, human time): ${usd(b.spend.perSuccess)} in the baseline, ${usd(v.spend.perSuccess)} with ${best.name} (${deltaUsd(best.delta.spendPerSuccessUsd)}${ratio}).`,
    );
  }
  if (all.some((x) => x.assumedPenalty.perSilentFailure > 0)) {
    const price = b.assumedPenalty.perSilentFailure === v.assumedPenalty.perSilentFailure ? `${usd(b.assumedPenalty.perSilentFailure)} per silent failure` : 'the cost per silent failure';
    out.push(
      `Assumed cost of silent failures (the scenario's ${price}, an assumption, not spend): ${usd(b.assumedPenalty.perSuccess)} per success in the baseline, ${usd(v.assumedPenalty.perSuccess)} with ${best.name} (${deltaUsd(best.delta.assumedPenaltyPerSuccessUsd)}); ` +
        `cost per success = spend + assumed silent-failure cost: ${usd(b.spend.perSuccess)} + ${usd(b.assumedPenalty.perSuccess)} = ${usd(b.perSuccess)} in the baseline, ${usd(v.spend.perSuccess)} + ${usd(v.assumedPenalty.perSuccess)} = ${usd(v.perSuccess)} with ${best.name}.`,
    );
  }
  return out;
}

/**
 * When the ranking ran on another sample than the comparison (report
 * --ranking-requests; the demo ranks on fewer requests), the sentence that
 * says so: its baseline and intervals are its own, not the comparison's.
 * Null when both ran on the same sample.
 */
export function rankingSampleSentence(input: ReportInput): string | null {
  const s = input.sensitivity;
  const b = input.comparison.baseline;
  if (!s || (s.baseline.requests === b.requests && s.baseline.replications === b.replications)) return null;
  return `The ranking simulated each option on ${sampleSize(s.baseline)} requests, paired with a baseline of its own on the same seeds – not the comparison's ${sampleSize(b)} (--ranking-requests): its baseline figure and its intervals are its own.`;
}

/**
 * What to fix first among the options someone can buy, with what it does to
 * spend and to the assumed silent-failure cost; then the largest what-if
 * bound, which nobody can buy (sim/experiment/sensitivity.ts keeps the two apart);
 * and the ranking's own sample when it is not the comparison's.
 */
function fixFirst(input: ReportInput): string[] {
  const s = input.sensitivity;
  if (!s || s.options.length + s.whatIf.length === 0) return [];
  const parts: string[] = [];
  const top = s.options[0];
  if (top) {
    const b = s.baseline.costUsd;
    const money = [
      ...(b.spend.total > 0 ? [`spend ${deltaUsd(top.delta.spendPerSuccessUsd)}`] : []),
      ...(b.assumedPenalty.perSilentFailure > 0 ? [`assumed silent-failure cost ${deltaUsd(top.delta.assumedPenaltyPerSuccessUsd)}`] : []),
    ];
    parts.push(`Fix first, of the options someone can buy: ${top.name} (${ppInterval(top.delta.successRate)} task success on its own${money.length > 0 ? `; ${money.join(', ')} per success` : ''}).`);
    const i = s.options.findIndex((r) => r.kind === 'compute');
    if (i > 0)
      parts.push(
        `The best compute change ranks ${i + 1} of ${s.options.length} (${ppInterval(s.options[i].delta.successRate)}, p95 ${deltaMsInterval(input.figures.sensitivityP95!.options[i])}).`,
      );
  }
  const bound = s.whatIf[0];
  if (bound) parts.push(`The largest what-if bound – nobody can buy it; it bounds what fixing that place could give: ${bound.name}, ${ppInterval(bound.delta.successRate)}.`);
  const sample = rankingSampleSentence(input);
  if (sample !== null) parts.push(sample);
  return [parts.join(' ')];
}

function steps(input: ReportInput): string[] {
  if (!input.sweep) return [];
  const points = stepPoints(input.sweep);
  const checked = points.filter((p) => p.inside !== null);
  if (checked.length === 0) return [];
  const six = points.find((p) => p.steps === 6 && Math.abs(p.reliability - 0.97) < 1e-9) ?? points[Math.floor(points.length / 2)];
  return [
    `Reliability compounds: ${six.steps} steps at ${+(six.reliability * 100).toFixed(2)} % each succeed ${pct(six.simulated)} of the time (closed form ${pct(six.closedForm ?? NaN)}); the closed form lies inside the simulated 95 % interval at ${checked.filter((p) => p.inside).length} of ${checked.length} points.`,
  ];
}

function hardware(input: ReportInput): string[] {
  const profiles = input.profiles ?? [];
  if (profiles.length === 0) return [];
  const labels = profileLabels(profiles);
  if (profiles.length === 1) {
    const p = profiles[0];
    return [`Hardware profile ${labels[0]}: ${p.host.cpuModel}, ${p.host.logicalCpus} logical CPUs, ${Object.keys(p.kernels).length} kernels measured.`];
  }
  const hw = input.figures.hardware;
  if (hw === undefined) return [];
  return [
    `Hardware: ${labels[1]} runs the kernels ${times(hw.geometricMeanSpeedup)} as fast as ${labels[0]} (geometric mean over ${hw.sameParamsKernels}); ${hw.surelyFasterKernels} of ${hw.comparison.kernels.length} are faster with the whole 95 % interval above 1×.`,
  ];
}

/**
 * What limits the figures below – an unstable arm, a retry storm, a run cut
 * short – stated before them, as the terminal does (stability-notes.ts).
 */
function caveats(c: ComparisonResult, sheddingShare: number): string[] {
  const notes = [...stabilityWarnings(c.baseline, sheddingShare, 'baseline'), ...c.variants.flatMap((v) => stabilityWarnings(v.result, sheddingShare, v.name))];
  return notes.map((n) => n.replace(/^warning: /, 'Warning – ').replace(/^note: /, 'Note – '));
}

/** The summary, one sentence (or two closely joined) per line; caveats first. */
export function summarySentences(input: ReportInput): string[] {
  const c = input.comparison;
  const verdict = verdictSentence(input);
  return [...caveats(c, input.figures.sheddingShare), ...(verdict ? [verdict] : []), ...headline(c, input.figures.variantP95), ...uncertaintySentence(input), ...silent(c), ...cost(c), ...fixFirst(input), ...steps(input), ...hardware(input)];
}

/** Scenario, seed, sample size, tool version, scenario hash and file: what stands behind the numbers. */
export function provenance(input: ReportInput): string {
  const b = input.comparison.baseline;
  const parts = [
    b.scenario,
    `seed ${b.seed}`,
    `${sampleSize(b)} requests per arm${input.comparison.variants.length > 0 ? ', same seeds' : ''}`,
    `coordgap ${b.meta.version}`,
    `scenario hash ${b.meta.scenarioHash}`,
  ];
  if (input.scenarioFile) parts.push(input.scenarioFile);
  return parts.join(' · ');
}
