import { describe, expect, it } from 'vitest';
import { decide, decisionInputs, KEEP_AS_IS, SECONDS_PER_MONTH, type DecisionInputs } from './decision.js';
import type { ComparisonResult } from './comparison.js';

const est = (estimate: number, lo = estimate, hi = estimate) => ({ estimate, ci95: [lo, hi] as [number, number] });

/** A comparison reduced to what decide() reads: spend per request, and the deltas. */
function comparison(variants: { name: string; kind: 'compute' | 'coordination'; spend: number; silent: number; success: [number, number, number] }[]): ComparisonResult {
  return {
    baseline: { costUsd: { spend: { perRequest: 0.01 } } },
    variants: variants.map((v) => ({
      name: v.name,
      kind: v.kind,
      result: { costUsd: { spend: { perRequest: 0.01 + v.spend } } },
      delta: {
        successRate: est(...v.success),
        silentFailureRate: est(v.silent),
        p95Ms: est(0),
        costPerSuccessUsd: est(0),
        spendPerSuccessUsd: est(0),
        assumedPenaltyPerSuccessUsd: est(0),
        spendPerRequestUsd: est(v.spend, v.spend * 0.9, v.spend * 1.1),
      },
    })),
  } as unknown as ComparisonResult;
}

const inputs: DecisionInputs = {
  requestsPerMonth: 1_000_000,
  trafficSource: 'scenario',
  silentFailureUsd: 5,
  amortizationMonths: 12,
  prices: {
    recovery: { oneOffUsd: 1200, monthlyUsd: 100, note: 'two days', unpriced: false },
    gpu: { oneOffUsd: 0, monthlyUsd: 0, note: null, unpriced: true },
    worse: { oneOffUsd: 0, monthlyUsd: 0, note: null, unpriced: true },
  },
};

const options = comparison([
  { name: 'recovery', kind: 'coordination', spend: 0.002, silent: -0.004, success: [0.03, 0.02, 0.04] },
  { name: 'gpu', kind: 'compute', spend: 0.001, silent: 0, success: [0, -0.01, 0.01] },
  { name: 'worse', kind: 'coordination', spend: -0.05, silent: 0, success: [-0.05, -0.06, -0.04] },
]);

describe('decide', () => {
  const d = decide(options, inputs);
  const recovery = d.options.find((o) => o.name === 'recovery')!;

  it('prices each option a month at the traffic: spend change, prices, the silent failures it avoids', () => {
    // 1e6 × $0.002 + $100 + $1,200 / 12 = $2,200 extra; 1e6 × −0.004 = −4,000 silent failures × $5 = −$20,000.
    expect(recovery.spendChangeMonthlyUsd.estimate).toBeCloseTo(2000, 9);
    expect(recovery.spendChangeMonthlyUsd.ci95[0]).toBeCloseTo(1800, 9);
    expect(recovery.extraCostMonthlyUsd).toBeCloseTo(2200, 9);
    expect(recovery.silentFailuresMonthly.estimate).toBeCloseTo(-4000, 9);
    expect(recovery.netMonthlyUsd).toBeCloseTo(-17_800, 9);
    // Pays for itself above $2,200 / 4,000 = $0.55 a silent failure; the one-off back in 1,200 / 17,900 months.
    expect(recovery.breakEvenSilentFailureUsd).toBeCloseTo(0.55, 12);
    expect(recovery.paybackMonths).toBeCloseTo(1200 / 17_900, 12);
    const gpu = d.options.find((o) => o.name === 'gpu')!;
    expect(gpu.breakEvenSilentFailureUsd).toBeNull();
    expect(gpu.netMonthlyUsd).toBeCloseTo(1000, 9);
  });

  it('recommends the lowest net cost among options that do not make success worse, with its price headroom', () => {
    expect(d.options.find((o) => o.name === 'worse')!.worse).toBe(true);
    expect(d.recommended).toBe('recovery');
    // The next best is keeping as is (net 0): the price may rise by $17,800 a month before that wins.
    expect(d.priceHeadroomMonthlyUsd).toBeCloseTo(17_800, 9);
  });

  it('finds where the recommendation flips: the silent-failure cost and the traffic', () => {
    const [cost, traffic] = d.tipping;
    // In c: recovery's net 2,200 − 4,000·c crosses keep-as-is (0) at c = 0.55 and the GPU (1,000) at 0.30 – the nearer, 0.55, is where it flips to keeping as is.
    expect(cost.below!.at).toBeCloseTo(0.55, 12);
    expect(cost.below!.becomes).toBe(KEEP_AS_IS);
    expect(cost.above).toBeNull();
    // In N: 200 + N·(0.002 − 0.02) crosses 0 at N = 200 / 0.018 = 11,111.
    expect(traffic.below!.at).toBeCloseTo(200 / 0.018, 6);
    expect(traffic.below!.becomes).toBe(KEEP_AS_IS);
  });

  it('keeps as is when every option costs more than it saves', () => {
    const d2 = decide(options, { ...inputs, silentFailureUsd: 0.1 });
    // recovery at c = 0.1: 2,200 − 400 = 1,800 > 0; the GPU 1,000 > 0.
    expect(d2.recommended).toBeNull();
    expect(d2.priceHeadroomMonthlyUsd).toBeNull();
    expect(d2.tipping[0].above!.at).toBeCloseTo(0.55, 12);
    expect(d2.tipping[0].above!.becomes).toBe('recovery');
    // In N: the unpriced GPU's net 0.001·N meets keeping as is only at N = 0, where nothing flips: the answer holds at any traffic.
    expect(d2.tipping[1].below).toBeNull();
    expect(d2.tipping[1].above).toBeNull();
  });
});

describe('decisionInputs', () => {
  it('takes the traffic from the arrival rate for a 30.44-day month unless the scenario writes it, and prices engineering days at the day rate', () => {
    const s = { costs: { silentFailureUsd: 5, dayRateUsd: 800 }, variants: [{ name: 'a', price: { engineeringDays: 5, monthlyUsd: 50, note: 'estimate' } }, { name: 'b' }] };
    const i = decisionInputs(s, 2, 1.9);
    expect(i.requestsPerMonth).toBeCloseTo(2 * 30.4375 * 86_400, 6);
    expect(SECONDS_PER_MONTH).toBe(2_629_800);
    expect(i.trafficSource).toBe('arrival rate');
    expect(i.prices.a).toEqual({ oneOffUsd: 4000, monthlyUsd: 50, note: 'estimate', unpriced: false });
    expect(i.prices.b.unpriced).toBe(true);
    expect(decisionInputs({ costs: { requestsPerMonth: 1e6 } }, 2, 1.9).requestsPerMonth).toBe(1e6);
    // A closed system has no arrival rate: the simulated throughput stands in.
    expect(decisionInputs({}, null, 1.9).requestsPerMonth).toBeCloseTo(1.9 * SECONDS_PER_MONTH, 6);
    // … and the memo must not call it an arrival rate.
    expect(decisionInputs({}, null, 1.9).trafficSource).toBe('simulated throughput');
  });
});
