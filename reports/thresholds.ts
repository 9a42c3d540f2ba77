/**
 * The scenario's thresholds in the report: every arm's checks as a table, and
 * the gate's verdict (sim/metrics/threshold-gate.ts) – the same pass/fail the command
 * exits with – as a summary sentence and under the table.
 */
import type { ReportInput } from './input.js';
import type { Table } from './tables.js';
import { describeVerdict } from '../sim/metrics/index.js';
import { showActual } from '../sim/metrics/index.js';

/** Every check of every arm that carries thresholds; none when no arm does. */
export function thresholdsTable(input: ReportInput): Table | undefined {
  const v = input.thresholds;
  const arms = v?.arms.filter((a) => a.checks.length > 0) ?? [];
  if (v === undefined || arms.length === 0) return undefined;
  return {
    caption: "The scenario's thresholds, checked on every arm",
    columns: [{ label: 'arm' }, { label: 'metric' }, { label: 'threshold' }, { label: 'actual', numeric: true }, { label: 'result' }],
    rows: arms.flatMap((a) =>
      a.checks.map((c) => [
        a.arm,
        c.metric,
        c.expression,
        c.actual === null ? `not measured: ${c.note ?? 'no value'}` : showActual(c.actual, c.expression),
        c.pass ? '✓ pass' : '✗ fail',
      ]),
    ),
    note: `${verdictSentence(input)} The command exits ${v.pass ? '0' : '1'}; --gate chooses the arm that decides.`,
  };
}

/** "Thresholds (gate any: …): PASS – passing: recovery-layer; failing: baseline fails 2 of 3." or "" without thresholds. */
export function verdictSentence(input: ReportInput): string {
  const line = input.thresholds ? describeVerdict(input.thresholds) : '';
  return line === '' ? '' : `${line.charAt(0).toUpperCase()}${line.slice(1)}.`;
}
