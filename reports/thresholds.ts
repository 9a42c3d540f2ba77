/**
 * The scenario's thresholds in the report: every arm's checks as a table, and
 * the gate's verdict (sim/metrics/threshold-gate.ts) – the same pass/fail the
 * command exits with – as a summary sentence and under the table. The verdict
 * line and each measured value come worded as the terminal prints them
 * (figures.thresholds, experiments/report-input.ts).
 */
import type { ReportInput } from './input.js';
import type { Table } from './tables.js';

/** Every check of every arm that carries thresholds; none when no arm does. */
export function thresholdsTable(input: ReportInput): Table | undefined {
  const v = input.thresholds;
  const words = input.figures.thresholds;
  if (v === undefined || words === undefined || v.arms.every((a) => a.checks.length === 0)) return undefined;
  return {
    caption: "The scenario's thresholds, checked on every arm",
    columns: [{ label: 'arm' }, { label: 'metric' }, { label: 'threshold' }, { label: 'actual', numeric: true }, { label: 'result' }],
    rows: v.arms.flatMap((a, i) =>
      a.checks.map((c, j) => [a.arm, c.metric, c.expression, words.actuals[i][j] ?? `not measured: ${c.note ?? 'no value'}`, c.pass ? '✓ pass' : '✗ fail']),
    ),
    note: `${verdictSentence(input)} The command exits ${v.pass ? '0' : '1'}; --gate chooses the arm that decides.`,
  };
}

/** "Thresholds (gate any: …): PASS – passing: recovery-layer; failing: baseline fails 2 of 3." or "" without thresholds. */
export function verdictSentence(input: ReportInput): string {
  const line = input.figures.thresholds?.verdictLine ?? '';
  return line === '' ? '' : `${line.charAt(0).toUpperCase()}${line.slice(1)}.`;
}
