import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { planExperiment, type ArmSpec } from '../experiments/experiments.js';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { modelOf, singleStage } from '../sim/test-support.js';
import { BudgetError, checkBudget, estimateRun, formatCount, DEFAULT_LIMITS } from '../sim/analysis/index.js';
import { checkExperimentBudget, DEFAULT_EXPERIMENT_LIMITS } from '../sim/analysis/index.js';
import type { ScenarioInput } from '../sim/scenario/index.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');

/** Four stages, the lower three nested (propagate), each with per-request difficulty. */
function nested(topError: number, lowError: number, maxAttempts: number, concentration: number, requests = 1000): ScenarioInput {
  const stage = (i: number) => ({
    id: `s${i}`,
    pool: 'cpu',
    latency: 5,
    faults: { error: i === 0 ? topError : lowError },
    difficulty: { concentration },
    retry: { maxAttempts },
    ...(i > 0 ? { propagate: true } : {}),
  });
  return { ...singleStage({}, { requests, pools: { cpu: { servers: 8 } } }), stages: [0, 1, 2, 3].map(stage) };
}

const armOf = (label: string, input: ScenarioInput): ArmSpec => ({ label, model: modelOf(input), scenarioHash: label });

describe('nested propagate chains under difficulty have a finite estimate (issue 12.8)', () => {
  // Found by a 144-case grid: an attempt's retry share of its own fault probability went above 1
  // when the callee's failures were counted in it, and the Beta moments overflowed to NaN.
  it.each([0.01, 1, 100])('top error 0.001, nested error 0.999, 200 attempts, concentration %s', (concentration) => {
    const e = estimateRun(modelOf(nested(0.001, 0.999, 200, concentration)));
    expect(Number.isFinite(e.events)).toBe(true);
    // At least the nested product of maxAttempts: s3 runs 200 attempts for each of s2's, and so on.
    expect(e.eventsPerRequest).toBeGreaterThan(200 ** 2);
  });

  it('a run whose estimate is not finite is refused, never run ("NaN > limit" is false)', () => {
    const model = { ...modelOf(singleStage({})), requests: Number.NaN };
    expect(() => checkBudget(model)).toThrow(/cannot be estimated/);
  });
});

describe('the whole experiment is budgeted up front (issue 12.8)', () => {
  it('--replications 1e9 is refused with its estimate before a task is built', () => {
    const arm = armOf('baseline', singleStage({}));
    expect(() => planExperiment([arm], { replications: 1e9 })).toThrow(/1e9 runs \(1 arm × 1e9 replications; limit 100,000\)/);
  });

  it('10,000 points each just under the per-run limit are refused in total', () => {
    const perRun = 0.95 * DEFAULT_LIMITS.maxEvents;
    const arms = Array.from({ length: 10_000 }, (_, i) => ({ subject: `point ${i}`, events: perRun }));
    expect(() => checkExperimentBudget(arms, 1)).toThrow(new RegExp(`about ${formatCount(perRun * 10_000)} events in all`));
  });

  it('a non-finite total is over budget', () => {
    expect(() => checkExperimentBudget([{ subject: 'x', events: Number.NaN }], 1)).toThrow(BudgetError);
  });

  // Property (seeded, so it cannot flake): over random shapes – arms × replications, arms from
  // scenarios of random size and retry nesting, a random total budget – planExperiment either
  // refuses up front with a BudgetError that states the estimate, or every task it builds belongs
  // to an experiment whose summed estimated events are within budget.
  it('every experiment is refused with its estimate or planned within its budget', () => {
    const shape = fc.record({
      requests: fc.integer({ min: 1, max: 2_000_000 }),
      topError: fc.constantFrom(0, 0.001, 0.1, 0.5),
      lowError: fc.constantFrom(0.1, 0.5, 0.9, 0.999),
      maxAttempts: fc.constantFrom(1, 3, 10, 50, 200),
      concentration: fc.constantFrom(0.01, 1, 100),
    });
    let refused = 0;
    let planned = 0;
    fc.assert(
      fc.property(
        fc.array(shape, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(1e5, 1e6, 1e9)),
        fc.double({ min: 1e3, max: 1e13, noNaN: true }),
        (shapes, points, replications, maxTotalEvents) => {
          const kinds = shapes.map((s, i) => armOf(`variant v${i}`, nested(s.topError, s.lowError, s.maxAttempts, s.concentration, s.requests)));
          // Sweep points repeat the kinds: arms = points × kinds.
          const arms = Array.from({ length: points }, (_, p) => kinds.map((k) => ({ ...k, label: `${k.label} p${p}` }))).flat();
          const perRun = arms.map((a) => estimateRun(a.model).events);
          const total = perRun.reduce((s, e) => s + e * replications, 0);
          try {
            const { tasks, estimate } = planExperiment(arms, { replications, maxTotalEvents });
            planned++;
            expect(tasks.length).toBe(arms.length * replications);
            expect(tasks.length).toBeLessThanOrEqual(DEFAULT_EXPERIMENT_LIMITS.maxRuns);
            expect(estimate.totalEvents).toBeCloseTo(total, -1);
            expect(estimate.totalEvents).toBeLessThanOrEqual(maxTotalEvents);
          } catch (e) {
            if (!(e instanceof BudgetError)) throw e;
            refused++;
            const runOver = perRun.some((x) => !(x <= 2e9));
            if (e.limit === 'runs') expect(arms.length * replications).toBeGreaterThan(DEFAULT_EXPERIMENT_LIMITS.maxRuns);
            else if (e.limit === 'totalEvents') {
              expect(total).toBeGreaterThan(maxTotalEvents);
              expect(e.message).toContain(`about ${formatCount(total)} events in all`);
            } else expect(runOver).toBe(true);
            expect(e.message).toMatch(/would (take|be|need) about|cannot be estimated|would be/);
          }
        },
      ),
      { seed: 20261204, numRuns: 300 },
    );
    // The generator reaches both branches.
    expect(refused).toBeGreaterThan(20);
    expect(planned).toBeGreaterThan(20);
    console.log(`experiment budget property: ${planned} planned within budget, ${refused} refused up front`);
  });
});

describe('the CLI refuses oversized experiments before simulating (issue 12.8)', () => {
  it('--replications 1000000000: exit 2 with the estimate', async () => {
    const r = await runCli(['run', SIX_STEP, '--replications', '1000000000'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coordgap: the experiment would be 1e9 runs/);
  });

  it('--max-total-events below the experiment: exit 2, naming the flag', async () => {
    const r = await runCli(['run', SIX_STEP, '--replications', '3', '--max-total-events', '1000'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/events in all \(1 arm × 3 replications; the largest run is the scenario's, about .* events; limit 1,000\).*--max-total-events/);
  });

  it('--threads far past the cores: exit 2 with the cap', async () => {
    const r = await runCli(['run', SIX_STEP, '--threads', '100000'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads 100000 is more than 4 × this machine's \d+ cores? \(\d+\)/);
  });
});
