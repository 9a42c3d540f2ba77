import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const FINTECH = join('scenarios', 'fintech-underwriting.yaml');
const SIX_STEP = join('scenarios', 'six-step-97.yaml');

interface Point {
  values: Record<string, number>;
  result: { requests: number; outcomes: Record<string, number> };
}

describe('coordgap sweep FILE on the headline scenario (issue 11.15)', () => {
  it('runs its sweep: block – the retrieval→analysis context loss, the case\'s 0.265 among the values', async () => {
    const r = await runCli(['sweep', FINTECH, '--requests', '2000', '--threads', '1', '--json'], PACKAGE_ROOT);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { parameters: string[]; points: Point[] };
    expect(s.parameters).toEqual(['stages.analysis.handoff.contextLoss']);
    const loss = s.points.map((p) => p.values['stages.analysis.handoff.contextLoss']);
    expect(loss).toEqual([0, 0.05, 0.1, 0.2, 0.265, 0.4]);
    // Points share their random numbers, and a hand-off loses context when its draw is below the
    // probability: every request that loses it at one value loses it at every higher value, so
    // successes cannot rise and silent failures cannot fall as the loss grows.
    const success = s.points.map((p) => p.result.outcomes.success);
    const silent = s.points.map((p) => p.result.outcomes.silentFailure);
    for (let i = 1; i < s.points.length; i++) {
      expect(success[i]).toBeLessThanOrEqual(success[i - 1]);
      expect(silent[i]).toBeGreaterThanOrEqual(silent[i - 1]);
    }
    // The 0.265 point is the scenario as written.
    const run = await runCli(['run', FINTECH, '--requests', '2000', '--threads', '1', '--json'], PACKAGE_ROOT);
    expect(s.points[4].result.outcomes).toEqual(JSON.parse(run.stdout).outcomes);
  });

  it('a scenario without a sweep: block: the commands that would sweep it, built from its own stages and rate', async () => {
    const r = await runCli(['sweep', SIX_STEP], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        `coordgap: ${SIX_STEP} has no sweep: block, so there is no grid to run. Give one on the command line (a list of values, or a range a..b:n of n values):`,
        `  coordgap sweep ${SIX_STEP} --set stages.ingress.faults.error=0.015,0.03,0.06`,
        `  coordgap sweep ${SIX_STEP} --set arrivals.rate=10/s,20/s,40/s`,
        'or run a built-in study: --study add-agent (this scenario with one more reviewing agent, at several catch rates),',
        'or --study reliability-vs-steps with no file (per-step reliability × number of steps against r^n);',
        'or add a sweep: block to the file, e.g. sweep: { parameters: { stages.ingress.faults.error: [0.015, 0.03, 0.06] } }',
        '',
      ].join('\n'),
    );
  });

  it('the suggested commands run as printed', async () => {
    const r = await runCli(['sweep', SIX_STEP], PACKAGE_ROOT);
    const commands = r.stderr.split('\n').filter((l) => l.startsWith('  coordgap sweep '));
    expect(commands).toHaveLength(2);
    for (const c of commands) {
      const args = c.trim().split(/\s+/).slice(1);
      const ran = await runCli([...args, '--requests', '1000', '--threads', '1', '--json'], PACKAGE_ROOT);
      expect(ran.code).toBe(0);
      expect(JSON.parse(ran.stdout).points).toHaveLength(3);
    }
  });
});
