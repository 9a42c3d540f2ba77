/**
 * No worker thread is ended while it loads its modules: Node aborts the whole
 * process when one is (bench/pool-teardown.ts). The fixture's workers cannot
 * finish loading until the test opens a gate, so what happens to a loading
 * worker is decided by the code under test, not by timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runTasks } from '../experiments/task-runner.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { compiledModuleUrl } from '../bench/compiled-path.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import type { SimTask } from '../experiments/sim-task.js';
import { planExperiment } from '../experiments/experiments.js';

const SLOW_LOADING = compiledModuleUrl(import.meta.url, './test-fixtures/slow-loading-worker.js');

function marks(gate: string, prefix: 'loading-' | 'loaded-'): string[] {
  return readdirSync(gate)
    .filter((f) => f.startsWith(prefix))
    .map((f) => f.slice(prefix.length))
    .sort();
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

async function tasks(count: number): Promise<SimTask[]> {
  const loaded = await loadScenarioFile(join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), PACKAGE_ROOT, ['requests=200']);
  return planExperiment([{ label: 'fine', model: loaded.model, scenarioHash: loaded.hash }], { replications: count }).tasks;
}

describe('worker threads are ended only once they have loaded', () => {
  afterEach(() => {
    delete process.env.COORDGAP_LOAD_GATE;
  });

  it('Ctrl-C while every worker is still loading: none is ended before it has loaded; every run is reported interrupted', async () => {
    const gate = mkdtempSync(join(tmpdir(), 'coordgap-gate-'));
    process.env.COORDGAP_LOAD_GATE = gate;
    const controller = new AbortController();
    const running = runTasks(await tasks(6), { threads: 2, workerUrl: SLOW_LOADING, signal: controller.signal });
    await until(() => marks(gate, 'loading-').length === 2);
    controller.abort();
    writeFileSync(join(gate, 'open'), '');
    const outcomes = await running;
    expect(marks(gate, 'loading-')).toHaveLength(2);
    expect(marks(gate, 'loaded-')).toEqual(marks(gate, 'loading-'));
    expect(outcomes.map((o) => !o.ok && 'aborted' in o)).toEqual(new Array(6).fill(true));
  });

  it('the runs finish normally once the workers have loaded', async () => {
    const gate = mkdtempSync(join(tmpdir(), 'coordgap-gate-'));
    process.env.COORDGAP_LOAD_GATE = gate;
    writeFileSync(join(gate, 'open'), '');
    const outcomes = await runTasks(await tasks(3), { threads: 2, workerUrl: SLOW_LOADING });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    expect(marks(gate, 'loaded-')).toEqual(marks(gate, 'loading-'));
  });
});
