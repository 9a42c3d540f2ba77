/**
 * The CLI: parse arguments, read files, call sim/, print. Nothing here decides
 * a number. `main` returns the exit code instead of exiting so tests can run it
 * in-process:
 *   0 ok · 1 a scenario threshold failed · 2 bad usage or invalid scenario ·
 *   3 internal error.
 */
import { Command, CommanderError, Option } from 'commander';
import { ScenarioError, formatIssue } from '../sim/scenario/source.js';
import { simulateModel } from '../sim/simulate.js';
import { loadScenarioFile, UsageError } from './load-scenario.js';
import { formatRunSummary } from './format-run.js';
import { formatComparison } from './format-compare.js';
import { compareModels } from '../sim/experiment.js';
import { runBenchSim } from './bench-sim.js';
import { writeOutputFiles } from './output.js';
import { VERSION } from './version.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stdout is a terminal: progress and colour are allowed. */
  isTTY: boolean;
  cwd: string;
}

interface CommonOptions {
  seed?: string;
  requests?: number;
  replications?: number;
  set: string[];
  json?: boolean;
  out?: string;
  force?: boolean;
}

function positiveInteger(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer; got "${v}"`);
    return n;
  };
}

function collect(v: string, previous: string[]): string[] {
  return [...previous, v];
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--seed <n>', 'override the scenario seed')
    .option('--requests <n>', 'override the number of requests', positiveInteger('--requests'))
    .option('--replications <r>', 'independent replications to merge', positiveInteger('--replications'), 1)
    .option('--set <path=value>', 'override a scenario field (repeatable), e.g. stages.retrieval.faults.error=0.1', collect, [])
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--out <dir>', 'also write the results under this directory')
    .option('--force', 'allow --out to overwrite files this tool wrote before');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const write = (s: string) => io.stdout.write(s);
  const writeErr = (s: string) => io.stderr.write(s);
  const program = new Command('coordgap')
    .description('Where multi-step AI pipelines lose reliability: compute speedups vs coordination fixes.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr })
    .showHelpAfterError('(run coordgap --help for usage)');

  let exitCode = 0;

  addCommonOptions(program.command('run').argument('<file>', 'scenario file (YAML or JSON)'))
    .description('simulate one scenario (baseline only)')
    .action(async (file: string, opts: CommonOptions) => {
      const loaded = await loadScenarioFile(file, io.cwd, overrides(opts));
      const result = simulateModel(loaded.model, {
        replications: opts.replications,
        version: VERSION,
        scenarioHash: loaded.hash,
      });
      if (opts.out) await writeOutputFiles(io.cwd, opts.out, { 'result.json': json(result) }, opts.force === true);
      write(opts.json ? json(result) : formatRunSummary(result, { color: io.isTTY && !process.env.NO_COLOR }));
    });

  addCommonOptions(program.command('compare').argument('<file>', 'scenario file with variants'))
    .description('baseline vs every variant in the file, on the same seeds')
    .action(async (file: string, opts: CommonOptions) => {
      const loaded = await loadScenarioFile(file, io.cwd, overrides(opts));
      if (loaded.variants.length === 0) throw new UsageError(`${file} has no variants to compare; add a "variants:" list`);
      const comparison = compareModels(
        loaded.model,
        loaded.variants.map((v) => ({ name: v.name, kind: v.kind, description: v.description, model: v.model, scenarioHash: v.hash })),
        { replications: opts.replications, version: VERSION, scenarioHash: loaded.hash },
      );
      if (opts.out) await writeOutputFiles(io.cwd, opts.out, { 'comparison.json': json(comparison) }, opts.force === true);
      write(opts.json ? json(comparison) : formatComparison(comparison, { color: io.isTTY && !process.env.NO_COLOR }));
    });

  program
    .command('validate')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .description('check a scenario, print its errors, change nothing')
    .option('--set <path=value>', 'override a scenario field (repeatable)', collect, [])
    .action(async (file: string, opts: { set: string[] }) => {
      const loaded = await loadScenarioFile(file, io.cwd, opts.set);
      write(`${file}: valid – ${loaded.model.stages.length} stages, ${loaded.model.pools.length} pools, ${loaded.model.requests} requests\n`);
    });

  program
    .command('bench-sim')
    .description('simulator speed on the reference model (six M/M/c stations with retries)')
    .option('--requests <n>', 'requests to simulate', positiveInteger('--requests'), 200_000)
    .option('--runs <n>', 'repeat and report the median', positiveInteger('--runs'), 1)
    .option('--json', 'print exactly one JSON document on stdout')
    .action((opts: { requests: number; runs: number; json?: boolean }) => {
      write(runBenchSim(opts.requests, opts.runs, opts.json === true));
    });

  program.addOption(new Option('--no-color', 'disable colour (NO_COLOR is respected too)').hideHelp());

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    exitCode = reportError(e, writeErr);
  }
  return exitCode;
}

function overrides(opts: CommonOptions): string[] {
  const sets = [...opts.set];
  if (opts.seed !== undefined) sets.push(`seed=${opts.seed}`);
  if (opts.requests !== undefined) sets.push(`requests=${opts.requests}`);
  return sets;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Turns any thrown value into a message and an exit code; never a stack trace for user errors. */
function reportError(e: unknown, writeErr: (s: string) => void): number {
  if (e instanceof CommanderError) {
    // Commander printed its own message already; --help and --version are not errors.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return 2;
  }
  if (e instanceof ScenarioError) {
    for (const issue of e.issues) writeErr(formatIssue(issue) + '\n');
    return 2;
  }
  if (e instanceof UsageError) {
    writeErr(`coordgap: ${e.message}\n`);
    return 2;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  writeErr(`coordgap: internal error: ${err.message}\n${err.stack ?? ''}\n`);
  return 3;
}
