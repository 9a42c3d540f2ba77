/**
 * What crosses the worker boundary for one task, both ways (Piscina's advice:
 * typed messages). The main thread sends an envelope; the worker says when the
 * task's own run begins – the moment its time limit starts, so time spent
 * queued or loading the worker's modules never counts against it – and then
 * replies with the result.
 */
import { parentPort } from 'node:worker_threads';
import type { SimTask } from './sim-task.js';
import type { RunCollectorJson } from '../sim/collector.js';

/** One task as posted to a worker: `runId` names it in the worker's messages. */
export interface TaskEnvelope {
  runId: number;
  task: SimTask;
}

/** Posted on the worker's parentPort (Piscina re-emits it as the pool's 'message' event) as a task starts. */
export interface TaskStartedMessage {
  coordgapTaskStarted: number;
}

export function isTaskStarted(message: unknown): message is TaskStartedMessage {
  return typeof message === 'object' && message !== null && typeof (message as Partial<TaskStartedMessage>).coordgapTaskStarted === 'number';
}

/** What the worker returns for one task. */
export interface TaskReply {
  kind: 'done';
  value: RunCollectorJson;
}

/** What a worker does with a task; `sim-worker.ts` runs the simulation, test fixtures misbehave on purpose. */
export type TaskBody = (task: SimTask) => RunCollectorJson;

/**
 * The worker side of one task: announce its start, then run it. The
 * announcement is sent from inside the task handler, so it also proves the
 * worker has finished loading its modules.
 */
export function serveTask(envelope: TaskEnvelope, body: TaskBody): TaskReply {
  parentPort?.postMessage({ coordgapTaskStarted: envelope.runId } satisfies TaskStartedMessage);
  return { kind: 'done', value: body(envelope.task) };
}
