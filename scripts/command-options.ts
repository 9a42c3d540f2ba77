/**
 * What every command shares: the CLI's I/O, the options common to experiment
 * commands and their parsers, and the context a command file receives from
 * main.ts. Its own file so command files import it without importing main
 * (which registers them).
 */
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { durationMs } from '../sim/scenario/index.js';
import { UsageError, type LoadedScenario, type LoadOptions } from '../experiments/load-scenario.js';
import type { ExperimentOptions } from '../experiments/experiments.js';
import { DEFAULT_GATE } from '../sim/metrics/index.js';
import { parseShard, type Shard } from '../experiments/shard.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stderr/stdout are a terminal: progress and colour are allowed. */
  isTTY: boolean;
  cwd: string;
  /** The worker module experiments run in (default: sim-worker.js); tests pass one that fails on purpose. */
  workerUrl?: URL;
  /**
   * Set by `coordgap merge` for the command it writes: every task must come
   * from the joined state (nothing is simulated), and the scenario loaded
   * must be the one the shards ran (its hash).
   */
  replay?: { scenarioHash: string | null };
}

/** What every experiment command writes under --out. */
export const RESULT_FILES: readonly string[] = ['results.json', 'results.csv'];

export interface CommonOptions {
  seed?: string;
  requests?: number;
  replications: number;
  /** Unset: the estimated work decides (experiments/task-runner.ts placement). */
  threads?: number;
  set: string[];
  json?: boolean;
  out?: string;
  force?: boolean;
  independent?: boolean;
  resume?: boolean;
  /** --queue: run the tasks on a job queue's workers (experiments/queue/). */
  queue?: string;
  queueName?: string;
  allowOutside?: boolean;
  maxEvents?: number;
  maxMemoryMb?: number;
  maxTotalEvents?: number;
  taskTimeout?: number;
  /** --shard k/N (experiments/shard.ts). */
  shard?: Shard;
}

export function positiveInteger(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer; got "${v}"`);
    return n;
  };
}

/** A finite number ≥ 1, in any JavaScript notation ("2e9", "1500"). */
export function atLeastOne(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 1) throw new UsageError(`${name} must be a number of at least 1; got "${v}"`);
    return n;
  };
}

/**
 * Threads beyond the cores add no speed – results are identical at any count –
 * only memory: each worker holds a runtime and a run (up to --max-memory-mb),
 * so --threads 64 on 2 cores took 1.5 GB. Four per core leaves room for
 * oversubscription on machines that report fewer cores than they share.
 */
export const MAX_THREADS_PER_CORE = 4;

/** `--threads`: a positive integer, at most MAX_THREADS_PER_CORE × the available cores. */
export function threadCount(v: string): number {
  const n = positiveInteger('--threads')(v);
  const cores = availableParallelism();
  const max = MAX_THREADS_PER_CORE * cores;
  if (n > max)
    throw new UsageError(
      `--threads ${n} is more than ${MAX_THREADS_PER_CORE} × this machine's ${cores} core${cores === 1 ? '' : 's'} (${max}); more threads only take memory – results are the same at any thread count`,
    );
  return n;
}

/** A duration option ("90s", "30m", "2h"; the scenario files' units), in ms, above 0. */
export function positiveDuration(name: string) {
  return (v: string): number => {
    const parsed = durationMs.safeParse(v);
    if (!parsed.success || !(parsed.data > 0)) throw new UsageError(`${name} must be a duration above 0 such as 90s, 30m or 2h; got "${v}"`);
    return parsed.data;
  };
}

export function collect(v: string, previous: string[]): string[] {
  return [...previous, v];
}

/**
 * The --json help. The document is all the CLI writes to stdout, but `npm run`
 * writes its own banner there first, so through npm it needs --silent.
 */
export function jsonHelp(what = ''): string {
  return `print exactly one JSON document on stdout${what} (through npm: npm run --silent … --json, or npm's banner comes first)`;
}

export function addCommonOptions(cmd: Command, defaultReplications = 1): Command {
  return cmd
    .option('--seed <n>', 'override the scenario seed')
    .option('--requests <n>', 'override the requests per replication', positiveInteger('--requests'))
    .option('--replications <r>', 'independent replications, merged exactly', positiveInteger('--replications'), defaultReplications)
    .option('--threads <t>', `worker threads (default: by the work – this thread for small experiments, else the cores; at most ${MAX_THREADS_PER_CORE} × cores)`, threadCount)
    .option('--set <path=value>', 'override a scenario field (repeatable), e.g. stages.retrieval.faults.error=0.1', collect, [])
    .option('--json', jsonHelp())
    .option('--out <dir>', 'also write results (JSON and CSV) under this directory')
    .option('--force', 'allow --out to replace files this tool did not write')
    .option('--resume', 'with --out: reuse the runs an interrupted or failed experiment finished, run the rest')
    .option('--shard <k/N>', 'run only the k-th of N shares of the tasks (with --out DIR; an array job: k = index + 1); coordgap merge joins the N directories into the one-machine result', parseShard)
    .option('--allow-outside', "let the scenario name files outside its own directory")
    .option('--max-events <n>', 'events one run may take; a run estimated above is refused (default: limits.maxEvents, 2e9)', atLeastOne('--max-events'))
    .option('--max-total-events <n>', 'events the whole experiment may take, all arms and replications together; refused up front above (default: 2e10)', atLeastOne('--max-total-events'))
    .option('--max-memory-mb <mb>', 'memory one run may use, MB; a run estimated above is refused, an overloaded one stops admitting (default: limits.maxMemoryMb, 1500)', atLeastOne('--max-memory-mb'))
    .option('--task-timeout <duration>', 'wall-clock time one replication may take before its worker is ended as hung and the run named as failed, e.g. 90s, 30m (default: 1h)', positiveDuration('--task-timeout'))
    .option('--queue <url>', 'run the tasks on `coordgap worker` processes through this Redis (BullMQ): redis://[user:password@]host:port[/db], rediss:// for TLS; the password can come from REDISCLI_AUTH instead')
    .option('--queue-name <name>', 'the queue on that Redis (default: coordgap)');
}

export function overrides(opts: CommonOptions): string[] {
  const sets = [...opts.set];
  if (opts.seed !== undefined) sets.push(`seed=${opts.seed}`);
  if (opts.requests !== undefined) sets.push(`requests=${opts.requests}`);
  return sets;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

export interface CommandContext {
  io: CliIo;
  write: (s: string) => void;
  writeErr: (s: string) => void;
  color: boolean;
  setExitCode: (code: number) => void;
  /** Runs another command line in this CLI (coordgap merge runs the shards' command); its exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
  /** Loads a scenario file (loadScenarioFile) and prints its warnings on stderr, before anything runs. */
  load(file: string, sets: readonly string[], options: LoadOptions): Promise<LoadedScenario>;
  /** A command's JSON document: `value` plus `warnings`, those of every scenario this command loaded ([] when none). */
  json(value: object): string;
  /**
   * Runs an experiment with a progress bar and Ctrl-C handling; with --out,
   * first checks the directory could take `outputs` (default: results.json
   * and results.csv), so a bad --out fails before the work, not after it.
   */
  experiment<T>(what: string, opts: CommonOptions, body: (options: ExperimentOptions) => Promise<T>, outputs?: readonly string[]): Promise<T>;
}

/** `--gate`: which arm's thresholds set the exit code (sim/metrics/threshold-gate.ts). */
export function addGateOption(cmd: Command): Command {
  return cmd.option(
    '--gate <arm>',
    'whose thresholds set the exit code: any (exit 1 only when no arm passes all of its thresholds), all, baseline or a variant name',
    DEFAULT_GATE.compare,
  );
}
