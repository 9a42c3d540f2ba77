/**
 * `coordgap bench …` and `coordgap bench compare …`: bench/ measures and
 * never prints; this file parses, prints and writes the profile. Exit codes: 0 ok, 2 bad usage or an invalid profile file,
 * 3 internal error.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { compareProfiles, formatCompareLines, formatCompareMarkdown } from '../bench/compare.js';
import { formatDuration } from '../bench/format.js';
import { UsageError } from '../experiments/usage-error.js';
import { checkProfileTarget, defaultProfilePath, writeFileAtomic } from './bench-output.js';
import { type HardwareProfile, parseProfile } from '../bench/profile.js';
import { type BenchOptions, type BenchProgress, planBench, runBench } from '../bench/run.js';
import { formatProfileSummary } from '../bench/summary.js';

/** The streams benchMain writes to. */
export interface BenchIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Where the progress bar draws (it moves the cursor); default: stderr. */
  readonly progress?: NodeJS.WritableStream;
  readonly isTTY: boolean;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

function command(name: string, io: BenchIo): Command {
  return new Command(name)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
}

function readProfile(file: string): HardwareProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read hardware profile (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return parseProfile(json, file);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function compareMain(args: string[], io: BenchIo): Promise<void> {
  let done = false;
  await command('bench compare', io)
    .description('per-kernel speedups of profile B over profile A')
    .argument('<a>', 'baseline profile JSON (A)')
    .argument('<b>', 'candidate profile JSON (B)')
    .option('--json', 'one JSON document on stdout')
    .option('--markdown', 'a Markdown table instead of the text summary')
    .action((a: string, b: string, opts: { json?: boolean; markdown?: boolean }) => {
      const [pa, pb] = [readProfile(a), readProfile(b)];
      // Two profiles of the same host share a name; tell them apart by file.
      const labels = pa.name === pb.name ? { a: basename(a), b: basename(b) } : { a: pa.name, b: pb.name };
      const comparison = compareProfiles(pa, pb, labels);
      if (opts.json) io.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
      else if (opts.markdown) io.stdout.write(formatCompareMarkdown(comparison));
      else io.stdout.write(`${formatCompareLines(comparison).join('\n')}\n`);
      done = true;
    })
    .parseAsync(args, { from: 'user' });
  if (!done) throw new UsageError('bench compare needs two profile files');
}

interface BenchFlags {
  quick?: boolean;
  kernels?: string;
  threads?: number;
  out?: string;
  force?: boolean;
  json?: boolean;
  seed?: number;
  isolates?: number;
  timeMs?: number;
  name?: string;
  cacheDir?: string;
  scaling: boolean;
  server: boolean;
  serverKernel?: string;
  p99BoundMs?: number;
}

/** Steps of a run: one per suite isolate, one per scaling kernel, one per server rate. */
interface StepCounts {
  readonly isolates: number;
  readonly scaling: number;
  readonly serverRates: number;
}

function progressReporter(io: BenchIo, steps: StepCounts): { update(event: BenchProgress): void; stop(): void } {
  if (!io.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: io.progress ?? io.stderr, format: 'bench [{bar}] {percentage}% | ETA {eta_formatted} | {stage}', hideCursor: true, clearOnComplete: true, etaBuffer: 4 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(steps.isolates + steps.scaling + steps.serverRates, 0, { stage: 'starting' });
  return {
    update(event) {
      if (event.stage === 'kernels') {
        const p = event.progress;
        bar.update(p.done, { stage: `${p.phase} ${p.suite} (isolate ${p.run + 1})` });
      } else if (event.stage === 'scaling') {
        bar.update(steps.isolates + event.index, { stage: `thread scaling ${event.kernel}` });
      } else {
        bar.update(steps.isolates + steps.scaling + event.index, { stage: `server mode ${event.kernel} at ${event.ratePerSec.toFixed(0)}/s` });
      }
    },
    stop() {
      bar.stop();
    },
  };
}

async function benchRun(args: string[], io: BenchIo): Promise<void> {
  const program = command('bench', io)
    .description('CPU microbenchmarks of the request path → hardware profile JSON')
    .option('--quick', 'short run for CI: about 50 s of CPU - roughly a minute on an idle 2-core machine, 70-100 s when other work keeps both cores busy')
    .option('--kernels <list>', 'comma-separated kernel ids or prefixes (e.g. retrieval.exact,orchestration)')
    .option('--threads <n>', 'threads for scaling and server mode (default: available parallelism)', positiveInt('--threads'))
    .option('--out <file>', 'profile path (default out/bench/profile-<host>-<timestamp>.json)')
    .option('--force', 'overwrite --out if it exists')
    .option('--json', 'print the profile JSON on stdout instead of the summary')
    .option('--seed <n>', 'seed of the synthetic data', positiveInt('--seed'))
    .option('--isolates <n>', 'fresh isolates per kernel (at least 3)', positiveInt('--isolates'))
    .option('--time-ms <n>', 'tinybench time budget per kernel and isolate', positiveNumber('--time-ms'))
    .option('--name <name>', 'profile name (default <hostname>-<threads>c)')
    .option('--cache-dir <dir>', 'where build-once artefacts (HNSW index) are kept', 'out/bench/cache')
    .option('--no-scaling', 'skip thread scaling')
    .option('--no-server', 'skip server mode')
    .option('--server-kernel <id>', 'kernel served in server mode (default retrieval.bm25)')
    .option('--p99-bound-ms <ms>', 'server-mode p99 latency bound (default 20)', positiveNumber('--p99-bound-ms'));
  await program.parseAsync(args, { from: 'user' });
  const flags = program.opts<BenchFlags>();
  const options: BenchOptions = {
    quick: flags.quick ?? false,
    kernels: flags.kernels?.split(',').map((s) => s.trim()).filter(Boolean),
    threads: flags.threads,
    seed: flags.seed,
    isolates: flags.isolates,
    timeMs: flags.timeMs,
    name: flags.name,
    cacheDir: flags.cacheDir,
    scaling: flags.scaling,
    server: flags.server,
    serverKernel: flags.serverKernel,
    p99BoundMs: flags.p99BoundMs,
  };
  let plan;
  try {
    plan = await planBench(options);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const startedAt = new Date();
  const outPath = flags.out ?? defaultProfilePath(os.hostname(), startedAt);
  // Refuse before minutes of measuring, not after.
  await checkProfileTarget(outPath, flags.force ?? false);
  for (const s of plan.skipped) io.stderr.write(`notice: skipping ${s.kernel}: ${s.reason}\n`);
  const suites = new Set(plan.kernels.map((k) => k.suite)).size;
  io.stderr.write(
    `bench: ${plan.mode} run of ${plan.kernels.length} kernels in ${suites} suites × ${plan.settings.isolates} isolates` +
      `${plan.scalingKernels.length ? `, thread scaling of ${plan.scalingKernels.length} kernel(s) up to ${plan.threads} threads` : ''}` +
      `${plan.serverKernel ? `, server mode (${plan.settings.serverFractions.length} rates)` : ''}; expected about ${formatDuration(plan.estimatedMs)}\n`,
  );
  const progress = progressReporter(io, {
    isolates: suites * plan.settings.isolates,
    scaling: plan.scalingKernels.length,
    serverRates: plan.serverKernel ? plan.settings.serverFractions.length : 0,
  });
  let profile: HardwareProfile;
  try {
    profile = await runBench(plan, options, (event) => progress.update(event));
  } finally {
    progress.stop();
  }
  const text = `${JSON.stringify(profile, null, 2)}\n`;
  await writeFileAtomic(outPath, text, flags.force ?? false);
  if (flags.json) {
    io.stdout.write(text);
  } else {
    const colour = io.isTTY && !process.env.NO_COLOR;
    const mark = colour ? '\u001b[33m!\u001b[39m' : '!';
    io.stdout.write(`${formatProfileSummary(profile, mark).join('\n')}\n\nprofile written to ${outPath}\n`);
  }
  io.stderr.write(`bench: done in ${formatDuration(profile.method.durationMs)}; profile ${outPath}\n`);
}

/**
 * Entry point for `coordgap bench` (argv may start with "bench").
 * @returns the exit code: 0 ok, 2 bad usage or invalid profile file, 3 internal error.
 */
export async function benchMain(argv: string[], io: BenchIo): Promise<number> {
  const args = argv[0] === 'bench' ? argv.slice(1) : [...argv];
  try {
    if (args[0] === 'compare') await compareMain(args.slice(1), io);
    else await benchRun(args, io);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`internal error: ${message}\n`);
    if (process.env.COORDGAP_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    else io.stderr.write('(set COORDGAP_DEBUG=1 for the stack trace)\n');
    return 3;
  }
}
