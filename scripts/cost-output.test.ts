import { describe, expect, it } from 'vitest';
import { compareModels } from '../sim/experiment/index.js';
import { simulateModel } from '../sim/path/index.js';
import { modelOf, singleStage } from '../sim/test-support.js';
import type { ScenarioInput } from '../sim/scenario/index.js';
import { formatComparison } from './format-compare.js';
import { costLines } from './format-run.js';

/**
 * 100 requests, one attempt each of 1 s on a $3.60/h server ($0.001) with
 * 1,000 input tokens at $3 per million ($0.003): $0.40 spent whatever the
 * outcome; a third of the results are silently wrong, at an assumed $150 each.
 */
const priced = (corruption: number, silentFailureUsd = 150): ScenarioInput => ({
  ...singleStage(
    { latency: 1000, faults: { corruption }, tokens: { input: 1000, output: 0, inputPricePerMTokUsd: 3, outputPricePerMTokUsd: 15 } },
    { requests: 100, arrivals: { kind: 'fixed', interval: 2000 }, pools: { cpu: { servers: 1, pricePerHourUsd: 3.6 } } },
  ),
  costs: { silentFailureUsd },
});

const dollars = (text: string) => Number(text.replace(/[$,]/g, ''));

describe('cost in the terminal', () => {
  it('run: spend and the assumed silent-failure cost on lines of their own, the total only as their sum', () => {
    const r = simulateModel(modelOf(priced(1 / 3)));
    const successes = r.outcomes.success;
    const silent = r.outcomes.silentFailure;
    expect(successes + silent).toBe(100);
    const lines = costLines(r);
    expect(lines).toHaveLength(3);
    // Nothing priced prints "$0", as in the report's cost table (one formatter, reports/format.ts usd): "$0.00" before.
    expect(lines[0]).toMatch(/^ {2}spend \$\S+ per success \(tokens \$\S+, compute \$\S+, human \$0\) · \$0\.00400 per request$/);
    expect(dollars(lines[0].split(' ')[3])).toBeCloseTo(0.4 / successes, 3);
    expect(lines[1]).toContain(`(${silent} silent failures × $150.00, the scenario's assumption)`);
    const [, spend, penalty, total] = /^ {2}cost per success: spend (\S+) \+ assumed silent-failure cost (\S+) = (\S+)$/.exec(lines[2])!;
    expect(dollars(penalty)).toBeCloseTo((150 * silent) / successes, 2);
    // Each printed part is rounded (to the cent from $1, else 3 significant figures): the sum agrees within their rounding (half a cent each for the total and the penalty, less for the spend).
    expect(Math.abs(dollars(total) - dollars(spend) - dollars(penalty))).toBeLessThanOrEqual(0.0101);
  });

  it('run: no assumed penalty, only the spend line; no prices at all, no cost line', () => {
    expect(costLines(simulateModel(modelOf(priced(0.2, 0))))).toHaveLength(1);
    const free = simulateModel(modelOf(singleStage({ latency: 1 }, { requests: 50 })));
    expect(costLines(free)).toEqual([]);
  });

  it('compare: spend, + assumed penalty, = total columns and a note saying what each is', () => {
    const c = compareModels(modelOf(priced(1 / 3)), [{ name: 'validated', kind: 'coordination', model: modelOf(priced(0)), scenarioHash: '' }]);
    const lines = formatComparison(c, { color: false }).split('\n');
    const table = lines.slice(lines.findIndex((l) => l.trimStart().startsWith('variant ')));
    expect(table[0].trim().split(/\s{2,}/).slice(-3)).toEqual(['spend/success', '+ assumed penalty', '= total']);
    const cells = (name: string) => table.find((l) => l.trimStart().startsWith(`${name} `))!.trim().split(/\s{2,}/).slice(-3).map(dollars);
    for (const name of ['baseline', 'validated']) {
      const [spend, penalty, total] = cells(name);
      expect(Math.abs(total - spend - penalty)).toBeLessThanOrEqual(0.0101);
    }
    // Nothing is silently wrong in the fixed arm: $0.40 over 100 successes, and no penalty.
    expect(cells('validated')).toEqual([0.004, 0, 0.004]);
    expect(lines.some((l) => l.includes("assumed penalty = silent failures × $150.00 each, the scenario's assumption, not money spent"))).toBe(true);
  });
});
