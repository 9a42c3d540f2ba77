/**
 * `coordgap sweep`: a parameter grid (the scenario's `sweep:` block, or
 * `--set path=v1,v2` / `--set path=a..b:n`), or a built-in study. Every point ×
 * replication is one worker task; results are long-format (one row per point
 * × replication) for faceted charts, plus a merged summary per point.
 */
import type { Command } from 'commander';
import { UsageError } from '../experiments/load-scenario.js';
import { addCommonOptions, overrides, type CommandContext, type CommonOptions } from './command-options.js';
import { experimentExitCode } from './cli-support.js';
import { writeOutputFiles } from './output.js';
import { setOverride } from '../sim/scenario/index.js';
import { parseSetValues, gridPoints, type SweepParameter } from '../sim/experiment/index.js';
import { reliabilityVsSteps, withExtraAgent, parameterText, type StudyPoint, type SweepResult } from '../sim/experiment/index.js';
import { runSweep } from '../experiments/sweep.js';
import { toCsv, resultRow, type CsvValue } from '../reports/csv.js';
import { pct, ms } from '../reports/format.js';
import { stabilityTags } from '../reports/stability-notes.js';
import type { ArmContext, ArmOrigin } from '../experiments/arm.js';
import type { Scenario } from '../sim/scenario/index.js';

interface SweepOptions extends CommonOptions {
  study?: string;
  catchRates: string;
}

/**
 * Where a sweep's points come from: the scenario (a `sweep:` block, `--set`
 * lists, or the add-agent study built on it), or nothing but a built-in study.
 */
interface SweepSource {
  name: string;
  points: StudyPoint[];
  params: string[];
  /** The scenario's arm context; absent for a study that builds its own scenarios. */
  arms?: ArmContext;
  /** Where the swept values were written, for error positions. */
  origin?: ArmOrigin;
}

async function studyPoints(opts: SweepOptions, file: string | undefined, ctx: CommandContext): Promise<SweepSource> {
  if (opts.study === 'reliability-vs-steps') {
    if (file) throw new UsageError('the reliability-vs-steps study builds its own scenarios; give no file');
    return { name: 'reliability-vs-steps', points: reliabilityVsSteps(opts.requests ?? 20_000, opts.seed ?? 1), params: ['perStepReliability', 'steps'] };
  }
  if (!file) throw new UsageError('give a scenario file, or --study reliability-vs-steps');
  const loaded = await ctx.load(file, [...overrides(opts)].filter((s) => !isMultiValued(s)), { allowOutside: opts.allowOutside === true });
  const base = loaded.input as Record<string, unknown>;
  if (opts.study === 'add-agent') {
    const rates = opts.catchRates.split(',').map(Number);
    if (rates.some((r) => !(r >= 0 && r <= 1))) throw new UsageError(`--catch-rates must be probabilities in [0, 1]; got "${opts.catchRates}"`);
    const agent = { errorProbability: 0.01, corruptionProbability: 0.01, contextLoss: 0.02, formatMismatch: 0.01 };
    const { variants: _v, sweep: _s, ...plain } = base;
    return {
      name: loaded.scenario.name,
      arms: loaded.arms,
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
  if (params.length === 0) throw new UsageError(noGridMessage(file, loaded.scenario));
  const { variants: _v, sweep: _s, ...plain } = base;
  const points = gridPoints(params).map((values) => {
    const input = structuredClone(plain);
    for (const [path, value] of Object.entries(values)) setOverride(input, path, JSON.stringify(value));
    return { values: values as Record<string, number | string>, input: input as never };
  });
  return {
    name: loaded.scenario.name,
    points,
    params: params.map((p) => p.path),
    arms: loaded.arms,
    origin: loaded.scenario.sweep !== undefined ? ['sweep', 'parameters'] : '--set',
  };
}

/**
 * Why a scenario without a grid cannot be swept, and the commands that would
 * sweep it: examples built from its own stages and arrival rate, so they run
 * as printed.
 */
export function noGridMessage(file: string, scenario: Scenario): string {
  const errorOf = (s: Scenario['stages'][number]) => s.faults?.error ?? 0;
  const stage = scenario.stages.find((s) => errorOf(s) > 0) ?? scenario.stages[0];
  const p = errorOf(stage);
  // --set addresses a list element by id, or by index where the id holds a dot.
  const ref = stage.id.includes('.') ? String(scenario.stages.indexOf(stage)) : stage.id;
  const errors = p > 0 ? [p / 2, p, Math.min(1, p * 2)] : [0.01, 0.05, 0.1];
  const shown = (x: number) => String(Number(x.toPrecision(3)));
  const lines = [`${file} has no sweep: block, so there is no grid to run. Give one on the command line (a list of values, or a range a..b:n of n values):`];
  lines.push(`  coordgap sweep ${file} --set stages.${ref}.faults.error=${errors.map(shown).join(',')}`);
  if (scenario.arrivals.kind === 'poisson') {
    // In the unit that keeps the numbers readable: 10/s, 15/min, 10/h.
    const r = scenario.arrivals.rate;
    const [unit, perSec] = r >= 1 ? ['s', 1] : r * 60 >= 1 ? ['min', 60] : ['h', 3600];
    lines.push(`  coordgap sweep ${file} --set arrivals.rate=${[r / 2, r, r * 2].map((x) => `${shown(x * perSec)}/${unit}`).join(',')}`);
  }
  lines.push(
    `or run a built-in study: --study add-agent (this scenario with one more reviewing agent, at several catch rates),`,
    `or --study reliability-vs-steps with no file (per-step reliability × number of steps against r^n);`,
    `or add a sweep: block to the file, e.g. sweep: { parameters: { stages.${ref}.faults.error: [${errors.map(shown).join(', ')}] } }`,
  );
  return lines.join('\n');
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
      const plan = await studyPoints(opts, file, ctx);
      const { summary, replications, status } = await ctx.experiment('sweeping', opts, (o) => runSweep({ ...plan, ...(opts.study ? { study: opts.study } : {}) }, o));
      const rows = replications.map((r) => ({ ...parameterCells(r.values), replication: r.replication, ...resultRow(r.result) }));
      if (opts.out)
        await writeOutputFiles(ctx.io.cwd, opts.out, { 'results.json': ctx.json(summary), 'results.csv': toCsv(rows) }, opts.force === true);
      ctx.write(opts.json ? ctx.json(summary) : formatSweep(summary));
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, 0));
    });
}

/** A point's values as CSV cells: numbers, strings and booleans as they are (numbers stay numeric), the rest as JSON. */
function parameterCells(values: Record<string, unknown>): Record<string, CsvValue> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : parameterText(v)]),
  );
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
      ...s.parameters.map((k) => parameterText(p.values[k])),
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

