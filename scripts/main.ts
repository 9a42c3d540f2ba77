/**
 * The CLI's entry: the context every command runs in (printing through one
 * sanitiser, the --out lock, progress, Ctrl-C, the shared worker pool, the
 * resume states) and the commands, one file each (cmd-*.ts). Nothing here
 * decides a number. `main` returns the exit code instead
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
import { lockOutDir, type OutLock } from './out-lock.js';
import { preflightOutput } from './output-preflight.js';
import { VERSION } from '../experiments/version.js';
import { ExperimentSession } from '../experiments/session.js';
import { progressBar, interruptible } from './cli-support.js';
import { registerWorker } from './cmd-worker.js';
import { registerRun } from './cmd-run.js';
import { registerCompare } from './cmd-compare.js';
import { registerSweep } from './cmd-sweep.js';
import { registerValidate } from './cmd-validate.js';
import { registerFit } from './cmd-fit.js';
import { registerImport } from './cmd-import.js';
import { registerBenchSim } from './cmd-bench-sim.js';
import { registerBench } from './cmd-bench-command.js';
import { registerSensitivity } from './cmd-sensitivity.js';
import { registerPortfolio } from './cmd-portfolio.js';
import { registerReport } from './cmd-report.js';
import { registerMemo } from './cmd-memo.js';
import { registerDraw } from './cmd-draw.js';
import { sanitisingStream } from './terminal-text.js';
import { json, RESULT_FILES, type CliIo, type CommandContext } from './command-options.js';
import { SHARD_FILE, shardCommand } from '../experiments/shard.js';
import { ShardRecorder, CommandEnded } from './shard-end.js';
import { writeOutputFiles } from './output.js';
import { registerMerge } from './cmd-merge.js';

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
  /** The hashes of the scenarios loaded, in order: the first is the command's (a shard's manifest names it). */
  const scenarioHashes: string[] = [];
  const ctx: CommandContext = {
    io,
    write,
    writeErr,
    color: colour,
    setExitCode: (c) => (exitCode = c),
    run: (runArgv, runIo) => main(runArgv, runIo),
    async load(file, sets, options) {
      const loaded = await loadScenarioFile(file, io.cwd, sets, options);
      if (scenarioHashes.length === 0 && io.replay?.scenarioHash != null && loaded.hash !== io.replay.scenarioHash)
        throw new UsageError(
          `${file} is not the scenario the shards ran (its content hash is ${loaded.hash}, theirs ${io.replay.scenarioHash}): it changed since, or the path names another file here – merge from the directory the shards ran in, with the same file`,
        );
      scenarioHashes.push(loaded.hash);
      for (const w of loaded.warnings) writeErr(formatWarning(w) + '\n');
      warnings.push(...loaded.warnings);
      return loaded;
    },
    json: (value) => json({ ...value, warnings }),
    async experiment(what, opts, body, outputs = RESULT_FILES) {
      if (opts.resume && !opts.out) throw new UsageError('--resume needs the --out directory of the run to resume');
      if (opts.shard && !opts.out) throw new UsageError('--shard needs --out DIR: the shard keeps its finished tasks there for coordgap merge (one directory per shard)');
      if (opts.out) await preflightOutput(io.cwd, opts.out, opts.shard ? [SHARD_FILE] : outputs, opts.force === true);
      if (opts.out && outLocks.length === 0) {
        const lock = await lockOutDir(resolve(io.cwd, opts.out));
        outLocks.push(lock);
        if (lock.tookOver) writeErr(`${lock.tookOver}\n`);
      }
      // --queue: the tasks run on `coordgap worker` processes (experiments/queue/; loaded only then – BullMQ adds 0.2 s to a start);
      // a bad URL or an unreachable Redis fails here, before any work.
      const queue =
        opts.queue !== undefined ? await (await import('../experiments/queue/index.js')).openTaskQueue(opts.queue, opts.queueName !== undefined ? { queueName: opts.queueName } : {}) : null;
      const bar = progressBar(io.stderr, io.isTTY, what);
      const stop = interruptible();
      // One pool of workers for every step of the command, and the runs it finished (experiments/session.ts).
      const session = new ExperimentSession(opts.threads);
      const shard = opts.shard ? new ShardRecorder(opts.shard) : null;
      try {
        const value = await body({
          replications: opts.replications,
          ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
          session,
          ...(queue ? { runner: queue.runTasks } : {}),
          independent: opts.independent === true,
          version: VERSION,
          onProgress: (d, t) => bar.update(d, t),
          signal: stop.signal,
          ...(io.workerUrl ? { workerUrl: io.workerUrl } : {}),
          ...(opts.taskTimeout !== undefined ? { taskTimeoutMs: opts.taskTimeout } : {}),
          ...(opts.out ? { stateFile: join(resolve(io.cwd, opts.out), STATE_FILE), onStateSaved: states.saved } : {}),
          resume: opts.resume === true || io.replay !== undefined,
          ...(io.replay !== undefined ? { replayOnly: true } : {}),
          ...(shard ? { shard: shard.shard, onShardSaved: shard.saved } : {}),
          ...(opts.maxTotalEvents !== undefined ? { maxTotalEvents: opts.maxTotalEvents } : {}),
          limits: {
            ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
            ...(opts.maxMemoryMb !== undefined ? { maxMemoryMb: opts.maxMemoryMb } : {}),
          },
        });
        if (!shard) return value;
        bar.stop();
        // A shard's command ends here: its manifest beside its states, what it did, and no results (merge writes them).
        const code = await shard.finish(
          opts.out!,
          { command: shardCommand(argv), version: VERSION, scenarioHash: scenarioHashes[0] ?? null },
          { writeFiles: (files) => writeOutputFiles(io.cwd, opts.out!, files, opts.force === true), write: opts.json ? (doc) => write(ctx.json(doc)) : null, writeErr },
        );
        throw new CommandEnded(code);
      } finally {
        bar.stop();
        stop.dispose();
        await session.close();
        await queue?.close();
      }
    },
  };
  const program = new Command('coordgap')
    .description('Where multi-step AI pipelines lose reliability: compute speedups vs coordination fixes.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr })
    .showHelpAfterError('(run coordgap --help for usage)');

  registerRun(program, ctx);
  registerCompare(program, ctx);
  registerSweep(program, ctx);
  registerReport(program, ctx);
  registerMemo(program, ctx);
  registerSensitivity(program, ctx);
  registerPortfolio(program, ctx);
  registerValidate(program, ctx);
  registerWorker(program, ctx);
  registerImport(program, ctx);
  registerFit(program, ctx);
  registerDraw(program, ctx);
  registerMerge(program, ctx);
  registerBenchSim(program, ctx);
  registerBench(program, ctx, argv, { stdout, stderr });


  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    // The command returned, so its files are written: only now may its resume states go.
    await states.finish();
  } catch (e) {
    exitCode = e instanceof CommandEnded ? e.code : reportError(e, writeErr);
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
