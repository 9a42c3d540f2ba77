/**
 * The memo's words on a hand-made Decision: every expected figure below is
 * worked out by hand from the inputs here (the comments show how), not copied
 * from the output.
 */
import { describe, expect, it } from 'vitest';
import type { ComparisonResult, Decision, OptionFigures } from '../sim/experiment/index.js';
import type { LatencyChange } from './format.js';
import { memo, memoText, type MemoInput } from './memo.js';
import { memoHtml, memoMarkdown, memoPage, MEMO_PAGE_POLICY } from './memo-render.js';

const est = (estimate: number, lo: number, hi: number) => ({ estimate, ci95: [lo, hi] as [number, number] });
const N = 1_000_000;

/** An option at N requests a month; `perRequest` figures are scaled by N here, as decide() does. */
function option(o: Partial<OptionFigures> & Pick<OptionFigures, 'name' | 'kind'>): OptionFigures {
  return {
    price: { oneOffUsd: 0, monthlyUsd: 0, note: null, unpriced: true },
    spendChangeMonthlyUsd: est(0, 0, 0),
    extraCostMonthlyUsd: 0,
    successDelta: est(0, 0, 0),
    silentFailureDelta: est(0, 0, 0),
    p95DeltaMs: est(0, 0, 0),
    silentFailuresMonthly: est(0, 0, 0),
    netMonthlyUsd: 0,
    worse: false,
    breakEvenSilentFailureUsd: null,
    paybackMonths: null,
    ...o,
  };
}

// recovery: Δ spend $0.002 a request [0.0018, 0.0022] → $2,000 a month [1,800, 2,200]; price $100 a month + $1,200 / 12 = $200;
// extra $2,200; Δ silent −0.4 % [−0.45, −0.35] → −4,000 a month [−4,500, −3,500]; net at $5: 2,200 − 20,000 = −17,800;
// break-even 2,200 / 4,000 = $0.55; payback 1,200 / (20,000 − 2,000 − 100) = 1,200 / 17,900 months (2.0 days).
const recovery = option({
  name: 'recovery',
  kind: 'coordination',
  price: { oneOffUsd: 1200, monthlyUsd: 100, note: 'two days', unpriced: false },
  spendChangeMonthlyUsd: est(2000, 1800, 2200),
  extraCostMonthlyUsd: 2200,
  successDelta: est(0.03, 0.02, 0.04),
  silentFailureDelta: est(-0.004, -0.0045, -0.0035),
  p95DeltaMs: est(50, 40, 60),
  silentFailuresMonthly: est(-4000, -4500, -3500),
  netMonthlyUsd: -17_800,
  breakEvenSilentFailureUsd: 0.55,
  paybackMonths: 1200 / 17_900,
});
// gpu: $0.001 a request more in compute, no price: $1,000 a month; success and silent failures unchanged; p95 −81 ms ± 11.
const gpu = option({
  name: 'gpu',
  kind: 'compute',
  spendChangeMonthlyUsd: est(1000, 900, 1100),
  extraCostMonthlyUsd: 1000,
  successDelta: est(0, -0.01, 0.01),
  silentFailureDelta: est(0, -0.0001, 0.0001),
  p95DeltaMs: est(-81, -92, -70),
  silentFailuresMonthly: est(0, -100, 100),
  netMonthlyUsd: 1000,
});
const worse = option({ name: 'worse', kind: 'coordination', spendChangeMonthlyUsd: est(-50_000, -51_000, -49_000), extraCostMonthlyUsd: -50_000, successDelta: est(-0.05, -0.06, -0.04), netMonthlyUsd: -50_000, worse: true });

const inputs: Decision['inputs'] = {
  requestsPerMonth: N,
  trafficSource: 'scenario',
  silentFailureUsd: 5,
  amortizationMonths: 12,
  prices: { recovery: recovery.price, gpu: gpu.price, worse: worse.price },
};

const buy: Decision = {
  inputs,
  options: [recovery, gpu, worse],
  recommended: 'recovery',
  // The next best is keeping as is (net 0): 0 − (−17,800).
  priceHeadroomMonthlyUsd: 17_800,
  tipping: [
    // recovery's net 2,200 − 4,000·c crosses keeping as is at c = 0.55; in N: 200 + N·(0.002 − 5 × 0.004) = 0 at N = 200 / 0.018 = 11,111.
    { assumption: 'silentFailureUsd', value: 5, below: { at: 0.55, becomes: 'keep as is' }, above: null },
    { assumption: 'requestsPerMonth', value: N, below: { at: 200 / 0.018, becomes: 'keep as is' }, above: null },
  ],
};

/** What the memo reads of a comparison: names, the sample, and the spend breakdown (to say what the spend change is made of). */
function comparison(names: string[], silentRate = 0.2): ComparisonResult {
  const breakdown = (tokens: number, compute: number, human: number) => ({ tokens, compute, human, silentFailure: 0, escalation: 0 });
  // recovery adds $150 of tokens and $50 of human time (both ≥ 10 % of the rise: named, tokens first); gpu adds compute only.
  const spend: Record<string, ReturnType<typeof breakdown>> = { recovery: breakdown(250, 10, 50), gpu: breakdown(100, 20, 0), worse: breakdown(50, 10, 0) };
  // No option here changes how many requests fail loudly (that case has its own test below).
  const outcomes = { success: 30_000, silentFailure: 8000, failed: 2000, escalated: 0, timedOut: 0, rejected: 0 };
  return {
    baseline: { scenario: 'hand-made', seed: 7, requests: 40_000, replications: 4, outcomes, silentFailureRate: est(silentRate, silentRate, silentRate), costUsd: { breakdown: breakdown(100, 10, 0) } },
    variants: names.map((name) => ({ name, kind: name === 'gpu' ? 'compute' : 'coordination', result: { requests: 40_000, outcomes, costUsd: { breakdown: spend[name] } } })),
  } as unknown as ComparisonResult;
}

const p95 = (estimateMs: number, halfMs: number, resolutionLimited = false): LatencyChange => ({ estimateMs, halfMs, resolutionLimited, relative: NaN });

function input(d: Decision | undefined, names = ['recovery', 'gpu', 'worse'], trafficPerSec?: number): MemoInput {
  const changes: Record<string, LatencyChange> = { recovery: p95(50, 10), gpu: p95(-81, 11), worse: p95(0, 5) };
  return { comparison: comparison(names), figures: { variantP95: names.map((n) => changes[n]), ...(d ? { decision: d } : {}), ...(trafficPerSec !== undefined ? { trafficPerSec } : {}) } };
}

describe('the memo when an option pays', () => {
  const m = memo(input(buy));

  it('answers first: the option, what it changes with intervals, what it costs, and when it pays for itself against the assumption', () => {
    expect(m.answer).toBe(
      'Buy recovery: +3.0 pp task success [2.0 to 4.0], 4,000 fewer silent failures a month [3,500 to 4,500]; ' +
        'it costs $2,200 a month more [$2,000 to $2,400] ($2,000 in simulated tokens and human time, $200 its price) ' +
        'and pays for itself if a silent failure costs more than $0.550 (the scenario assumes $5). It raises p95 by 50 ms [40 to 60].',
    );
  });

  it('says each other option in plain words: a compute option that does not change success is worth its p95 cut only to you; a worse one is out', () => {
    expect(m.others).toEqual([
      'gpu does not change task success (+0.0 pp [−1.0 to 1.0]); it cuts p95 by 81 ms [70 to 92] and costs $1,000 a month more [$900 to $1,100] ' +
        '(simulated compute; it carries no price, so only simulated spend counts) – worth it only if 81 ms of p95 is worth $1,000 a month to you.',
      'worse makes task success worse (−5.0 pp [−6.0 to −4.0]): not a candidate whatever it costs.',
    ]);
  });

  it('says what would change the answer: the assumed silent-failure cost and the traffic with the range the answer holds over, and the prices – unpriced ones said so – with the headroom', () => {
    expect(m.changes).toEqual([
      'The cost of a silent failure: $5, an ASSUMPTION of the scenario (costs.silentFailureUsd). The answer holds from $0.550 up; below that: keep as is.',
      // 200 / 0.018 = 11,111 → 3 significant figures.
      'The traffic: 1,000,000 requests a month – as written in the scenario (costs.requestsPerMonth), an ASSUMPTION. The answer holds from 11,100 requests a month up; below that: keep as is.',
      'The prices, as the scenario states them – ASSUMPTIONS: recovery $1,200 one-off + $100 a month (two days); gpu carries no price: priced at simulated spend only; ' +
        'worse carries no price: priced at simulated spend only; one-off prices spread over 12 months (costs.amortizationMonths). ' +
        "recovery's price may rise by $17,800 a month before keeping as is comes out cheaper.",
    ]);
  });

  it('says once that loud failures carry no cost, and where the figures come from (the sample per arm, not all replications summed)', () => {
    expect(m.notes[0]).toMatch(/^Loud failures \(errors, time-outs, rejections\) carry no cost in the scenario language/);
    expect(m.notes[1]).toContain('4 × 10,000 requests per arm, seed 7, paired on common random numbers; brackets are 95 % intervals');
  });

  it('tabulates the options a month: the recommended one marked, intervals in brackets, net at the assumed cost, break-even and payback', () => {
    expect(m.table!.columns.map((c) => c.label)).toEqual([
      'option', 'Δ task success', 'Δ silent failures / month', 'Δ p95', 'Δ spend / month (simulated)', 'price: one-off / monthly', 'net / month at $5 a silent failure', 'break-even cost of a silent failure', 'payback',
    ]);
    expect(m.table!.rows[0]).toEqual([
      'recovery (recommended)', '+3.0 pp [2.0 to 4.0]', '−4,000 [−4,500 to −3,500]', '+50 ms [40 to 60]', '+$2,000 [$1,800 to $2,200]', '$1,200 / $100', '−$17,800', '$0.550', '2 days',
    ]);
    expect(m.table!.rows[1]).toEqual(['gpu', '+0.0 pp [−1.0 to 1.0]', '0 [−100 to 100]', '−81 ms [−92 to −70]', '+$1,000 [$900 to $1,100]', 'none', '+$1,000', 'n/a', 'n/a']);
    expect(m.table!.rows[2][0]).toBe('worse (worse success)');
  });
});

describe('the memo when nothing pays', () => {
  // At $0.10 a silent failure: recovery 2,200 − 0.1 × 4,000 = 1,800 a month; gpu 1,000: both dearer than keeping as is (0).
  const keep: Decision = {
    inputs: { ...inputs, silentFailureUsd: 0.1 },
    options: [{ ...recovery, netMonthlyUsd: 1800, paybackMonths: null }, gpu],
    recommended: null,
    priceHeadroomMonthlyUsd: null,
    tipping: [
      { assumption: 'silentFailureUsd', value: 0.1, below: null, above: { at: 0.55, becomes: 'recovery' } },
      { assumption: 'requestsPerMonth', value: N, below: null, above: null },
    ],
  };
  const m = memo(input(keep, ['recovery', 'gpu'], 0.5));

  it('says keep as is, at which assumed cost and traffic', () => {
    expect(m.answer).toBe('Keep as is: no option saves more than it costs at $0.100 a silent failure and 1,000,000 requests a month.');
  });

  it('says of each option where it would pay, and how the answer flips: above $0.55 buy recovery; the nearest to paying by price', () => {
    expect(m.others[0]).toBe(
      'recovery: +3.0 pp task success [2.0 to 4.0], 4,000 fewer silent failures a month [3,500 to 4,500], raises p95 by 50 ms [40 to 60]; ' +
        'it costs $2,200 a month more [$2,000 to $2,400] ($2,000 in simulated tokens and human time, $200 its price) – it pays for itself only above $0.550 a silent failure, more than the assumed $0.100.',
    );
    expect(m.changes[0]).toBe('The cost of a silent failure: $0.100, an ASSUMPTION of the scenario (costs.silentFailureUsd). The answer holds up to $0.550; above that: buy recovery.');
    expect(m.changes[1]).toMatch(/The answer holds at any value\.$/);
    // gpu's net $1,000 is nearer to 0 than recovery's $1,800.
    expect(m.changes[2]).toMatch(/The nearest to paying is gpu: it would need to cost \$1,000 a month less\.$/);
  });

  it('says where traffic taken from the arrival rate comes from, and that it is an assumption', () => {
    const arrival = memo(input({ ...keep, inputs: { ...keep.inputs, trafficSource: 'arrival rate' } }, ['recovery', 'gpu'], 0.5));
    expect(arrival.changes[1]).toContain("1,000,000 requests a month – the scenario's arrival rate (0.5/s) for a whole 30.44-day month, an ASSUMPTION (state it with costs.requestsPerMonth).");
    const closed = memo(input({ ...keep, inputs: { ...keep.inputs, trafficSource: 'simulated throughput' } }, ['recovery', 'gpu'], 0.38));
    expect(closed.changes[1]).toContain('the simulated throughput (0.38/s; the scenario has no open arrival rate)');
  });
});

describe('an option that turns silent failures into loud ones', () => {
  // checks: Δ silent −0.4 % → 4,000 fewer a month; failed 2,000 → 2,140 of 40,000 requests: +0.35 % → 3,500 more loud failures
  // a month, which nothing prices; $500 a month less spend, no price: net −500 − 5 × 4,000 = −20,500.
  const checks = option({
    name: 'checks',
    kind: 'coordination',
    spendChangeMonthlyUsd: est(-500, -600, -400),
    extraCostMonthlyUsd: -500,
    successDelta: est(0.001, -0.001, 0.003),
    silentFailureDelta: est(-0.004, -0.0045, -0.0035),
    silentFailuresMonthly: est(-4000, -4500, -3500),
    netMonthlyUsd: -20_500,
  });
  const outcomes = (failed: number) => ({ success: 30_000, silentFailure: 8000 - failed, failed, escalated: 0, timedOut: 0, rejected: 0 });
  const breakdown = { tokens: 100, compute: 10, human: 0, silentFailure: 0, escalation: 0 };
  const c = {
    baseline: { scenario: 'hand-made', seed: 7, requests: 40_000, replications: 1, outcomes: outcomes(2000), costUsd: { breakdown } },
    variants: [{ name: 'checks', kind: 'coordination', result: { requests: 40_000, outcomes: outcomes(2140), costUsd: { breakdown: { ...breakdown, tokens: 90 } } } }],
  } as unknown as ComparisonResult;
  const d: Decision = { inputs: { ...inputs, prices: { checks: checks.price } }, options: [checks], recommended: 'checks', priceHeadroomMonthlyUsd: 20_500,
    // −500 − 4,000·c and N·(−0.0005 − 5 × 0.004) stay below keeping as is (0) for every c, N ≥ 0: no flip.
    tipping: [
      { assumption: 'silentFailureUsd', value: 5, below: null, above: null },
      { assumption: 'requestsPerMonth', value: N, below: null, above: null },
    ],
  };

  it('says how many fail loudly instead – nothing prices them – and says a saving as a positive amount, interval too', () => {
    expect(memo({ comparison: c, figures: { variantP95: [p95(0, 5)], decision: d } }).answer).toBe(
      'Buy checks: does not change task success (+0.1 pp [−0.1 to 0.3]), 4,000 fewer silent failures a month [3,500 to 4,500] ' +
        '(about 3,500 more requests a month fail loudly instead, which the scenario does not price); ' +
        'it saves $500 a month [$400 to $600] (simulated spend; it carries no price, so only simulated spend counts) and pays for itself whatever a silent failure costs.',
    );
  });
});

describe('a change in silent failures within noise', () => {
  it('is said – and said to be indistinguishable from none – when it still drives the net cost', () => {
    // +300 silent failures a month [−200, 800] at $5: $1,500 of the net $1,600 (a tenth is $160), so it is said.
    const noisy = option({
      name: 'noisy',
      kind: 'coordination',
      spendChangeMonthlyUsd: est(100, 90, 110),
      extraCostMonthlyUsd: 100,
      successDelta: est(0.008, 0.006, 0.01),
      silentFailureDelta: est(0.0003, -0.0002, 0.0008),
      silentFailuresMonthly: est(300, -200, 800),
      netMonthlyUsd: 1600,
    });
    const d: Decision = {
      inputs: { ...inputs, prices: { noisy: noisy.price } },
      options: [noisy],
      recommended: null,
      priceHeadroomMonthlyUsd: null,
      tipping: [
        { assumption: 'silentFailureUsd', value: 5, below: null, above: null },
        { assumption: 'requestsPerMonth', value: N, below: null, above: null },
      ],
    };
    const m = memo({ comparison: comparison(['recovery']), figures: { variantP95: [p95(0, 5)], decision: d } });
    expect(m.others[0]).toMatch(/^noisy: \+0\.8 pp task success \[0\.6 to 1\.0\], 300 more silent failures a month \[−200 to 800\], not distinguishable from none; it costs \$100 a month more/);
    // With the net nearly all spend, the same noise is left unsaid.
    const quiet = memo({ comparison: comparison(['recovery']), figures: { variantP95: [p95(0, 5)], decision: { ...d, options: [{ ...noisy, netMonthlyUsd: 100_000 }] } } });
    expect(quiet.others[0]).not.toContain('silent failures');
  });
});

describe('the memo with nothing to decide', () => {
  it('a scenario without variants: nothing to choose between, what to add, and what silent failures cost as it stands', () => {
    const none: Decision = { inputs: { ...inputs, prices: {} }, options: [], recommended: null, priceHeadroomMonthlyUsd: null, tipping: [] };
    const m = memo(input(none, []));
    expect(m.answer).toMatch(/^Nothing to choose between: the scenario has no variants\. Add .* each with a price: \{ oneOffUsd, engineeringDays, monthlyUsd, note \}/);
    // 0.2 × 1,000,000 = 200,000 silent failures × $5 = $1,000,000 a month.
    expect(m.others).toEqual(['As it stands: 200,000 silent failures a month at 1,000,000 requests a month, $1,000,000 a month at the assumed $5 each.']);
    expect(m.table).toBeUndefined();
  });

  it('results without decision inputs (a bare compare --json) say so instead of guessing a traffic or prices', () => {
    const m = memo(input(undefined));
    expect(m.answer).toMatch(/^No decision memo: these results carry no decision inputs/);
    expect(m.table).toBeUndefined();
  });
});

describe('the memo written out', () => {
  const m = memo(input(buy));

  it('Markdown opens with its heading and the answer in bold, then the other options and what would change it', () => {
    const md = memoMarkdown(m).split('\n');
    expect(md[0]).toBe('# Decision memo: hand-made');
    expect(md[2]).toMatch(/^\*\*Buy recovery: \+3\.0 pp task success/);
    expect(md).toContain('**What would change this answer**');
  });

  it('HTML: a section with the answer first; the standalone page has a policy that allows no script and carries none', () => {
    const html = memoHtml(m);
    expect(html).toMatch(/^<section id="memo" class="memo"[^>]*>\n<h2 id="memo-heading">Decision memo · hand-made<\/h2>\n<p class="answer">Buy recovery:/);
    const page = memoPage(m, 'hand-made · seed 7');
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${MEMO_PAGE_POLICY.replace(/'/g, '&#39;')}">`);
    expect(MEMO_PAGE_POLICY).toMatch(/^default-src 'none';/);
    expect(MEMO_PAGE_POLICY).not.toContain('script-src');
    expect(page).not.toContain('<script');
  });

  it('escapes a hostile option name in both pages', () => {
    const evil = '<img src=x onerror=alert(1)>*x*';
    const hostile = memo({ ...input({ ...buy, recommended: evil, options: [{ ...recovery, name: evil }] }, ['recovery']) });
    expect(memoHtml(hostile)).not.toContain('<img');
    expect(memoMarkdown(hostile)).toContain('\\<img src=x onerror=alert(1)\\>\\*x\\*');
  });

  it('plain text for the terminal: the answer on its own line under the title', () => {
    expect(memoText(m).split('\n').slice(0, 3)).toEqual(['Decision memo · hand-made', '', m.answer]);
  });
});
