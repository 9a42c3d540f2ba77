/**
 * `npm run bench:queue`: what the job queue costs and buys, on this machine,
 * against a redis-server it starts on a free loopback port (and stops).
 *
 * 1. Speed-up: `coordgap compare FILE --replications R` served by one worker
 *    process (--concurrency 1), then by two, alternating A/B for --runs
 *    rounds; the median wall time of each (the coordinator's process from
 *    spawn to exit; the workers are started and ready before the clock
 *    starts), and whether results.json is byte-identical to the local run's.
 * 2. Overhead per task: single tasks sent one after another to one worker
 *    process; from BullMQ's job timestamps, enqueue → result heard by the
 *    coordinator against the task's own time on the worker (finishedOn −
 *    processedOn: decode, digest check, the run on a worker thread, encode),
 *    medians – for a tiny task (--requests 100) and one at the scenario's size.
 *
 * Usage: node dist/scripts/bench-queue.js [--runs 3] [--replications 16] [--file scenarios/fintech-underwriting.yaml] [--samples 20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { baselineArm, planExperiment } from '../experiments/experiments.js';
import { openTaskQueue, type JobTiming } from '../experiments/queue/index.js';
import { startRedis } from '../experiments/queue/redis-server.test-support.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    replications: { type: 'string', default: '16' },
    file: { type: 'string', default: join('scenarios', 'fintech-underwriting.yaml') },
    samples: { type: 'string', default: '20' },
  },
});
const runs = Number(values.runs);
const replications = Number(values.replications);
const file = values.file;
const samples = Number(values.samples);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the CLI to its end; its wall time in ms. */
function cli(args: string[]): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`coordgap ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

/** Starts `coordgap worker` and resolves once it printed its ready line. */
function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', url, '--concurrency', '1'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
  });
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map((w) => {
      const gone = new Promise((resolve) => w.once('exit', resolve));
      w.kill('SIGTERM');
      return gone;
    }),
  );
}

const redis = await startRedis();
const dirs: string[] = [];
const dir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `coordgap-bench-queue-${name}-`));
  dirs.push(d);
  return d;
};
try {
  console.log(`bench:queue – ${file}, load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const compare = ['compare', file, '--replications', String(replications)];
  const local = dir('local');
  const localMs = await cli([...compare, '--out', local]);
  const reference = readFileSync(join(local, 'results.json'), 'utf8');
  console.log(`local (this machine's threads): ${(localMs / 1000).toFixed(2)} s`);

  const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
  let identical = true;
  for (let r = 0; r < runs; r++) {
    for (const n of r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
      const workers = await Promise.all(Array.from({ length: n }, () => startWorker(redis.url)));
      const out = dir(`q${n}`);
      times[n].push(await cli([...compare, '--queue', redis.url, '--out', out]));
      identical &&= readFileSync(join(out, 'results.json'), 'utf8') === reference;
      await stopWorkers(workers);
    }
  }
  const [one, two] = [median(times[1]), median(times[2])];
  console.log(`compare --replications ${replications} on the queue, median of ${runs} (A/B alternating):`);
  console.log(`  1 worker process  (--concurrency 1): ${(one / 1000).toFixed(2)} s   [${times[1].map((t) => (t / 1000).toFixed(2)).join(', ')}]`);
  console.log(`  2 worker processes (--concurrency 1): ${(two / 1000).toFixed(2)} s   [${times[2].map((t) => (t / 1000).toFixed(2)).join(', ')}]`);
  console.log(`  speed-up ${(one / two).toFixed(2)}×; results.json byte-identical to the local run: ${identical ? 'yes' : 'NO'}`);

  // Overhead per task: one task at a time, so no task waits behind another.
  const worker = await startWorker(redis.url);
  let timings: JobTiming[] = [];
  const queue = await openTaskQueue(redis.url, { onJobTiming: (t) => timings.push(t) });
  try {
    for (const requests of [100, undefined]) {
      const loaded = await loadScenarioFile(file, PACKAGE_ROOT, requests !== undefined ? [`requests=${requests}`] : [], {});
      const { tasks } = planExperiment([baselineArm(loaded)], { replications: samples + 2 });
      timings = [];
      for (const task of tasks) await queue.runTasks([task], {});
      const kept = timings.slice(2); // the first two warm the worker's thread and JIT
      const total = median(kept.map((t) => t.heardAt - t.enqueuedAt));
      const own = median(kept.map((t) => t.finishedOn - t.processedOn));
      const overhead = median(kept.map((t) => t.heardAt - t.enqueuedAt - (t.finishedOn - t.processedOn)));
      console.log(
        `${loaded.model.requests} requests, ${kept.length} single tasks: enqueue → result p50 ${total.toFixed(1)} ms; the task on the worker p50 ${own.toFixed(1)} ms; queue overhead p50 ${overhead.toFixed(1)} ms`,
      );
    }
  } finally {
    await queue.close();
    await stopWorkers([worker]);
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await redis.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
