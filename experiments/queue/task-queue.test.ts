/**
 * The queue's coordinator (openTaskQueue) and worker (serveTaskQueue) in one
 * process, on a real redis-server started for the file: results come back in
 * task order and equal a run in this thread; failures come back with their
 * message and the worker's name; jobs that fail the worker's checks are
 * refused; results are checked before they are merged; nothing is left in
 * Redis. Worker threads load dist/: `npm run build` first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { loadScenarioFile } from '../load-scenario.js';
import { toWire } from '../model-wire.js';
import { runSimTask, type SimTask } from '../sim-task.js';
import { PACKAGE_ROOT, VERSION } from '../version.js';
import { compiledModuleUrl } from '../../bench/compiled-path.js';
import { UsageError } from '../usage-error.js';
import type { TaskOutcome } from '../task-pool.js';
import { openTaskQueue, type TaskQueue } from './task-queue.js';
import { serveTaskQueue, type TaskQueueWorker } from './serve-queue.js';
import { startRedis, freePort, type RedisServer } from './redis-server.test-support.js';
import { encodeJob, encodeReply } from './job-protocol.js';

const FAILING_WORKER = compiledModuleUrl(import.meta.url, '../../scripts/test-fixtures/failing-worker.js');

let redis: RedisServer;
let tasks: SimTask[];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const loaded = await loadScenarioFile(join('scenarios', 'six-step-97.yaml'), PACKAGE_ROOT, ['requests=300'], {});
  const model = toWire(loaded.model);
  tasks = Array.from({ length: 6 }, (_, r) => ({ label: 'baseline', model, replication: r, maxEvents: 1e7, maxInFlight: 10_000 }));
}, 60_000);

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await redis?.stop();
});

async function coordinator(queueName: string, options: { coordgapVersion?: string } = {}): Promise<TaskQueue> {
  const q = await openTaskQueue(redis.url, { queueName, reconcileMs: 200, ...options });
  closers.push(() => q.close());
  return q;
}

async function worker(queueName: string, options: Parameters<typeof serveTaskQueue>[1] = {}): Promise<TaskQueueWorker> {
  const w = await serveTaskQueue(redis.url, { queueName, concurrency: 2, name: 'test-worker', ...options });
  closers.push(() => w.close());
  return w;
}

/** Every key of the queue in Redis but its bookkeeping (meta, events stream, id counter, stalled-check marker). */
async function jobsLeft(queueName: string): Promise<number> {
  const q = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
  try {
    const counts = await q.getJobCounts();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await q.close();
  }
}

describe('a run on the job queue', () => {
  it('returns each task\'s result in task order, the same as a run in this thread, each reported once, and leaves no job behind', async () => {
    const q = await coordinator('order');
    await worker('order');
    const heard: number[] = [];
    const progress: number[] = [];
    const outcomes = await q.runTasks(tasks, { onResult: (i) => heard.push(i), onProgress: (d, t) => progress.push(d / t) });
    expect(outcomes.map((o) => (o.ok ? o.value : o.error))).toEqual(tasks.map((t) => runSimTask(t)));
    expect([...heard].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((d) => d / 6));
    expect(await jobsLeft('order')).toBe(0);
  }, 60_000);

  it('a task that fails comes back with its message and the worker\'s name; the others complete', async () => {
    const q = await coordinator('failing');
    await worker('failing', { workerUrl: FAILING_WORKER });
    const mixed = tasks.slice(0, 3).map((t, i) => (i === 1 ? { ...t, label: 'boom arm' } : t));
    const outcomes = await q.runTasks(mixed, {});
    expect(outcomes[1]).toEqual({ ok: false, error: 'boom arm, replication 1: injected failure in boom arm (on worker test-worker)' });
    expect(outcomes[0].ok && outcomes[2].ok).toBe(true);
    expect(await jobsLeft('failing')).toBe(0);
  }, 60_000);

  it('the worker refuses a job of another coordgap version, a model whose digest does not match its data, and a task over its --max-events', async () => {
    const other = await coordinator('refused', { coordgapVersion: '0.0.0-other' });
    await worker('refused', { maxEvents: 1e6 });
    const [versioned] = await other.runTasks([tasks[0]], {});
    expect(versioned).toEqual({
      ok: false,
      error: `refused: the job was enqueued by coordgap 0.0.0-other; this worker runs coordgap ${VERSION} – run workers of the coordinator's version (on worker test-worker)`,
    });
    const q = await coordinator('refused');
    const tampered = { ...tasks[0], model: { ...tasks[0].model, data: { ...(tasks[0].model.data as object), requests: 1 } } };
    const overLimit = { ...tasks[0], maxEvents: 5e6 };
    const [digest, limit] = await q.runTasks([tampered, overLimit], {});
    expect(digest.ok ? '' : digest.error).toMatch(/^refused: the model's data does not match its digest \([0-9a-f]{12}… given, [0-9a-f]{12}… computed\)/);
    expect(limit).toEqual({ ok: false, error: 'refused: the task may take 5e+6 events; this worker allows 1e+6 (its --max-events) (on worker test-worker)' });
  }, 60_000);

  it('a result that is not a valid run, or comes from another version, is a failure – never merged', async () => {
    const q = await coordinator('forged');
    const good = runSimTask(tasks[0]);
    const replies = [
      { ...encodeReply(good, VERSION), result: { ...good, scalars: { ...good.scalars, requestsFinished: -1 } } },
      encodeReply(good, '9.9.9'),
    ];
    let n = 0;
    const forger = new Worker('forged', async () => replies[n++], { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null }, name: 'forger' });
    closers.push(() => forger.close());
    const outcomes: TaskOutcome[] = [];
    for (const t of tasks.slice(0, 2)) outcomes.push(...(await q.runTasks([t], {})));
    expect(outcomes[0].ok ? '' : outcomes[0].error).toMatch(/^not a run's result: field scalars\.requestsFinished: .* \(on worker forger\)$/);
    expect(outcomes[1]).toEqual({ ok: false, error: `its result came from coordgap 9.9.9; this coordinator runs coordgap ${VERSION} (on worker forger)` });
  }, 60_000);

  it('a model too large to repeat in every job travels once per run: the jobs carry its key and digest, the worker fetches and checks it, the key goes with the run', async () => {
    const q = await openTaskQueue(redis.url, { queueName: 'stored', reconcileMs: 200, inlineModelMaxChars: 0 });
    closers.push(() => q.close());
    const watch = new Queue('stored', { connection: { host: '127.0.0.1', port: redis.port } });
    closers.push(() => watch.close());
    const running = q.runTasks(tasks, {});
    // Nobody serves yet: look at the jobs as they wait.
    let waiting = await watch.getWaiting();
    while (waiting.length < tasks.length) {
      await new Promise((r) => setTimeout(r, 20));
      waiting = await watch.getWaiting();
    }
    const models = waiting.map((j) => (j.data as { task: { model: Record<string, unknown> } }).task.model);
    const key = models[0].key as string;
    expect(key).toMatch(/^bull:stored:coordgap-model:[0-9a-f]{12}:[0-9a-f]{64}$/);
    for (const m of models) expect(m).toEqual({ digest: tasks[0].model.digest, key });
    const client = await watch.client;
    const stored = await client.get(key);
    expect(stored!.length).toBeGreaterThan(JSON.stringify(waiting[0].data).length);
    await worker('stored');
    expect((await running).map((o) => (o.ok ? o.value : o.error))).toEqual(tasks.map((t) => runSimTask(t)));
    expect(await client.get(key)).toBeNull();
    expect(await jobsLeft('stored')).toBe(0);
  }, 60_000);

  it("the worker reads no key but a model key of its own queue, and says so when a run's model is gone", async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const raw = new Queue('stored-bad', { connection });
    const events = new QueueEvents('stored-bad', { connection });
    closers.push(() => raw.close(), () => events.close());
    await events.waitUntilReady();
    await worker('stored-bad');
    const foreign = await raw.add('sim-task', encodeJob(tasks[0], VERSION, 'bull:stored-bad:meta'), { attempts: 1 });
    await expect(foreign.waitUntilFinished(events)).rejects.toThrow("refused: its model key is not one of this queue's (bull:stored-bad:coordgap-model:<run>:<digest>)");
    const gone = await raw.add('sim-task', encodeJob(tasks[0], VERSION, `bull:stored-bad:coordgap-model:abcdef123456:${tasks[0].model.digest}`), { attempts: 1 });
    await expect(gone.waitUntilFinished(events)).rejects.toThrow('refused: its model is no longer in Redis: the run that enqueued it has ended (or was interrupted)');
  }, 60_000);

  it('interrupted with nobody serving: the waiting jobs are removed and the tasks reported as interrupted', async () => {
    const q = await coordinator('interrupted');
    const controller = new AbortController();
    const running = q.runTasks(tasks.slice(0, 3), { signal: controller.signal });
    // Abort once the jobs are in (with nothing serving, the run would wait for ever).
    while ((await jobsLeft('interrupted')) < 3) await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await running).toEqual([0, 1, 2].map(() => ({ ok: false, aborted: true, error: 'interrupted before it ran' })));
    expect(await jobsLeft('interrupted')).toBe(0);
  }, 60_000);
});

describe('reaching Redis', () => {
  it('an address where nothing listens fails at once, naming host:port and not the password', async () => {
    const port = await freePort();
    const open = openTaskQueue(`redis://:hunter2@127.0.0.1:${port}`);
    await expect(open).rejects.toThrow(UsageError);
    await expect(open).rejects.toThrow(`cannot reach Redis at redis://127.0.0.1:${port}: connection refused`);
    await expect(open).rejects.not.toThrow(/hunter2/);
  }, 30_000);

  it('a server with a password: refused without it, served with it from REDISCLI_AUTH', async () => {
    const guarded = await startRedis(['--requirepass', 'hunter2']);
    try {
      await expect(openTaskQueue(guarded.url, { env: {} })).rejects.toThrow(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: authentication failed \(NOAUTH/);
      const q = await openTaskQueue(guarded.url, { env: { REDISCLI_AUTH: 'hunter2' }, reconcileMs: 200 });
      const w = await serveTaskQueue(guarded.url, { env: { REDISCLI_AUTH: 'hunter2' }, concurrency: 1 });
      try {
        const [outcome] = await q.runTasks([tasks[0]], {});
        expect(outcome).toEqual({ ok: true, value: runSimTask(tasks[0]) });
      } finally {
        await w.close();
        await q.close();
      }
    } finally {
      await guarded.stop();
    }
  }, 60_000);

  it("an ACL user limited to BullMQ's keys and commands – the README's ACL SETUSER line – runs the queue", async () => {
    // ACL SETUSER coordgap on >PASSWORD ~bull:* +@all -@dangerous +info (BullMQ reads INFO for the server's version); the default user off.
    const acl = await startRedis(['--user', 'default', 'off', '--user', 'coordgap', 'on', '>hunter2', '~bull:*', '+@all', '-@dangerous', '+info']);
    try {
      const url = acl.url.replace('//', '//coordgap:hunter2@');
      // Models stored apart (model-store.ts) live under bull:* too.
      const q = await openTaskQueue(url, { reconcileMs: 200, inlineModelMaxChars: 0 });
      const w = await serveTaskQueue(url, { concurrency: 1, stallTimeoutMs: 1000 });
      try {
        const outcomes = await q.runTasks(tasks.slice(0, 2), {});
        expect(outcomes).toEqual(tasks.slice(0, 2).map((t) => ({ ok: true, value: runSimTask(t) })));
      } finally {
        await w.close();
        await q.close();
      }
    } finally {
      await acl.stop();
    }
  }, 60_000);
});
