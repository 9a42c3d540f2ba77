/**
 * Which uncertainty dominates (readUncertainty) on hand-made deltas, and the
 * variance split it rests on: a draw's simulation standard error is its
 * interval's half-width over the quantile the interval was built with –
 * Student t with R − 1 degrees of freedom for R replications.
 */
import { describe, expect, it } from 'vitest';
import { combineUncertainty, DOMINANT_SHARE, readUncertainty, type UncertainDelta } from './uncertainty.js';
import type { ComparisonResult } from './comparison.js';
import { RandomStreams } from '../kernel/rng.js';
import { invPhi } from '../kernel/special.js';

/** A delta with this point interval, total interval, share and draws. */
function delta(point: [number, number], total: [number, number], parameterShare: number | null, draws = 20): UncertainDelta {
  return { point: { estimate: (point[0] + point[1]) / 2, ci95: point }, totalCi95: total, pBetter: 1, pWorse: 0, parameterShare, draws };
}

describe('readUncertainty: which uncertainty dominates', () => {
  it('parameters: at least 3/4 of the variance; unlimited simulation would narrow the total by at most 1 − √share', () => {
    const r = readUncertainty(delta([0.3, 0.32], [0.22, 0.42], 0.99));
    expect(r.dominant).toBe('parameters');
    if (r.dominant === null) throw new Error('unreachable');
    // Widths 0.20 and 0.02.
    expect(r.widthRatio).toBeCloseTo(10, 12);
    // Var_total = Var_param + Var_sim: without simulation noise the sd is √0.99 of the total's.
    expect(r.maxNarrowingBySimulation).toBeCloseTo(1 - Math.sqrt(0.99), 12);
    expect(r.maxNarrowingByTraces).toBeCloseTo(1 - Math.sqrt(0.01), 12);
  });

  it('simulation: at most 1/4; both in between; the boundaries belong to the dominant side', () => {
    expect(readUncertainty(delta([0.2, 0.4], [0.19, 0.41], 0.1)).dominant).toBe('simulation');
    expect(readUncertainty(delta([0.2, 0.4], [0.15, 0.45], 0.5)).dominant).toBe('both');
    expect(readUncertainty(delta([0.2, 0.4], [0.1, 0.5], DOMINANT_SHARE)).dominant).toBe('parameters');
    expect(readUncertainty(delta([0.2, 0.4], [0.19, 0.41], 1 - DOMINANT_SHARE)).dominant).toBe('simulation');
    const both = readUncertainty(delta([0.2, 0.4], [0.15, 0.45], 0.5));
    if (both.dominant === null) throw new Error('unreachable');
    expect(both.maxNarrowingByTraces).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(both.maxNarrowingBySimulation).toBeCloseTo(1 - Math.SQRT1_2, 12);
  });

  it('no reading: too few draws, no spread across draws, or no simulation interval; a zero-width simulation interval gives no ratio', () => {
    expect(readUncertainty(delta([0, 0], [0, 0], null, 1))).toEqual({ dominant: null, reason: 'too-few-draws', widthRatio: NaN });
    expect(readUncertainty(delta([0, 0], [0, 0], null))).toEqual({ dominant: null, reason: 'no-spread', widthRatio: NaN });
    expect(readUncertainty(delta([NaN, NaN], [0.1, 0.2], null))).toEqual({ dominant: null, reason: 'no-simulation-interval', widthRatio: NaN });
  });
});

/** A comparison of `replications` replications whose one variant has this Δ success with a half-width `half`. */
function comparison(estimate: number, half: number, replications: number): ComparisonResult {
  const e = { estimate, ci95: [estimate - half, estimate + half] as [number, number] };
  const none = { estimate: NaN, ci95: [NaN, NaN] as [number, number] };
  return {
    baseline: { replications } as ComparisonResult['baseline'],
    variants: [
      {
        name: 'v',
        kind: 'coordination',
        result: {} as ComparisonResult['baseline'],
        delta: { successRate: e, silentFailureRate: none, p95Ms: none, costPerSuccessUsd: none, spendPerSuccessUsd: none, assumedPenaltyPerSuccessUsd: none },
      },
    ],
  };
}

describe('the variance split behind the reading', () => {
  it('4 replications: a half-width is t(0.975, 3) = 3.182 standard errors (NIST/SEMATECH e-Handbook 1.3.6.7.2), not 1.96', () => {
    const estimates = [0.01, 0.02, 0.03, 0.04, -0.01];
    const u = combineUncertainty(comparison(0.02, 0.005, 4), estimates.map((x) => comparison(x, 0.01, 4)), ['p']);
    const mean = 0.018;
    const variance = estimates.reduce((s, x) => s + (x - mean) ** 2, 0) / 4;
    expect(u.variants[0].deltas.successRate.parameterShare).toBeCloseTo(1 - (0.01 / 3.182) ** 2 / variance, 4);
  });

  it('seeded nested draws with parameter variance 3 and simulation variance 1: parameters explain 3/4, within 4 standard errors', () => {
    // Draw i: θᵢ ~ N(0, 3) (the parameters' effect) plus εᵢ ~ N(0, 1) (simulation noise), reported with
    // R = 4 replications' t interval of half-width t(0.975, 3)·1. Var across draws = 3 + 1, so the share is 3/4.
    const n = 4000;
    const t3 = 3.182446305284263; // t(0.975, 3)
    const u = new RandomStreams(11).stream('nested');
    const draws = Array.from({ length: n }, () => comparison(Math.sqrt(3) * invPhi(u()) + invPhi(u()), t3, 4));
    const share = combineUncertainty(comparison(0, t3, 4), draws, ['p']).variants[0].deltas.successRate.parameterShare!;
    // share = 1 − 1/V̂ with V̂ the sample variance (4): its standard error is about 4·√(2/(n − 1)) for normal draws.
    const se = 4 * Math.sqrt(2 / (n - 1));
    expect(share).toBeGreaterThan(1 - 1 / (4 - 4 * se));
    expect(share).toBeLessThan(1 - 1 / (4 + 4 * se));
    expect(readUncertainty(combineUncertainty(comparison(0, t3, 4), draws, ['p']).variants[0].deltas.successRate).dominant).not.toBe('simulation');
  });
});
