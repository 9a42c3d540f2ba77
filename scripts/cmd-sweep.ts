/**
 * `coordgap sweep`: a parameter grid (the scenario's `sweep:` block, or
 * `--set path=v1,v2` / `--set path=a..b:n`), or a built-in study. Every point ×
 * replication is one worker task; results are long-format (one row per point
 * × replication) for faceted charts, plus a merged summary per point.
 */
import type { Command } from 'commander';
import { loadScenarioFile, UsageError } from './load-scenario.js';
import { addCommonOptions, overrides, json, type CommandContext, type CommonOptions } from './main.js';
import { runArms, type ArmSpec, type ExperimentOptions, type ExperimentStatus } from './experiments.js';
import { experimentExitCode } from './cli-support.js';
import { writeOutputFiles } from './output.js';
import { scenarioSchema } from '../sim/scenario/schema.js';
import { compileScenario } from '../sim/scenario/compile.js';
import { setOverride } from '../sim/scenario/overrides.js';
import { parseSetValues, gridPoints, type SweepParameter } from '../sim/sweep-spec.js';
import { reliabilityVsSteps, withExtraAgent, type StudyPoint } from '../sim/studies.js';
import { buildResult, type RunResult } from '../sim/result.js';
import { mergeReplications } from '../sim/experiment.js';
import { toCsv, resultRow, type CsvValue } from '../reports/csv.js';
import { pct, ms } from './format-run.js';
import { stabilityTags } from '../reports/stability-notes.js';
import { scenarioHash } from './load-scenario.js';
import type { ResolvedHardware } from '../sim/scenario/hardware-schema.js';

interface SweepOptions extends CommonOptions {
  study?: string;
  catchRates: string;
}

export interface SweepPointResult {
  values: Record<string, unknown>;
  result: RunResult;
  closedFormSuccess?: number;
  /** Whether the closed form lies inside the simulated 95 % interval. */
  closedFormInside?: boolean;
}

export interface SweepResult {
  scenario: string;
  study?: string;
  parameters: string[];
  points: SweepPointResult[];
}

function validatePoint(input: unknown, label: string) {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UsageError(`${label}: ${i.path.join('.') || 'scenario'}: ${i.message}`);
  }
  return parsed.data;
}

function pointArm(point: StudyPoint, label: string, hardware: ResolvedHardware | undefined): ArmSpec {
  const scenario = validatePoint(point.input, label);
  return {
    label,
    input: point.input,
    model: compileScenario(scenario, hardware ? { hardware } : {}),
    scenarioHash: scenarioHash(scenario),
    ...(hardware ? { hardware } : {}),
  };
}

async function studyPoints(
  opts: SweepOptions,
  file: string | undefined,
  ctx: CommandContext,
): Promise<{ name: string; points: StudyPoint[]; params: string[]; hardware?: ResolvedHardware }> {
  if (opts.study === 'reliability-vs-steps') {
    if (file) throw new UsageError('the reliability-vs-steps study builds its own scenarios; give no file');
    return { name: 'reliability-vs-steps', points: reliabilityVsSteps(opts.requests ?? 20_000, opts.seed ?? 1), params: ['perStepReliability', 'steps'] };
  }
  if (!file) throw new UsageError('give a scenario file, or --study reliability-vs-steps');
  const loaded = await loadScenarioFile(file, ctx.io.cwd, [...overrides(opts)].filter((s) => !isMultiValued(s)), { allowOutside: opts.allowOutside === true });
  const base = loaded.input as Record<string, unknown>;
  if (opts.study === 'add-agent') {
    const rates = opts.catchRates.split(',').map(Number);
    if (rates.some((r) => !(r >= 0 && r <= 1))) throw new UsageError(`--catch-rates must be probabilities in [0, 1]; got "${opts.catchRates}"`);
    const agent = { errorProbability: 0.01, corruptionProbability: 0.01, contextLoss: 0.02, formatMismatch: 0.01 };
    const { variants: _v, sweep: _s, ...plain } = base;
    return {
      name: loaded.scenario.name,
      ...(loaded.hardware ? { hardware: loaded.hardware } : {}),
      params: ['extraAgentCatchRate'],
      points: [
        { values: { extraAgentCatchRate: 'none' }, input: plain as never },
        ...rates.map((catchRate) => ({ values: { extraAgentCatchRate: catchRate }, input: withExtraAgent(base, { ...agent, catchRate }) as never })),
      ],
    };
  }
  if (opts.study !== undefined) throw new UsageError(`unknown study "${opts.study}"; studies: reliability-vs-steps, add-agent`);
  const params: SweepParameter[] = [...(loaded.scenario.sweep?.parameters ?? [])];
  for (const s of opts.set) if (isMultiValued(s)) params.push(parseSetValues(s));
  if (params.length === 0) throw new UsageError(`${file} has no sweep: block; give one, or --set path=v1,v2 / path=a..b:n`);
  const { variants: _v, sweep: _s, ...plain } = base;
  const points = gridPoints(params).map((values) => {
    const input = structuredClone(plain);
    for (const [path, value] of Object.entries(values)) setOverride(input, path, JSON.stringify(value));
    return { values: values as Record<string, number | string>, input: input as never };
  });
  return { name: loaded.scenario.name, points, params: params.map((p) => p.path), ...(loaded.hardware ? { hardware: loaded.hardware } : {}) };
}

/** A --set whose value lists several values or a range (a sweep parameter, not a plain override). */
function isMultiValued(set: string): boolean {
  try {
    return parseSetValues(set).values.length > 1;
  } catch {
    return false;
  }
}

export function registerSweep(program: Command, ctx: CommandContext): void {
  addCommonOptions(program.command('sweep').argument('[file]', 'scenario file (not needed for --study reliability-vs-steps)'))
    .description('run a parameter grid or a built-in study; long-format results')
    .option('--study <name>', 'built-in study: reliability-vs-steps, add-agent')
    .option('--catch-rates <list>', 'add-agent: catch rates of the extra agent', '0,0.5,0.9,0.99')
    .action(async (file: string | undefined, opts: SweepOptions) => {
      const { name, points, params, hardware } = await studyPoints(opts, file, ctx);
      const { summary, rows, status } = await ctx.experiment('sweeping', opts, (o) =>
        runSweep({ name, ...(opts.study ? { study: opts.study } : {}), params, points, ...(hardware ? { hardware } : {}) }, o),
      );
      if (opts.out)
        await writeOutputFiles(ctx.io.cwd, opts.out, { 'results.json': json(summary), 'results.csv': toCsv(rows) }, opts.force === true);
      ctx.write(opts.json ? json(summary) : formatSweep(summary));
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, 0));
    });
}

export interface SweepPlan {
  name: string;
  study?: string;
  params: string[];
  points: StudyPoint[];
  hardware?: ResolvedHardware;
}

/** Runs every point × replication; the summary per point and the long-format rows (point × replication). */
export async function runSweep(
  plan: SweepPlan,
  options: ExperimentOptions,
): Promise<{ summary: SweepResult; rows: Record<string, CsvValue>[]; status: ExperimentStatus }> {
  const { points, hardware } = plan;
  const arms = points.map((p, i) => pointArm(p, `point ${i + 1} (${Object.entries(p.values).map(([k, v]) => `${k}=${v}`).join(', ')})`, hardware));
  const { collectors, status } = await runArms({}, arms, options);
  const rows: Record<string, CsvValue>[] = [];
  const summary: SweepResult = { scenario: plan.name, ...(plan.study ? { study: plan.study } : {}), parameters: plan.params, points: [] };
  points.forEach((p, i) => {
    const runs = collectors[i];
    if (runs === null) return;
    runs.forEach((c, r) =>
      rows.push({ ...p.values, replication: r, ...resultRow(buildResult(arms[i].model, c, { replications: 1, version: options.version, scenarioHash: arms[i].scenarioHash })) }),
    );
    const result = mergeReplications(arms[i].model, runs, { version: options.version, scenarioHash: arms[i].scenarioHash });
    const entry: SweepPointResult = { values: p.values, result };
    if (p.closedFormSuccess !== undefined) {
      entry.closedFormSuccess = p.closedFormSuccess;
      entry.closedFormInside = p.closedFormSuccess >= result.successRate.ci95[0] && p.closedFormSuccess <= result.successRate.ci95[1];
    }
    summary.points.push(entry);
  });
  return { summary, rows, status };
}

function formatSweep(s: SweepResult): string {
  // Points whose figures carry a caveat (unstable, a retry storm, cut short) say so in a last column.
  const caveats = s.points.map((p) => stabilityTags(p.result).join(', '));
  const anyCaveat = caveats.some((c) => c !== '');
  const header = [
    ...s.parameters, 'success', '95 % CI', ...(s.points.some((p) => p.closedFormSuccess !== undefined) ? ['closed form', ''] : []), 'silent', 'p95',
    ...(anyCaveat ? ['caveat'] : []),
  ];
  const rows = s.points.map((p, i) => {
    const r = p.result;
    const [lo, hi] = r.successRate.ci95;
    return [
      ...s.parameters.map((k) => String(p.values[k])),
      pct(r.successRate.estimate, 2),
      `[${pct(lo, 2)}, ${pct(hi, 2)}]`,
      ...(p.closedFormSuccess !== undefined ? [pct(p.closedFormSuccess, 2), p.closedFormInside ? 'inside' : 'OUTSIDE'] : []),
      pct(r.silentFailureRate.estimate, 2),
      ms(r.latencyMs.p95),
      ...(anyCaveat ? [caveats[i]] : []),
    ];
  });
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const lines = all.map((r) => ('  ' + r.map((cell, c) => (c < s.parameters.length ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).trimEnd());
  const inside = s.points.filter((p) => p.closedFormInside).length;
  const withForm = s.points.filter((p) => p.closedFormSuccess !== undefined).length;
  const tail = withForm > 0 ? `\n  closed form inside the simulated 95 % interval at ${inside} of ${withForm} points (expect about 95 %)\n` : '\n';
  return `${s.study ?? s.scenario} · ${s.points.length} points\n${lines.join('\n')}${tail}`;
}

