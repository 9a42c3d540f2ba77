/**
 * `coordgap sensitivity FILE`: every single intervention (a stage or a
 * hand-off made fault-free, each recovery policy of the coordination variants
 * alone, each compute variant alone) against the baseline on common random
 * numbers, ranked by Δ task success – the answer to "what do we fix first".
 * Options someone can buy and what-if bounds nobody can are ranked and shown
 * apart (sim/sensitivity.ts), each row with its change in spend and in the
 * scenario's assumed silent-failure cost per success (sim/cost.ts).
 */
import type { Command } from 'commander';
import type { LoadedScenario } from '../experiments/load-scenario.js';
import { addCommonOptions, overrides, type CommandContext, type CommonOptions } from './main.js';
import { runArms, baselineArm, type ArmSpec, type ExperimentOptions, type ExperimentStatus } from '../experiments/experiments.js';
import { experimentExitCode } from './cli-support.js';
import { writeOutputFiles } from './output.js';
import { deltaColumns } from './result-files.js';
import { variantInput } from '../sim/scenario/variants.js';
import { ScenarioError } from '../sim/scenario/source.js';
import { armFromInput, armSpec } from '../experiments/arm.js';
import { interventions, rankInterventions, type Intervention } from '../sim/experiment/sensitivity.js';
import { summarizeComparison, type VariantComparison } from '../sim/experiment/comparison.js';
import { toCsv } from '../reports/csv.js';
import { deltaUsd, usd } from '../reports/format.js';
import { stabilityTags, stabilityWarnings } from '../reports/stability-notes.js';
import type { RunResult } from '../sim/metrics/result.js';

/** One intervention alone against the baseline. */
export type SensitivityRow = Omit<VariantComparison, 'kind'> & { kind: Intervention['kind']; patch: Record<string, unknown> };

export interface SensitivityResult {
  scenario: string;
  baseline: RunResult;
  /** Options someone can buy – each policy of a coordination variant alone, each compute variant – best first (rankInterventions). */
  options: SensitivityRow[];
  /** What-if bounds – a stage or hand-off made fault-free: nobody can buy these; they bound what fixing it could give. Best first. */
  whatIf: SensitivityRow[];
  /** Interventions that do not make a valid scenario on their own, with why. */
  skipped: { name: string; reason: string }[];
}

function signed(x: number, digits: number, unit: string): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}${unit}`;
}

function halfWidth(ci: [number, number], scale: number, digits: number): string {
  const h = ((ci[1] - ci[0]) / 2) * scale;
  return Number.isFinite(h) ? ` ± ${h.toFixed(digits)}` : '';
}

/** Whether any arm carries an assumed cost per silent failure (then the penalty column is shown). */
function penalized(s: SensitivityResult): boolean {
  return [s.baseline, ...s.options.map((r) => r.result), ...s.whatIf.map((r) => r.result)].some((r) => r.costUsd.assumedPenalty.perSilentFailure > 0);
}

/** One group's table: rank within the group, Δ task success, Δ spend and Δ assumed penalty per success, Δ p95, caveats. */
function groupTable(rows: readonly SensitivityRow[], withPenalty: boolean): string[] {
  // Interventions whose run carries a caveat (unstable, a retry storm, cut short) say so in a last column.
  const caveats = rows.map((r) => stabilityTags(r.result).join(', '));
  const anyCaveat = caveats.some((c) => c !== '');
  const header = ['#', 'intervention', 'kind', 'Δ task success', 'Δ spend/success', ...(withPenalty ? ['Δ assumed penalty/success'] : []), 'Δ p95', ...(anyCaveat ? ['caveat'] : [])];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.name,
    r.kind,
    signed(r.delta.successRate.estimate * 100, 1, ' pp') + halfWidth(r.delta.successRate.ci95, 100, 1),
    deltaUsd(r.delta.spendPerSuccessUsd),
    ...(withPenalty ? [deltaUsd(r.delta.assumedPenaltyPerSuccessUsd)] : []),
    signed(r.delta.p95Ms.estimate, 0, ' ms'),
    ...(anyCaveat ? [caveats[i]] : []),
  ]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => ('  ' + r.map((cell, c) => (c >= 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ')).trimEnd());
}

export function formatSensitivity(s: SensitivityResult): string {
  const withPenalty = penalized(s);
  const out = [`${s.scenario} · what to fix first · baseline task success ${(s.baseline.successRate.estimate * 100).toFixed(1)} %`];
  out.push(...stabilityWarnings(s.baseline, 'baseline').map((w) => `  ${w}`));
  if (s.options.length > 0) out.push('options you can buy (each policy of a coordination variant alone, each compute variant), by Δ task success:', ...groupTable(s.options, withPenalty));
  if (s.whatIf.length > 0)
    out.push(
      "what-if bounds (a stage or hand-off made fault-free: nobody can buy these; they bound what fixing it could give):",
      ...groupTable(s.whatIf, withPenalty),
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

/** Runs every single intervention against the baseline and ranks them (null when the baseline runs failed). */
export async function computeSensitivity(
  loaded: LoadedScenario,
  options: ExperimentOptions,
): Promise<{ result: SensitivityResult | null; status: ExperimentStatus }> {
  const skipped: SensitivityResult['skipped'] = [];
  const chosen: { iv: Intervention; arm: ArmSpec }[] = [];
  for (const iv of interventions(loaded.model, loaded.scenario.variants ?? [])) {
    const variant = iv.kind === 'compute' ? loaded.variants.find((v) => v.name === iv.name) : undefined;
    if (variant) {
      // A compute variant alone is the variant as loaded (its hardware resolved).
      chosen.push({ iv, arm: { label: iv.name, input: variant.input, model: variant.model, scenarioHash: variant.hash, ...(variant.hardware ? { hardware: variant.hardware } : {}) } });
      continue;
    }
    // Every other intervention is the baseline with its patch, built like any arm (armFromInput).
    const input = variantInput(loaded.input as Record<string, unknown>, iv.patch);
    try {
      chosen.push({ iv, arm: armSpec(iv.name, await armFromInput(loaded.arms, input, iv.name)) });
    } catch (e) {
      // One that does not make a valid scenario on its own is left out, saying why.
      if (!(e instanceof ScenarioError)) throw e;
      skipped.push({ name: iv.name, reason: e.issues.map((i) => i.message).join('; ') });
    }
  }
  const { collectors, status } = await runArms(loaded, [baselineArm(loaded), ...chosen.map((c) => c.arm)], options);
  if (collectors[0] === null) return { result: null, status };
  const kept = chosen.flatMap((c, i) => (collectors[i + 1] === null ? [] : [{ ...c, collectors: collectors[i + 1]! }]));
  const comparison = summarizeComparison(
    { model: loaded.model, scenarioHash: loaded.hash, collectors: collectors[0] },
    kept.map((k) => ({ name: k.iv.name, kind: 'coordination' as const, model: k.arm.model, scenarioHash: k.arm.scenarioHash, collectors: k.collectors })),
    { version: options.version },
  );
  const { options: bought, whatIf } = rankInterventions(comparison.variants.map((v, i) => ({ ...v, kind: kept[i].iv.kind, patch: kept[i].iv.patch })));
  return { result: { scenario: loaded.scenario.name, baseline: comparison.baseline, options: bought, whatIf, skipped }, status };
}

export function registerSensitivity(program: Command, ctx: CommandContext): void {
  addCommonOptions(program.command('sensitivity').argument('<file>', 'scenario file'), 4)
    .description('rank single interventions by Δ task success: what to fix first')
    .action(async (file: string, opts: CommonOptions) => {
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      const { result, status } = await ctx.experiment('ranking interventions', opts, (o) => computeSensitivity(loaded, o));
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
