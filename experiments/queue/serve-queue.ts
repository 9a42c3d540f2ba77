/**
 * The worker's side of the job queue (`coordgap worker`): a BullMQ Worker
 * that takes jobs from the queue, checks each (job-protocol.ts decodeJob:
 * shape, model digest, coordgap version; and this worker's own --max-events)
 * and runs it on a worker thread of its ExperimentSession.
 *
 * Why a thread: BullMQ keeps a job by renewing its lock (every half
 * lockDuration) from this process's event loop. A simulation run in this
 * thread would hold the loop for its whole length, the lock would lapse, and
 * a healthy worker's job would be taken for stalled and run again elsewhere.
 *
 * A worker that dies (SIGKILL, a lost machine) stops renewing; after the
 * stall timeout its lock is gone, another worker's stalled-job check moves the
 * job back to waiting, and someone runs it again – the same job and id, so
 * the coordinator counts it once. maxStalledCount is raised from BullMQ's 1
 * to MAX_STALLS, so a job fails for stalling only when it keeps killing its
 * workers. A failure of the simulation itself is deterministic and fails the
 * job at once (UnrecoverableError; the coordinator enqueues with attempts: 1).
 *
 * Files: a task carries its model as data – scenario, hardware and any trace
 * were compiled in on the coordinator (model-wire.ts) – and nothing on this
 * path opens a file a task names: decoding, the digest check and the run
 * (sim-task.ts runSimTask → fromWire → the engine) read only the job's data.
 * The only files this process reads are its own checkout's modules and
 * package.json (its version).
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { ExperimentSession, defaultThreads } from '../session.js';
import { DEFAULT_TASK_TIMEOUT_MS, runTasks } from '../task-runner.js';
import { VERSION } from '../version.js';
import { DEFAULT_LIMITS } from '../../sim/analysis/index.js';
import { decodeJob, encodeReply, type JobData, type JobReply } from './job-protocol.js';
import { DEFAULT_QUEUE_NAME, DEFAULT_STALL_TIMEOUT_MS } from './defaults.js';
import { probeRedis, workerConnection } from './connect.js';
import { parseRedisUrl } from './redis-url.js';
import { ModelFetcher } from './model-store.js';

/** Times a job may lose its worker before it is failed as stalled (BullMQ's default: 1). */
export const MAX_STALLS = 5;

export interface ServeOptions {
  /** Default DEFAULT_QUEUE_NAME. */
  queueName?: string;
  /** Jobs run at once, each on its own worker thread (default: the cores). */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal, and how often this worker
   * checks for stalled jobs: a dead worker's job is back in the queue after
   * about one to three of these. Default DEFAULT_STALL_TIMEOUT_MS.
   */
  stallTimeoutMs?: number;
  /** Events one task may take; a task allowing more is refused (default: limits.maxEvents, 2e9). */
  maxEvents?: number;
  /** Wall-clock time one task may run before its thread is ended as hung (default: task-runner's, 1 h). */
  taskTimeoutMs?: number;
  /** Where REDISCLI_AUTH is read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The name stored on each job it runs, named in failures (default: host:pid). */
  name?: string;
  /** The version jobs must carry (default: this package's). */
  coordgapVersion?: string;
  /** Worker-thread module (tests pass one that fails on purpose). */
  workerUrl?: URL;
  /** Told of every job that ends here (for --verbose). */
  onJob?: (event: JobEvent) => void;
  /** Told of connection errors (the worker reconnects by itself). */
  onError?: (error: Error) => void;
}

export interface JobEvent {
  jobId: string;
  label: string;
  replication: number;
  ok: boolean;
  /** The failure's message when not ok. */
  error?: string;
  runMs: number;
}

export interface TaskQueueWorker {
  display: string;
  queueName: string;
  name: string;
  concurrency: number;
  /** Stops taking jobs; waits for the running ones to end unless `force` (then they are retried elsewhere after the stall timeout). */
  close(force?: boolean): Promise<void>;
}

/**
 * Connects (failing fast on a bad URL or unreachable Redis, UsageError) and
 * starts serving the queue.
 */
export async function serveTaskQueue(url: string, options: ServeOptions = {}): Promise<TaskQueueWorker> {
  const address = parseRedisUrl(url, options.env);
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  await probeRedis(address, queueName);
  const concurrency = options.concurrency ?? defaultThreads();
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const maxEvents = options.maxEvents ?? DEFAULT_LIMITS.maxEvents;
  const taskTimeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  const version = options.coordgapVersion ?? VERSION;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const session = new ExperimentSession(concurrency);

  const processor = async (job: Job<JobData, JobReply>): Promise<JobReply> => {
    const started = performance.now();
    const report = (ok: boolean, label: string, replication: number, error?: string) =>
      options.onJob?.({ jobId: job.id ?? '?', label, replication, ok, ...(error !== undefined ? { error } : {}), runMs: performance.now() - started });
    let task;
    try {
      task = await decodeJob(job.data, version, (key) => models.fetch(key));
    } catch (e) {
      report(false, '?', -1, (e as Error).message);
      throw new UnrecoverableError(`refused: ${(e as Error).message}`);
    }
    if (task.maxEvents > maxEvents) {
      const error = `refused: the task may take ${task.maxEvents.toExponential()} events; this worker allows ${maxEvents.toExponential()} (its --max-events)`;
      report(false, task.label, task.replication, error);
      throw new UnrecoverableError(error);
    }
    const [outcome] = await runTasks([task], { session, taskTimeoutMs, ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}) });
    if (!outcome.ok) {
      report(false, task.label, task.replication, outcome.error);
      throw new UnrecoverableError(`${task.label}, replication ${task.replication}: ${outcome.error}`);
    }
    report(true, task.label, task.replication);
    return encodeReply(outcome.value, version);
  };

  const worker = new Worker<JobData, JobReply>(queueName, processor, {
    connection: workerConnection(address),
    name,
    concurrency,
    lockDuration: stallTimeoutMs,
    stalledInterval: stallTimeoutMs,
    maxStalledCount: MAX_STALLS,
    autorun: false,
  });
  // Without a listener an 'error' event would end the process; a worker rides out
  // connection errors (ioredis reconnects) and a job's failure is the job's, reported to its coordinator.
  // Large models come once per run from Redis (model-store.ts), read only under this queue's model keys.
  const models = new ModelFetcher(worker.client, (type) => worker.toKey(type));
  worker.on('error', (e: Error) => options.onError?.(e));
  await worker.waitUntilReady();
  worker.run().catch((e: Error) => options.onError?.(e));
  return {
    display: address.display,
    queueName,
    name,
    concurrency,
    async close(force = false) {
      try {
        await worker.close(force);
      } finally {
        await session.close();
      }
    },
  };
}
