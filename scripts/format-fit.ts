/** `coordgap fit` in the terminal: what was read, fitted and assumed, then the back-test with a verdict per figure. */
import { textTable } from './text-table.js';
import type { FitOutcome } from '../experiments/fit.js';
import type { BacktestRow } from '../sim/fit/index.js';
import { int } from '../reports/format.js';


const num = (x: number): string => (!Number.isFinite(x) ? 'n/a' : Math.abs(x) >= 100 ? int(x) : x.toPrecision(3));
const interval = (ci: readonly [number, number]): string => (Number.isFinite(ci[0]) ? `[${num(ci[0])}, ${num(ci[1])}]` : '');

export function formatFit(fit: FitOutcome, rows: BacktestRow[] | null, where: { traces: string; out: string }): string {
  const t = fit.structure.traces;
  const out: string[] = [`${where.traces}: ${int(t.used)} traces used${t.skipped.length > 0 ? `, ${int(t.skipped.length)} skipped (${t.skipped.slice(0, 2).map((s) => s.reason).join('; ')}${t.skipped.length > 2 ? '; …' : ''})` : ''} · ${fit.stages.length} stages`];
  out.push('', '  fitted:');
  for (const n of fit.notes.filter((x) => x.how === 'fitted')) out.push(`    ${n.path} = ${n.value} – ${n.detail}`);
  out.push('', '  ASSUMED (the traces cannot show these):');
  for (const n of fit.notes.filter((x) => x.how === 'assumed')) out.push(`    ${n.path} = ${n.value} – ${n.detail}`);
  for (const w of fit.warnings) out.push(`  warning: ${w}`);
  if (rows !== null) {
    out.push('', '  back-test: the fitted scenario simulated, beside the traces');
    out.push(textTable([['figure', 'observed', '95 % CI', 'simulated', 'verdict'], ...rows.map((r) => [r.figure, num(r.observed.estimate), interval(r.observed.ci95), num(r.simulated.estimate), r.verdict])]).join('\n'));
    const outside = rows.filter((r) => r.verdict === 'outside');
    out.push(
      outside.length === 0
        ? '  every figure inside: the fitted scenario reproduces the traces'
        : `  ${outside.length} of ${rows.length} figures outside: the fit does not reproduce ${outside.map((r) => r.figure).join(', ')} – read the assumptions above before trusting its comparisons`,
    );
  }
  out.push('', `wrote ${where.out}`);
  return out.join('\n') + '\n';
}
