import { describe, expect, it } from 'vitest';
import { perVisitRate } from './per-visit-rate.js';
import { fittedRate } from './rates.js';

describe('perVisitRate', () => {
  it('is the per-request rate, interval and Beta when every request visits once', () => {
    const r = fittedRate(40, 1000);
    const v = perVisitRate(r, new Array(1000).fill(1));
    expect(v.estimate).toBeCloseTo(r.estimate, 12);
    expect(v.ci95[0]).toBeCloseTo(r.ci95[0], 12);
    expect(v.ci95[1]).toBeCloseTo(r.ci95[1], 12);
    expect(v.uncertainty.alpha).toBeCloseTo(r.uncertainty.alpha, 6);
    expect(v.uncertainty.beta).toBeCloseTo(r.uncertainty.beta, 6);
  });

  it('solves mean_i 1 − (1 − c)^V_i = p for visits that vary', () => {
    // Half the requests visit once, half nine times; with c = 0.02 the share failing is
    // (0.02 + (1 − 0.98^9)) / 2 = 0.09673.. – the solution must come back to 0.02.
    const visits = [...new Array(500).fill(1), ...new Array(500).fill(9)];
    const p = (0.02 + (1 - Math.pow(0.98, 9))) / 2;
    const r = { ...fittedRate(Math.round(p * 1000), 1000), estimate: p };
    const v = perVisitRate(r, visits);
    expect(v.estimate).toBeCloseTo(0.02, 9);
    expect(v.meanVisits).toBe(5);
    // The average-visits shortcut 1 − (1 − p)^(1/5) = 0.0201.. is close here but not the solution; its
    // bias grows with the spread: with 1 and 30 visits it is 13 % low.
    const wide = [...new Array(500).fill(1), ...new Array(500).fill(30)];
    const pw = (0.02 + (1 - Math.pow(0.98, 30))) / 2;
    const shortcut = 1 - Math.pow(1 - pw, 1 / 15.5);
    expect(perVisitRate({ ...r, estimate: pw }, wide).estimate).toBeCloseTo(0.02, 9);
    expect(shortcut).toBeLessThan(0.0175);
  });

  it('holds the rate at 1 when the requests that never visit the step make the share unreachable', () => {
    const v = perVisitRate(fittedRate(60, 100), [...new Array(50).fill(0), ...new Array(50).fill(1)]);
    expect(v.saturated).toBe(true);
    expect(v.estimate).toBe(1);
  });
});
