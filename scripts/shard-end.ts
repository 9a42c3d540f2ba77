/**
 * How a command run with --shard k/N ends: its experiments have saved this
 * shard's tasks in their states (experiments/experiments.ts runArms); this
 * writes the manifest beside them (experiments/shard.ts), says what the shard
 * did and how to merge, and sets the exit code – 0 when the share is done,
 * 3 when a task failed, 130 when interrupted (then `--resume` finishes it).
 * No result file is written: a shard holds a part of the results only.
 */
import type { ExperimentStatus } from '../experiments/experiments.js';
import { shardText, shardManifestText, SHARD_FILE, type Shard, type ShardManifest, type ShardStep } from '../experiments/shard.js';
import { describeFailures } from './cli-support.js';

/** Ends a command with this exit code, its messages already printed (main.ts catches it). */
export class CommandEnded extends Error {
  constructor(readonly code: number) {
    super(`ended with exit code ${code}`);
  }
}

export class ShardRecorder {
  private readonly steps: ShardStep[] = [];
  private readonly statuses: ExperimentStatus[] = [];

  constructor(readonly shard: Shard) {}

  /** An experiment of the command saved its state (ExperimentOptions.onShardSaved). */
  readonly saved = (step: ShardStep, status: ExperimentStatus): void => {
    this.steps.push(step);
    this.statuses.push(status);
  };

  /**
   * Writes the manifest with `writeFiles` (the --out directory's writer, so
   * a shard run again into its directory replaces it as its own) and
   * reports: a JSON document through `write` when given (--json), and lines
   * on stderr. `shownDir` is the directory as the user named it.
   * @returns the exit code
   */
  async finish(
    shownDir: string,
    about: Pick<ShardManifest, 'command' | 'version' | 'scenarioHash'>,
    out: { writeFiles: (files: Record<string, string>) => Promise<unknown>; write: ((doc: object) => void) | null; writeErr: (s: string) => void },
  ): Promise<number> {
    const manifest: ShardManifest = { coordgapShard: 1, ...about, shard: this.shard, steps: this.steps };
    await out.writeFiles({ [SHARD_FILE]: shardManifestText(manifest) });
    const share = this.steps.reduce((n, s) => n + s.share, 0);
    const done = this.steps.reduce((n, s) => n + s.done, 0);
    const failures = this.statuses.flatMap((s) => s.failures);
    const interrupted = this.statuses.some((s) => s.interrupted);
    const name = shardText(this.shard);
    if (out.write) out.write({ shard: name, dir: shownDir, manifest: SHARD_FILE, tasks: share, done, steps: this.steps });
    const experiments = this.steps.length === 1 ? '' : ` (${this.steps.length} experiments)`;
    out.writeErr(`coordgap: shard ${name}: ${done} of its ${share} tasks${experiments} finished, kept in ${shownDir}\n`);
    if (failures.length > 0) {
      out.writeErr(`coordgap: ${failures.length} run(s) failed:\n${describeFailures(failures)}`);
      return 3;
    }
    if (interrupted) {
      out.writeErr(`coordgap: interrupted; run the same command with --resume to finish this shard\n`);
      return 130;
    }
    out.writeErr(`coordgap: when all ${this.shard.count} shards have finished: coordgap merge DIR... --out RESULTS (their directories, from the directory the shards ran in)\n`);
    return 0;
  }
}
