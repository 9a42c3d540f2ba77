/**
 * The coordinator's side of the job queue: an experiment's tasks run on
 * `coordgap worker` processes anywhere that reach the same Redis, through
 * BullMQ (docs.bullmq.io). `openTaskQueue` gives a TaskRunner with the local
 * runner's contract (task-runner.ts): one outcome per task in task order,
 * onResult/onProgress as each arrives, aborted outcomes for what an interrupt
 * left unfinished – so the files written are the same bytes as a local run.
 *
 * - Each run enqueues one job per task, id `<run id>-<task index>`: a random
 *   run id, so several coordinators can share a queue and find their own jobs.
 * - Results are heard from QueueEvents ('completed', 'failed') and, every
 *   RECONCILE_MS, from the job states themselves: an event missed (the stream
 *   is read from when the listener started; a reconnect can drop some) only
 *   delays a result, never hangs the run. A task is counted once however
 *   often its end is heard (outcome-gatherer.ts).
 * - A job runs once (attempts: 1): a simulation that throws throws again.
 *   A worker that dies mid-task is another matter – its lock lapses, BullMQ's
 *   stalled-job check puts the job back, another worker runs it
 *   (serve-queue.ts); the job and its id stay the same, so it is counted once.
 * - Every result is checked before it is merged (job-protocol.ts decodeReply):
 *   the coordgap version and the run's result rebuilt (checkCollectorJson).
 * - A settled job is removed from Redis; what is left at the end (an
 *   interrupt) is removed too – the waiting ones at once; a job a worker is
 *   running cannot be removed under its lock: it ends on its worker and is
 *   dropped an hour later (KEEP_FINISHED_S).
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { SimTask } from '../sim-task.js';
import type { TaskOutcome } from '../task-pool.js';
import type { RunTasksOptions, TaskRunner } from '../task-runner.js';
import { VERSION } from '../version.js';
import { decodeReply, encodeJob, storedModelText, type JobData, type JobReply } from './job-protocol.js';
import { StoredModels } from './model-store.js';
import { DEFAULT_QUEUE_NAME } from './defaults.js';
import { coordinatorConnection, probeRedis } from './connect.js';
import { OutcomeGatherer } from './outcome-gatherer.js';
import { parseRedisUrl, redact } from './redis-url.js';

/** How often a run reads its jobs' states, besides listening for events. */
export const RECONCILE_MS = 2000;

/**
 * How long a finished job of an interrupted run is kept (seconds): BullMQ
 * drops it as another job ends after this age (removeOnComplete/removeOnFail),
 * and each coordinator removes older ones as it connects. A live run removes
 * its jobs as they settle, within a reconciliation round, so a job finished
 * this long ago belongs to no run.
 */
const KEEP_FINISHED_S = 60 * 60;

/** Jobs added per round trip. */
const ENQUEUE_BATCH = 200;

export interface TaskQueueOptions {
  /** Default DEFAULT_QUEUE_NAME. */
  queueName?: string;
  /** Where REDISCLI_AUTH is read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The version jobs are stamped with and results must carry (default: this package's). */
  coordgapVersion?: string;
  /** Default RECONCILE_MS. */
  reconcileMs?: number;
  /** Longest model JSON carried in each job (default INLINE_MODEL_MAX_CHARS, model-store.ts); tests set 0 to store every model apart. */
  inlineModelMaxChars?: number;
  /** Told, for every job settled, when it was enqueued, started, ended and heard here (ms since the epoch): the queue's overhead (npm run bench:queue). */
  onJobTiming?: (timing: JobTiming) => void;
}

/** One job's life, from BullMQ's job timestamps and this process's clock. */
export interface JobTiming {
  enqueuedAt: number;
  processedOn: number;
  finishedOn: number;
  heardAt: number;
}

export interface TaskQueue {
  /** Runs tasks on the queue's workers (the TaskRunner contract, task-runner.ts). */
  runTasks: TaskRunner;
  /** The server, as messages name it (no password). */
  display: string;
  queueName: string;
  close(): Promise<void>;
}

type Settle = (jobId: string) => void;

/**
 * Connects to the queue at `url` (failing fast with a UsageError when the URL
 * is bad or Redis cannot be reached) and returns its runner.
 */
export async function openTaskQueue(url: string, options: TaskQueueOptions = {}): Promise<TaskQueue> {
  const address = parseRedisUrl(url, options.env);
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  await probeRedis(address, queueName);
  const connection = coordinatorConnection(address);
  const queue = new Queue<JobData, JobReply>(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  let connectionError: Error | null = null;
  const onError = (e: Error) => (connectionError = e);
  queue.on('error', onError);
  events.on('error', onError);
  /** The runs in progress, by run id: an event names a job, its id names the run. */
  const runs = new Map<string, Settle>();
  const route = ({ jobId }: { jobId: string }) => runs.get(jobId.slice(0, jobId.lastIndexOf('-')))?.(jobId);
  events.on('completed', route);
  events.on('failed', route);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  // What interrupted runs left behind (their jobs that were running at Ctrl-C).
  for (const state of ['completed', 'failed'] as const) await queue.clean(KEEP_FINISHED_S * 1000, 10_000, state);
  const version = options.coordgapVersion ?? VERSION;
  const reconcileMs = options.reconcileMs ?? RECONCILE_MS;

  const runTasks: TaskRunner = async (tasks: readonly SimTask[], runOptions: RunTasksOptions): Promise<TaskOutcome[]> => {
    const runId = randomBytes(6).toString('hex');
    // A model too large to repeat in every job is stored once for the run (model-store.ts).
    const models = new StoredModels(queue.client, (type) => queue.toKey(type), runId, options.inlineModelMaxChars);
    const gatherer = new OutcomeGatherer(tasks.length, runOptions);
    if (tasks.length === 0) return gatherer.results();
    const jobId = (i: number) => `${runId}-${i}`;
    const indexOf = (id: string) => Number(id.slice(runId.length + 1));
    let failure: Error | null = null;
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const fail = (e: Error) => {
      failure ??= e;
      stop();
    };
    const removed = new Set<number>();
    const remove = async (i: number) => {
      if (removed.has(i)) return;
      // 0: locked by a worker that runs it (it is dropped by age when it ends); a missing job counts as removed.
      if ((await queue.remove(jobId(i)).catch(() => 0)) === 1 || (await queue.getJobState(jobId(i)).catch(() => '')) === 'unknown') removed.add(i);
    };

    /** Reads job `i` and, when it has ended, records its outcome and removes it. */
    const look = async (i: number): Promise<void> => {
      if (!gatherer.isOpen(i)) return;
      const job = (await queue.getJob(jobId(i))) as Job<JobData, JobReply> | undefined;
      if (!gatherer.isOpen(i)) return;
      let outcome: TaskOutcome | null = null;
      if (job === undefined) outcome = { ok: false, error: `its job ${jobId(i)} was removed from queue ${queueName} before it finished (by another client of ${address.display}?)` };
      else if (job.finishedOn !== undefined && job.failedReason) outcome = { ok: false, error: `${job.failedReason} (on worker ${job.processedBy ?? 'unknown'})` };
      else if (job.finishedOn !== undefined && job.returnvalue !== null && job.returnvalue !== undefined) {
        try {
          outcome = { ok: true, value: decodeReply(job.returnvalue, version) };
        } catch (e) {
          outcome = { ok: false, error: `${(e as Error).message} (on worker ${job.processedBy ?? 'unknown'})` };
        }
      }
      if (outcome === null) return;
      try {
        if (!gatherer.settle(i, outcome)) return;
        if (job !== undefined) options.onJobTiming?.({ enqueuedAt: job.timestamp, processedOn: job.processedOn ?? NaN, finishedOn: job.finishedOn ?? NaN, heardAt: Date.now() });
        await remove(i);
      } catch (e) {
        fail(e as Error); // a caller's callback threw (e.g. a checkpoint write): stop, hand it on
      }
    };
    const lookAll = (ids: Iterable<number>) => Promise.all([...ids].map((i) => look(i).catch(fail)));

    runs.set(runId, (id) => void look(indexOf(id)).catch(fail));
    const onAbort = () => stop();
    runOptions.signal?.addEventListener('abort', onAbort, { once: true });
    if (runOptions.signal?.aborted === true) stop();
    let timer: NodeJS.Timeout | undefined;
    try {
      for (let start = 0; start < tasks.length && runOptions.signal?.aborted !== true && failure === null; start += ENQUEUE_BATCH) {
        const batch = [];
        for (const [k, task] of tasks.slice(start, start + ENQUEUE_BATCH).entries()) {
          const modelKey = await models.keyFor(task.model.digest, () => storedModelText(task.model.data));
          batch.push({
            name: 'sim-task',
            data: encodeJob(task, version, modelKey),
            opts: { jobId: jobId(start + k), attempts: 1, removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S } },
          });
        }
        await queue.addBulk(batch);
      }
      let quietRounds = 0;
      const reconcile = async () => {
        try {
          // Ids only, of the ended jobs (settled ones are removed, so the lists stay short).
          await models.renew();
          const ended = await queue.getRanges(['completed', 'failed'], 0, -1, true);
          const mine = ended.filter((id) => id.startsWith(`${runId}-`)).map(indexOf).filter((i) => gatherer.isOpen(i));
          await lookAll(mine);
          // A job nobody reports may have been removed by another client: look at it now and then.
          if (++quietRounds % 5 === 0) {
            const present = new Set(await queue.getRanges(['wait', 'active', 'delayed', 'prioritized', 'paused', 'completed', 'failed'], 0, -1, true));
            await lookAll(gatherer.pending().filter((i) => !present.has(jobId(i))));
          }
        } catch (e) {
          const status = ((await queue.client.catch(() => null)) as { status?: string } | null)?.status;
          if (status === 'end') fail(new Error(`lost the connection to Redis at ${address.display}: ${redact((connectionError ?? (e as Error)).message, address)}`));
        }
        timer = setTimeout(() => void reconcile(), reconcileMs);
      };
      timer = setTimeout(() => void reconcile(), reconcileMs);
      await lookAll(gatherer.pending()); // ends heard before the listener was in place
      await Promise.race([gatherer.finished, stopped]);
      if (failure !== null) throw failure;
      // Interrupted: the waiting jobs go; the running ones finish on their workers and are not waited for.
      for (const i of gatherer.pending()) {
        await remove(i);
        gatherer.settle(i, { ok: false, aborted: true, error: removed.has(i) ? 'interrupted before it ran' : 'interrupted before it finished' });
      }
      return gatherer.results();
    } finally {
      clearTimeout(timer);
      runs.delete(runId);
      runOptions.signal?.removeEventListener('abort', onAbort);
      // Whatever is still in Redis (a run that failed part-way leaves waiting jobs) goes too.
      for (let i = 0; i < tasks.length; i++) if (!removed.has(i)) await remove(i);
      // A job a worker still runs after an interrupt has its model already; a waiting one is gone.
      await models.remove().catch(() => {});
    }
  };

  return {
    runTasks,
    display: address.display,
    queueName,
    async close() {
      await Promise.allSettled([events.close(), queue.close()]);
    },
  };
}
