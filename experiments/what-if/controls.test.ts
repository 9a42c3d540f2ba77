/**
 * The what-if page's controls: one per parameter that matters, each a `--set`
 * path that names the field holding the value it shows – set to its own
 * value, it leaves the simulated model as it was; set to another, it changes
 * it.
 */
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { loadScenarioFile, loadScenarioText } from '../load-scenario.js';
import { PACKAGE_ROOT } from '../version.js';
import { whatIfControls, type WhatIfControl } from './controls.js';
import { whatIfPageInput } from './page-input.js';

/** A stage with every optional control, one whose id holds a dot, retries written as maxRetries, fixed arrivals, no costs block. */
const RICH = `name: rich
seed: 3
requests: 200
arrivals: { kind: fixed, interval: 250ms }
pools:
  cpu: { servers: 2 }
stages:
  - id: fetch.docs
    pool: cpu
    latency: { dist: exponential, mean: 4ms }
    faults: { error: 0.1, timeout: 0.02, corruption: 0.05 }
    timeout: 1s
    retry: { maxRetries: 2 }
  - id: check
    pool: cpu
    latency: { dist: exponential, mean: 4ms }
    handoff: { contextLoss: 0.2, formatMismatch: 0.03 }
    validate: { catchRate: 0.8 }
    retry: {}
`;

/** The compiled model (a stage without `faults:` and one with zero faults are the same model, not the same scenario object). */
async function checkPaths(controls: readonly WhatIfControl[], load: (sets: string[]) => Promise<{ model: unknown }>) {
  const asWritten = (await load([])).model;
  for (const c of controls) {
    expect(c.min, c.path).toBeLessThanOrEqual(c.value);
    expect(c.max, c.path).toBeGreaterThanOrEqual(c.value);
    // Its own value: nothing changes, so the path is where that value lives.
    expect((await load([`${c.path}=${c.value}`])).model, c.path).toEqual(asWritten);
    // Another value: the model changes.
    const other = c.value === c.max ? c.min : c.max;
    expect((await load([`${c.path}=${other}`])).model, c.path).not.toEqual(asWritten);
  }
}

describe('whatIfControls', () => {
  it('gives the headline scenario its fault rates per stage, the hand-off, traffic and the silent-failure cost', async () => {
    const loaded = await loadScenarioFile('scenarios/fintech-underwriting.yaml', PACKAGE_ROOT);
    const controls = whatIfControls(loaded.scenario, loaded.input);
    expect(controls.map((c) => `${c.path}=${c.value} [${c.min}, ${c.max}] step ${c.step}`)).toMatchInlineSnapshot(`
      [
        "stages.intake.faults.error=0.005 [0, 0.1] step 0.001",
        "stages.intake.faults.corruption=0 [0, 0.1] step 0.001",
        "stages.retrieval.faults.error=0.01 [0, 0.1] step 0.001",
        "stages.retrieval.faults.corruption=0 [0, 0.1] step 0.001",
        "stages.analysis.faults.error=0.02 [0, 0.1] step 0.001",
        "stages.analysis.faults.corruption=0.01 [0, 0.1] step 0.001",
        "stages.analysis.handoff.contextLoss=0.265 [0, 0.55] step 0.005",
        "stages.scoring.faults.error=0.01 [0, 0.1] step 0.001",
        "stages.scoring.faults.corruption=0 [0, 0.1] step 0.001",
        "stages.bureau.faults.error=0.04 [0, 0.1] step 0.001",
        "stages.bureau.faults.corruption=0 [0, 0.1] step 0.001",
        "stages.bureau.faults.timeout=0.01 [0, 0.1] step 0.001",
        "stages.decision.faults.error=0.005 [0, 0.1] step 0.001",
        "stages.decision.faults.corruption=0 [0, 0.1] step 0.001",
        "pools.cpu.speedFactor=1 [0.25, 4] step 0.05",
        "pools.gpu.speedFactor=1 [0.25, 4] step 0.05",
        "arrivals.rate=0.5 [0.01, 2] step 0.01",
        "costs.silentFailureUsd=150 [0, 600] step 1",
      ]
    `);
    await checkPaths(controls, (sets) => loadScenarioFile('scenarios/fintech-underwriting.yaml', PACKAGE_ROOT, sets));
  });

  it('adds timeouts, hand-off faults, catch rates and retry limits where a stage has them, each by the key the file uses', async () => {
    const load = (sets: string[]) => loadScenarioText(RICH, 'rich.yaml', tmpdir(), sets);
    const loaded = await load([]);
    const controls = whatIfControls(loaded.scenario, loaded.input);
    expect(controls.map((c) => `${c.group}: ${c.path}=${c.value}`)).toEqual([
      'fetch.docs: stages.0.faults.error=0.1',
      'fetch.docs: stages.0.faults.corruption=0.05',
      'fetch.docs: stages.0.faults.timeout=0.02',
      'fetch.docs: stages.0.retry.maxRetries=2',
      'check: stages.check.faults.error=0',
      'check: stages.check.faults.corruption=0',
      'check: stages.check.handoff.contextLoss=0.2',
      'check: stages.check.handoff.formatMismatch=0.03',
      'check: stages.check.validate.catchRate=0.8',
      // retry: {} – LangGraph's default of 3 attempts (sim/policies/retry/retry.ts DEFAULT_MAX_ATTEMPTS).
      'check: stages.check.retry.maxAttempts=3',
      // The cpu pool's speed (service times ÷ it), 1 as written.
      'Hardware: pools.cpu.speedFactor=1',
      'Traffic and costs: arrivals.interval=250',
      'Traffic and costs: costs.silentFailureUsd=0',
    ]);
    await checkPaths(controls, load);
  });

  it('leaves the page out for a scenario JSON cannot carry unchanged', async () => {
    const loaded = await loadScenarioText(RICH, 'rich.yaml', tmpdir());
    expect(whatIfPageInput(loaded, [], '0.0.0')).not.toBeNull();
    expect(whatIfPageInput({ ...loaded, input: { ...(loaded.input as object), extra: Number.POSITIVE_INFINITY } }, [], '0.0.0')).toBeNull();
  });
});
