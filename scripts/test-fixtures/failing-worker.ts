/**
 * A worker for tests of failure handling: tasks whose label contains "boom"
 * throw, tasks whose label contains "die" end the worker thread abruptly,
 * tasks whose label contains "hang" never return; the rest run normally.
 */
import { runSimTask, type SimTask } from '../sim-task.js';

export default function failingWorker(task: SimTask) {
  if (task.label.includes('boom')) throw new Error(`injected failure in ${task.label}`);
  if (task.label.includes('die')) process.exit(7);
  if (task.label.includes('hang')) for (;;);
  return runSimTask(task);
}
