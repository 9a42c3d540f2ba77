/**
 * `coordgap sensitivity FILE`: every single intervention (a stage or a
 * hand-off made fault-free, each recovery policy of the coordination variants
 * alone, each compute variant alone) against the baseline on common random
 * numbers, ranked by the chosen objective (`--objective`: Δ task success by
 * default, spend or total cost per success, p95) – the answer to "what do we
 * fix first".
 * Options someone can buy and what-if bounds nobody can are ranked and shown
 * apart (sim/experiment/sensitivity.ts), each row with its change in spend and in the
 * scenario's assumed silent-failure cost per success (sim/metrics/cost.ts).
 */
import { Option, type Command } from 'commander';
import { addCommonOptions, overrides, type CommandContext, type CommonOptions } from './command-options.js';
import { experimentExitCode } from './cli-support.js';
import { writeOutputFiles } from './output.js';
import { deltaColumns } from './result-files.js';
import { computeSensitivity } from '../experiments/sensitivity.js';
import { OBJECTIVES, type Objective, type SensitivityResult, type SensitivityRow } from '../sim/experiment/index.js';
import { SHEDDING_SHARE } from '../sim/analysis/index.js';
import { latencyChange } from '../experiments/report-input.js';
import { toCsv } from '../reports/csv.js';
import { OBJECTIVE_LABELS } from '../reports/objectives.js';
import { deltaMsInterval, deltaUsd, pct, ppInterval, usd } from '../reports/format.js';
import { stabilityTags, stabilityWarnings } from '../reports/stability-notes.js';

/** Whether any arm carries an assumed cost per silent failure (then the penalty column is shown). */
function penalized(s: SensitivityResult): boolean {
  return [s.baseline, ...s.options.map((r) => r.result), ...s.whatIf.map((r) => r.result)].some((r) => r.costUsd.assumedPenalty.perSilentFailure > 0);
}

/**
 * One group's table: rank within the group, Δ task success, Δ spend and Δ
 * assumed penalty per success, Δ p95 (against `baselineP95Ms`), caveats – each
 * figure as the report's "what to fix first" table prints it.
 */
function groupTable(rows: readonly SensitivityRow[], withPenalty: boolean, baselineP95Ms: number): string[] {
  // Interventions whose run carries a caveat (unstable, a retry storm, cut short) say so in a last column.
  const caveats = rows.map((r) => stabilityTags(r.result).join(', '));
  const anyCaveat = caveats.some((c) => c !== '');
  const header = ['#', 'intervention', 'kind', 'Δ task success', 'Δ spend/success', ...(withPenalty ? ['Δ assumed penalty/success', 'Δ total cost/success'] : []), 'Δ p95', ...(anyCaveat ? ['caveat'] : [])];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.name,
    r.kind,
    ppInterval(r.delta.successRate),
    deltaUsd(r.delta.spendPerSuccessUsd),
    ...(withPenalty ? [deltaUsd(r.delta.assumedPenaltyPerSuccessUsd), deltaUsd(r.delta.costPerSuccessUsd)] : []),
    deltaMsInterval(latencyChange(r.delta.p95Ms, baselineP95Ms, r.result.latencyMs.p95)),
    ...(anyCaveat ? [caveats[i]] : []),
  ]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => ('  ' + r.map((cell, c) => (c >= 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ')).trimEnd());
}

export function formatSensitivity(s: SensitivityResult): string {
  const withPenalty = penalized(s);
  const out = [`${s.scenario} · what to fix first · baseline task success ${pct(s.baseline.successRate.estimate)}`];
  out.push(...stabilityWarnings(s.baseline, SHEDDING_SHARE, 'baseline').map((w) => `  ${w}`));
  const by = `by ${OBJECTIVE_LABELS[s.objective]}`;
  if (s.options.length > 0) out.push(`options you can buy (each policy of a coordination variant alone, each compute variant), ${by}:`, ...groupTable(s.options, withPenalty, s.baseline.latencyMs.p95));
  if (s.whatIf.length > 0)
    out.push(
      `what-if bounds (a stage or hand-off made fault-free: nobody can buy these; they bound what fixing it could give), ${by}:`,
      ...groupTable(s.whatIf, withPenalty, s.baseline.latencyMs.p95),
    );
  const prices = [...new Set([s.baseline, ...s.options.map((r) => r.result), ...s.whatIf.map((r) => r.result)].map((r) => r.costUsd.assumedPenalty.perSilentFailure))];
  out.push(
    `  Δ per successful request: spend = tokens, compute and human time paid${
      withPenalty ? `; assumed penalty = silent failures × ${prices.map((p) => usd(p)).join(' or ')} each, the scenario's assumption, not money spent` : ''
    }`,
  );
  if (s.skipped.length > 0) out.push(`  skipped: ${s.skipped.map((k) => `${k.name} (${k.reason})`).join('; ')}`);
  return `${out.join('\n')}\n`;
}

export function registerSensitivity(program: Command, ctx: CommandContext): void {
  addCommonOptions(program.command('sensitivity').argument('<file>', 'scenario file'), 4)
    .description('rank single interventions by a chosen objective (Δ task success by default): what to fix first')
    .addOption(
      new Option('--objective <objective>', 'rank by: success (Δ task success), spend-per-success, total-cost (spend + the assumed silent-failure penalty, per success) or p95; every row shows them all')
        .choices([...OBJECTIVES])
        .default('success'),
    )
    .action(async (file: string, opts: CommonOptions & { objective: Objective }) => {
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      const { result, status } = await ctx.experiment('ranking interventions', opts, (o) => computeSensitivity(loaded, o, opts.objective));
      if (result !== null) {
        if (opts.out) {
          const groups = [['option', result.options], ['what-if', result.whatIf]] as const;
          const rows = groups.flatMap(([group, list]) =>
            list.map((r, i) => ({
              group,
              rank: i + 1,
              intervention: r.name,
              kind: r.kind,
              ...deltaColumns(r.delta),
              deltaP95Ms: r.delta.p95Ms.estimate,
              seed: loaded.model.seed,
              scenarioHash: loaded.hash,
            })),
          );
          await writeOutputFiles(ctx.io.cwd, opts.out, { 'results.json': ctx.json(result), 'results.csv': toCsv(rows) }, opts.force === true);
        }
        ctx.write(opts.json ? ctx.json(result) : formatSensitivity(result));
      }
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, 0));
    });
}
