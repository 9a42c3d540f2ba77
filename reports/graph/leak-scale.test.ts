import { describe, expect, it } from 'vitest';
import { leakColor, relativeLuminance, textColorOn } from './leak-scale.js';
import { probabilityPct, sharePct } from './text.js';

describe('leakColor', () => {
  it('runs from ColorBrewer Reds\' lightest class at 0 % to its darkest at 100 %, through its middle class at 25 % (√0.25 = ½)', () => {
    // Reds, 9 classes (colorbrewer2.org): #fff5f0 … #fb6a4a (class 5 of 9) … #67000d.
    expect(leakColor(0)).toBe('#fff5f0');
    expect(leakColor(0.25)).toBe('#fb6a4a');
    expect(leakColor(1)).toBe('#67000d');
  });

  it('gets darker with every step of share, so darker always means more first faults', () => {
    // Strictly in steps of 5 %; never lighter in steps of 0.5 % (two neighbours may round to one 8-bit colour).
    for (const steps of [20, 200]) {
      let previous = Infinity;
      for (let i = 0; i <= steps; i++) {
        const l = relativeLuminance(leakColor(i / steps));
        if (steps === 20) expect(l, `share ${i / steps}`).toBeLessThan(previous);
        else expect(l, `share ${i / steps}`).toBeLessThanOrEqual(previous);
        previous = l;
      }
    }
  });

  it('writes white on the dark reds and ink on the light ones', () => {
    expect(textColorOn(leakColor(0.02))).toBe('#1a1a1a');
    expect(textColorOn(leakColor(0.6))).toBe('#ffffff');
  });

  it('measures luminance as WCAG defines it: white 1, black 0, sRGB #808080 ≈ 0.2159', () => {
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 12);
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#808080')).toBeCloseTo(0.2159, 4); // ((128/255 + 0.055) / 1.055)^2.4
  });
});

describe('percentages on the picture', () => {
  it('writes shares as whole percent, small ones with a decimal, tiny ones as "< 0.1 %" – never a leak as 0 %', () => {
    expect([0, 0.0004, 0.004, 0.012, 0.31, 1].map(sharePct)).toEqual(['0 %', '< 0.1 %', '0.4 %', '1 %', '31 %', '100 %']);
  });

  it('writes probabilities as whole percent unless rounding would show 0 % or 100 % for a share that is neither', () => {
    expect([0.7, 0.333, 1, 0, 0.995, 0.004].map(probabilityPct)).toEqual(['70 %', '33 %', '100 %', '0 %', '99.5 %', '0.4 %']);
  });
});
