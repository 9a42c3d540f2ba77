/**
 * The memo's sentences about one option (memo.ts puts them together): what it
 * changes – task success, silent failures a month, p95 – each with its 95 %
 * interval and only when the interval excludes no change, what it costs a
 * month and what that is made of, and when it pays for itself. An option that
 * changes nothing the scenario prices (a compute upgrade that only cuts p95)
 * is worth it only if what it does change is worth its cost to the reader:
 * the memo says so rather than price latency.
 */
import type { ComparisonResult, Decision, OptionFigures, VariantComparison } from '../sim/experiment/index.js';
import type { Estimate } from '../sim/metrics/index.js';
import type { LatencyChange } from './format.js';
import { approx, bracket, ms, msEnd, ppBracket, ppBracketWith, usdApprox } from './format.js';

/** A p95 change as an estimate with its interval, and whether that interval is the histogram's resolution. */
export type P95 = Estimate & { resolution: boolean };

/** Whether an interval lies wholly above (+1) or below (−1) zero, or straddles it (0; unknown ends straddle). */
function side(e: Estimate): 1 | -1 | 0 {
  if (e.ci95[0] > 0) return 1;
  if (e.ci95[1] < 0) return -1;
  return 0;
}

/** The p95 change as the report prints it (its ± never under the histogram's resolution), as an estimate with an interval. */
export function p95Estimate(c: LatencyChange | undefined, o: OptionFigures): P95 {
  if (c === undefined) return { ...o.p95DeltaMs, resolution: false };
  return { estimate: c.estimateMs, ci95: [c.estimateMs - c.halfMs, c.estimateMs + c.halfMs], resolution: c.resolutionLimited };
}

/** "cuts p95 by 74 ms [59 to 89]", "raises p95 by 263 ms [239 to 287]", or null when the change is within its interval of none. */
function p95Phrase(p: P95): string | null {
  const s = side(p);
  if (s === 0) return null;
  const [lo, hi] = s < 0 ? [-p.ci95[1], -p.ci95[0]] : p.ci95;
  const range = bracket(lo, hi, (x) => msEnd(x, lo, hi));
  return `${s < 0 ? 'cuts' : 'raises'} p95 by ${ms(Math.abs(p.estimate))}${range ? ` ${range}` : ''}${p.resolution ? " (the interval is the histogram's resolution)" : ''}`;
}

/** Share of requests that failed loudly: errors, time-outs, rejections (escalations are priced as human time, so apart). */
const loudShare = (r: VariantComparison['result']) => (r.requests > 0 ? (r.outcomes.failed + r.outcomes.timedOut + r.outcomes.rejected) / r.requests : NaN);

/**
 * " (about 486,000 more requests a month fail loudly instead, which the
 * scenario does not price)" when at least a tenth of the silent failures an
 * option avoids turn into loud failures: the memo prices none of them, so a
 * check that fails requests loudly looks better than one that repairs them
 * unless this is said. A point figure (the arms' outcome shares), no interval.
 */
function loudClause(o: OptionFigures, v: VariantComparison | undefined, c: ComparisonResult, requestsPerMonth: number): string {
  if (v === undefined || !(o.silentFailuresMonthly.estimate < 0)) return '';
  const loud = (loudShare(v.result) - loudShare(c.baseline)) * requestsPerMonth;
  return loud >= 0.1 * -o.silentFailuresMonthly.estimate ? ` (about ${approx(loud)} more requests a month fail loudly instead, which the scenario does not price)` : '';
}

/**
 * "4,100 fewer silent failures a month [3,900 to 4,300]"; null when the change
 * is within its interval of none – unless, at the assumed cost, it still makes
 * a tenth or more of the option's net cost: then it is said, and said to be
 * indistinguishable from none, so the net figures elsewhere are not a riddle.
 */
function silentPhrase(o: OptionFigures, silentFailureUsd: number): string | null {
  const m = o.silentFailuresMonthly;
  if (m.estimate === 0) return null;
  const noise = side(o.silentFailureDelta) === 0 && Number.isFinite(o.silentFailureDelta.ci95[0]);
  if (noise && !(Math.abs(silentFailureUsd * m.estimate) >= 0.1 * Math.abs(o.netMonthlyUsd))) return null;
  const fewer = m.estimate < 0;
  const [lo, hi] = fewer ? [-m.ci95[1], -m.ci95[0]] : m.ci95;
  const range = bracket(lo, hi, approx);
  return `${approx(Math.abs(m.estimate))} ${fewer ? 'fewer' : 'more'} silent failures a month${range ? ` ${range}` : ''}${noise ? ', not distinguishable from none' : ''}`;
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
  const [lo, hi] = [spend.ci95[0] + price, spend.ci95[1] + price];
  // A saving is said as a positive amount, and so are its interval's ends.
  const range = o.extraCostMonthlyUsd < 0 ? bracket(-hi, -lo, (x) => usdApprox(x)) : bracket(lo, hi, (x) => usdApprox(x));
  const made = o.price.unpriced
    ? `${spendParts(v, c)}; it carries no price, so only simulated spend counts`
    : price === 0
      ? spendParts(v, c)
      : `${usdApprox(spend.estimate)} in ${spendParts(v, c)}, ${usdApprox(price)} its price`;
  if (o.extraCostMonthlyUsd > 0) return `costs ${usdApprox(o.extraCostMonthlyUsd)} a month more${range ? ` ${range}` : ''} (${made})`;
  if (o.extraCostMonthlyUsd < 0) return `saves ${usdApprox(-o.extraCostMonthlyUsd)} a month${range ? ` ${range}` : ''} (${made})`;
  return `costs nothing measurable a month (${made})`;
}

/** The effects with intervals: "+31.7 pp task success [31.4 to 32.0]", "322,000 fewer silent failures a month [...]" (and where they went), the p95 change. */
function effects(o: OptionFigures, p95: P95, loud: string, silentFailureUsd: number): { success: string; silent: string | null; latency: string | null } {
  const success = side(o.successDelta) === 0 ? `does not change task success (${ppBracket(o.successDelta)})` : ppBracketWith(o.successDelta, 'task success');
  const silent = silentPhrase(o, silentFailureUsd);
  return { success, silent: silent === null ? null : `${silent}${loud}`, latency: p95Phrase(p95) };
}

/** The answer when an option pays: what it changes, what it costs, when it pays for itself, and its p95 change. */
export function answerLine(d: Decision, rec: OptionFigures, p95: P95, v: VariantComparison | undefined, c: ComparisonResult): string {
  const e = effects(rec, p95, loudClause(rec, v, c, d.inputs.requestsPerMonth), d.inputs.silentFailureUsd);
  const head = [e.success, ...(e.silent ? [e.silent] : [])].join(', ');
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
  return `Buy ${rec.name}: ${head}; it ${cost} and ${pays}.${e.latency ? ` It ${e.latency}.` : ''}`;
}

/** One line for an option that is not the answer, in plain words. */
export function otherLine(d: Decision, o: OptionFigures, p95: P95, v: VariantComparison | undefined, c: ComparisonResult): string {
  if (o.worse) return `${o.name} makes task success worse (${ppBracket(o.successDelta)}): not a candidate whatever it costs.`;
  const e = effects(o, p95, loudClause(o, v, c, d.inputs.requestsPerMonth), d.inputs.silentFailureUsd);
  const cost = costPhrase(o, v, c, d.inputs.amortizationMonths);
  const { latency, silent } = e;
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
  const what = [e.success, ...(silent ? [silent] : []), ...(latency ? [latency] : [])].join(', ');
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
    const breakEven = o.breakEvenSilentFailureUsd !== null ? `it pays for itself above ${usdApprox(o.breakEvenSilentFailureUsd)} a silent failure, but ` : '';
    verdict = ` – ${breakEven}at the assumed ${assumed} it comes out ${usdApprox(behind)} a month behind ${rec.name}`;
  }
  return `${o.name}: ${what}; it ${cost}${verdict}.`;
}
