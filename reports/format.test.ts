import { describe, expect, it } from 'vitest';
import { approx, bracket, rateText, deltaApprox, deltaMs, deltaMsInterval, deltaUsd, deltaUsdApprox, monthsText, ms, msEnd, p95Change, pct, pp, ppBracket, ppBracketWith, ppInterval, relative, usd, usdApprox, wrap } from './format.js';

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

  it("the memo's figures: 3 significant figures, intervals in brackets (none when both ends print alike), paybacks in days, months or years", () => {
    expect([approx(322_345), approx(23.44), approx(0.80491), approx(5), approx(-1234.5), approx(999.7), approx(0)]).toEqual(['322,000', '23.4', '0.805', '5', '−1,230', '1,000', '0']);
    expect([usdApprox(339_312.4), usdApprox(833.33), usdApprox(1.0563), usdApprox(1.5), usdApprox(0.28), usdApprox(3.2e-7), usdApprox(-22.5), usdApprox(0), usdApprox(null)]).toEqual([
      '$339,000', '$833', '$1.06', '$1.50', '$0.280', '$0.000000320', '−$22.50', '$0', 'n/a',
    ]);
    expect([deltaApprox(1200), deltaApprox(-322_000), deltaApprox(0), deltaUsdApprox(1230.4), deltaUsdApprox(-4.79e7)]).toEqual(['+1,200', '−322,000', '0', '+$1,230', '−$47,900,000']);
    expect(ppBracket({ estimate: 0.317, ci95: [0.312, 0.323] })).toBe('+31.7 pp [31.2 to 32.3]');
    expect(ppBracket({ estimate: 0, ci95: [-0.001, 0.001] })).toBe('+0.0 pp [−0.1 to 0.1]');
    expect(ppBracket({ estimate: 0, ci95: [0, 0] })).toBe('+0.0 pp');
    expect(ppBracketWith({ estimate: 0.123, ci95: [0.119, 0.127] }, 'task success')).toBe('+12.3 pp task success [11.9 to 12.7]');
    expect(ppBracket({ estimate: 0.01, ci95: [NaN, NaN] })).toBe('+1.0 pp');
    expect(bracket(3900, 4300, approx)).toBe('[3,900 to 4,300]');
    expect([msEnd(0.0759, -30.2, 0.0759), msEnd(-30.2, -30.2, 0.0759), msEnd(7.519, 5, 7.519), msEnd(7.004, 7.004, 16.2), msEnd(-0.3, -0.3, 12), msEnd(9810, 9810, 12_870)]).toEqual(['0', '−30', '7.52', '7', '0', '9.8 s']);
    // 1,200 / 17,900 months = 2.0 days; 666 months = 55.5 years.
    expect([rateText(0.5), rateText(1 / 30), rateText(20 / 3600), rateText(NaN)]).toEqual(['0.5/s', '2/min', '20/h', 'n/a']);
    expect([monthsText(1200 / 17_900), monthsText(0.001), monthsText(2.31), monthsText(666), monthsText(null)]).toEqual(['2 days', 'less than a day', '2.31 months', '55.5 years', 'n/a']);
  });

  it('wraps at spaces, never between a number and its unit', () => {
    expect(wrap('twelve steps succeed 28.2 % of the time', 26)).toEqual(['twelve steps succeed', '28.2 % of the time']);
    expect(wrap('a b', 1)).toEqual(['a', 'b']);
  });
});
