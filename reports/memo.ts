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
import type { ComparisonResult, Decision, OptionFigures, Tipping } from '../sim/experiment/index.js';
import type { LatencyChange } from './format.js';
import type { Table } from './tables.js';
import { approx, bracket, deltaApprox, deltaUsdApprox, ms, msEnd, monthsText, ppBracket, rateText, sampleSize, usdApprox } from './format.js';
import { answerLine, otherLine, p95Estimate, type P95 } from './memo-options.js';

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

/** "from $1.06 up; below it: keep as is" – the range an assumption may move over before the answer changes. */
function holds(d: Decision, t: Tipping, show: (x: number) => string): string {
  if (t.below === null && t.above === null) return 'The answer holds at any value.';
  if (t.below !== null && t.above !== null)
    return `The answer holds between ${show(t.below.at)} and ${show(t.above.at)}; below: ${keepOrBuy(d, t.below.becomes)}, above: ${keepOrBuy(d, t.above.becomes)}.`;
  if (t.below !== null) return `The answer holds from ${show(t.below.at)} up; below that: ${keepOrBuy(d, t.below.becomes)}.`;
  return `The answer holds up to ${show(t.above!.at)}; above that: ${keepOrBuy(d, t.above!.becomes)}.`;
}

function trafficSource(d: Decision, perSec: number | undefined): string {
  const rate = perSec !== undefined && Number.isFinite(perSec) ? rateText(perSec) : 'its rate';
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

function table(d: Decision, c: ComparisonResult, p95s: P95[]): Table {
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
  return `Simulated spend (tokens, compute busy time, human time at the scenario's prices) and every change come from ${sampleSize(b)} requests per arm, seed ${String(b.seed)}, paired on common random numbers; brackets are 95 % intervals.`;
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
