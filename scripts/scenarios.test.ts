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

/** P(more right than wrong answers) among n samples, each right with r, wrong with w, missing otherwise (multinomial sum). */
const rightMajority = (n: number, r: number, w: number): number => {
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  let sum = 0;
  for (let a = 0; a <= n; a++)
    for (let b = 0; a + b <= n; b++)
      if (a > b) sum += (factorial(n) / (factorial(a) * factorial(b) * factorial(n - a - b))) * r ** a * w ** b * (1 - r - w) ** (n - a - b);
  return sum;
};

describe('react-agent', async () => {
  const c = await compare('react-agent.yaml');
  const loop = (r: ComparisonResult['baseline']) => r.graph!.composites.find((x) => x.id === 'react')!.iterations!;

  it('without a limit the loop gets LangGraph\'s default: ⌊10007 / 2 body nodes⌋ = 5003 iterations', () => {
    expect(loop(c.baseline).limit).toBe(Math.floor(10007 / 2));
    expect(loop(variant(c, 'limit-25').result).limit).toBe(25);
  });

  it('a limit of 25 saves spend without losing a task; 10 also cuts off legitimate tasks (10 % need more than 10 iterations)', () => {
    const spend = (r: ComparisonResult['baseline']) => r.costUsd.spend.perRequest;
    const l25 = variant(c, 'limit-25');
    const l10 = variant(c, 'limit-10');
    expect(spend(l25.result)).toBeLessThan(spend(c.baseline));
    expect(spend(l10.result)).toBeLessThan(spend(l25.result));
    expect(l25.delta.successRate.ci95[0]).toBeLessThanOrEqual(0);
    expect(l25.delta.successRate.ci95[1]).toBeGreaterThanOrEqual(0);
    expect(l10.delta.successRate.ci95[1]).toBeLessThan(0);
    expect(loop(l10.result).limitHitRate).toBeGreaterThan(0.02);
  });

  it('typed tools cut silent failures; faster inference moves p95 and nothing else', () => {
    expect(variant(c, 'typed-tools').result.silentFailureRate.ci95[1]).toBeLessThan(c.baseline.silentFailureRate.ci95[0]);
    const fast = variant(c, 'faster-inference').result;
    expect(fast.outcomes).toEqual(c.baseline.outcomes);
    expect(fast.latencyMs.p95).toBeLessThan(c.baseline.latencyMs.p95);
  });
});

describe('map-reduce-rag', async () => {
  const c = await compare('map-reduce-rag.yaml');
  // Closed form: embed-query and retrieve pass 0.998 each; a summary is clean 1 − 0.02 − 0.03 = 0.95, the map
  // over N ~ uniform{3, 4, 5} documents under an all-join E[0.95^N]; the answer is clean 1 − 0.01 − 0.10 = 0.89.
  const front = 0.998 * 0.998;
  const summaries = (0.95 ** 3 + 0.95 ** 4 + 0.95 ** 5) / 3;

  it('join all: success is 0.998² · E[0.95^N] · 0.89, in the closed form and inside the simulated interval', () => {
    const expected = front * summaries * 0.89;
    expect(c.baseline.analytic!.successRate).toBeCloseTo(expected, 9);
    expect(c.baseline.successRate.ci95[0]).toBeLessThan(expected);
    expect(c.baseline.successRate.ci95[1]).toBeGreaterThan(expected);
  });

  it('self-consistency over 5 samples: right when the right answers outnumber the wrong ones among those that came back (wrong answers taken to agree)', () => {
    const r = variant(c, 'self-consistency-5').result;
    // Each sample: right 0.89, wrong 0.10, no answer 0.01 – summed over the multinomial outcomes with more right than wrong.
    const expected = front * summaries * rightMajority(5, 0.89, 0.1);
    expect(r.analytic!.successRate).toBeCloseTo(expected, 9);
    expect(r.successRate.ci95[0]).toBeLessThan(expected);
    expect(r.successRate.ci95[1]).toBeGreaterThan(expected);
  });

  it('quorum and first-good joins fail less and answer sooner than waiting for every summary', () => {
    for (const name of ['quorum-3', 'first-good']) {
      const v = variant(c, name);
      expect(v.delta.successRate.ci95[0]).toBeGreaterThan(0);
      expect(v.result.latencyMs.p95).toBeLessThan(c.baseline.latencyMs.p95);
    }
  });
});

describe('supervisor-crew', async () => {
  const c = await compare('supervisor-crew.yaml');

  it('a fourth agent adds spend and latency and no reliability that shows; typed hand-offs add reliability', () => {
    const fourth = variant(c, 'fourth-agent');
    // No reliability that shows: the paired interval of the change holds 0.
    expect(fourth.delta.successRate.ci95[0]).toBeLessThan(0);
    expect(fourth.delta.successRate.ci95[1]).toBeGreaterThan(0);
    expect(fourth.result.costUsd.spend.perSuccess!).toBeGreaterThan(c.baseline.costUsd.spend.perSuccess!);
    expect(fourth.result.latencyMs.p95).toBeGreaterThan(c.baseline.latencyMs.p95);
    expect(variant(c, 'typed-state').delta.successRate.ci95[0]).toBeGreaterThan(0);
  });
});

describe('retrieve-analyze-escalate', async () => {
  const c = await compare('retrieve-analyze-escalate.yaml');

  it('without an error state, success is 0.99 · (1 − 0.265) · 0.97 · 0.99 and the empty retrieval passes silently', () => {
    const expected = 0.99 * (1 - 0.265) * 0.97 * 0.99;
    expect(c.baseline.analytic!.successRate).toBeCloseTo(expected, 9);
    expect(c.baseline.successRate.ci95[0]).toBeLessThan(expected);
    expect(c.baseline.successRate.ci95[1]).toBeGreaterThan(expected);
    expect(c.baseline.attribution[0].origin).toBe('retrieve→analyze');
  });

  it('the error state turns the silent failures into escalations; redoing the retrieval first leaves few for the human', () => {
    const e = variant(c, 'error-state').result;
    expect(e.silentFailureRate.estimate).toBeLessThan(0.02);
    expect(Math.abs(share(e.outcomes.escalated, e.requests) - c.baseline.silentFailureRate.estimate)).toBeLessThan(0.03);
    const redo = variant(c, 'error-state-redo').result;
    expect(redo.successRate.ci95[0]).toBeGreaterThan(0.95);
    expect(redo.outcomes.escalated).toBeLessThan(e.outcomes.escalated / 5);
    expect(variant(c, 'bigger-cpu-box').result.outcomes).toEqual(c.baseline.outcomes);
  });
});
