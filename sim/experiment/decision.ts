/**
 * The arithmetic of "what should we buy": each option of a comparison priced
 * per month at the scenario's traffic, set against what it changes, and the
 * assumptions that decide the answer with how far each may move before the
 * answer changes. Pure: the memo (reports/memo.ts) says it in words.
 *
 * Per option, at N requests a month and an assumed cost c per silent failure:
 *   extra spend a month  S = N · Δ(spend per request) + monthly price
 *                            + one-off price / amortization months
 *   silent failures a month  F = N · Δ(silent-failure rate)
 *   net cost a month         net(c) = S + c · F
 * "Keep as is" is an option too, with net 0. The recommendation is the option
 * with the lowest net cost among those that do not make task success worse
 * (its interval's upper end below zero); with every option dearer than what
 * it saves, it is to keep as is.
 *
 * net is linear in c, and in N (S and F are N · per-request terms plus fixed
 * prices), so where the recommendation changes is a crossing of two lines:
 * the nearest crossing above and below the assumed value bounds the range in
 * which the answer holds. Loud failures carry no cost in the scenario
 * language; the memo says so rather than price them.
 */
import type { ComparisonResult, VariantComparison } from './comparison.js';
import type { Estimate } from '../metrics/intervals.js';

/** A 30.44-day month (365.25 / 12), in seconds: the traffic default multiplies the arrival rate by it. */
export const SECONDS_PER_MONTH = (365.25 / 12) * 86_400;

export interface OptionPrice {
  oneOffUsd: number;
  monthlyUsd: number;
  /** Where the price comes from, as the scenario says; null when it says nothing. */
  note: string | null;
  /** The variant carried no price: only its simulated spend counts. */
  unpriced: boolean;
}

export interface DecisionInputs {
  requestsPerMonth: number;
  /**
   * How the traffic was chosen: written in the scenario, the open arrival rate
   * × a month, or – a closed system, or arrivals with no usable rate – the
   * simulated baseline's throughput × a month.
   */
  trafficSource: 'scenario' | 'arrival rate' | 'simulated throughput';
  silentFailureUsd: number;
  amortizationMonths: number;
  /** Per variant name. */
  prices: Readonly<Record<string, OptionPrice>>;
}

/** A change a month with its 95 % interval (NaN ends when unknown). */
export type MonthlyEstimate = Estimate;

export interface OptionFigures {
  name: string;
  kind: VariantComparison['kind'];
  price: OptionPrice;
  /** N · Δ spend per request: simulated tokens, compute and human time. */
  spendChangeMonthlyUsd: MonthlyEstimate;
  /** spend change + monthly price + one-off / amortization months (point). */
  extraCostMonthlyUsd: number;
  successDelta: Estimate;
  silentFailureDelta: Estimate;
  p95DeltaMs: Estimate;
  /** N · Δ silent-failure rate. */
  silentFailuresMonthly: MonthlyEstimate;
  /** extra cost + c · silent failures a month; negative: it saves money at the assumed c. */
  netMonthlyUsd: number;
  /** Task success is worse with it (the Δ interval lies below zero): never recommended. */
  worse: boolean;
  /** The silent-failure cost above which it pays for itself (null when it does not reduce silent failures or costs nothing extra). */
  breakEvenSilentFailureUsd: number | null;
  /** Months for the one-off price to come back from the monthly saving at c; null when it saves nothing. */
  paybackMonths: number | null;
}

/** The range of an assumption over which the recommendation holds, and what it becomes past each end. */
export interface Tipping {
  assumption: 'silentFailureUsd' | 'requestsPerMonth';
  value: number;
  /** Lowest value the recommendation holds down to (0 when it holds at any lower value), and the option that wins below it. */
  below: { at: number; becomes: string } | null;
  /** Highest value it holds to, and the option that wins above it; null when it holds at any higher value. */
  above: { at: number; becomes: string } | null;
}

export interface Decision {
  inputs: DecisionInputs;
  options: OptionFigures[];
  /** The option to take, or null: keep as is. */
  recommended: string | null;
  /** How much the recommended option's monthly price could rise before another option (or keeping as is) is cheaper; null with no recommendation. */
  priceHeadroomMonthlyUsd: number | null;
  tipping: Tipping[];
}

/** The name "keep as is" goes by among the candidates. */
export const KEEP_AS_IS = 'keep as is';

const scale = (e: Estimate, k: number): Estimate => ({ estimate: e.estimate * k, ci95: [e.ci95[0] * k, e.ci95[1] * k] });

function figures(v: VariantComparison, baselineSpendPerRequest: number, inputs: DecisionInputs): OptionFigures {
  const n = inputs.requestsPerMonth;
  const price = inputs.prices[v.name] ?? { oneOffUsd: 0, monthlyUsd: 0, note: null, unpriced: true };
  const spendPerRequest: Estimate = v.delta.spendPerRequestUsd ?? { estimate: v.result.costUsd.spend.perRequest - baselineSpendPerRequest, ci95: [NaN, NaN] };
  const spendChange = scale(spendPerRequest, n);
  const extra = spendChange.estimate + price.monthlyUsd + price.oneOffUsd / inputs.amortizationMonths;
  const silentMonthly = scale(v.delta.silentFailureRate, n);
  const net = extra + inputs.silentFailureUsd * silentMonthly.estimate;
  const avoided = -silentMonthly.estimate;
  const breakEven = avoided > 0 && extra > 0 ? extra / avoided : null;
  const monthlySaving = -(spendChange.estimate + price.monthlyUsd + inputs.silentFailureUsd * silentMonthly.estimate);
  return {
    name: v.name,
    kind: v.kind,
    price,
    spendChangeMonthlyUsd: spendChange,
    extraCostMonthlyUsd: extra,
    successDelta: v.delta.successRate,
    silentFailureDelta: v.delta.silentFailureRate,
    p95DeltaMs: v.delta.p95Ms,
    silentFailuresMonthly: silentMonthly,
    netMonthlyUsd: net,
    worse: v.delta.successRate.ci95[1] < 0,
    breakEvenSilentFailureUsd: breakEven,
    paybackMonths: price.oneOffUsd > 0 && monthlySaving > 0 ? price.oneOffUsd / monthlySaving : null,
  };
}

/** A candidate's net cost as a line in one assumption: net(x) = fixed + slope · x. */
interface Line {
  name: string;
  fixed: number;
  slope: number;
}

/** The best line at x (lowest net; ties to the earlier one), and the nearest crossings with another line above and below x. */
function tipping(lines: readonly Line[], x: number, assumption: Tipping['assumption']): Tipping {
  const at = (l: Line, v: number) => l.fixed + l.slope * v;
  const best = (v: number) => lines.reduce((b, l) => (at(l, v) < at(b, v) - 1e-9 ? l : b));
  const chosen = best(x);
  let below: Tipping['below'] = null;
  let above: Tipping['above'] = null;
  for (const l of lines) {
    if (l === chosen || l.slope === chosen.slope) continue;
    const cross = (chosen.fixed - l.fixed) / (l.slope - chosen.slope);
    // Both assumptions are positive (a cost, a traffic): a crossing at 0 or below is no flip – at 0 an unpriced option ties with keeping as is.
    if (!(cross > 0) || !Number.isFinite(cross)) continue;
    if (cross > x && (above === null || cross < above.at)) above = { at: cross, becomes: l.name };
    if (cross < x && (below === null || cross > below.at)) below = { at: cross, becomes: l.name };
  }
  // Past a crossing the winner is whichever line is lowest there, which may be a third one.
  const nudge = (c: number, dir: 1 | -1) => best(c + dir * Math.max(1e-9, Math.abs(c) * 1e-9)).name;
  if (above !== null) above = { at: above.at, becomes: nudge(above.at, 1) };
  if (below !== null) below = { at: below.at, becomes: nudge(below.at, -1) };
  return { assumption, value: x, below, above };
}

export function decide(comparison: ComparisonResult, inputs: DecisionInputs): Decision {
  const base = comparison.baseline.costUsd.spend.perRequest;
  const options = comparison.variants.map((v) => figures(v, base, inputs));
  const eligible = options.filter((o) => !o.worse && Number.isFinite(o.netMonthlyUsd));
  const keep = { name: KEEP_AS_IS, netMonthlyUsd: 0 };
  const ranked = [keep, ...eligible].sort((a, b) => a.netMonthlyUsd - b.netMonthlyUsd);
  const top = ranked[0];
  const recommended = top.name === KEEP_AS_IS ? null : top.name;
  const priceHeadroomMonthlyUsd = recommended === null ? null : ranked[1].netMonthlyUsd - top.netMonthlyUsd;

  const n = inputs.requestsPerMonth;
  // In c: fixed = extra cost, slope = silent failures a month.
  const inCost: Line[] = [{ name: KEEP_AS_IS, fixed: 0, slope: 0 }, ...eligible.map((o) => ({ name: o.name, fixed: o.extraCostMonthlyUsd, slope: o.silentFailuresMonthly.estimate }))];
  // In N: fixed = the prices, slope = per-request spend change + c · per-request silent-failure change.
  const inTraffic: Line[] = [
    { name: KEEP_AS_IS, fixed: 0, slope: 0 },
    ...eligible.map((o) => ({
      name: o.name,
      fixed: o.price.monthlyUsd + o.price.oneOffUsd / inputs.amortizationMonths,
      slope: (o.spendChangeMonthlyUsd.estimate + inputs.silentFailureUsd * o.silentFailuresMonthly.estimate) / n,
    })),
  ];
  return {
    inputs,
    options,
    recommended,
    priceHeadroomMonthlyUsd,
    tipping: [tipping(inCost, inputs.silentFailureUsd, 'silentFailureUsd'), tipping(inTraffic, n, 'requestsPerMonth')],
  };
}

/** What decide() needs from a scenario: its costs block, its variants' prices, and the arrival rate (null for a closed system). */
export interface PricedScenario {
  costs?: { silentFailureUsd?: number; dayRateUsd?: number; requestsPerMonth?: number; amortizationMonths?: number };
  variants?: readonly { name: string; price?: { oneOffUsd?: number; engineeringDays?: number; monthlyUsd?: number; note?: string } }[];
}

/**
 * The memo's inputs from a scenario: traffic as written (costs.requestsPerMonth)
 * or the open arrival rate for a month – for a closed system, the simulated
 * baseline's throughput – and each variant's price, engineering days at the
 * day rate added to the one-off.
 */
export function decisionInputs(s: PricedScenario, arrivalRatePerSec: number | null, baselineThroughputPerSec: number): DecisionInputs {
  const written = s.costs?.requestsPerMonth;
  const open = arrivalRatePerSec !== null && Number.isFinite(arrivalRatePerSec) && arrivalRatePerSec > 0;
  const rate = open ? arrivalRatePerSec : baselineThroughputPerSec;
  const prices: Record<string, OptionPrice> = {};
  for (const v of s.variants ?? []) {
    const p = v.price;
    prices[v.name] = {
      oneOffUsd: (p?.oneOffUsd ?? 0) + (p?.engineeringDays ?? 0) * (s.costs?.dayRateUsd ?? 0),
      monthlyUsd: p?.monthlyUsd ?? 0,
      note: p?.note ?? null,
      unpriced: p === undefined,
    };
  }
  return {
    requestsPerMonth: written ?? rate * SECONDS_PER_MONTH,
    trafficSource: written !== undefined ? 'scenario' : open ? 'arrival rate' : 'simulated throughput',
    silentFailureUsd: s.costs?.silentFailureUsd ?? 0,
    amortizationMonths: s.costs?.amortizationMonths ?? 12,
    prices,
  };
}
