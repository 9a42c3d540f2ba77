import { describe, expect, it } from 'vitest';
import { compareModels } from '../sim/experiment/index.js';
import { modelOf, singleStage } from '../sim/test-support.js';
import { formatComparison } from './format-compare.js';
import { pct } from '../reports/format.js';
import { variantsTable } from '../reports/tables.js';
import { reportFigures } from '../experiments/report-input.js';
import { fintechComparison } from '../reports/fixtures/load.js';

/**
 * One stage that fails loudly (10 % errors), misses a 15 ms deadline now and
 * then, and sheds at a queue of 0: every non-success outcome but silent
 * failure and escalation occurs.
 */
const mixed = (servers: number) =>
  modelOf(
    singleStage(
      { latency: { dist: 'exponential', mean: 10 }, faults: { error: 0.1 } },
      { requests: 4000, deadline: '15ms', arrivals: { kind: 'poisson', rate: 50 }, pools: { cpu: { servers, queueCapacity: 0 } } },
    ),
  );

describe('the comparison table', () => {
  it('shows failed, timed out and rejected apart, each as its own share of the requests', () => {
    const c = compareModels(mixed(1), [{ name: 'two-servers', kind: 'compute', model: mixed(2), scenarioHash: '' }]);
    for (const r of [c.baseline, c.variants[0].result]) for (const o of ['failed', 'timedOut', 'rejected'] as const) expect(r.outcomes[o]).toBeGreaterThan(0);
    const lines = formatComparison(c, { color: false }).split('\n');
    const table = lines.slice(lines.findIndex((l) => l.trimStart().startsWith('variant ')));
    const header = table[0].trim().split(/\s{2,}/);
    expect(header.slice(0, 9)).toEqual(['variant', 'kind', 'success', 'silent failure', 'escalated', 'failed', 'timed out', 'rejected', 'p95']);
    const cells = (name: string) => table.find((l) => l.trimStart().startsWith(`${name} `))!.trim().split(/\s{2,}/);
    const shares = (r: typeof c.baseline) => [r.outcomes.failed, r.outcomes.timedOut, r.outcomes.rejected].map((n) => pct(n / r.requests, 2));
    // The baseline row has an empty kind cell, so its columns sit one to the left of a variant's.
    expect(cells('baseline').slice(4, 7)).toEqual(shares(c.baseline));
    expect(cells('two-servers').slice(5, 8)).toEqual(shares(c.variants[0].result));
  });
});

describe('the comparison in the terminal prints each figure as the report does (one formatter, reports/format.ts)', () => {
  it("p95 and spend per success read as in the report's table of arms; a variant's Δ p95 as in the report", () => {
    const c = fintechComparison();
    const report = variantsTable(c, reportFigures({ comparison: c }).variantP95);
    const lines = formatComparison(c, { color: false }).split('\n');
    const table = lines.slice(lines.findIndex((l) => l.trimStart().startsWith('variant ')));
    for (const row of report.rows) {
      // Report columns: arm, kind, …, p95 (7), Δ p95 (8), spend per success (9).
      const [arm, , , , , , , p95, deltaP95, spend] = row;
      const cells = table.find((l) => l.trimStart().startsWith(`${arm} `))!.trim().split(/\s{2,}/);
      expect(cells.slice(-4, -2), arm).toEqual([p95, spend]);
      if (arm !== 'baseline') expect(lines.find((l) => l.startsWith(`${arm} (`))!.endsWith(`; p95 ${deltaP95}`), arm).toBe(true);
    }
  });
});
