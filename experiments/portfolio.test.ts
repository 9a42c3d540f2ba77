import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioText } from './load-scenario.js';
import { computePortfolio } from './portfolio.js';
import type { PortfolioCombination } from '../sim/experiment/index.js';
import { halfWidth } from '../reports/format.js';

/**
 * Two steps: `draft` writes silently wrong output 20 % of the time, `check`
 * fails loudly 10 % of the time; every fault is transient. Two options on
 * `check`: validation of its input (catches all corrupted input) and a retry
 * (two attempts, on errors and on caught corruption). A caught corruption is
 * redone from the step that made it (sim/path/recovery.ts: the restart
 * position is the corruption's origin, the attempt count carried on).
 */
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'test-fixtures', 'interacting-fixes.yaml');
const scenario = readFileSync(FIXTURE, 'utf8');

describe('computePortfolio', () => {
  it('simulates a combination instead of adding up its options: validation upstream lets the retry redo corrupted work', async () => {
    const loaded = await loadScenarioText(scenario, 'interacting.yaml', process.cwd());
    const { result, status } = await computePortfolio(loaded, { replications: 4, threads: 1, version: 'test' }, { budgetUsd: null });
    expect(status).toEqual({ failures: [], interrupted: false });
    const p = result!;
    const row = (name: string) => p.combinations.find((c) => c.name === name)!;
    const [v, r, both] = [row('validate'), row('retry'), row('validate + retry')];
    // With c = 0.2 (corruption) and e = 0.1 (error), per request:
    //   baseline      success (1 − c)(1 − e)                      = 0.72
    //   validate      a caught corruption fails loudly instead:  Δ = 0
    //   retry         a second try after an error:               Δ = (1 − c)·e·(1 − e)       = 0.072
    //   both          also a caught corruption redone once:      Δ = (1 − c)(1 − e)(c + e)   = 0.216
    // so the pair gains (1 − c)(1 − e)·c = 0.144 more than its options' gains added up.
    const near = (e: PortfolioCombination['successDelta'], expected: number) => expect(Math.abs(e.estimate - expected)).toBeLessThanOrEqual(2 * halfWidth(e));
    near(p.baseline.successRate, 0.72);
    near(v.successDelta, 0);
    near(r.successDelta, 0.072);
    near(both.successDelta, 0.216);
    // Beyond the intervals: the combination's lower end above the sum of the singles' upper ends.
    expect(both.successDelta.ci95[0]).toBeGreaterThan(v.successDelta.ci95[1] + r.successDelta.ci95[1]);

    // Prices add: 3 days at $800 over 12 months, plus $50 a month.
    expect(both.price).toEqual({ oneOffUsd: 2400, monthlyUsd: 50, unpriced: [] });
    expect(p.search).toEqual({ method: 'exhaustive', simulated: 3, combinations: 3, limit: null });
    expect(p.conflicts).toEqual([]);
    expect(p.recommended).toBe('validate + retry');
    // Every cheaper set gains surely less: nothing cheaper is alike.
    expect(p.cheaperAlike).toBeNull();
  }, 120_000);

  it('recommends within the budget, names the conflicting pairs and does not build them', async () => {
    const withConflict = scenario.replace(
      'variants:\n',
      'variants:\n  - name: retry-3\n    kind: coordination\n    patch: { stages: { check: { retry: { maxAttempts: 3, retryOn: [error] } } } }\n',
    );
    const loaded = await loadScenarioText(withConflict.replace('requests: 20000', 'requests: 4000'), 'interacting.yaml', process.cwd());
    const { result } = await computePortfolio(loaded, { replications: 2, threads: 1, version: 'test' }, { budgetUsd: 150 });
    const p = result!;
    expect(p.conflicts.map((c) => [c.a, c.b, c.path])).toEqual([
      ['retry-3', 'retry', 'stages.check.retry.maxAttempts'],
    ]);
    // 7 subsets of 3 options, less {retry-3, retry} and {retry-3, validate, retry}.
    expect(p.search.combinations).toBe(5);
    expect(p.combinations.map((c) => c.name)).toEqual(['retry-3', 'validate', 'retry', 'retry-3 + validate', 'validate + retry']);
    // $150 a month: validate + retry costs $250 ($2,400 / 12 + $50) plus its spend; retry alone $116.67 plus spend.
    expect(p.combinations.find((c) => c.name === 'validate + retry')!.withinBudget).toBe(false);
    const chosen = p.combinations.find((c) => c.name === p.recommended)!;
    expect(chosen.extraCostMonthlyUsd).toBeLessThanOrEqual(150);
    for (const c of p.combinations) if (c.withinBudget && !c.worse) expect(c.successDelta.estimate).toBeLessThanOrEqual(chosen.successDelta.estimate);
  }, 120_000);
});
