/**
 * The CLI: parse arguments, read files, call sim/ (through worker threads),
 * print. Nothing here decides a number. `main` returns the exit code instead
 * of exiting so tests can run it in-process:
 *   0 ok · 1 the gated arm failed a threshold (run: the baseline; compare,
 *   report, demo: --gate, by default no arm passed all) · 2 bad usage or invalid scenario ·
 *   3 internal error or a failed worker run · 130 interrupted.
 */
import { Command, CommanderError } from 'commander';
import { join, resolve } from 'node:path';
import { CommandStates, STATE_FILE } from '../experiments/checkpoint.js';
import { ScenarioError, formatIssue } from '../sim/scenario/index.js';
import { BudgetError } from '../sim/analysis/index.js';
import { loadScenarioFile, UsageError } from '../experiments/load-scenario.js';
import { formatWarning, type ScenarioWarning } from '../sim/scenario/index.js';
import { hardwareChanges } from '../sim/scenario/index.js';
import { formatHardwareChanges } from '../experiments/hardware.js';
import { formatRunSummary } from './format-run.js';
import { formatComparison } from './format-compare.js';
import { runBenchSim, benchSimParallel } from './bench-sim.js';
import { writeOutputFiles } from './output.js';
import { lockOutDir, type OutLock } from './out-lock.js';
import { preflightOutput } from './output-preflight.js';
import { VERSION } from '../experiments/version.js';
import { runScenario, compareScenario } from '../experiments/experiments.js';
import { defaultThreads } from '../experiments/task-runner.js';
import { ExperimentSession } from '../experiments/session.js';
import { progressBar, interruptible, experimentExitCode } from './cli-support.js';
import { comparisonCsv, runCsv } from './result-files.js';
import { registerSweep } from './cmd-sweep.js';
import { registerSensitivity } from './cmd-sensitivity.js';
import { registerReport } from './cmd-report.js';
import { comparisonVerdict, reportVerdict, runVerdict, validateGate } from './cmd-thresholds.js';
import { sanitisingStream } from './terminal-text.js';
import { addCommonOptions, addGateOption, collect, json, jsonHelp, overrides, positiveInteger, RESULT_FILES, threadCount, type CliIo, type CommandContext, type CommonOptions } from './command-options.js';

export type { CliIo };

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  // Everything printed passes one sanitiser (terminal-text.ts); only the progress bars write raw.
  const colour = io.isTTY && !process.env.NO_COLOR;
  const stdout = sanitisingStream(io.stdout, { keepColour: colour });
  const stderr = sanitisingStream(io.stderr, { keepColour: colour });
  const write = (s: string) => stdout.write(s);
  const writeErr = (s: string) => stderr.write(s);
  let exitCode = 0;
  const warnings: ScenarioWarning[] = [];
  /** --out's lock (out-lock.ts): taken by the command's first experiment, held until its files are written. */
  const outLocks: OutLock[] = [];
  /** The experiments' resume states: kept until the command's files are written (checkpoint.ts). */
  const states = new CommandStates();
  const ctx: CommandContext = {
    io,
    write,
    writeErr,
    color: colour,
    setExitCode: (c) => (exitCode = c),
    async load(file, sets, options) {
      const loaded = await loadScenarioFile(file, io.cwd, sets, options);
      for (const w of loaded.warnings) writeErr(formatWarning(w) + '\n');
      warnings.push(...loaded.warnings);
      return loaded;
    },
    json: (value) => json({ ...value, warnings }),
    async experiment(what, opts, body, outputs = RESULT_FILES) {
      if (opts.resume && !opts.out) throw new UsageError('--resume needs the --out directory of the run to resume');
      if (opts.out) await preflightOutput(io.cwd, opts.out, outputs, opts.force === true);
      if (opts.out && outLocks.length === 0) {
        const lock = await lockOutDir(resolve(io.cwd, opts.out));
        outLocks.push(lock);
        if (lock.tookOver) writeErr(`${lock.tookOver}\n`);
      }
      const bar = progressBar(io.stderr, io.isTTY, what);
      const stop = interruptible();
      // One pool of workers for every step of the command, and the runs it finished (experiments/session.ts).
      const session = new ExperimentSession(opts.threads ?? defaultThreads());
      try {
        return await body({
          replications: opts.replications,
          ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
          session,
          independent: opts.independent === true,
          version: VERSION,
          onProgress: (d, t) => bar.update(d, t),
          signal: stop.signal,
          ...(io.workerUrl ? { workerUrl: io.workerUrl } : {}),
          ...(opts.taskTimeout !== undefined ? { taskTimeoutMs: opts.taskTimeout } : {}),
          ...(opts.out ? { stateFile: join(resolve(io.cwd, opts.out), STATE_FILE), onStateSaved: states.saved } : {}),
          resume: opts.resume === true,
          ...(opts.maxTotalEvents !== undefined ? { maxTotalEvents: opts.maxTotalEvents } : {}),
          limits: {
            ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
            ...(opts.maxMemoryMb !== undefined ? { maxMemoryMb: opts.maxMemoryMb } : {}),
          },
        });
      } finally {
        bar.stop();
        stop.dispose();
        await session.close();
      }
    },
  };
  const program = new Command('coordgap')
    .description('Where multi-step AI pipelines lose reliability: compute speedups vs coordination fixes.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr })
    .showHelpAfterError('(run coordgap --help for usage)');

  addCommonOptions(program.command('run').argument('<file>', 'scenario file (YAML or JSON)'))
    .description('simulate one scenario (baseline only)')
    .action(async (file: string, opts: CommonOptions) => {
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      const { result, status } = await ctx.experiment('simulating', opts, (o) => runScenario(loaded, o));
      let code = 0;
      if (result !== null) {
        const thresholds = runVerdict(loaded, result);
        const doc = { ...result, thresholds };
        if (opts.out) await writeOutputFiles(io.cwd, opts.out, { 'results.json': ctx.json(doc), 'results.csv': runCsv(result) }, opts.force === true);
        write(opts.json ? ctx.json(doc) : formatRunSummary(result, { color: ctx.color }));
        code = reportVerdict(thresholds, writeErr);
      }
      exitCode = experimentExitCode(status, writeErr, code);
    });

  addGateOption(addCommonOptions(program.command('compare').argument('<file>', 'scenario file with variants'), 4))
    .description('baseline vs every variant in the file, paired on common random numbers')
    .option('--independent', 'give each variant its own random numbers (to measure what pairing buys)')
    .action(async (file: string, opts: CommonOptions & { gate: string }) => {
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      if (loaded.variants.length === 0) throw new UsageError(`${file} has no variants to compare; add a "variants:" list`);
      validateGate(opts.gate, loaded);
      const { comparison, status, missing } = await ctx.experiment('comparing', opts, (o) => compareScenario(loaded, o));
      let code = 0;
      if (comparison !== null) {
        const thresholds = comparisonVerdict(loaded, comparison, opts.gate);
        const doc = { ...comparison, thresholds };
        if (opts.out) await writeOutputFiles(io.cwd, opts.out, { 'results.json': ctx.json(doc), 'results.csv': comparisonCsv(comparison) }, opts.force === true);
        write(opts.json ? ctx.json(doc) : formatComparison(comparison, { color: ctx.color }));
        if (missing.length > 0) writeErr(`coordgap: left out for failed or interrupted runs: ${missing.join(', ')}\n`);
        code = reportVerdict(thresholds, writeErr);
      }
      exitCode = experimentExitCode(status, writeErr, code);
    });

  registerSweep(program, ctx);
  registerReport(program, ctx);
  registerSensitivity(program, ctx);

  program
    .command('validate')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .description('check a scenario, print its errors and warnings, change nothing')
    .option('--set <path=value>', 'override a scenario field (repeatable)', collect, [])
    .option('--allow-outside', "let the scenario name files outside its own directory")
    .option('--json', jsonHelp(': what was checked, and the warnings'))
    .action(async (file: string, opts: { set: string[]; allowOutside?: boolean; json?: boolean }) => {
      const loaded = await ctx.load(file, opts.set, { allowOutside: opts.allowOutside === true });
      const v = loaded.variants.length;
      // What each hardware config changes: the baseline's, and each variant's own when it names another.
      const arms = [
        { arm: 'baseline', scenario: loaded.scenario, hardware: loaded.hardware },
        ...loaded.variants.map((x, i) => ({ arm: `variants[${i}] (${x.name})`, scenario: x.scenario, hardware: x.hardware })),
      ].filter((a, i) => a.scenario.hardware !== undefined && (i === 0 || a.scenario.hardware !== loaded.scenario.hardware));
      const hardware = arms.map((a) => ({ arm: a.arm, config: a.scenario.hardware!, pools: hardwareChanges(a.scenario, a.hardware) }));
      if (opts.json) {
        write(ctx.json({ file, valid: true, stages: loaded.model.stages.length, pools: loaded.model.pools.length, requests: loaded.model.requests, variants: v, hardware }));
        return;
      }
      write(
        `${file}: valid – ${loaded.model.stages.length} stages, ${loaded.model.pools.length} pools, ${loaded.model.requests} requests` +
          (v > 0 ? `, ${v} variant${v === 1 ? '' : 's'}` : '') +
          '\n',
      );
      for (const h of hardware) for (const line of formatHardwareChanges(h.config, h.pools)) write(`  ${h.arm === 'baseline' ? '' : `${h.arm}: `}${line}\n`);
    });

  program
    .command('bench-sim')
    .description('simulator speed on the reference model (six M/M/c stations with retries)')
    .option('--requests <n>', 'requests to simulate', positiveInteger('--requests'), 200_000)
    .option('--runs <n>', 'repeat and report the median', positiveInteger('--runs'), 1)
    .option('--no-warmup', 'skip the untimed warm-up runs (measure a cold process)')
    .option('--replications <r>', 'run R replications on worker threads instead (parallel speedup)', positiveInteger('--replications'))
    .option('--threads <t>', 'worker threads for --replications', threadCount, defaultThreads())
    .option('--json', jsonHelp())
    .action(async (opts: { requests: number; runs: number; json?: boolean; replications?: number; threads: number; warmup: boolean }) => {
      if (opts.replications !== undefined) {
        const r = await benchSimParallel(opts.requests, opts.replications, opts.threads);
        write(opts.json ? json(r) : `${r.replications} × ${r.requests} requests on ${r.threads} thread(s): ${r.wallMs} ms, ${r.requestsPerSec} requests/s\n`);
        return;
      }
      write(runBenchSim(opts.requests, opts.runs, opts.json === true, opts.warmup));
    });

  program
    .command('bench')
    .description('CPU microbenchmarks → hardware profile JSON (`bench compare A.json B.json` to compare machines)')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action(async () => {
      const at = argv.indexOf('bench');
      // Loaded on use, like the report builder (cmd-report.ts).
      const { benchMain } = await import('./cmd-bench.js');
      exitCode = await benchMain(argv.slice(at) as string[], { stdout, stderr, progress: io.stderr, isTTY: io.isTTY });
    });

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    // The command returned, so its files are written: only now may its resume states go.
    await states.finish();
  } catch (e) {
    exitCode = reportError(e, writeErr);
  } finally {
    for (const lock of outLocks.splice(0)) await lock.release();
  }
  return exitCode;
}

/**
 * Problems printed for one invalid file; the rest are counted. A generated
 * file with a systematic mistake can have thousands, and a terminal scrolled
 * past its first lines helps no one (compilers cap likewise: gcc's
 * -fmax-errors, rustc's "aborting due to N previous errors").
 */
export const MAX_ISSUES_SHOWN = 50;

/** Turns any thrown value into a message and an exit code; never a stack trace for user errors. */
function reportError(e: unknown, writeErr: (s: string) => void): number {
  if (e instanceof CommanderError) {
    // Commander printed its own message already; --help and --version are not errors.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return 2;
  }
  if (e instanceof ScenarioError) {
    for (const issue of e.issues.slice(0, MAX_ISSUES_SHOWN)) writeErr(formatIssue(issue) + '\n');
    const more = e.issues.length - MAX_ISSUES_SHOWN;
    if (more > 0)
      writeErr(`coordgap: … and ${more.toLocaleString('en-US')} more problems (${e.issues.length.toLocaleString('en-US')} in all); fix the first ones – later ones often share their cause\n`);
    return 2;
  }
  if (e instanceof UsageError || e instanceof BudgetError) {
    writeErr(`coordgap: ${e.message}\n`);
    return 2;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  writeErr(`coordgap: internal error: ${err.message}\n`);
  if (process.env.COORDGAP_DEBUG) writeErr(`${err.stack ?? ''}\n`);
  else writeErr('(set COORDGAP_DEBUG=1 for the stack trace; please report it)\n');
  return 3;
}
