/** The Piscina worker: runs one SimTask and returns its collector, JSON-safe (task-protocol.ts). */
import { runSimTask } from './sim-task.js';
import { serveTask, type TaskEnvelope, type TaskReply } from './task-protocol.js';

export default function simWorker(envelope: TaskEnvelope): TaskReply {
  return serveTask(envelope, runSimTask);
}
