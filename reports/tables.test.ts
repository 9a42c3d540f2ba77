import { describe, expect, it } from 'vitest';
import { costTable, sensitivityTables, variantsTable } from './tables.js';
import { fintechComparison, fintechSensitivity } from './fixtures/load.js';
import { reportFigures } from '../experiments/report-input.js';
import type { ComparisonResult } from '../sim/experiment/index.js';

describe('cost in the report tables', () => {
  const c = fintechComparison();

  it('the cost table keeps spend and the assumed silent-failure cost apart, the total only as their sum', () => {
    const t = costTable(c)!;
    expect(t.caption).toBe(
      "Cost per successful request: spend and the assumed cost of silent failures ($150.00 each, the scenario's assumption) apart; total = spend + assumed",
    );
    expect(t.columns.map((col) => col.label)).toEqual([
      'arm', 'tokens', 'compute', 'human time', 'spend', 'Δ spend', 'assumed silent-failure cost', 'Δ assumed', 'total', 'Δ total',
    ]);
    const [base, recovery] = t.rows;
    // Every figure per success, from the fixture's own counts: spend = tokens + compute + human, total = spend + assumed.
    const perSuccess = (r: ComparisonResult['baseline'], x: number) => x / r.outcomes.success;
    const b = c.baseline.costUsd;
    expect(perSuccess(c.baseline, b.breakdown.tokens + b.breakdown.compute + b.breakdown.human)).toBeCloseTo(b.spend.perSuccess!, 12);
    expect(perSuccess(c.baseline, 150 * c.baseline.outcomes.silentFailure)).toBeCloseTo(b.assumedPenalty.perSuccess!, 12);
    expect(base.slice(0, 4)).toEqual(['baseline', '$0.0380', '$0.000106', '$0']);
    expect(base.slice(4)).toEqual(['$0.0381', '', '$56.38', '', '$56.42', '']);
    expect(recovery[0]).toBe('recovery-layer');
    expect([recovery[4], recovery[6], recovery[8]]).toEqual(['$0.289', '$0.200', '$0.489']);
  });

  it('the headline table shows spend per success, never a total that hides the assumption', () => {
    const t = variantsTable(c, reportFigures({ comparison: c }).variantP95);
    expect(t.columns.slice(-2).map((col) => col.label)).toEqual(['spend per success', 'Δ spend per success']);
    expect(t.rows[0].slice(-2)).toEqual(['$0.0381', '']);
    expect(t.note).toMatch(/assumed cost of silent failures is not spend/);
  });

  it('without an assumed silent-failure cost: spend columns only; with no prices at all: no cost table', () => {
    const free = (r: ComparisonResult['baseline'], spend: boolean): ComparisonResult['baseline'] => ({
      ...r,
      costUsd: {
        ...(spend ? r.costUsd.spend : { total: 0, perRequest: 0, perSuccess: 0 }),
        breakdown: { ...r.costUsd.breakdown, silentFailure: 0, ...(spend ? {} : { tokens: 0, compute: 0, human: 0 }) },
        spend: spend ? r.costUsd.spend : { total: 0, perRequest: 0, perSuccess: 0 },
        assumedPenalty: { total: 0, perRequest: 0, perSuccess: 0, perSilentFailure: 0 },
      },
    });
    const without = (spend: boolean): ComparisonResult => ({ ...c, baseline: free(c.baseline, spend), variants: c.variants.map((v) => ({ ...v, result: free(v.result, spend) })) });
    expect(costTable(without(true))!.columns.map((col) => col.label)).toEqual(['arm', 'tokens', 'compute', 'human time', 'spend', 'Δ spend']);
    expect(costTable(without(false))).toBeUndefined();
    expect(variantsTable(without(true), reportFigures({ comparison: without(true) }).variantP95).note).toBeUndefined();
  });
});

describe('what to fix first in the report tables', () => {
  const s = fintechSensitivity();

  it('options someone can buy and what-if bounds are two tables, each ranked from 1, with spend and assumed-penalty changes', () => {
    const [options, bounds] = sensitivityTables(s, reportFigures({ comparison: fintechComparison(), sensitivity: s }).sensitivityP95!);
    expect(options.caption).toMatch(/^What to fix first: options someone can buy/);
    expect(bounds.caption).toMatch(/^What-if bounds: a stage or hand-off made fault-free – nobody can buy these/);
    for (const t of [options, bounds])
      expect(t.columns.map((col) => col.label)).toEqual(['#', 'intervention', 'kind', 'Δ task success', 'Δ p95', 'Δ spend per success', 'Δ assumed silent-failure cost per success', 'Δ total cost per success']);
    expect(options.caption).toMatch(/best first by Δ task success$/);
    expect(options.rows.map((r) => r[1])).toEqual(s.options.map((r) => r.name));
    expect(bounds.rows.map((r) => r[1])).toEqual(s.whatIf.map((r) => r.name));
    expect(bounds.rows[0][0]).toBe('1');
    expect(options.rows.every((r) => !r[2].startsWith('fault-free'))).toBe(true);
    expect(bounds.rows.every((r) => r[2].startsWith('fault-free'))).toBe(true);
    const validate = options.rows.find((r) => r[1] === 'recovery-layer: analysis validate')!;
    expect(validate[6]).toMatch(/^−\$5\d\.\d\d ± /);
    // Total cost = spend + assumed penalty, per success.
    const row = s.options.find((r) => r.name === 'recovery-layer: analysis validate')!;
    expect(row.delta.costPerSuccessUsd.estimate).toBeCloseTo(row.delta.spendPerSuccessUsd.estimate + row.delta.assumedPenaltyPerSuccessUsd.estimate, 9);
    expect(bounds.note).toMatch(/assumed silent-failure cost is the scenario's assumption, not spend/);
  });
});
