import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { armFromInput } from '../experiments/arm.js';
import { ScenarioError } from '../sim/scenario/index.js';

/** A scenario whose arrivals come from a trace file: 401 arrivals, one every 50 ms. */
const TRACED = `name: traced
seed: 1
arrivals: { kind: trace, file: trace.txt }
pools: { cpu: { servers: 4 } }
stages:
  - { id: a, pool: cpu, latency: { dist: exponential, mean: 20ms }, faults: { error: 0.05 } }
  - { id: b, pool: cpu, latency: 30ms, faults: { corruption: 0.02 }, handoff: { contextLoss: 0.03 } }
variants:
  - name: retry-a
    kind: coordination
    patch: { stages: { a: { retry: { maxAttempts: 3 } } } }
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coordgap-arm-'));
  writeFileSync(join(dir, 'trace.txt'), Array.from({ length: 401 }, (_, i) => String(i * 50)).join('\n') + '\n');
  writeFileSync(join(dir, 'traced.yaml'), TRACED);
});

function issueText(e: unknown): string {
  if (!(e instanceof ScenarioError)) throw e;
  return e.message;
}

describe('every arm runs on the baseline trace (issue 11.2: sweep exited 3 on a trace-file scenario)', () => {
  it('sweep: each point is the run of its values, trace included', async () => {
    const sweep = await runCli(['sweep', 'traced.yaml', '--set', 'seed=1,2', '--threads', '1', '--json'], dir);
    expect(sweep.stderr).toBe('');
    expect(sweep.code).toBe(0);
    const points = JSON.parse(sweep.stdout).points as { values: { seed: number }; result: { requests: number } }[];
    expect(points.map((p) => p.values.seed)).toEqual([1, 2]);
    for (const p of points) {
      expect(p.result.requests).toBe(401); // every arrival of the trace, none invented
      const run = await runCli(['run', 'traced.yaml', '--seed', String(p.values.seed), '--threads', '1', '--json'], dir);
      expect(run.code).toBe(0);
      // The same scenario compiled the same way: the same simulation, byte for byte. (Only what was
      // simulated: the point's input drops `variants`, so its hash differs, and `run` adds its own blocks.)
      const simulated = (r: Record<string, unknown>) =>
        JSON.stringify(['outcomes', 'latencyMs', 'latencyAllMs', 'events', 'simulatedSpanMs', 'stages', 'edges', 'pools', 'attribution', 'costUsd'].map((k) => r[k]));
      expect(simulated(p.result as never)).toBe(simulated(JSON.parse(run.stdout)));
    }
  });

  it('sensitivity: every intervention runs on the trace', async () => {
    const r = await runCli(['sensitivity', 'traced.yaml', '--replications', '1', '--threads', '1', '--json'], dir);
    expect(r.code).toBe(0);
    type Row = { name: string; result: { requests: number } };
    const s = JSON.parse(r.stdout) as { baseline: { requests: number }; options: Row[]; whatIf: Row[]; skipped: unknown[] };
    expect(s.skipped).toEqual([]);
    expect(s.options.map((x) => x.name)).toEqual(['retry-a: a retry']);
    expect(s.whatIf.map((x) => x.name).sort()).toEqual(['a fault-free', 'a→b hand-off fault-free', 'b fault-free']);
    for (const x of [...s.options, ...s.whatIf]) expect(x.result.requests).toBe(s.baseline.requests);
    expect(s.baseline.requests).toBe(401);
  });
});

describe('armFromInput: one validation, one set of rules, positioned errors', () => {
  it('an arm is compiled with the trace and hashed like the baseline', async () => {
    const loaded = await loadScenarioFile('traced.yaml', dir);
    const same = await armFromInput(loaded.arms, loaded.input, 'same');
    expect(same.hash).toBe(loaded.hash);
    expect(same.traceTimestampsMs).toBe(loaded.traceTimestampsMs);
    expect(same.model.arrivals).toEqual(loaded.model.arrivals);
  });

  it('a variant that leaves the trace is refused at its patch', async () => {
    const text = TRACED + `  - name: poisson\n    kind: mixed\n    patch: { arrivals: { kind: poisson, rate: 10/s, file: null } }\n`;
    writeFileSync(join(dir, 'leaves.yaml'), text);
    const e = await loadScenarioFile('leaves.yaml', dir).catch((x: unknown) => x);
    expect(issueText(e)).toBe(
      "leaves.yaml:14:12 variants[1] (poisson): arrivals: an arm cannot switch to another trace file or away from it (every arm runs on the baseline's trace); make it a scenario of its own",
    );
  });

  it('a variant made invalid by its patch: every problem, in the file\'s words, at the patch', async () => {
    const text = TRACED + `  - name: bad\n    kind: coordination\n    patch: { stages: { a: { faults: { error: 2 } }, b: { retyr: {} } } }\n`;
    writeFileSync(join(dir, 'bad-variant.yaml'), text);
    const e = await loadScenarioFile('bad-variant.yaml', dir).catch((x: unknown) => x);
    expect(issueText(e)).toBe(
      [
        'bad-variant.yaml:14:12 variants[1] (bad): stages[0].faults.error: must be a probability in [0, 1]; got 2',
        'bad-variant.yaml:14:12 variants[1] (bad): stages[1].retyr: unknown key "retyr"; did you mean "retry"?',
      ].join('\n'),
    );
  });

  it('a sweep point with a bad value names the point and --set', async () => {
    const r = await runCli(['sweep', 'traced.yaml', '--set', 'stages.a.faults.error=0.1,1.5', '--threads', '1'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('--set:1:1 point 2 (stages.a.faults.error=1.5): stages[0].faults.error: must be a probability in [0, 1]; got 1.5\n');
  });
});
