/**
 * What crosses the worker boundary for one task, both ways (Piscina's advice:
 * typed messages). The main thread sends an envelope; the worker says when the
 * task's own run begins – the moment its time limit starts, so time spent
 * queued or loading the worker's modules never counts against it, and the
 * proof that the worker has loaded and may be ended safely (bench/pool-teardown.ts)
 * – and then replies with the result.
 */
import { parentPort } from 'node:worker_threads';
import type { SimTask } from './sim-task.js';
import type { RunCollectorJson } from '../sim/metrics/index.js';
import { RunCancelledError, type CancelCheck } from '../sim/kernel/index.js';

/** One task as posted to a worker: `runId` names it in the worker's messages. */
export interface TaskEnvelope {
  runId: number;
  task: SimTask;
  /**
   * Shared with the main thread (a SharedArrayBuffer view): element 0 turns
   * non-zero when the experiment is cancelled (Ctrl-C). A task not started yet
   * returns at once; a running simulation reads it every few milliseconds
   * (Engine.isCancelled) and stops – no worker has to be ended for either.
   */
  cancel: Int32Array;
}

/** Posted on the worker's parentPort (Piscina re-emits it as the pool's 'message' event) as a task starts. */
export interface TaskStartedMessage {
  coordgapTaskStarted: number;
}

export function isTaskStarted(message: unknown): message is TaskStartedMessage {
  return typeof message === 'object' && message !== null && typeof (message as Partial<TaskStartedMessage>).coordgapTaskStarted === 'number';
}

/** What the worker returns for one task: its result, or that it was called off. */
export type TaskReply = { kind: 'done'; value: RunCollectorJson } | { kind: 'cancelled' };

/** What a worker does with a task; `sim-worker.ts` runs the simulation, test fixtures misbehave on purpose. */
export type TaskBody = (task: SimTask, isCancelled: CancelCheck) => RunCollectorJson;

/** A new cancellation flag for TaskEnvelope.cancel. */
export function cancellationFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

export function isCancelled(flag: Int32Array): boolean {
  return Atomics.load(flag, 0) !== 0;
}

export function cancel(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
}

/**
 * The worker side of one task: unless it was called off, announce its start,
 * then run it until it ends or is called off. The announcement is sent from
 * inside the task handler, so it also proves the worker has finished loading
 * its modules.
 */
export function serveTask(envelope: TaskEnvelope, body: TaskBody): TaskReply {
  const cancelled = () => isCancelled(envelope.cancel);
  if (cancelled()) return { kind: 'cancelled' };
  parentPort?.postMessage({ coordgapTaskStarted: envelope.runId } satisfies TaskStartedMessage);
  try {
    return { kind: 'done', value: body(envelope.task, cancelled) };
  } catch (e) {
    if (e instanceof RunCancelledError) return { kind: 'cancelled' };
    throw e;
  }
}
