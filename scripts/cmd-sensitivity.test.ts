import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli, tempDir } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

describe('coordgap sensitivity --objective', () => {
  it('ranks by the chosen objective and says so; every row keeps all the figures', async () => {
    const dir = tempDir('coordgap-objective-');
    const file = join(PACKAGE_ROOT, 'scenarios', 'react-agent.yaml');
    const r = await runCli(['sensitivity', file, '--requests', '400', '--replications', '2', '--objective', 'p95', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.objective).toBe('p95');
    const p95s: number[] = s.options.map((o: { delta: { p95Ms: { estimate: number } } }) => o.delta.p95Ms.estimate).filter(Number.isFinite);
    expect(p95s).toEqual([...p95s].sort((a, b) => a - b));
    for (const o of s.options) for (const k of ['successRate', 'spendPerSuccessUsd', 'costPerSuccessUsd', 'p95Ms']) expect(o.delta[k]).toBeDefined();
    const text = await runCli(['sensitivity', file, '--requests', '400', '--replications', '2', '--objective', 'total-cost'], dir);
    expect(text.stdout).toMatch(/options you can buy .*, by Δ total cost per success \(spend \+ assumed penalty\):/);
    expect(text.stdout).toMatch(/Δ total cost\/success/);
  }, 120_000);

  it('refuses an objective it does not know, listing the ones it does', async () => {
    const r = await runCli(['sensitivity', join(PACKAGE_ROOT, 'scenarios', 'react-agent.yaml'), '--objective', 'cost'], tempDir('coordgap-objective-'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are success, spend-per-success, total-cost, p95/);
  });
});
