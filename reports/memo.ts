/**
 * The decision memo, in words, for a reader who has ten seconds: the first
 * line is the answer (buy this option, or keep as is), then one line per
 * other option, then what would change the answer – the assumed cost of a
 * silent failure, the traffic, the prices – each with the range over which
 * the answer holds and what it becomes past it, then a compact table. The
 * arithmetic is sim/experiment/decision.ts's (decide); this file only says it.
 *
 * Honesty rules: every figure the decision gives an interval for carries it
 * (95 %, in brackets); the assumptions (the silent-failure cost, the traffic,
 * the prices and their amortisation) are called assumptions; simulated spend
 * is not an assumption. Plain text: the Markdown and HTML writers escape it
 * (memo-render.ts).
 */
import type { ComparisonResult, Decision, OptionFigures, Tipping, VariantComparison } from '../sim/experiment/index.js';
import type { Estimate } from '../sim/metrics/index.js';
import type { LatencyChange } from './format.js';
import type { Table } from './tables.js';
import { approx, bracket, deltaApprox, deltaUsdApprox, int, ms, msEnd, monthsText, ppBracket, ppBracketWith, usdApprox } from './format.js';

/** What the memo is written from: the comparison, each variant's p95 change as the report prints it, and the decision. */
export interface MemoInput {
  comparison: ComparisonResult;
  figures: {
    /** Each variant's change in p95, in the order of `comparison.variants` (ReportFigures.variantP95). */
    variantP95: readonly LatencyChange[];
    /** decide() on the comparison and the scenario's decision inputs; absent when the results carry no inputs. */
    decision?: Decision;
    /** The traffic as a rate, requests/s (requests a month ÷ a 30.44-day month), for saying where it came from. */
    trafficPerSec?: number;
  };
}

export interface Memo {
  scenario: string;
  /** The answer, one line. */
  answer: string;
  /** One line per other option, in the comparison's order. */
  others: string[];
  /** What would change this answer: one line per assumption. */
  changes: string[];
  /** What the figures are (and what they leave out), briefly. */
  notes: string[];
  /** The options side by side; none when there is nothing to compare. */
  table?: Table;
}

/** Names the memo uses for "keep as is" when it is what an assumption tips to. */
const keepOrBuy = (d: Decision, name: string) => (d.options.some((o) => o.name === name) ? `buy ${name}` : 'keep as is');

/** Whether an interval lies wholly above (+1) or below (−1) zero, or straddles it (0; unknown ends straddle). */
function side(e: Estimate): 1 | -1 | 0 {
  if (e.ci95[0] > 0) return 1;
  if (e.ci95[1] < 0) return -1;
  return 0;
}

/** The p95 change as the report prints it (its ± never under the histogram's resolution), as an estimate with an interval. */
function p95Estimate(c: LatencyChange | undefined, o: OptionFigures): Estimate & { resolution: boolean } {
  if (c === undefined) return { ...o.p95DeltaMs, resolution: false };
  return { estimate: c.estimateMs, ci95: [c.estimateMs - c.halfMs, c.estimateMs + c.halfMs], resolution: c.resolutionLimited };
}

/** "cuts p95 by 74 ms [59 to 89]", "raises p95 by 263 ms [239 to 287]", or null when the change is within its interval of none. */
function p95Phrase(p: ReturnType<typeof p95Estimate>): string | null {
  const s = side(p);
  if (s === 0) return null;
  const [lo, hi] = s < 0 ? [-p.ci95[1], -p.ci95[0]] : p.ci95;
  const range = bracket(lo, hi, (x) => msEnd(x, lo, hi));
  return `${s < 0 ? 'cuts' : 'raises'} p95 by ${ms(Math.abs(p.estimate))}${range ? ` ${range}` : ''}${p.resolution ? " (the interval is the histogram's resolution)" : ''}`;
}

/** "4,100 fewer silent failures a month [3,900 to 4,300]", or null when the change is within its interval of none. */
function silentPhrase(o: OptionFigures): string | null {
  if (side(o.silentFailureDelta) === 0 && Number.isFinite(o.silentFailureDelta.ci95[0])) return null;
  const m = o.silentFailuresMonthly;
  if (m.estimate === 0) return null;
  const fewer = m.estimate < 0;
  const [lo, hi] = fewer ? [-m.ci95[1], -m.ci95[0]] : m.ci95;
  const range = bracket(lo, hi, approx);
  return `${approx(Math.abs(m.estimate))} ${fewer ? 'fewer' : 'more'} silent failures a month${range ? ` ${range}` : ''}`;
}

/** What the simulated spend change is made of, biggest first: "tokens and human time". */
function spendParts(v: VariantComparison | undefined, c: ComparisonResult): string {
  if (v === undefined) return 'simulated spend';
  const labels = { tokens: 'tokens', compute: 'compute', human: 'human time', escalation: 'escalation handling' } as const;
  // Both arms ran the same requests, so the totals' differences rank the parts as the per-request ones would.
  const parts = (Object.keys(labels) as (keyof typeof labels)[]).map((k) => ({ k, d: v.result.costUsd.breakdown[k] - c.baseline.costUsd.breakdown[k] }));
  const rising = parts.filter((p) => p.d > 0);
  const sum = rising.reduce((s, p) => s + p.d, 0);
  const named = rising.filter((p) => p.d >= 0.1 * sum).sort((a, b) => b.d - a.d).map((p) => labels[p.k]);
  return named.length === 0 ? 'simulated spend' : `simulated ${named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`}`;
}

/** The extra cost a month with the interval of its simulated part, and what it is made of. */
function costPhrase(o: OptionFigures, v: VariantComparison | undefined, c: ComparisonResult, amortizationMonths: number): string {
  const price = o.price.monthlyUsd + o.price.oneOffUsd / amortizationMonths;
  const spend = o.spendChangeMonthlyUsd;
  const range = bracket(spend.ci95[0] + price, spend.ci95[1] + price, (x) => usdApprox(x));
  const made = o.price.unpriced
    ? `${spendParts(v, c)}; it carries no price, so only simulated spend counts`
    : price === 0
      ? spendParts(v, c)
      : `${usdApprox(spend.estimate)} in ${spendParts(v, c)}, ${usdApprox(price)} its price`;
  if (o.extraCostMonthlyUsd > 0) return `costs ${usdApprox(o.extraCostMonthlyUsd)} a month more${range ? ` ${range}` : ''} (${made})`;
  if (o.extraCostMonthlyUsd < 0) return `saves ${usdApprox(-o.extraCostMonthlyUsd)} a month${range ? ` ${range}` : ''} (${made})`;
  return `costs nothing measurable a month (${made})`;
}

/** The effects with intervals: "+31.7 pp task success [31.4 to 32.0], 322,000 fewer silent failures a month [...]". */
function effects(o: OptionFigures, p95: ReturnType<typeof p95Estimate>): { success: string; rest: string[] } {
  const success = side(o.successDelta) === 0 ? `does not change task success (${ppBracket(o.successDelta)})` : ppBracketWith(o.successDelta, 'task success');
  return { success, rest: [silentPhrase(o), p95Phrase(p95)].filter((x): x is string => x !== null) };
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function answerLine(d: Decision, rec: OptionFigures, p95: ReturnType<typeof p95Estimate>, v: VariantComparison | undefined, c: ComparisonResult): string {
  const e = effects(rec, p95);
  const silent = silentPhrase(rec);
  const head = [e.success, ...(silent ? [silent] : [])].join(', ');
  const cost = costPhrase(rec, v, c, d.inputs.amortizationMonths);
  const assumed = `(the scenario assumes ${usdApprox(d.inputs.silentFailureUsd)})`;
  const more = rec.silentFailuresMonthly.estimate;
  const pays =
    rec.breakEvenSilentFailureUsd !== null
      ? `pays for itself if a silent failure costs more than ${usdApprox(rec.breakEvenSilentFailureUsd)} ${assumed}`
      : more > 0
        ? // Cheaper but with more silent failures: it pays only while they cost little.
          `saves money only while a silent failure costs less than ${usdApprox(-rec.extraCostMonthlyUsd / more)} ${assumed}`
        : 'pays for itself whatever a silent failure costs';
  const latency = p95Phrase(p95);
  return `Buy ${rec.name}: ${head}; it ${cost} and ${pays}.${latency ? ` It ${latency}.` : ''}`;
}

/** One line for an option that is not the answer. */
function otherLine(d: Decision, o: OptionFigures, p95: ReturnType<typeof p95Estimate>, v: VariantComparison | undefined, c: ComparisonResult): string {
  if (o.worse) return `${o.name} makes task success worse (${ppBracket(o.successDelta)}): not a candidate whatever it costs.`;
  const e = effects(o, p95);
  const cost = costPhrase(o, v, c, d.inputs.amortizationMonths);
  const latency = p95Phrase(p95);
  const silent = silentPhrase(o);
  if (side(o.successDelta) === 0 && silent === null) {
    // Nothing the scenario prices changes: whether it is worth it is the reader's call on what it does change.
    const worth =
      o.extraCostMonthlyUsd > 0
        ? latency !== null && p95.estimate < 0
          ? ` – worth it only if ${ms(-p95.estimate)} of p95 is worth ${usdApprox(o.extraCostMonthlyUsd)} a month to you`
          : ' for no measurable gain'
        : '';
    return `${o.name} ${e.success}; it ${[...(latency ? [latency] : []), cost].join(' and ')}${worth}.`;
  }
  const what = [e.success, ...e.rest].join(', ');
  const assumed = usdApprox(d.inputs.silentFailureUsd);
  let verdict: string;
  if (silent === null || o.silentFailuresMonthly.estimate >= 0) {
    // Better task success without fewer silent failures: it turns loud failures into successes, which the scenario does not price.
    const tasks = o.successDelta.estimate * d.inputs.requestsPerMonth;
    verdict = o.extraCostMonthlyUsd > 0 ? ` – worth it only if ${approx(tasks)} more successful tasks a month are worth ${usdApprox(o.extraCostMonthlyUsd)} to you` : '';
  } else if (d.recommended === null) {
    verdict = o.breakEvenSilentFailureUsd !== null ? ` – it pays for itself only above ${usdApprox(o.breakEvenSilentFailureUsd)} a silent failure, more than the assumed ${assumed}` : '';
  } else {
    const rec = d.options.find((x) => x.name === d.recommended)!;
    const behind = o.netMonthlyUsd - rec.netMonthlyUsd;
    const breakEven = o.breakEvenSilentFailureUsd !== null ? `pays for itself above ${usdApprox(o.breakEvenSilentFailureUsd)} a silent failure, but ` : '';
    verdict = ` – it ${breakEven}at the assumed ${assumed} it comes out ${usdApprox(behind)} a month behind ${rec.name}`;
  }
  return `${o.name}: ${what}; it ${cost}${verdict}.`;
}

/** "from $1.06 up; below it: keep as is" – the range an assumption may move over before the answer changes. */
function holds(d: Decision, t: Tipping, show: (x: number) => string): string {
  if (t.below === null && t.above === null) return 'The answer holds at any value.';
  if (t.below !== null && t.above !== null)
    return `The answer holds between ${show(t.below.at)} and ${show(t.above.at)}; below: ${keepOrBuy(d, t.below.becomes)}, above: ${keepOrBuy(d, t.above.becomes)}.`;
  if (t.below !== null) return `The answer holds from ${show(t.below.at)} up; below that: ${keepOrBuy(d, t.below.becomes)}.`;
  return `The answer holds up to ${show(t.above!.at)}; above that: ${keepOrBuy(d, t.above!.becomes)}.`;
}

function trafficSource(d: Decision, perSec: number | undefined): string {
  const rate = perSec !== undefined && Number.isFinite(perSec) ? `${approx(perSec)}/s` : 'its rate';
  switch (d.inputs.trafficSource) {
    case 'scenario':
      return 'as written in the scenario (costs.requestsPerMonth), an ASSUMPTION';
    case 'arrival rate':
      return `the scenario's arrival rate (${rate}) for a whole 30.44-day month, an ASSUMPTION (state it with costs.requestsPerMonth)`;
    case 'simulated throughput':
      return `the simulated throughput (${rate}; the scenario has no open arrival rate) for a whole 30.44-day month, an ASSUMPTION (state it with costs.requestsPerMonth)`;
  }
}

function priceOf(o: OptionFigures): string {
  if (o.price.unpriced) return `${o.name} carries no price: priced at simulated spend only`;
  const parts = [...(o.price.oneOffUsd > 0 ? [`${usdApprox(o.price.oneOffUsd)} one-off`] : []), ...(o.price.monthlyUsd > 0 ? [`${usdApprox(o.price.monthlyUsd)} a month`] : [])];
  return `${o.name} ${parts.length > 0 ? parts.join(' + ') : '$0'}${o.price.note ? ` (${o.price.note})` : ''}`;
}

function pricesLine(d: Decision): string {
  const amortized = d.options.some((o) => o.price.oneOffUsd > 0) ? `; one-off prices spread over ${approx(d.inputs.amortizationMonths)} months (costs.amortizationMonths)` : '';
  const head = `The prices, as the scenario states them – ASSUMPTIONS: ${d.options.map(priceOf).join('; ')}${amortized}.`;
  if (d.recommended !== null) {
    const ranked = [{ name: 'keep as is', net: 0 }, ...d.options.filter((o) => !o.worse && o.name !== d.recommended).map((o) => ({ name: o.name, net: o.netMonthlyUsd }))].sort((a, b) => a.net - b.net);
    const next = ranked[0];
    return `${head} ${d.recommended}'s price may rise by ${usdApprox(d.priceHeadroomMonthlyUsd)} a month before ${next.name === 'keep as is' ? 'keeping as is' : `buying ${next.name}`} comes out cheaper.`;
  }
  const nearest = d.options.filter((o) => !o.worse && Number.isFinite(o.netMonthlyUsd)).sort((a, b) => a.netMonthlyUsd - b.netMonthlyUsd)[0];
  return nearest === undefined
    ? head
    : `${head} The nearest to paying is ${nearest.name}: it would need to cost ${usdApprox(nearest.netMonthlyUsd)} a month less.`;
}

function table(d: Decision, c: ComparisonResult, p95s: ReturnType<typeof p95Estimate>[]): Table {
  const num = (label: string) => ({ label, numeric: true });
  const assumed = usdApprox(d.inputs.silentFailureUsd);
  return {
    caption: `The options a month at ${approx(d.inputs.requestsPerMonth)} requests (95 % intervals in brackets)`,
    columns: [
      { label: 'option' },
      num('Δ task success'),
      num('Δ silent failures / month'),
      num('Δ p95'),
      num('Δ spend / month (simulated)'),
      num('price: one-off / monthly'),
      num(`net / month at ${assumed} a silent failure`),
      num('break-even cost of a silent failure'),
      num('payback'),
    ],
    rows: d.options.map((o, i) => {
      const p = p95s[i];
      const silent = o.silentFailuresMonthly;
      const spend = o.spendChangeMonthlyUsd;
      const withRange = (point: string, lo: number, hi: number, end: (x: number) => string) => {
        const b = bracket(lo, hi, end);
        return b ? `${point} ${b}` : point;
      };
      return [
        `${o.name}${o.name === d.recommended ? ' (recommended)' : o.worse ? ' (worse success)' : ''}`,
        ppBracket(o.successDelta),
        withRange(deltaApprox(silent.estimate), silent.ci95[0], silent.ci95[1], approx),
        withRange(`${p.estimate > 0 ? '+' : p.estimate < 0 ? '\u2212' : ''}${ms(Math.abs(p.estimate))}`, p.ci95[0], p.ci95[1], (x) => msEnd(x, p.ci95[0], p.ci95[1])),
        withRange(deltaUsdApprox(spend.estimate), spend.ci95[0], spend.ci95[1], usdApprox),
        o.price.unpriced ? 'none' : `${usdApprox(o.price.oneOffUsd)} / ${usdApprox(o.price.monthlyUsd)}`,
        deltaUsdApprox(o.netMonthlyUsd),
        usdApprox(o.breakEvenSilentFailureUsd),
        monthsText(o.paybackMonths),
      ];
    }),
    note: `Net = simulated spend change + price a month (one-off ÷ ${approx(d.inputs.amortizationMonths)}) + silent failures × ${assumed}; negative saves money. Break-even: the silent-failure cost above which the option pays for itself. Baseline: ${c.baseline.scenario} as written.`,
  };
}

const LOUD =
  'Loud failures (errors, time-outs, rejections) carry no cost in the scenario language: the memo prices silent failures, and escalations only by the human time and handling they take as spend.';

function sample(c: ComparisonResult): string {
  const b = c.baseline;
  // A result's requests count every replication (sim/metrics RunResult).
  const perArm = b.replications > 1 ? `${b.replications} × ${int(b.requests / b.replications)}` : int(b.requests);
  return `Simulated spend (tokens, compute busy time, human time at the scenario's prices) and every change come from ${perArm} requests per arm, seed ${String(b.seed)}, paired on common random numbers; brackets are 95 % intervals.`;
}

/** The memo of a comparison: its answer, the other options, what would change the answer, notes and the table. */
export function memo(input: MemoInput): Memo {
  const c = input.comparison;
  const d = input.figures.decision;
  const scenario = c.baseline.scenario;
  if (d === undefined)
    return {
      scenario,
      answer:
        'No decision memo: these results carry no decision inputs (the traffic, the silent-failure cost and the options\u2019 prices) – a bare compare --json or an older results file. Run coordgap memo or coordgap report on the scenario for one.',
      others: [],
      changes: [],
      notes: [],
    };
  if (d.options.length === 0) {
    const today = c.baseline.silentFailureRate.estimate * d.inputs.requestsPerMonth;
    return {
      scenario,
      answer:
        'Nothing to choose between: the scenario has no variants. Add the fixes or upgrades you are weighing as variants, each with a price: { oneOffUsd, engineeringDays, monthlyUsd, note }, and the memo says which to buy and what would change that answer.',
      others: [
        `As it stands: ${approx(today)} silent failures a month at ${approx(d.inputs.requestsPerMonth)} requests a month, ${usdApprox(today * d.inputs.silentFailureUsd)} a month at the assumed ${usdApprox(d.inputs.silentFailureUsd)} each.`,
      ],
      changes: [],
      notes: [LOUD],
    };
  }
  const variantOf = (o: OptionFigures) => c.variants.find((v) => v.name === o.name);
  const p95s = d.options.map((o) => p95Estimate(input.figures.variantP95[c.variants.findIndex((v) => v.name === o.name)], o));
  const rec = d.options.findIndex((o) => o.name === d.recommended);
  const answer =
    rec >= 0
      ? answerLine(d, d.options[rec], p95s[rec], variantOf(d.options[rec]), c)
      : `Keep as is: no option saves more than it costs at ${usdApprox(d.inputs.silentFailureUsd)} a silent failure and ${approx(d.inputs.requestsPerMonth)} requests a month.`;
  const others = d.options.flatMap((o, i) => (i === rec ? [] : [otherLine(d, o, p95s[i], variantOf(o), c)]));
  const [cost, traffic] = d.tipping;
  const changes = [
    `The cost of a silent failure: ${usdApprox(d.inputs.silentFailureUsd)}, an ASSUMPTION of the scenario (costs.silentFailureUsd). ${holds(d, cost, (x) => usdApprox(x))}`,
    `The traffic: ${approx(d.inputs.requestsPerMonth)} requests a month – ${trafficSource(d, input.figures.trafficPerSec)}. ${holds(d, traffic, (x) => `${approx(x)} requests a month`)}`,
    pricesLine(d),
  ];
  return { scenario, answer, others, changes, notes: [LOUD, sample(c)], table: table(d, c, p95s) };
}

/** The heading above the assumptions that would change the answer. */
export const CHANGES = 'What would change this answer';

/**
 * The memo for the terminal, without its table (the CLI lays that out:
 * scripts/text-table.ts). Here, not in memo-render.ts, so the memo command
 * does not load the page writers.
 */
export function memoText(m: Memo): string {
  const out = [`Decision memo · ${m.scenario}`, '', m.answer];
  if (m.others.length > 0) out.push('', ...m.others.map((l) => `  - ${l}`));
  if (m.changes.length > 0) out.push('', `${CHANGES}:`, ...m.changes.map((l) => `  - ${l}`));
  if (m.notes.length > 0) out.push('', ...m.notes);
  return `${out.join('\n')}\n`;
}
