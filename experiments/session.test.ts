import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenarioFile } from './load-scenario.js';
import { compareScenario, type ExperimentOptions } from './experiments.js';
import { computeSensitivity } from './sensitivity.js';
import { ExperimentSession } from './session.js';
import { compiledModuleUrl } from '../bench/compiled-path.js';
import { PACKAGE_ROOT } from './version.js';

const FINTECH = join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml');
/** Runs tasks normally – or, with COORDGAP_TEST_REFUSE set when its threads start, refuses every one. */
const REFUSING = compiledModuleUrl(import.meta.url, '../scripts/test-fixtures/output-blocking-worker.js');

describe('a session shared by the experiments of one command', () => {
  afterEach(() => {
    delete process.env.COORDGAP_TEST_REFUSE;
  });

  it('reuses the runs it finished: the ranking after a comparison simulates only its new arms, to the same bytes', async () => {
    const loaded = await loadScenarioFile(FINTECH, PACKAGE_ROOT, ['requests=2000']);
    const options: ExperimentOptions = { replications: 2, threads: 2, version: 'test' };
    const alone = await computeSensitivity(loaded, options);

    const session = new ExperimentSession(2);
    try {
      const { comparison } = await compareScenario(loaded, { ...options, session });
      expect(comparison).not.toBeNull();
      // From here every task that reaches a worker fails: only reused runs can succeed.
      process.env.COORDGAP_TEST_REFUSE = '1';
      const ranked = await computeSensitivity(loaded, { ...options, session, workerUrl: REFUSING });
      const compute = loaded.variants.filter((v) => v.kind === 'compute').map((v) => v.name);
      // The baseline and the compute variants ran in the comparison; every other intervention had to simulate.
      expect(ranked.result).not.toBeNull();
      expect(new Set(ranked.status.failures.map((f) => f.label))).toEqual(
        new Set(alone.result!.options.concat(alone.result!.whatIf).map((r) => r.name).filter((n) => !compute.includes(n))),
      );
      expect(ranked.result!.options.map((r) => r.name).sort()).toEqual(compute.sort());
      expect(JSON.stringify(ranked.result!.baseline)).toBe(JSON.stringify(alone.result!.baseline));
      for (const name of compute)
        expect(JSON.stringify(ranked.result!.options.find((r) => r.name === name))).toBe(JSON.stringify(alone.result!.options.find((r) => r.name === name)));
    } finally {
      await session.close();
    }
  });

  it('starts its workers once for every experiment and ends them when closed', async () => {
    const loaded = await loadScenarioFile(FINTECH, PACKAGE_ROOT, ['requests=1000']);
    const session = new ExperimentSession(2);
    const pool = session.pool();
    expect(pool.started).toBe(false);
    await compareScenario(loaded, { replications: 2, threads: 2, version: 'test', session });
    expect(pool.started).toBe(true);
    expect(session.pool()).toBe(pool);
    await computeSensitivity(loaded, { replications: 2, threads: 2, version: 'test', session });
    expect(session.pool()).toBe(pool);
    await session.close();
    expect(pool.started).toBe(false);
  });
});
