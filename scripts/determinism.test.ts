/**
 * The determinism audit: the same seed gives byte-identical JSON on 1, 2 and 4
 * threads, and a run interrupted and resumed gives exactly what an
 * uninterrupted run gives.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { compareScenario, type ExperimentOptions } from '../experiments/experiments.js';
import { STATE_FILE } from '../experiments/checkpoint.js';
import { referenceGraphScenario, referenceLlmScenario } from '../sim/analysis/index.js';

const FINTECH = join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml');

describe('determinism audit', () => {
  it('1, 2 and 4 threads give byte-identical JSON', async () => {
    const args = ['sweep', join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), '--requests', '2000', '--replications', '3', '--set', 'stages.tools.faults.error=0.01,0.05,0.2', '--json'];
    const outs = await Promise.all([1, 2, 4].map((t) => runCli([...args, '--threads', String(t)], PACKAGE_ROOT)));
    for (const o of outs) expect(o.code).toBe(0);
    expect(outs[1].stdout).toBe(outs[0].stdout);
    expect(outs[2].stdout).toBe(outs[0].stdout);
  });

  it('a graph (router, map fan-out, agent loop): 1 and 2 threads give byte-identical JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-graph-'));
    const file = join(dir, 'graph.yaml');
    // JSON is YAML: the benchmark's reference graph, with a variant that changes one branch.
    const scenario = { ...referenceGraphScenario(3000, 5), variants: [{ name: 'tool-mcp', kind: 'coordination', patch: { stages: { tool: { faults: { error: 0.01 } } } } }] };
    writeFileSync(file, JSON.stringify(scenario));
    const args = ['compare', file, '--replications', '3', '--json'];
    const outs = await Promise.all([1, 2].map((t) => runCli([...args, '--threads', String(t)], PACKAGE_ROOT)));
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    expect(outs[1].stdout).toBe(outs[0].stdout);
    expect(JSON.parse(outs[0].stdout).baseline.graph.composites.map((c: { id: string }) => c.id)).toEqual(['docs', 'react']);
  });

  it('LLM calls on shared providers (rate-limit buckets, overload, a brown-out, failover): 1 and 2 threads give byte-identical JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-llm-'));
    const file = join(dir, 'llm.yaml');
    // A variant that tightens the TPM bucket: its refusals must come out the same on every thread count.
    const scenario = { ...referenceLlmScenario(3000, 5), variants: [{ name: 'tight-tpm', kind: 'coordination', patch: { providers: { hosted: { limits: { tpm: 10_000_000 } } } } }] };
    writeFileSync(file, JSON.stringify(scenario));
    const args = ['compare', file, '--replications', '3', '--json'];
    const outs = await Promise.all([1, 2].map((t) => runCli([...args, '--threads', String(t)], PACKAGE_ROOT)));
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    expect(outs[1].stdout).toBe(outs[0].stdout);
    const tight = JSON.parse(outs[0].stdout).variants[0].result.llm.providers[0];
    expect(tight.rateLimited).toBeGreaterThan(0);
  });

  for (const threads of [1, 2]) {
    it(`an interrupted run resumed with --resume equals an uninterrupted one (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      const loaded = await loadScenarioFile(FINTECH, PACKAGE_ROOT, ['requests=3000']);
      const base: ExperimentOptions = { replications: 3, threads, version: 'test' };
      const whole = await compareScenario(loaded, base);

      const dir = mkdtempSync(join(tmpdir(), 'coordgap-resume-'));
      const stateFile = join(dir, STATE_FILE);
      const stop = new AbortController();
      const first = await compareScenario(loaded, {
        ...base,
        stateFile,
        signal: stop.signal,
        onProgress: (done) => {
          if (done === 4) stop.abort();
        },
      });
      expect(first.status.interrupted).toBe(true);
      expect(existsSync(stateFile)).toBe(true);

      const resumed = await compareScenario(loaded, { ...base, stateFile, resume: true });
      expect(resumed.status).toEqual({ failures: [], interrupted: false });
      expect(JSON.stringify(resumed.comparison)).toBe(JSON.stringify(whole.comparison));
      // Complete now, and kept until a command has written its files (checkpoint.ts CommandStates).
      expect(existsSync(stateFile)).toBe(true);
    });
  }

  it('--resume refuses a state from a different run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-resume-'));
    const loaded = await loadScenarioFile(FINTECH, PACKAGE_ROOT, ['requests=1000']);
    const stop = new AbortController();
    stop.abort();
    await compareScenario(loaded, { replications: 2, threads: 1, version: 'test', stateFile: join(dir, STATE_FILE), signal: stop.signal });
    const r = await runCli(['compare', FINTECH, '--requests', '1000', '--replications', '3', '--out', dir, '--resume', '--threads', '1'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/belongs to a different run/);
  });
});
