/**
 * `compare --uncertainty N` through the CLI: the point comparison, N draws,
 * both intervals and P(better); a variant that removes an uncertain fault is
 * better in every draw; 1 and 2 threads agree byte for byte; a path that
 * names no numeric field is refused at its line.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './test-support.js';

const SCENARIO = `name: unc
seed: 3
requests: 3000
arrivals: { kind: poisson, rate: 50/s }
pools: { cpu: { servers: 8 } }
stages:
  - { id: a, pool: cpu, latency: 10ms, faults: { error: 0.04 } }
  - { id: b, pool: cpu, latency: 10ms, faults: { corruption: 0.1 } }
uncertainty:
  stages.a.faults.error: { dist: beta, alpha: 41, beta: 961 }
  stages.b.faults.corruption: { dist: beta, alpha: 11, beta: 91 }
variants:
  - name: fix-a
    kind: coordination
    patch: { stages: { a: { faults: { error: 0 } } } }
`;

describe('compare --uncertainty', () => {
  it('reports the point interval beside the total one, and P(better) over the draws', async () => {
    const dir = tempDir('coordgap-unc-');
    const file = join(dir, 'unc.yaml');
    writeFileSync(file, SCENARIO);
    const outs = await Promise.all([1, 2].map((t) => runCli(['compare', file, '--uncertainty', '20', '--replications', '2', '--threads', String(t), '--json'], dir)));
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    expect(outs[1].stdout).toBe(outs[0].stdout);
    const doc = JSON.parse(outs[0].stdout);
    expect(doc.uncertainty.draws).toBe(20);
    expect(doc.uncertainty.parameters).toEqual(['stages.a.faults.error', 'stages.b.faults.corruption']);
    const success = doc.uncertainty.variants[0].deltas.successRate;
    // Removing a's errors lifts success by p_a (every request passes a, then b's silent faults) – positive in every draw.
    expect(success.pBetter).toBe(1);
    expect(success.totalCi95[0]).toBeGreaterThan(0);
    // The draws carry the fault rate's spread (Beta(41, 961): sd ≈ 0.0063 around 0.041), so the total interval is wider than the point's.
    expect(success.totalCi95[1] - success.totalCi95[0]).toBeGreaterThan(success.point.ci95[1] - success.point.ci95[0]);
    const text = await runCli(['compare', file, '--uncertainty', '5', '--replications', '2'], dir);
    expect(text.stdout).toMatch(/parameter uncertainty: 5 draws of stages\.a\.faults\.error, stages\.b\.faults\.corruption/);
    expect(text.stdout).toMatch(/fix-a\s+Δ task success/);
  }, 120_000);

  it('refuses a path that is no numeric field, at its line, before anything runs', async () => {
    const dir = tempDir('coordgap-unc-bad-');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, SCENARIO.replace('stages.b.faults.corruption:', 'stages.c.faults.corruption:'));
    const r = await runCli(['compare', file, '--uncertainty', '5'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:11:\d+ uncertainty\.stages\.c\.faults\.corruption: a draw of 0\.107843 \(the distribution's mean\) at stages\.c\.faults\.corruption is not valid there: .*no element with id or name "c"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('needs an uncertainty: block and at least two draws', async () => {
    const dir = tempDir('coordgap-unc-none-');
    const file = join(dir, 'none.yaml');
    writeFileSync(file, SCENARIO.replace(/uncertainty:\n(  .*\n){2}/, ''));
    const r = await runCli(['compare', file, '--uncertainty', '5'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no uncertainty: block/);
    writeFileSync(file, SCENARIO);
    expect((await runCli(['compare', file, '--uncertainty', '1'], dir)).stderr).toMatch(/--uncertainty takes a whole number of draws from 2/);
  });
});
