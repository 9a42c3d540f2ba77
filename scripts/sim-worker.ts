/** The Piscina worker: runs one SimTask and returns its collector, JSON-safe. */
import { runSimTask, type SimTask } from './sim-task.js';
import type { RunCollectorJson } from '../sim/collector.js';

export default function simWorker(task: SimTask): RunCollectorJson {
  return runSimTask(task);
}
