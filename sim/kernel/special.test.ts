/**
 * The special functions against values known in closed form or from tables:
 * Γ(1/2) = √π, Γ(n) = (n − 1)!, ln Γ(x) = −ln x − γx + O(x²) near 0 (γ the
 * Euler–Mascheroni constant), Φ(0) = 1/2, and normal quantiles computed with
 * mpmath at 50 digits (they agree with Abramowitz & Stegun 1964, Table 26.5,
 * to its ten digits).
 */
import { describe, expect, it } from 'vitest';
import { invPhi, lnGamma, phi } from './special.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('lnGamma', () => {
  it('matches exact values at 1/2, the integers and near 0', () => {
    expect(rel(lnGamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(1e-15);
    expect(Math.abs(lnGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(lnGamma(2))).toBeLessThan(1e-15);
    let logFactorial = 0;
    for (let n = 3; n <= 170; n++) {
      logFactorial += Math.log(n - 1);
      expect(rel(lnGamma(n), logFactorial)).toBeLessThan(1e-14);
    }
    const x = 1e-10, gamma = 0.5772156649015329;
    expect(rel(lnGamma(x), -Math.log(x) - gamma * x)).toBeLessThan(1e-15);
  });
});

describe('phi and invPhi', () => {
  it('give the tabled normal quantiles and invert each other', () => {
    expect(phi(0)).toBe(0.5);
    expect(rel(invPhi(0.975), 1.959963984540054)).toBeLessThan(1e-15);
    expect(rel(invPhi(0.025), -1.959963984540054)).toBeLessThan(1e-15);
    expect(rel(invPhi(0.001), -3.090232306167814)).toBeLessThan(1e-15);
    expect(rel(invPhi(1e-10), -6.361340902404056)).toBeLessThan(1e-15);
    expect(invPhi(0.5)).toBe(0);
    for (const p of [1e-300, 1e-10, 0.025, 0.3, 0.7, 0.975]) expect(rel(phi(invPhi(p)), p)).toBeLessThan(1e-13);
  });
});
