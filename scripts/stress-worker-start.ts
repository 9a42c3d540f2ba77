/**
 * Stress check, run by hand (not in CI – it takes minutes):
 *
 *   node dist/scripts/stress-worker-start.js [processes=8] [rounds=100]
 *
 * Each child process runs one simulation task on a worker thread `rounds`
 * times and interrupts it inside the late part of the worker's start-up, where
 * its ES module graph is instantiated – the moment at which ending a worker
 * aborts Node natively (bench/pool-teardown.ts). Every 10 rounds the child
 * re-measures L, the time a one-request run takes from the call (about one
 * worker start-up on this machine, now), and interrupts at uniform moments in
 * [0.5 L, 1.1 L]. It prints how many children died with `FATAL ERROR`.
 *
 * Measured on a busy 2-core machine, Node 20.20: the task runner before the
 * fix (interrupt → end the worker) – 8 of 13 children aborted natively; after
 * – 0 of 8 (800 interrupted runs).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { runTasks } from '../experiments/task-runner.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { compiledModuleUrl } from '../bench/compiled-path.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { planExperiment } from '../experiments/experiments.js';

async function child(rounds: number): Promise<void> {
  const workerUrl = compiledModuleUrl(import.meta.url, '../experiments/sim-worker.js');
  const loaded = await loadScenarioFile(join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), PACKAGE_ROOT, ['requests=1']);
  const { tasks } = planExperiment([{ label: 'stress', model: loaded.model, scenarioHash: loaded.hash }], { replications: 1 });
  let startupMs = 0;
  for (let i = 0; i < rounds; i++) {
    if (i % 10 === 0) {
      const t0 = performance.now();
      await runTasks(tasks, { threads: 1, workerUrl });
      startupMs = performance.now() - t0;
    }
    const controller = new AbortController();
    const running = runTasks(tasks, { threads: 1, workerUrl, signal: controller.signal });
    setTimeout(() => controller.abort(), startupMs * (0.5 + 0.6 * (((i * 7919) % 1000) / 1000)));
    await running;
  }
}

async function parent(processes: number, rounds: number): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  let fatal = 0;
  for (let p = 0; p < processes; p++) {
    const proc = spawn(process.execPath, [self, '--child', String(rounds)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    const died = stderr.includes('FATAL ERROR');
    if (died) fatal++;
    process.stdout.write(`child ${p + 1}/${processes}: ${died ? 'aborted natively (FATAL ERROR)' : `exit ${code}`}\n`);
  }
  process.stdout.write(`${fatal} of ${processes} children aborted natively (${rounds} interrupted runs each, at most)\n`);
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(Number(args[1] ?? 100));
else await parent(Number(args[0] ?? 8), Number(args[1] ?? 100));
