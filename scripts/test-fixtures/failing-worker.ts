/**
 * A worker for tests of failure handling: tasks whose label contains "boom"
 * throw, tasks whose label contains "die" end the worker thread abruptly;
 * the rest run normally.
 */
import { runSimTask, type SimTask } from '../sim-task.js';

export default function failingWorker(task: SimTask) {
  if (task.label.includes('boom')) throw new Error(`injected failure in ${task.label}`);
  if (task.label.includes('die')) process.exit(7);
  return runSimTask(task);
}
