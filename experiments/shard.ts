/**
 * Sharded experiments (issue 18): `--shard k/N` runs the k-th of N shares of
 * each of a command's experiments and keeps the finished tasks in the --out
 * directory's resume states (checkpoint.ts), with a manifest (SHARD_FILE) that
 * names the experiment: the command as given, the scenario's hash, and per
 * experiment the task list's hash, its size and the share done. `coordgap
 * merge` (shard-merge.ts) checks the shards against each other and joins their
 * states into one complete state, from which the command writes exactly what a
 * one-machine run writes – every task is seeded by its own index
 * (sim/path runReplication), so where it ran does not change a byte.
 *
 * The shares are taken round-robin – task i belongs to shard i mod N + 1 –
 * because tasks are ordered arm by arm and arms differ in cost (a slower
 * hardware variant, a retry policy that doubles the calls): contiguous blocks
 * would hand one shard the heavy arm; round-robin gives every shard about the
 * same mix. Any batch system with array jobs runs it unchanged: shard k of N
 * is the array index.
 */
import { z } from 'zod';
import { join } from 'node:path';
import { UsageError } from './usage-error.js';
import { readRegularFileIfPresent } from './safe-files.js';
import { firstIssueText, parseJson } from './untrusted-text.js';

/** One share of an experiment's tasks: `index` from 0 (the CLI's k − 1), of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Most shards one experiment may be cut into: far beyond any array job, and a bound on a merge's work. */
export const MAX_SHARDS = 100_000;

/** The manifest a shard writes beside its states. */
export const SHARD_FILE = 'coordgap-shard.json';

/** Parses `--shard k/N` (1 ≤ k ≤ N ≤ MAX_SHARDS). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1 && n <= MAX_SHARDS) || !(k >= 1 && k <= n))
    throw new UsageError(
      `--shard takes k/N – this shard's number k from 1 to N, of N shards (N at most ${MAX_SHARDS.toLocaleString('en-US')}), e.g. --shard 3/8 (an array job's index + 1 / its size); got "${text}"`,
    );
  return { index: k - 1, count: n };
}

/** "3/8": the shard as the CLI names it. */
export function shardText(shard: Shard): string {
  return `${shard.index + 1}/${shard.count}`;
}

/** Whether task `taskIndex` is this shard's (round-robin, see above). */
export function inShard(taskIndex: number, shard: Shard): boolean {
  return taskIndex % shard.count === shard.index;
}

/** How many of `tasks` tasks are this shard's (the round-robin above: the first tasks mod N shards get one more). */
export function shareSize(tasks: number, shard: Shard): number {
  return Math.floor(tasks / shard.count) + (shard.index < tasks % shard.count ? 1 : 0);
}

/** The shard that runs task `taskIndex`. */
export function shardOf(taskIndex: number, count: number): Shard {
  return { index: taskIndex % count, count };
}

/** One experiment of a sharded command (a report has up to three) as its shard saw it. */
export interface ShardStep {
  /** The state's file name in the shard's directory (checkpoint.ts STATE_FILE or a step's). */
  state: string;
  /** The hash of the experiment's whole task list (checkpoint.ts tasksHash): equal in every shard of it. */
  tasksHash: string;
  tasks: number;
  /** This shard's tasks, and how many of them have finished. */
  share: number;
  done: number;
}

/** What a shard writes in SHARD_FILE. */
export interface ShardManifest {
  coordgapShard: 1;
  /** coordgap's version: shards of different versions may simulate differently and are never merged. */
  version: string;
  /** The command as given, less the options that do not change what it computes (shardNeutralOptions). */
  command: string[];
  shard: Shard;
  /** The hash of the scenario the command loaded (null for a built-in study). */
  scenarioHash: string | null;
  steps: ShardStep[];
}

const count = z.number().int().nonnegative();
const manifestSchema = z.strictObject({
  coordgapShard: z.literal(1),
  version: z.string(),
  command: z.array(z.string()).min(1),
  shard: z.strictObject({ index: count, count: z.number().int().min(1).max(MAX_SHARDS) }).refine((s) => s.index < s.count, 'index must be below count'),
  scenarioHash: z.string().nullable(),
  steps: z.array(
    z.strictObject({ state: z.string().regex(/^\.coordgap-state(\.[a-z0-9-]+)?\.json$/, 'a state file name'), tasksHash: z.string().regex(/^[0-9a-f]{64}$/), tasks: count, share: count, done: count }),
  ),
}) satisfies z.ZodType<ShardManifest>;

/** Largest manifest read back: a few hundred bytes per experiment. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** The manifest's text, as a shard writes it. */
export function shardManifestText(manifest: ShardManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Reads and checks a shard's manifest; `shown` is the directory as the user named it. */
export async function readShardManifest(dir: string, shown: string): Promise<ShardManifest> {
  const path = join(dir, SHARD_FILE);
  const shownPath = join(shown, SHARD_FILE);
  const text = await readRegularFileIfPresent(path, 'shard manifest', MAX_MANIFEST_BYTES, { shownAs: shownPath });
  if (text === null) throw new UsageError(`${shown} is not a shard's directory: it has no ${SHARD_FILE}, which a command run with --shard k/N --out DIR writes there`);
  const parsed = manifestSchema.safeParse(parseJson(text, 'shard manifest', shownPath));
  if (!parsed.success) throw new UsageError(`${shownPath} is not a valid shard manifest: ${firstIssueText(parsed.error)}`);
  return parsed.data;
}

/**
 * Options that do not change what a command computes or writes, left out of
 * the manifest's command: where it writes and how (--out, --force, --json),
 * how it runs (--threads, --task-timeout, --queue, --queue-name), and the
 * shard itself. `true` marks those that take a value. Everything else must be
 * the same in every shard – merge compares the commands.
 */
const NEUTRAL_OPTIONS: Readonly<Record<string, boolean>> = {
  '--shard': true,
  '--out': true,
  '--threads': true,
  '--task-timeout': true,
  '--queue': true,
  '--queue-name': true,
  '--resume': false,
  '--force': false,
  '--json': false,
};

/** The command line less its neutral options (above), as the manifest records it. */
export function shardCommand(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      kept.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.split('=', 1)[0] : arg;
    const takesValue = NEUTRAL_OPTIONS[name];
    if (takesValue === undefined) kept.push(arg);
    else if (takesValue && !arg.includes('=')) i++;
  }
  return kept;
}
