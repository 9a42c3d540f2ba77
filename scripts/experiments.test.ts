import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { STATE_FILE } from '../experiments/checkpoint.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { runArms, compareScenario, runScenario, type ArmSpec, type ExperimentOptions } from '../experiments/experiments.js';
import { compiledModuleUrl } from '../bench/compiled-path.js';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { RunCollector } from '../sim/metrics/index.js';
import { runReplication } from '../sim/path/index.js';
import { wilson } from '../sim/metrics/index.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
const FINTECH = join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml');
const options = (o: Partial<ExperimentOptions> = {}): ExperimentOptions => ({ replications: 3, threads: 1, version: 'test', ...o });

function cli(args: string[]) {
  return runCli(args, PACKAGE_ROOT);
}

describe('replications', () => {
  it('merge exactly: counts add and histograms merge as if recorded together', async () => {
    const loaded = await loadScenarioFile(SIX_STEP, PACKAGE_ROOT, ['requests=5000']);
    const { result } = await runScenario(loaded, options({ replications: 4 }));
    const reps = [0, 1, 2, 3].map((r) => runReplication(loaded.model, r));
    const sum = (k: 'success' | 'failed') => reps.reduce((s, c) => s + c.outcomes[k === 'success' ? 0 : 2], 0);
    expect(result!.requests).toBe(20_000);
    expect(result!.outcomes.success).toBe(sum('success'));
    expect(result!.outcomes.failed).toBe(sum('failed'));
    const merged = RunCollector.fromJSON(reps[0].toJSON());
    for (const c of reps.slice(1)) merged.merge(c);
    expect(result!.latencyMs.p99).toBe(merged.successLatency.quantile(0.99));
    expect(result!.latencyMs.mean).toBeCloseTo(merged.successLatency.meanMs, 9);
  });

  it('1 and 2 threads give byte-identical JSON', async () => {
    const one = await cli(['compare', FINTECH, '--requests', '3000', '--replications', '3', '--threads', '1', '--json']);
    const two = await cli(['compare', FINTECH, '--requests', '3000', '--replications', '3', '--threads', '2', '--json']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });
});

describe('common random numbers', () => {
  it('a variant identical to the baseline gives Δ exactly 0 with a zero-width interval', async () => {
    const loaded = await loadScenarioFile(FINTECH, PACKAGE_ROOT, ['requests=4000']);
    const same = { ...loaded, variants: [{ ...loaded.variants[0], name: 'same', input: loaded.input, model: loaded.model, hash: loaded.hash }] };
    const { comparison } = await compareScenario(same, options());
    const d = comparison!.variants[0].delta;
    for (const e of [d.successRate, d.silentFailureRate, d.p95Ms, d.costPerSuccessUsd]) {
      expect(e.estimate).toBe(0);
      expect(e.ci95).toEqual([0, 0]);
    }
  });

  it('a compute variant that changes only latency keeps every outcome', async () => {
    const loaded = await loadScenarioFile(FINTECH, PACKAGE_ROOT, ['requests=20000']);
    const { comparison } = await compareScenario(loaded, options({ replications: 2 }));
    const gpu = comparison!.variants.find((v) => v.name === 'gpu-240-to-180ms')!;
    // Only latency changed: every outcome is the same request by request.
    expect(gpu.result.outcomes).toEqual(comparison!.baseline.outcomes);
  });

  it('CRN narrows the interval of Δ task success at least 3× against independent runs (gpu-240-to-180ms)', async () => {
    const loaded = await loadScenarioFile(FINTECH, PACKAGE_ROOT, ['requests=20000']);
    const width = async (independent: boolean) => {
      const { comparison } = await compareScenario(loaded, options({ replications: 5, independent }));
      const ci = comparison!.variants.find((v) => v.name === 'gpu-240-to-180ms')!.delta.successRate.ci95;
      return ci[1] - ci[0];
    };
    const crn = await width(false);
    const independent = await width(true);
    expect(independent).toBeGreaterThan(0);
    expect(crn * 3).toBeLessThanOrEqual(independent);
  });
});

describe('worker failures', () => {
  it('a task that throws or a worker that dies is named; the other runs complete', async () => {
    const loaded = await loadScenarioFile(SIX_STEP, PACKAGE_ROOT, ['requests=2000']);
    const arm = (label: string): ArmSpec => ({ label, model: loaded.model, scenarioHash: loaded.hash });
    const { collectors, status } = await runArms([arm('fine'), arm('boom'), arm('die'), arm('also fine')], {
      ...options({ replications: 2, threads: 2 }),
      workerUrl: compiledModuleUrl(import.meta.url, './test-fixtures/failing-worker.js'),
    });
    expect(collectors[0]).not.toBeNull();
    expect(collectors[1]).toBeNull();
    expect(collectors[2]).toBeNull();
    expect(collectors[3]).not.toBeNull();
    expect(collectors[3]!.map((c) => c.requestsFinished)).toEqual([2000, 2000]);
    expect(status.failures.map((f) => `${f.label}#${f.replication}`).sort()).toEqual(['boom#0', 'boom#1', 'die#0', 'die#1']);
    expect(status.failures.find((f) => f.label === 'boom')!.error).toMatch(/injected failure/);
  });
});

describe('worker failures during a sweep, end to end', () => {
  it('failed points are named, the rest finish and are on disk, exit 3; --resume runs only the failed ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-failing-'));
    // The failing worker throws for labels with "boom" and ends its thread for "die".
    const sweep = ['sweep', SIX_STEP, '--set', 'description=fine,boom,die,ok', '--requests', '2000', '--replications', '2', '--threads', '2', '--out', dir];
    const failing = await runCli(sweep, PACKAGE_ROOT, compiledModuleUrl(import.meta.url, './test-fixtures/failing-worker.js'));
    expect(failing.code).toBe(3);
    for (const r of [0, 1]) {
      expect(failing.stderr).toContain(`point 2 (description=boom), replication ${r}: injected failure`);
      expect(failing.stderr).toContain(`point 3 (description=die), replication ${r}:`);
    }
    expect(failing.stderr).not.toMatch(/\n\s+at /);
    const partial = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { points: { values: { description: string } }[] };
    expect(partial.points.map((p) => p.values.description)).toEqual(['fine', 'ok']);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')).done).sort()).toEqual(['0', '1', '6', '7']);

    const resumed = await runCli([...sweep, '--resume'], PACKAGE_ROOT);
    expect(resumed.code).toBe(0);
    const wholeDir = mkdtempSync(join(tmpdir(), 'coordgap-whole-'));
    expect((await runCli([...sweep.slice(0, -1), wholeDir], PACKAGE_ROOT)).code).toBe(0);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(readFileSync(join(wholeDir, 'results.json'), 'utf8'));
    expect(existsSync(join(dir, STATE_FILE))).toBe(false);
  });
});

describe('a hung run, end to end', () => {
  it('--task-timeout ends it and names it; the rest are on disk; exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-hung-'));
    const r = await runCli(
      ['sweep', SIX_STEP, '--set', 'description=fine,hang', '--requests', '2000', '--threads', '1', '--task-timeout', '5s', '--out', dir],
      PACKAGE_ROOT,
      compiledModuleUrl(import.meta.url, './test-fixtures/failing-worker.js'),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('point 2 (description=hang), replication 0: hung: no result 5000 ms after it started; its worker thread was ended');
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).points).toHaveLength(1);
    expect((await runCli(['run', SIX_STEP, '--task-timeout', '90'], PACKAGE_ROOT)).stderr).toMatch(/--task-timeout must be a duration above 0 such as 90s, 30m or 2h; got "90"/);
  });
});

describe('a hung worker', () => {
  // The limit is generous for a 2,000-request run (tens of ms) and counts from
  // the run's own start, so a busy machine (slow worker start-up, tasks queued
  // behind others) cannot push the healthy run past it.
  it('is ended after the task time limit and named; the rest complete', async () => {
    const loaded = await loadScenarioFile(SIX_STEP, PACKAGE_ROOT, ['requests=2000']);
    const arm = (label: string): ArmSpec => ({ label, model: loaded.model, scenarioHash: loaded.hash });
    const { collectors, status } = await runArms([arm('fine'), arm('hang'), arm('also fine')], {
      ...options({ replications: 1, threads: 2 }),
      workerUrl: compiledModuleUrl(import.meta.url, './test-fixtures/failing-worker.js'),
      taskTimeoutMs: 5000,
    });
    expect(collectors[0]).not.toBeNull();
    expect(collectors[1]).toBeNull();
    expect(collectors[2]).not.toBeNull();
    expect(status.failures).toEqual([{ label: 'hang', replication: 0, error: 'hung: no result 5000 ms after it started; its worker thread was ended' }]);
  });

  it('time spent queued behind other tasks does not count against the limit', async () => {
    // Ten 300 ms naps on one thread: the last waits 2.7 s for its turn, past
    // the 2 s limit, while no run takes more than a sixth of it.
    const loaded = await loadScenarioFile(SIX_STEP, PACKAGE_ROOT, ['requests=200']);
    const arms = Array.from({ length: 10 }, (_, k): ArmSpec => ({ label: `nap 300 #${k}`, model: loaded.model, scenarioHash: loaded.hash }));
    const { collectors, status } = await runArms(arms, {
      ...options({ replications: 1, threads: 1 }),
      workerUrl: compiledModuleUrl(import.meta.url, './test-fixtures/failing-worker.js'),
      taskTimeoutMs: 2000,
    });
    expect(status.failures).toEqual([]);
    expect(collectors.every((c) => c !== null)).toBe(true);
  });
});

describe('sweeps and studies', () => {
  it('the 0.97^n study: every point inside its 99.9 % interval of the closed form', async () => {
    const r = await cli(['sweep', '--study', 'reliability-vs-steps', '--requests', '4000', '--json', '--threads', '1']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.points).toHaveLength(60);
    for (const p of doc.points) {
      const { ci95 } = wilson(p.result.outcomes.success, p.result.requests, 3.2905);
      expect(p.closedFormSuccess).toBeGreaterThanOrEqual(ci95[0]);
      expect(p.closedFormSuccess).toBeLessThanOrEqual(ci95[1]);
    }
    const six = doc.points.find((p: { values: { perStepReliability: number; steps: number } }) => p.values.perStepReliability === 0.97 && p.values.steps === 6);
    expect(six.closedFormSuccess).toBeCloseTo(0.8330, 4);
  });

  it('--set ranges make a grid; long-format rows are one per point × replication', async () => {
    const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'sweep-'));
    const r = await cli(['sweep', SIX_STEP, '--requests', '1000', '--replications', '2', '--threads', '1', '--set', 'stages.ingress.faults.error=0..0.2:3', '--set', 'seed=5', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.points.map((p: { values: Record<string, number> }) => p.values['stages.ingress.faults.error'])).toEqual([0, 0.1, 0.2]);
    const csv = (await import('node:fs')).readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\r\n');
    expect(csv).toHaveLength(1 + 3 * 2);
    expect(csv[0]).toMatch(/^stages\.ingress\.faults\.error,replication,scenario,seed,/);
  });
});

describe('sensitivity', () => {
  it('ranks the retrieval hand-off first among what-if bounds in fintech-underwriting, apart from the options someone can buy', async () => {
    const r = await cli(['sensitivity', FINTECH, '--requests', '20000', '--replications', '3', '--threads', '1', '--json']);
    expect(r.code).toBe(0);
    type Row = { name: string; kind: string; delta: Record<string, { estimate: number; ci95: [number, number] }> };
    const doc = JSON.parse(r.stdout) as { options: Row[]; whatIf: Row[] };
    expect(doc.whatIf[0].name).toBe('retrieval→analysis hand-off fault-free');
    expect(doc.whatIf[0].delta.successRate.ci95[0]).toBeGreaterThan(doc.whatIf[1].delta.successRate.ci95[1]);
    expect(new Set(doc.whatIf.map((x) => x.kind))).toEqual(new Set(['fault-free stage', 'fault-free hand-off']));
    expect(doc.options.every((x) => x.kind === 'coordination' || x.kind === 'compute')).toBe(true);
    const gpu = doc.options.find((x) => x.name === 'gpu-240-to-180ms')!;
    expect(gpu.kind).toBe('compute');
    // Validation alone buys no task success but removes most of the assumed silent-failure cost per success – shown, not hidden in a tie.
    const validate = doc.options.find((x) => x.name === 'recovery-layer: analysis validate')!;
    expect(validate.delta.assumedPenaltyPerSuccessUsd.ci95[1]).toBeLessThan(-40);
    expect(validate.delta.spendPerSuccessUsd.estimate + validate.delta.assumedPenaltyPerSuccessUsd.estimate).toBeCloseTo(validate.delta.costPerSuccessUsd.estimate, 9);
  });
});

describe('thresholds', () => {
  it('a failed threshold is listed and exits 1; a misspelled metric exits 2', async () => {
    const pass = await cli(['run', SIX_STEP, '--requests', '2000', '--set', "thresholds={successRate: '>= 0.5'}"]);
    expect(pass.code).toBe(0);
    const fail = await cli(['run', SIX_STEP, '--requests', '2000', '--set', "thresholds={successRate: '>= 0.95', 'latencyMs.p99': '< 60s'}"]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/✗ successRate >= 0\.95/);
    expect(fail.stderr).toMatch(/✓ latencyMs\.p99 < 60s/);
    const typo = await cli(['run', SIX_STEP, '--requests', '2000', '--set', "thresholds={sucessRate: '>= 0.95'}"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown metric "sucessRate"|did you mean "successRate"/);
  });
});
