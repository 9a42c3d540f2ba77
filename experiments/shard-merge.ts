/**
 * `coordgap merge`'s checks and join (shard.ts says what a shard is). The
 * shards must be one experiment: the same coordgap version, command (less
 * its neutral options), scenario hash, shard count and task lists (each
 * experiment's tasks hash). Every shard 1..N must be given once, and every
 * task of every experiment must be in exactly the state of the shard it
 * belongs to, its checksum intact (checkpoint-state.ts decodeState). Anything
 * else is refused with what is wrong and what to do – nothing is merged from
 * a gap, a duplicate or a stranger. The joined states are the states a
 * one-machine run of the command would have kept: the command, run on them
 * with nothing left to simulate, writes the one-machine files.
 */
import { join } from 'node:path';
import { UsageError } from './usage-error.js';
import { readRegularFileIfPresent } from './safe-files.js';
import { parseJson } from './untrusted-text.js';
import { decodeState, encodeState, type StateFile } from './checkpoint-state.js';
import { MAX_STATE_BYTES } from './checkpoint.js';
import { readShardManifest, shardOf, shardText, inShard, shareSize, SHARD_FILE, type ShardManifest } from './shard.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';

/** A shard's directory: where it is, and how the user named it (for messages). */
export interface ShardDir {
  path: string;
  shown: string;
}

/** What the shards make together: the command to write the results with, and its complete states by file name. */
export interface MergedShards {
  command: string[];
  scenarioHash: string | null;
  shards: number;
  tasks: number;
  states: { name: string; state: StateFile }[];
}

/** Most shards named in one message before "and N more". */
const LISTED = 10;

function listed(items: readonly string[]): string {
  return items.length <= LISTED ? items.join(', ') : `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`;
}

/** Checks the shards in `dirs` against each other and joins their states. */
export async function mergeShards(dirs: readonly ShardDir[], version: string): Promise<MergedShards> {
  if (dirs.length === 0) throw new UsageError('give the shards\' directories: coordgap merge DIR... --out RESULTS');
  const manifests: ShardManifest[] = [];
  for (const dir of dirs) manifests.push(await readShardManifest(dir.path, dir.shown));
  const first = manifests[0];
  const at = (k: number) => dirs[k].shown;
  manifests.forEach((m, k) => {
    if (m.version !== version)
      throw new UsageError(`${join(at(k), SHARD_FILE)} was written by coordgap ${m.version}; this is ${version} – merge with the version that ran the shards (another version may simulate differently)`);
    const differs = (what: string, mine: string, theirs: string) =>
      new UsageError(`${at(k)} and ${at(0)} are shards of different experiments: ${what} (${mine} vs ${theirs}); every shard must run the same command on the same scenario`);
    if (JSON.stringify(m.command) !== JSON.stringify(first.command)) throw differs('their commands differ', `coordgap ${m.command.join(' ')}`, `coordgap ${first.command.join(' ')}`);
    if (m.scenarioHash !== first.scenarioHash) throw differs('the scenario differs', `hash ${m.scenarioHash}`, `hash ${first.scenarioHash}`);
    if (m.shard.count !== first.shard.count) throw differs('the shard counts differ', shardText(m.shard), shardText(first.shard));
    const steps = (x: ShardManifest) => x.steps.map((s) => `${s.state}:${s.tasksHash}:${s.tasks}`).join(',');
    if (steps(m) !== steps(first)) throw differs('their task lists differ (seed, replications or options)', `${m.steps.length} experiment(s)`, `${first.steps.length}`);
  });
  const count = first.shard.count;
  const byIndex = new Map<number, number>();
  manifests.forEach((m, k) => {
    const other = byIndex.get(m.shard.index);
    if (other !== undefined) throw new UsageError(`shard ${shardText(m.shard)} is given twice: ${at(other)} and ${at(k)} – give each shard's directory once`);
    byIndex.set(m.shard.index, k);
  });
  const absent = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (absent.length > 0)
    throw new UsageError(
      `shard${absent.length === 1 ? '' : 's'} ${listed(absent.map((i) => shardText({ index: i, count })))} ${absent.length === 1 ? 'is' : 'are'} missing: the experiment was cut into ${count}; give every shard's directory`,
    );

  const states: MergedShards['states'] = [];
  let totalTasks = 0;
  for (const [s, step] of first.steps.entries()) {
    const merged = new Map<number, RunCollectorJson>();
    const unfinished: string[] = [];
    for (const [k, m] of manifests.entries()) {
      const shown = join(at(k), step.state);
      const done = await readShardState(join(dirs[k].path, step.state), shown, step.tasksHash, step.tasks);
      for (const [i, result] of done) {
        if (!inShard(i, m.shard))
          throw new UsageError(`${shown} holds task ${i}, which is shard ${shardText(shardOf(i, count))}'s, not ${shardText(m.shard)}'s: the directory mixes shards – run that shard again into an empty directory`);
        merged.set(i, result);
      }
      const share = shareSize(step.tasks, m.shard);
      if (done.size < share) unfinished.push(`${shardText(m.shard)} (${at(k)}: ${done.size} of ${share})`);
    }
    if (unfinished.length > 0) {
      const which = first.steps.length === 1 ? '' : ` of experiment ${s + 1} of ${first.steps.length} (${step.state})`;
      throw new UsageError(
        `not every task${which} has finished – unfinished shards: ${listed(unfinished)}; run each again with its --shard k/N and --out DIR plus --resume, then merge`,
      );
    }
    states.push({ name: step.state, state: encodeState(step.tasksHash, step.tasks, merged) });
    totalTasks += step.tasks;
  }
  return { command: first.command, scenarioHash: first.scenarioHash, shards: count, tasks: totalTasks, states };
}

/** One shard's state for one experiment, checked (an absent state holds nothing yet). */
async function readShardState(path: string, shown: string, tasksHash: string, tasks: number): Promise<Map<number, RunCollectorJson>> {
  const text = await readRegularFileIfPresent(path, 'shard state', MAX_STATE_BYTES, { shownAs: shown });
  if (text === null) return new Map();
  try {
    return decodeState(parseJson(text, 'shard state', shown), tasksHash, (i) => `task ${i}`, tasks);
  } catch (e) {
    throw new UsageError(`cannot merge ${shown}: ${(e as Error).message.replace(`shard state ${shown} is `, 'it is ')}`);
  }
}
