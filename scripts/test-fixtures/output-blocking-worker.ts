/**
 * A worker for tests of what survives output that fails to write. Each task
 * runs normally, then a directory is made at COORDGAP_TEST_BLOCK (when set):
 * standing where an output file goes, it makes that write fail after every
 * simulation – as a full disk or a directory changed under the run would,
 * past any check made before the run. With COORDGAP_TEST_REFUSE set every
 * task throws instead: a run that must simulate nothing (all of it read back
 * with --resume) fails if it tries.
 */
import { mkdirSync } from 'node:fs';
import { runSimTask, type SimTask } from '../../experiments/sim-task.js';
import type { CancelCheck } from '../../sim/kernel/index.js';
import { serveTask, type TaskEnvelope, type TaskReply } from '../../experiments/task-protocol.js';

function runThenBlock(task: SimTask, isCancelled: CancelCheck) {
  if (process.env.COORDGAP_TEST_REFUSE) throw new Error(`simulated ${task.label}, replication ${task.replication}, though it was resumed`);
  const result = runSimTask(task, isCancelled);
  if (process.env.COORDGAP_TEST_BLOCK) mkdirSync(process.env.COORDGAP_TEST_BLOCK, { recursive: true });
  return result;
}

export default function outputBlockingWorker(envelope: TaskEnvelope): TaskReply {
  return serveTask(envelope, runThenBlock);
}
