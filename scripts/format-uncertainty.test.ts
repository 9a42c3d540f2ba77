/**
 * `compare --uncertainty` in the terminal says what the report says: the same
 * rows and the same reading per variant (reports/uncertainty.ts), from the
 * same rule (sim/experiment readUncertainty).
 */
import { describe, expect, it } from 'vitest';
import { formatUncertainty } from './format-uncertainty.js';
import { fintechComparison, fintechUncertainty } from '../reports/fixtures/load.js';
import { reportInput } from '../experiments/report-input.js';
import { reportCharts } from '../reports/charts/index.js';
import { sections } from '../reports/sections.js';

describe('formatUncertainty', () => {
  it('prints the table, how to read it, and one reading per variant', () => {
    expect(formatUncertainty(fintechUncertainty())).toMatchInlineSnapshot(`
      "parameter uncertainty: 5 draws of stages.analysis.handoff.contextLoss, stages.bureau.faults.error – each a paired comparison with a seed of its own
        variant           metric                    point              simulation 95 % CI                   total 95 % CI  P(better)  from parameters
        recovery-layer    Δ task success         +31.8 pp            [+30.8 pp, +32.8 pp]            [+26.9 pp, +37.2 pp]      100 %            100 %
        recovery-layer    Δ silent failure      −24.54 pp          [−25.24 pp, −23.84 pp]          [−29.17 pp, −19.43 pp]      100 %            100 %
        recovery-layer    Δ p95                   +263 ms              [+247 ms, +279 ms]              [+216 ms, +432 ms]        0 %             98 %
        recovery-layer    Δ spend/success         +$0.251              [+$0.221, +$0.281]              [+$0.129, +$0.441]        0 %            100 %
        recovery-layer    Δ cost/success          −$55.93              [−$58.19, −$53.68]              [−$71.26, −$40.68]      100 %            100 %
        gpu-240-to-180ms  Δ task success          +0.0 pp              [+0.0 pp, +0.0 pp]              [+0.0 pp, +0.0 pp]  no change              n/a
        gpu-240-to-180ms  Δ silent failure       +0.00 pp            [+0.00 pp, +0.00 pp]            [+0.00 pp, +0.00 pp]  no change              n/a
        gpu-240-to-180ms  Δ p95                    −88 ms               [−109 ms, −67 ms]                [−90 ms, −74 ms]      100 %             78 %
        gpu-240-to-180ms  Δ spend/success     −$0.0000261      [−$0.0000262, −$0.0000259]      [−$0.0000293, −$0.0000239]      100 %            100 %
        gpu-240-to-180ms  Δ cost/success      −$0.0000261      [−$0.0000262, −$0.0000259]      [−$0.0000293, −$0.0000239]      100 %            100 %
        bigger-cpu-box    Δ task success          +0.0 pp              [+0.0 pp, +0.0 pp]              [+0.0 pp, +0.0 pp]  no change              n/a
        bigger-cpu-box    Δ silent failure       +0.00 pp            [+0.00 pp, +0.00 pp]            [+0.00 pp, +0.00 pp]  no change              n/a
        bigger-cpu-box    Δ p95                    −15 ms                [−16 ms, −14 ms]                [−15 ms, −15 ms]      100 %             14 %
        bigger-cpu-box    Δ spend/success   −$0.000000324  [−$0.000000328, −$0.000000320]  [−$0.000000361, −$0.000000297]      100 %            100 %
        bigger-cpu-box    Δ cost/success    −$0.000000324  [−$0.000000328, −$0.000000320]  [−$0.000000361, −$0.000000297]      100 %            100 %
        simulation 95 % CI: the point comparison (parameters at the file's values); total 95 % CI: the 2.5–97.5 % points of the draws' estimates (parameters and simulation together)
        from parameters: the share of the draws' variance the parameters explain – near 100 %, more traces would narrow it; near 0 %, more simulation (with 5 draws the total interval's ends are themselves rough)
        recovery-layer, Δ task success: total interval 5.2× as wide as simulation noise: parameters dominate (100 % of the variance) – more traces (more observed errors) would narrow it, more simulation would not (under 1 % narrower)
        gpu-240-to-180ms, Δ task success: every draw gave the same difference: neither more traces nor more simulation would change it
        bigger-cpu-box, Δ task success: every draw gave the same difference: neither more traces nor more simulation would change it
      "
    `);
  });

  it("its readings and rows are the report's", () => {
    const input = reportInput({ comparison: fintechComparison(), uncertainty: fintechUncertainty() });
    const section = sections(input, reportCharts(input)).find((s) => s.id === 'parameter-uncertainty')!;
    const text = formatUncertainty(fintechUncertainty());
    for (const line of section.lines!) expect(text).toContain(`\n  ${line}\n`);
    for (const row of section.tables[0].rows) expect(text).toMatch(new RegExp(row.map((c) => c.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&')).join('\\s+')));
  });
});
