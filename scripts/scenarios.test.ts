/**
 * Every bundled scenario hits the figures its comment block states, seeded,
 * with the scenario's own request count.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { compareModels, type ComparisonResult } from '../sim/experiment/index.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

async function compare(name: string, replications = 1): Promise<ComparisonResult> {
  const loaded = await loadScenarioFile(join(PACKAGE_ROOT, 'scenarios', name), PACKAGE_ROOT);
  return compareModels(
    loaded.model,
    loaded.variants.map((v) => ({ name: v.name, kind: v.kind, model: v.model, scenarioHash: v.hash })),
    { replications },
  );
}

function variant(c: ComparisonResult, name: string) {
  const v = c.variants.find((x) => x.name === name);
  if (!v) throw new Error(`no variant ${name}`);
  return v;
}

const share = (n: number, of: number) => n / of;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('fintech-underwriting', async () => {
  const c = await compare('fintech-underwriting.yaml');
  const base = c.baseline;

  it('baseline task failure (everything but success) is 34 % ± 1.5 pp, traced to the retrieval→analysis hand-off', () => {
    expect(Math.abs(1 - base.successRate.estimate - 0.34)).toBeLessThanOrEqual(0.015);
    expect(base.attribution[0].origin).toBe('retrieval→analysis');
  });

  it('recovery-layer: task failure under 4 % with no hardware change, escalations reported separately', () => {
    const r = variant(c, 'recovery-layer');
    expect(r.kind).toBe('coordination');
    expect(1 - r.result.successRate.ci95[0]).toBeLessThan(0.04);
    expect(r.result.outcomes.escalated).toBeGreaterThan(0);
    expect(r.result.escalation.count).toBe(r.result.outcomes.escalated);
    const servers = (x: typeof base) => x.pools.map((p) => [p.id, p.servers]);
    expect(servers(r.result)).toEqual(servers(base));
  });

  it('bigger-cpu-box (a declared hardware config): more CPU servers, success unchanged', () => {
    const b = variant(c, 'bigger-cpu-box');
    expect(b.kind).toBe('compute');
    expect(b.result.pools.find((p) => p.id === 'cpu')!.servers).toBe(8);
    expect(base.pools.find((p) => p.id === 'cpu')!.servers).toBe(2);
    expect(b.result.outcomes).toEqual(base.outcomes);
  });

  it('gpu-240-to-180ms: p95 a little lower, task success unchanged within its interval', () => {
    const g = variant(c, 'gpu-240-to-180ms');
    expect(g.kind).toBe('compute');
    expect(g.result.latencyMs.p95).toBeLessThan(base.latencyMs.p95);
    expect(g.result.latencyMs.p95).toBeGreaterThan(base.latencyMs.p95 * 0.85);
    expect(g.delta.successRate.ci95[0]).toBeLessThanOrEqual(0);
    expect(g.delta.successRate.ci95[1]).toBeGreaterThanOrEqual(0);
  });
});

describe('smb-onboarding', async () => {
  const c = await compare('smb-onboarding.yaml');

  it('without a recovery layer about 17 % of runs fail silently', () => {
    const silent = c.baseline.silentFailureRate;
    expect(silent.ci95[0]).toBeLessThan(0.18);
    expect(silent.ci95[1]).toBeGreaterThan(0.16);
  });

  it('with the recovery layer the silent failures become escalations', () => {
    const r = variant(c, 'recovery-layer').result;
    expect(r.silentFailureRate.estimate).toBeLessThan(0.01);
    const escalated = share(r.outcomes.escalated, r.requests);
    expect(Math.abs(escalated - c.baseline.silentFailureRate.estimate)).toBeLessThan(0.02);
  });

  it('a faster CPU changes nothing that matters here', () => {
    expect(variant(c, 'faster-cpu').result.outcomes).toEqual(c.baseline.outcomes);
  });
});

describe('retry-storm', async () => {
  const c = await compare('retry-storm.yaml');
  // Offered load 80/s; the database slows down from 120 s to 140 s.
  const before = (r: ComparisonResult['baseline']) => mean(r.timeline!.successPerSec.slice(2, 11));
  const late = (r: ComparisonResult['baseline']) => mean(r.timeline!.successPerSec.slice(30, 55));

  it('amplifies: during the storm the layers make far more calls than requests', () => {
    const db = c.baseline.stages.find((s) => s.id === 'database')!;
    const gateway = c.baseline.stages.find((s) => s.id === 'gateway')!;
    expect(db.attempts + db.shed).toBeGreaterThan(20 * gateway.attempts);
  });

  it('stays down long after the trigger ends (metastable) without a budget or breakers', () => {
    expect(before(c.baseline)).toBeGreaterThan(70);
    expect(late(c.baseline)).toBeLessThan(5);
  });

  it('recovers with a retry budget or with circuit breakers on every layer', () => {
    for (const name of ['retry-budget', 'circuit-breakers']) expect(late(variant(c, name).result)).toBeGreaterThan(70);
  });
});

describe('single-vs-multi-agent', async () => {
  const c = await compare('single-vs-multi-agent.yaml');

  it('one agent with retrieval is at least as reliable as four agents with free-text hand-offs, and cheaper', () => {
    const single = variant(c, 'single-agent');
    expect(single.delta.successRate.ci95[1]).toBeGreaterThan(0);
    expect(single.result.costUsd.perSuccess!).toBeLessThan(c.baseline.costUsd.perSuccess!);
  });

  it('typed hand-offs make the extra agents pay for themselves', () => {
    const typed = variant(c, 'typed-handoffs');
    expect(typed.delta.successRate.ci95[0]).toBeGreaterThan(0);
    expect(typed.result.successRate.estimate).toBeGreaterThan(variant(c, 'single-agent').result.successRate.estimate);
  });
});
