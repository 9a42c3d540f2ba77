/**
 * Parameter draws follow their distributions (moments from theory), are keyed
 * by draw index and path, and the combination's intervals, P(better) and
 * variance split are what their definitions give on hand-made comparisons.
 */
import { describe, expect, it } from 'vitest';
import { combineUncertainty, drawParameters, parameterMean, type UncertaintySpec } from './uncertainty.js';
import type { ComparisonResult } from './comparison.js';

const valueOf = (sets: string[], path: string) => Number(sets.find((s) => s.startsWith(`${path}=`))!.split('=')[1]);

describe('parameter draws', () => {
  it('a Beta(41, 961) fault rate: mean α/(α+β) and variance αβ/((α+β)²(α+β+1)) within 4 standard errors over 4,000 draws', () => {
    const spec: UncertaintySpec = { 'stages.a.faults.error': { dist: 'beta', alpha: 41, beta: 961 } };
    const n = 4000;
    const xs = Array.from({ length: n }, (_, i) => valueOf(drawParameters(spec, 7, i), 'stages.a.faults.error'));
    const a = 41;
    const b = 961;
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    const m = xs.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(variance / n));
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
    // The sample variance's standard error is about variance·√(2/(n − 1)) (near-normal draws).
    expect(Math.abs(v - variance)).toBeLessThan(4 * variance * Math.sqrt(2 / (n - 1)));
    expect(parameterMean(spec['stages.a.faults.error'])).toBeCloseTo(mean, 15);
  });

  it('normal and uniform draws: their means and spreads', () => {
    const spec: UncertaintySpec = { x: { dist: 'normal', mean: 3, sd: 0.5 }, y: { dist: 'uniform', min: 10, max: 20 } };
    const n = 4000;
    const draws = Array.from({ length: n }, (_, i) => drawParameters(spec, 'seed', i));
    const xs = draws.map((d) => valueOf(d, 'x'));
    const ys = draws.map((d) => valueOf(d, 'y'));
    const mx = xs.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(mx - 3)).toBeLessThan((4 * 0.5) / Math.sqrt(n));
    const my = ys.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(my - 15)).toBeLessThan(4 * Math.sqrt(100 / 12 / n));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...ys)).toBeLessThan(20);
  });

  it('draw i is keyed by its index and path: the same whatever else the block lists', () => {
    const one: UncertaintySpec = { 'stages.a.faults.error': { dist: 'beta', alpha: 2, beta: 50 } };
    const two: UncertaintySpec = { ...one, 'stages.b.faults.error': { dist: 'beta', alpha: 5, beta: 5 } };
    for (const i of [0, 1, 17]) expect(valueOf(drawParameters(two, 1, i), 'stages.a.faults.error')).toBe(valueOf(drawParameters(one, 1, i), 'stages.a.faults.error'));
    expect(drawParameters(one, 1, 0)).not.toEqual(drawParameters(one, 1, 1));
  });
});

/** A comparison whose one variant has this Δ success (and interval) and no other figures. */
function comparison(estimate: number, half: number): ComparisonResult {
  const e = (x: number, h: number) => ({ estimate: x, ci95: [x - h, x + h] as [number, number] });
  return {
    baseline: {} as ComparisonResult['baseline'],
    variants: [
      {
        name: 'v',
        kind: 'coordination',
        result: {} as ComparisonResult['baseline'],
        delta: {
          successRate: e(estimate, half),
          silentFailureRate: e(0, 0),
          p95Ms: e(NaN, NaN),
          costPerSuccessUsd: e(-estimate, half),
          spendPerSuccessUsd: e(0, 0),
          assumedPenaltyPerSuccessUsd: e(0, 0),
        } as ComparisonResult['variants'][number]['delta'],
      },
    ],
  };
}

describe('combining the draws', () => {
  it('percentile interval (type 7), P(better), and the share of variance from the parameters', () => {
    const estimates = [0.01, 0.02, 0.03, 0.04, -0.01]; // sorted: −0.01, 0.01, 0.02, 0.03, 0.04
    const u = combineUncertainty(comparison(0.02, 0.005), estimates.map((x) => comparison(x, 0.01)), ['stages.a.faults.error']);
    const d = u.variants[0].deltas.successRate;
    expect(d.point.estimate).toBe(0.02);
    // Type 7: h = 4·0.025 = 0.1 → −0.01 + 0.1·0.02; h = 4·0.975 = 3.9 → 0.03 + 0.9·0.01.
    expect(d.totalCi95[0]).toBeCloseTo(-0.008, 12);
    expect(d.totalCi95[1]).toBeCloseTo(0.039, 12);
    expect(d.pBetter).toBe(0.8);
    expect(d.pWorse).toBe(0.2);
    // Sample variance of the five estimates 0.00037/ 4 … : 1 − (0.01/1.96)² / var.
    const mean = 0.018;
    const variance = estimates.reduce((s, x) => s + (x - mean) ** 2, 0) / 4;
    expect(d.parameterShare).toBeCloseTo(1 - (0.01 / 1.959964) ** 2 / variance, 9);
    // Lower is better for cost: −Δ success here, so the same draws are wins.
    expect(u.variants[0].deltas.costPerSuccessUsd.pBetter).toBe(0.8);
    // A metric with no number in any draw gives no interval.
    expect(u.variants[0].deltas.p95Ms.draws).toBe(0);
    expect(u.variants[0].deltas.p95Ms.pBetter).toBeNull();
    // One the variant never moves: neither better nor worse.
    expect(u.variants[0].deltas.spendPerSuccessUsd.pBetter).toBe(0);
    expect(u.variants[0].deltas.spendPerSuccessUsd.pWorse).toBe(0);
  });
});
