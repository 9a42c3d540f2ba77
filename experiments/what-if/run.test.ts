/**
 * The what-if worker's run against the CLI: the page promises the figures of
 * `coordgap run FILE --json --seed S --requests N --set …`, so the same
 * inputs must give the same JSON, number for number – here in Node, where
 * the CLI runs (reports/what-if.browser.test.ts checks the page in Chromium).
 * The scenario travels as the page carries it: JSON, through a structured
 * clone (postMessage).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenarioFile } from '../load-scenario.js';
import { PACKAGE_ROOT, VERSION } from '../version.js';
import { runCli } from '../../scripts/test-support.js';
import { whatIfPageInput } from './page-input.js';
import { runWhatIf, WhatIfRefused } from './run.js';
import type { WhatIfScenario } from './protocol.js';

const FILE = 'scenarios/fintech-underwriting.yaml';

async function pageScenario(sets: string[] = []): Promise<WhatIfScenario> {
  const page = whatIfPageInput(await loadScenarioFile(FILE, PACKAGE_ROOT, sets), sets, VERSION);
  if (page === null) throw new Error('no what-if page');
  // What the page holds is JSON in the HTML, and what reaches the worker a structured clone of it.
  return structuredClone(JSON.parse(JSON.stringify(page.scenario)) as WhatIfScenario);
}

/** A `run --json` document without what only the CLI adds (meta, thresholds, warnings). */
function figuresOf(doc: Record<string, unknown>): Record<string, unknown> {
  const { meta, thresholds, warnings, ...figures } = doc;
  void meta, void thresholds, void warnings;
  return figures;
}

describe('runWhatIf', () => {
  it('gives the figures of coordgap run --json with the same seed, requests and --set, exactly', async () => {
    const sets = ['stages.bureau.faults.error=0.02', 'stages.analysis.handoff.contextLoss=0.1'];
    const { meta, ...mine } = runWhatIf(await pageScenario(), [...sets, 'seed=7', 'requests=5000']);
    void meta;
    const cli = await runCli(['run', FILE, '--json', '--seed', '7', '--requests', '5000', ...sets.flatMap((s) => ['--set', s])], PACKAGE_ROOT);
    expect(cli.stderr).toBe('');
    expect(JSON.parse(JSON.stringify(mine))).toEqual(figuresOf(JSON.parse(cli.stdout) as Record<string, unknown>));
    expect(mine.requests).toBe(5000);
    expect(mine.seed).toBe(7);
  });

  it("runs on the report's own --set as the CLI does when they are repeated on its command line", async () => {
    const reportSets = ['stages.analysis.validate.catchRate=0.9', 'stages.analysis.retry.maxAttempts=2'];
    const { meta, ...mine } = runWhatIf(await pageScenario(reportSets), [...reportSets, 'stages.analysis.retry.maxAttempts=4', 'seed=1', 'requests=3000']);
    void meta;
    const args = ['run', FILE, '--json', '--seed', '1', '--requests', '3000', ...[...reportSets, 'stages.analysis.retry.maxAttempts=4'].flatMap((s) => ['--set', s])];
    const cli = await runCli(args, PACKAGE_ROOT);
    expect(JSON.parse(JSON.stringify(mine))).toEqual(figuresOf(JSON.parse(cli.stdout) as Record<string, unknown>));
    expect(mine.stages.find((s) => s.id === 'analysis')?.attempts).toBeGreaterThan(3000);
  });

  it('refuses an invalid override with the message the CLI prints for it', async () => {
    const bad = 'stages.bureau.faults.error=1.5';
    let refused: unknown;
    try {
      runWhatIf(await pageScenario(), [bad, 'seed=1', 'requests=100']);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(WhatIfRefused);
    const message = (refused as Error).message;
    expect(message).toBe(`--set:1:1 stages[4].faults.error: must be a probability in [0, 1]; got 1.5 (from --set ${bad})`);
    const cli = await runCli(['run', join(PACKAGE_ROOT, FILE), '--requests', '100', '--set', bad], PACKAGE_ROOT);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(message);
  });
});
