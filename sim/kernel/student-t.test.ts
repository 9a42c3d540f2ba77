import { describe, expect, it } from 'vitest';
import { invPhi, lnGamma } from './special.js';
import { lnBeta, regIncBeta, studentTQuantile } from './student-t.js';

const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('regIncBeta: closed forms of I_x(a, b) (A&S 26.5)', () => {
  const xs = [1e-6, 0.01, 0.2, 0.5, 0.7, 0.99];
  it.each(xs)('I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b, I_x(½, ½) = (2/π)·asin √x at x = %f', (x) => {
    for (const a of [0.3, 2, 7.5]) expect(relErr(regIncBeta(x, a, 1), x ** a)).toBeLessThan(1e-14);
    for (const b of [0.3, 2, 7.5]) expect(relErr(regIncBeta(x, 1, b), -Math.expm1(b * Math.log1p(-x)))).toBeLessThan(1e-14);
    expect(relErr(regIncBeta(x, 0.5, 0.5), (2 / Math.PI) * Math.asin(Math.sqrt(x)))).toBeLessThan(1e-14);
  });

  it('is ½ at x = ½ when a = b, and I_x(a, b) + I_{1−x}(b, a) = 1', () => {
    for (const a of [0.5, 3, 40.5]) expect(Math.abs(regIncBeta(0.5, a, a) - 0.5)).toBeLessThan(1e-14);
    expect(regIncBeta(0.3, 2.5, 7) + regIncBeta(0.7, 7, 2.5)).toBeCloseTo(1, 15);
    expect(regIncBeta(0, 2, 3)).toBe(0);
    expect(regIncBeta(1, 2, 3)).toBe(1);
    expect(() => regIncBeta(1.5, 2, 3)).toThrow(/x must be in \[0, 1\]/);
    expect(() => regIncBeta(0.5, 0, 3)).toThrow(/a and b must be finite and > 0/);
  });
});

describe('lnBeta', () => {
  it('switches to the ln Γ(a + ½) − ln Γ(a) series at a = 16 without a step', () => {
    // ln B(16, ½) = −0.80611818827522290731 (mpmath 1.3, 40 digits: mp.log(mp.beta(16, 0.5)))
    expect(Math.abs(lnBeta(16, 0.5) - -0.8061181882752229)).toBeLessThan(3e-16);
    expect(Math.abs(lnBeta(15.999999, 0.5) - lnBeta(16, 0.5))).toBeLessThan(1e-7); // d/da ≈ −1/(2a)
    expect(Math.abs(lnBeta(40, 0.5) - (lnGamma(40) + lnGamma(0.5) - lnGamma(40.5)))).toBeLessThan(1e-13);
  });

  it('holds its digits at large a, where the difference of ln Γ loses them', () => {
    // ln B(1e6, ½) = −6.3353902110574369650 (mpmath 1.3, 40 digits)
    expect(relErr(lnBeta(1e6, 0.5), -6.335390211057437)).toBeLessThan(3e-16);
  });
});

/**
 * Reference quantiles to 20 digits from mpmath 1.3 at 40 digits: u = findroot(ln
 * betainc(ν/2, ½, 0, ν/(ν + e^(2u)), regularized) − ln α), t = e^u, for the exact decimal
 * p. The ones of the familiar tables round to them: t_{0.975,1} = 12.706204736,
 * t_{0.975,2} = 4.302652730, t_{0.975,10} = 2.228138852, t_{0.995,30} = 2.749995654
 * (R's qt gives the same digits), 12.706/4.303/2.228/2.750 in NIST/SEMATECH
 * e-Handbook §1.3.6.7.2. Tolerances are what was measured plus a margin: the double
 * nearest p is itself ~1e-16 off, which moves t by up to ~2e-15 at ν = 1.
 */
const REFERENCE: readonly (readonly [p: number, df: number, t: number])[] = [
  [0.975, 1, 12.706204736174704646],
  [0.975, 2, 4.3026527297494638523],
  [0.975, 4, 2.7764451051977943578],
  [0.975, 10, 2.2281388519862747484],
  [0.995, 30, 2.7499956535672253324],
  [0.975, 4.5, 2.6589123472044037737],
  [0.95, 1.5, 3.7051808200967516726],
  [0.999, 2.5, 13.822193110865964639],
  [0.6, 7.3, 0.26275680525071929667], // central side: α = 0.8
  [0.975, 0.3, 6582.0356994007747159], // heavy tail
  [0.975, 999, 1.9623414611334499787], // incomplete beta, just below the Cornish–Fisher switch
  [0.975, 1000, 1.96233908082640848499858], // Cornish–Fisher
  [0.975, 99_999, 1.959987707771844779075278],
];

describe('studentTQuantile', () => {
  it.each(REFERENCE)('t_{%f, %f} = %f (mpmath, 40 digits)', (p, df, t) => {
    const got = studentTQuantile(p, df);
    expect(relErr(got, t)).toBeLessThan(4e-15);
    expect(relErr(studentTQuantile(1 - p, df), -got)).toBeLessThan(4e-15); // symmetry
  });

  it('matches the closed forms for ν = 1, 2 and 4 across p, tails and centre included', () => {
    // ν = 1: tan(π(p − ½)); ν = 2: (2p − 1)/√(2p(1 − p)); ν = 4: 2 sign(p − ½)√(q − 1),
    // q = cos(⅓ arccos √α)/√α, α = 4p(1 − p) (Shaw 2006, "Sampling Student's T
    // distribution – use of the inverse cumulative distribution function", J. Comp. Finance 9(4)).
    for (const p of [1e-12, 1e-6, 0.001, 0.025, 0.2, 0.4, 0.49, 0.51, 0.75, 0.9]) {
      expect(relErr(studentTQuantile(p, 1), -1 / Math.tan(Math.PI * p))).toBeLessThan(4e-15);
      expect(relErr(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(4e-15);
      const a4 = 4 * p * (1 - p), q = Math.cos(Math.acos(Math.sqrt(a4)) / 3) / Math.sqrt(a4);
      const t4 = Math.sign(p - 0.5) * 2 * Math.sqrt(q - 1);
      // The closed form itself loses digits near p = ½ (q − 1 cancels): compare there to 1e-9.
      expect(relErr(studentTQuantile(p, 4), t4)).toBeLessThan(Math.abs(p - 0.5) < 0.2 ? 1e-9 : 4e-15);
    }
  });

  it('approaches the normal quantile: ν = ∞ is Φ⁻¹, large ν follows A&S 26.7.5', () => {
    // Φ⁻¹ at the double nearest 0.975 (0.97499999999999997780): 1.95996398454005385559 (mpmath)
    const z = 1.9599639845400538;
    expect(studentTQuantile(0.975, Infinity)).toBe(invPhi(0.975));
    expect(relErr(studentTQuantile(0.975, Infinity), z)).toBeLessThan(2e-16);
    expect(studentTQuantile(0.975, 1e12) - z).toBeCloseTo((z ** 3 + z) / 4 / 1e12, 15);
    expect(studentTQuantile(1e-300, 300)).toBeLessThan(studentTQuantile(1e-300, 1e4));
  });

  it('stays finite and ordered in the far tails and for tiny ν', () => {
    // ν = 2 at the smallest double, p = 2⁻¹⁰⁷⁴: (2p − 1)/√(2p(1 − p)) → −2^536.5 = −3.18121245209519619e161
    expect(relErr(studentTQuantile(Number.MIN_VALUE, 2), -3.181212452095196e161)).toBeLessThan(1e-14);
    // ν = 1: −1/tan(πp) = −1/(πp) here; the rounding of ln α = −690 costs ~1e-16·690 relative
    expect(relErr(studentTQuantile(1e-300, 1), -1 / (Math.PI * 1e-300))).toBeLessThan(1.5e-13);
    expect(studentTQuantile(0.975, 0.01)).toBeGreaterThan(1e128);
    expect(studentTQuantile(0.975, 0.001)).toBe(Infinity); // beyond the largest double
  });

  it('p = 0, ½, 1 and invalid arguments', () => {
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
    expect(() => studentTQuantile(0.975, 0)).toThrow(/degrees of freedom must be > 0 \(got 0\)/);
    expect(() => studentTQuantile(0.975, NaN)).toThrow(/degrees of freedom/);
    expect(() => studentTQuantile(1.2, 3)).toThrow(/p must be in \[0, 1\]/);
  });
});
