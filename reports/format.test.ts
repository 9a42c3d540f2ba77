import { describe, expect, it } from 'vitest';
import { deltaMs, deltaMsInterval, deltaUsd, ms, p95Change, pct, pp, ppInterval, relative, usd, wrap } from './format.js';

describe('number formats', () => {
  it('shares, percentage points and relative changes, with the typographic minus (none on what rounds to zero)', () => {
    expect([pct(0.6563), pct(NaN), pp(0.3179), pp(-0.0004), pp(-0.00004), relative(-0.0488), relative(0)]).toEqual([
      '65.6 %', 'n/a', '+31.8 pp', '+0.0 pp', '+0.0 pp', '−4.9 %', '+0.0 %',
    ]);
  });

  it('a difference with its interval: ± half the interval width; none when the interval is unknown', () => {
    expect(ppInterval({ estimate: 0.3179, ci95: [0.3079, 0.3278] })).toBe('+31.8 pp ± 1.0');
    expect(ppInterval({ estimate: 0.01, ci95: [NaN, NaN] })).toBe('+1.0 pp');
  });

  it('milliseconds: 3 significant figures under 10 ms, whole ms to 10 s, then seconds', () => {
    expect([ms(0), ms(7.519), ms(74.04), ms(1517.6), ms(12_345), ms(NaN), deltaMs(-74.04), deltaMs(0.2)]).toEqual([
      '0 ms', '7.52 ms', '74 ms', '1,518 ms', '12.3 s', 'n/a', '−74 ms', '+0.200 ms',
    ]);
  });

  it('a latency change: its ± (the interval, or the histogram resolution when that is wider – said so), its relative size', () => {
    // The ± is chosen by experiments/report-input.ts latencyChange (tested there); the formats print what it chose.
    const change = (estimateMs: number, halfMs: number, resolutionLimited = false, relative = NaN) => ({ estimateMs, halfMs, resolutionLimited, relative });
    expect(deltaMsInterval(change(-15.14, 15.18, true))).toBe('−15 ms ± 15 ms (histogram resolution)');
    expect(deltaMsInterval(change(-81.47, 14.41))).toBe('−81 ms ± 14 ms');
    expect(deltaMsInterval(change(0.4, 0.3))).toBe('+0.400 ms ± 0.300 ms');
    expect(deltaMsInterval(change(-81.47, NaN))).toBe('−81 ms');
    expect(p95Change(change(-15.14, 15.18, true, -15.14 / 1518))).toBe("−15 ms ± 15 ms (−1.0 %; the ± is the histogram's resolution)");
    expect(p95Change(change(-74, NaN, false, -74 / 1518))).toBe('−74 ms (−4.9 %)');
    expect(p95Change(change(-74, 20, false, -74 / 1518))).toBe('−74 ms ± 20 ms (−4.9 %)');
  });

  it('dollars: cents from $1, 3 significant figures below, never an exponent', () => {
    expect([usd(56.4213), usd(0.48912), usd(3.2e-7), usd(null), usd(-1234.5)]).toEqual(['$56.42', '$0.489', '$0.000000', 'n/a', '−$1,234.50']);
    // Nothing priced is "$0", not a tiny amount rounded away ("$0.000000") nor "$0.00" as the terminal once printed it.
    expect([usd(0), usd(-0)]).toEqual(['$0', '$0']);
    expect(deltaUsd({ estimate: -55.934, ci95: [-58.19, -53.67] })).toBe('−$55.93 ± 2.26');
    expect(deltaUsd({ estimate: -2.6e-5, ci95: [-2.7e-5, -2.5e-5] })).toBe('+$0.0000 ± 0.0000');
  });

  it('wraps at spaces, never between a number and its unit', () => {
    expect(wrap('twelve steps succeed 28.2 % of the time', 26)).toEqual(['twelve steps succeed', '28.2 % of the time']);
    expect(wrap('a b', 1)).toEqual(['a', 'b']);
  });
});
