import { describe, expect, it } from 'vitest';
import { formatSensitivity } from './cmd-sensitivity.js';
import { fintechComparison, fintechSensitivity } from '../reports/fixtures/load.js';
import { sensitivityTables } from '../reports/tables.js';
import { reportFigures } from '../experiments/report-input.js';

describe('the sensitivity table in the terminal (fixture: fintech-underwriting, 4 × 10,000 requests per intervention)', () => {
  const s = fintechSensitivity();
  const text = formatSensitivity(s);
  const lines = text.split('\n');

  it('shows the options someone can buy first and the what-if bounds apart, each ranked from 1', () => {
    const options = lines.findIndex((l) => l.startsWith('options you can buy'));
    const bounds = lines.findIndex((l) => l.startsWith('what-if bounds'));
    expect(options).toBeGreaterThan(0);
    expect(bounds).toBeGreaterThan(options);
    const names = (from: number, to: number) => lines.slice(from + 2, to).filter((l) => /^ {2}\d/.test(l)).map((l) => l.trim().split(/\s{2,}/)[1]);
    expect(names(options, bounds)).toEqual(s.options.map((r) => r.name));
    expect(names(bounds, lines.length)).toEqual(s.whatIf.map((r) => r.name));
    expect(lines[bounds + 2].trimStart().startsWith('1  ')).toBe(true);
    expect(names(options, bounds).some((n) => n.endsWith('fault-free'))).toBe(false);
  });

  it("gives every row its change in spend and in the scenario's assumed silent-failure cost per success", () => {
    const header = lines.find((l) => l.trimStart().startsWith('#  '))!.trim().split(/\s{2,}/);
    expect(header.slice(3, 6)).toEqual(['Δ task success', 'Δ spend/success', 'Δ assumed penalty/success']);
    // Validation alone buys no task success but removes about $54 of assumed penalty per success.
    const validate = lines.find((l) => l.includes('recovery-layer: analysis validate'))!.trim().split(/\s{2,}/);
    const row = s.options.find((r) => r.name === 'recovery-layer: analysis validate')!;
    expect(row.delta.assumedPenaltyPerSuccessUsd.estimate).toBeLessThan(-40);
    expect(validate[5]).toMatch(/^−\$5\d\.\d\d ± \d+\.\d\d$/);
    expect(lines.at(-2)).toBe(
      "  Δ per successful request: spend = tokens, compute and human time paid; assumed penalty = silent failures × $150.00 each, the scenario's assumption, not money spent",
    );
  });
});

describe('the sensitivity table in the terminal prints each figure as the report does (one formatter, reports/format.ts)', () => {
  it("Δ task success, Δ spend, Δ assumed penalty, Δ total cost and Δ p95 – with its ± – read as in the report's what-to-fix-first table", () => {
    const s = fintechSensitivity();
    const lines = formatSensitivity(s).split('\n');
    const [options, bounds] = sensitivityTables(s, reportFigures({ comparison: fintechComparison(), sensitivity: s }).sensitivityP95!);
    for (const row of [...options.rows, ...bounds.rows]) {
      // Report columns: #, intervention, kind, Δ task success, Δ p95, Δ spend, Δ assumed penalty, Δ total cost.
      const [, name, , success, p95, spend, penalty, total] = row;
      const cells = lines.find((l) => l.trim().split(/\s{2,}/)[1] === name)!.trim().split(/\s{2,}/);
      // Terminal columns: #, intervention, kind, Δ task success, Δ spend, Δ assumed penalty, Δ total cost, Δ p95.
      expect(cells.slice(3, 8), name).toEqual([success, spend, penalty, total, p95]);
    }
  });
});
