import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');

/** Poisson 1,000/s into one server with a 10 ms mean: offered load 10, the queue grows ~900/s. */
const OVERLOAD = `name: overload
seed: 1
requests: 100000
arrivals: { kind: poisson, rate: 1000/s }
pools:
  cpu: { servers: 1 }
stages:
  - id: work
    pool: cpu
    latency: { dist: exponential, mean: 10ms }
variants:
  - name: huge
    kind: compute
    patch: { requests: 1500000000 }
`;

describe('limits: refused up front, exit 2, with the estimate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'coordgap-limits-'));
    writeFileSync(join(dir, 'overload.yaml'), OVERLOAD);
  });

  it('a billion requests: the estimate, the limit and how to raise it; nothing simulated', async () => {
    const t0 = performance.now();
    const r = await runCli(['run', SIX_STEP, '--requests', '1000000000', '--threads', '1'], PACKAGE_ROOT);
    const refuseMs = performance.now() - t0;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^coordgap: the scenario would take about \d\.\de9 events \(limit 2e9\); lower requests or raise limits\.maxEvents \/ --max-events\n$/);
    // Reported, not asserted (timing is for benchmarks): well under a second in-process.
    console.log(`refused 1e9 requests in ${refuseMs.toFixed(0)} ms`);
  });

  it('--max-events and --max-memory-mb set the limits; a variant over budget is named', async () => {
    const small = await runCli(['run', SIX_STEP, '--requests', '1000', '--max-events', '100', '--threads', '1'], PACKAGE_ROOT);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/would take about [\d,]+ events \(limit 100\)/);
    const mem = await runCli(['run', SIX_STEP, '--requests', '1000', '--max-memory-mb', '64', '--threads', '1'], PACKAGE_ROOT);
    expect(mem.code).toBe(2);
    expect(mem.stderr).toMatch(/would need about [\d,]+ MB \(limit 64 MB\).*raise limits\.maxMemoryMb \/ --max-memory-mb/);
    const variant = await runCli(['compare', 'overload.yaml', '--threads', '1', '--replications', '1'], dir);
    expect(variant.code).toBe(2);
    // After the scenario's warning (its pool is overloaded on purpose): the refusal names the variant.
    expect(variant.stderr).toMatch(/^overload\.yaml:\d+:\d+ warning: pools\.cpu: overloaded 10×/);
    expect(variant.stderr).toMatch(/^coordgap: variant huge would take about 3e9 events/m);
    const bad = await runCli(['run', SIX_STEP, '--max-events', 'lots'], PACKAGE_ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-events must be a number of at least 1; got "lots"/);
  });

  it('an overloaded run reports the unstable system, is cut at the memory cap, and its counts still sum', async () => {
    const r = await runCli(['run', 'overload.yaml', '--json', '--threads', '1', '--max-memory-mb', '140'], dir);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const o = result.outcomes;
    expect(o.success + o.silentFailure + o.failed + o.escalated + o.timedOut + o.rejected).toBe(100_000);
    expect(result.stability).toMatchObject({
      stable: false,
      arrivals: 'open',
      pools: [{ id: 'cpu', offeredLoad: 10, growthPerSec: 900, bounded: false }],
      truncated: true,
      truncatedBy: 'memory',
    });
    expect(result.stability.truncatedRequests).toBe(o.rejected);
    expect(result.stability.truncatedAtMs).toBeGreaterThan(0);

    const text = await runCli(['run', 'overload.yaml', '--threads', '1', '--max-memory-mb', '140'], dir);
    expect(text.stdout).toMatch(/^ {2}warning: unstable system – cpu offered load 10\.0, queue grows ~900 requests\/s: /m);
    expect(text.stdout).toMatch(/^ {2}warning: run cut short at [\d.]+ s simulated: [\d,]+ requests held in memory reached the cap from limits\.maxMemoryMb/m);
  });

  it('a sweep marks the points whose figures carry a caveat', async () => {
    const r = await runCli(['sweep', 'overload.yaml', '--set', 'arrivals.rate=50/s,1000/s', '--requests', '2000', '--threads', '1'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/ caveat$/);
    // 50/s into a 10 ms server: ρ = 0.5, nothing to say; 1,000/s: ρ = 10.
    expect(lines[2]).toMatch(/^ {2}50\/s +[\d.]+ % .* ms$/);
    expect(lines[3]).toMatch(/^ {2}1000\/s .* unstable$/);
  });

  it('a stable scenario prints no warning and reports stable', async () => {
    const r = await runCli(['run', SIX_STEP, '--requests', '2000', '--threads', '1'], PACKAGE_ROOT);
    expect(r.stdout).not.toMatch(/warning/);
    const j = JSON.parse((await runCli(['run', SIX_STEP, '--requests', '2000', '--threads', '1', '--json'], PACKAGE_ROOT)).stdout);
    expect(j.stability).toMatchObject({ stable: true, truncated: false });
  });
});

describe('work amplification: a run that does far more work than its fault rates explain is named', () => {
  it('retry-storm: queued attempts time out and are retried – flagged, with both figures', async () => {
    const storm = join(PACKAGE_ROOT, 'scenarios', 'retry-storm.yaml');
    const j = JSON.parse((await runCli(['run', storm, '--threads', '1', '--json'], PACKAGE_ROOT)).stdout);
    // Five nested layers, no faults of their own but the database's: without queueing, one attempt each.
    expect(j.stability.attemptsPerRequest.expected).toBeCloseTo(5, 1);
    expect(j.stability.attemptsPerRequest.measured).toBeGreaterThan(1.5 * 5);
    expect(j.stability.workAmplified).toBe(true);
    const text = (await runCli(['run', storm, '--threads', '1'], PACKAGE_ROOT)).stdout;
    expect(text).toMatch(/warning: [\d.]+ attempts per request, [\d.]+× the 5\.00 its fault rates explain: attempts are timing out while queued and being retried \(a retry storm\)/);
  });

  it('six-step-97: measured attempts per request match Σ 0.97^i (no retries: a stage runs only when those before it passed) – not flagged', async () => {
    const j = JSON.parse((await runCli(['run', SIX_STEP, '--requests', '20000', '--threads', '1', '--json'], PACKAGE_ROOT)).stdout);
    // No retries: stage i runs once if every stage before it passed, so E[attempts] = Σ_{i<6} 0.97^i.
    const expected = Array.from({ length: 6 }, (_, i) => 0.97 ** i).reduce((a, b) => a + b, 0);
    expect(j.stability.attemptsPerRequest.expected).toBeCloseTo(expected, 10);
    expect(Math.abs(j.stability.attemptsPerRequest.measured / expected - 1)).toBeLessThan(0.01);
    expect(j.stability.workAmplified).toBe(false);
  });
});
