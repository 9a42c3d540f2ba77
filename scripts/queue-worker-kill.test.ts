/**
 * Issue 18's headline for the job queue: a sweep run through Redis by three
 * `coordgap worker` processes, one of them killed with SIGKILL while it runs
 * a task, writes the same bytes as the sweep run on this machine. The killed
 * worker's job goes back to the queue when its lock lapses (--stall-timeout
 * 2s) and another worker runs it; the coordinator counts it once. The
 * worker is frozen before it is killed, so the kill cannot land just after
 * its task ended (see the loop).
 *
 * Real processes and a real redis-server (no mock); children run dist/, so
 * `npm run build` first. No wall-clock assertion: only generous limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents } from 'bullmq';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { startRedis, type RedisServer } from '../experiments/queue/redis-server.test-support.js';
import { runCli, tempDir } from './test-support.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');
/** The headline scenario's sweep: 6 points × 3 replications = 18 tasks, each long enough (40,000 requests) for a kill to land mid-task. */
const SWEEP = ['sweep', join('scenarios', 'fintech-underwriting.yaml'), '--requests', '40000', '--replications', '3'];

let redis: RedisServer;
const children: ChildProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await redis?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts `coordgap worker` and waits for its ready line. */
async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--concurrency', '1', '--stall-timeout', '2s'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d.toString();
      if (out.includes('\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${err}`)));
  });
  expect(out).toBe(`coordgap worker: serving queue coordgap on ${redis.url} (1 thread; worker ${out.match(/worker (\S+)\)/)![1]})\n`);
  return child;
}

describe('coordgap sweep --queue with three workers, one killed mid-task', () => {
  it('finishes, and writes results.json and results.csv byte-identical to the local run', async () => {
    const local = tempDir('coordgap-queue-local-');
    const queued = tempDir('coordgap-queue-queued-');
    dirs.push(local, queued);
    const a = await runCli([...SWEEP, '--out', local], PACKAGE_ROOT);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);

    const workers = await Promise.all([startWorker(), startWorker(), startWorker()]);
    const connection = { host: '127.0.0.1', port: redis.port };
    const watch = new Queue('coordgap', { connection });
    const events = new QueueEvents('coordgap', { connection });
    const completed = new Set<string>();
    const stalled = new Set<string>();
    events.on('completed', ({ jobId }) => completed.add(jobId));
    events.on('stalled', ({ jobId }) => stalled.add(jobId));
    await events.waitUntilReady();
    let killed: { pid: number; jobId: string } | null = null;
    try {
      const b = runCli([...SWEEP, '--queue', redis.url, '--out', queued], PACKAGE_ROOT);
      let finished = false;
      void b.finally(() => (finished = true));
      // Once a task has completed, SIGKILL a worker in the middle of its task. A job listed as active may
      // finish before a signal lands (tasks are short), so the worker is frozen first (SIGSTOP) and the job
      // looked at again once anything it had sent has reached Redis: still active under the frozen worker,
      // it cannot finish, and the kill lands mid-task; otherwise the worker goes on (SIGCONT) and we try again.
      while (killed === null && !finished) {
        if (completed.size > 0) {
          for (const job of await watch.getActive()) {
            const pid = Number(job.processedBy?.split(':').pop());
            const victim = workers.find((w) => w.pid === pid);
            if (victim === undefined || job.id === undefined || completed.has(job.id)) continue;
            victim.kill('SIGSTOP');
            await sleep(200);
            const again = await watch.getJob(job.id);
            if ((await watch.getJobState(job.id)) === 'active' && again?.processedBy === job.processedBy) {
              victim.kill('SIGKILL');
              killed = { pid, jobId: job.id };
              break;
            }
            victim.kill('SIGCONT');
          }
        }
        await sleep(50);
      }
      const result = await b;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(killed).not.toBeNull();
      // The killed worker's job stalled and was run again by another worker.
      expect(stalled.has(killed!.jobId)).toBe(true);
      expect(completed.has(killed!.jobId)).toBe(true);
      for (const file of ['results.json', 'results.csv']) expect(readFileSync(join(queued, file), 'utf8'), file).toBe(readFileSync(join(local, file), 'utf8'));
      // Nothing of the run is left in Redis.
      expect(Object.values(await watch.getJobCounts()).reduce((x, y) => x + y, 0)).toBe(0);
    } finally {
      await events.close();
      await watch.close();
    }
    // The survivors stop cleanly on SIGTERM.
    for (const w of workers.filter((w) => w.pid !== killed?.pid)) {
      const exited = new Promise((resolve) => w.once('exit', (code) => resolve(code)));
      w.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 240_000);
});
