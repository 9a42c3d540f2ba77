/**
 * `compare --uncertainty N` in the terminal: per variant and metric, the
 * point estimate with its simulation-noise interval beside the total interval
 * (parameters and simulation), P(the variant is better), and how much of the
 * spread the parameters explain; then per variant, which dominates and
 * whether more traces or more simulation would narrow it. The rule
 * (readUncertainty) and the words (reports/uncertainty.ts) are the report's
 * too, so `compare` and `report --uncertainty` say the same thing.
 */
import { textTable } from './text-table.js';
import { readUncertainty, type UncertaintyResult } from '../sim/experiment/index.js';
import { READING_METRIC, UNCERTAINTY_COLUMNS, readingLine, uncertaintyHeading, uncertaintyNotes, uncertaintyRows } from '../reports/uncertainty.js';

export function formatUncertainty(u: UncertaintyResult): string {
  const rows = [UNCERTAINTY_COLUMNS.map((c) => c.label), ...uncertaintyRows(u)];
  const readings = u.variants.map((v) => `  ${readingLine(v.name, readUncertainty(v.deltas[READING_METRIC]))}`);
  return [`parameter uncertainty: ${uncertaintyHeading(u)}`, textTable(rows, 2).join('\n'), ...uncertaintyNotes(u).map((n) => `  ${n}`), ...readings].join('\n') + '\n';
}
