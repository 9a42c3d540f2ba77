/**
 * Resumable experiments. An experiment run with --out keeps its finished
 * tasks' results in DIR/.coordgap-state.json; `--resume` reuses them and runs
 * only the rest. The state names the exact task list it belongs to (a SHA-256
 * of the tasks), so a changed scenario, seed or replication count never mixes
 * in old results; and results merge in task order, so a resumed run's output
 * is byte-identical to an uninterrupted one. A state read back is checked
 * before anything runs (checkpoint-state.ts: shape, a checksum per entry,
 * each result rebuilt) and refused, left on disk, when it fails. The state is
 * kept current while the run goes on (CheckpointWriter), so even a process
 * killed outright keeps what it had finished; and it stays on disk, complete,
 * after the last task, until the command has written its files
 * (CommandStates): output that fails to write (a full disk, a directory
 * changed under the run, Ctrl-C in between) loses no simulation – `--resume`
 * writes it from the state (issue 12.6).
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureDirectory, fsError, readRegularFileIfPresent, replaceFile } from './safe-files.js';
import { parseJson } from './untrusted-text.js';
import { decodeState, encodeState } from './checkpoint-state.js';
import { taskIdentity, type SimTask } from './sim-task.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';
import { UsageError } from './usage-error.js';

export const STATE_FILE = '.coordgap-state.json';

/**
 * Largest state read back: 512 MiB, about the longest string V8 can hold
 * (2^29 − 24 characters), so no larger state can have been written by us.
 */
export const MAX_STATE_BYTES = 512 * 1024 * 1024;

/**
 * Names a task list: each task's label and identity (its model's digest,
 * seed, replication and limits – sim-task.ts taskIdentity), not the model
 * itself, which a trace can make megabytes long.
 */
export function tasksHash(tasks: readonly SimTask[]): string {
  return createHash('sha256').update(JSON.stringify(tasks.map((t) => [t.label, taskIdentity(t)]))).digest('hex');
}

/** Results saved by an earlier run of exactly these tasks (empty when there is no state to resume). */
export async function loadCheckpoint(path: string, tasks: readonly SimTask[]): Promise<Map<number, RunCollectorJson>> {
  const text = await readRegularFileIfPresent(path, 'resume state', MAX_STATE_BYTES);
  if (text === null) return new Map();
  const refuse = (why: string) =>
    new UsageError(`cannot resume from ${path}: ${why}. The file is left as it is; run without --resume to start over (the state is then replaced), or choose another --out`);
  let json: unknown;
  try {
    json = parseJson(text, 'resume state', path);
  } catch (e) {
    throw refuse((e as Error).message.replace(`resume state ${path} is `, 'it is '));
  }
  try {
    return decodeState(json, tasksHash(tasks), (i) => `${tasks[i].label}, replication ${tasks[i].replication}`, tasks.length);
  } catch (e) {
    throw refuse((e as Error).message);
  }
}

/**
 * The state of a command's further experiment `step` (report's sensitivity
 * ranking and study), beside the first's: each experiment keeps its own, so a
 * report resumed after any of its steps reuses every finished one.
 */
export function stepStateFile(stateFile: string, step: string): string {
  return join(dirname(stateFile), STATE_FILE.replace(/\.json$/, `.${step}.json`));
}

/** Saves the finished results atomically (safe-files.ts: never through a planted link) – all of them too: see CommandStates for when the state goes. */
export async function saveCheckpoint(path: string, tasks: readonly SimTask[], done: ReadonlyMap<number, RunCollectorJson>): Promise<void> {
  const state = encodeState(tasksHash(tasks), tasks.length, done);
  await ensureDirectory(dirname(path));
  await replaceFile(path, JSON.stringify(state));
}

/** Removes a state; none there is fine. */
export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true }).catch((e: unknown) => {
    throw fsError('remove', path, e);
  });
}

/**
 * The states one command's experiments left (one for run, compare, sweep and
 * sensitivity; three for report). They go together, once the command has
 * written its files, and only when every experiment finished every task: an
 * interrupted or failed one keeps them all, so `--resume` reruns nothing
 * that finished – a report stopped in its sensitivity step resumes with its
 * comparison read back, not simulated again.
 */
export class CommandStates {
  private readonly complete = new Map<string, boolean>();

  /** An experiment ended with its state in `path`, holding every task (`complete`) or not. */
  readonly saved = (path: string, complete: boolean): void => {
    this.complete.set(path, complete);
  };

  /** Call after the command's files are written: removes the states if every experiment completed. */
  async finish(): Promise<void> {
    if (![...this.complete.values()].every(Boolean)) return;
    for (const path of this.complete.keys()) await removeCheckpoint(path);
    this.complete.clear();
  }
}

/** Least time between two saves of the state while an experiment runs. */
export const CHECKPOINT_INTERVAL_MS = 5_000;

/**
 * Keeps the state file current while an experiment runs. Ctrl-C and SIGTERM
 * save on the way out, but a process killed outright – SIGKILL, the kernel's
 * OOM killer, a lost machine – cannot; with this it loses at most the tasks
 * finished in the last CHECKPOINT_INTERVAL_MS, plus those running. Saves are
 * serialised (one write at a time, each atomic) and spaced at least the
 * interval apart, so a sweep of many short tasks does not spend its time
 * rewriting the file: the first finished task is saved at once, later ones
 * with the next save. A failed save in between is not fatal – the final save
 * in `close` reports the problem if it persists. The final state is kept,
 * complete or not; the command removes it once its files are written
 * (CommandStates).
 */
export class CheckpointWriter {
  private lastSaveMs = -Infinity;
  private queued = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly tasks: readonly SimTask[],
    private readonly done: Map<number, RunCollectorJson>,
    private readonly intervalMs = CHECKPOINT_INTERVAL_MS,
  ) {}

  /** Task `index` finished with `value`; saves if the last save is old enough. */
  taskDone(index: number, value: RunCollectorJson): void {
    this.done.set(index, value);
    if (this.queued || performance.now() - this.lastSaveMs < this.intervalMs) return;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      this.queued = false;
      this.lastSaveMs = performance.now();
      try {
        await saveCheckpoint(this.path, this.tasks, this.done);
      } catch {
        // Retried by the next save, and by close(), which throws.
      }
    });
  }

  /** Waits for a save in progress, then saves the final state – also when every task is done. */
  async close(): Promise<void> {
    await this.chain;
    await saveCheckpoint(this.path, this.tasks, this.done);
  }
}
