/**
 * A worker for tests of failure handling: tasks whose label contains "boom"
 * throw, tasks whose label contains "die" end the worker thread abruptly,
 * tasks whose label contains "hang" never return (nor heed cancellation),
 * tasks labelled "nap <ms>" sleep that long and then run; the rest run normally.
 */
import { runSimTask, type SimTask } from '../../experiments/sim-task.js';
import type { CancelCheck } from '../../sim/kernel/index.js';
import { serveTask, type TaskEnvelope, type TaskReply } from '../../experiments/task-protocol.js';

function misbehave(task: SimTask, isCancelled: CancelCheck) {
  if (task.label.includes('boom')) throw new Error(`injected failure in ${task.label}`);
  if (task.label.includes('die')) process.exit(7);
  if (task.label.includes('hang')) for (;;);
  const nap = /^nap (\d+)/.exec(task.label);
  // Sleeps without using the CPU, so the nap lasts as long on a busy machine.
  if (nap) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(nap[1]));
  return runSimTask(task, isCancelled);
}

export default function failingWorker(envelope: TaskEnvelope): TaskReply {
  return serveTask(envelope, misbehave);
}
