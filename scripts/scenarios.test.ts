/**
 * Every bundled scenario hits the figures its comment block states, seeded,
 * with the scenario's own request count (the LLM reality pack: its closed
 * forms over several replications, and the README's orderings).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { compareModels, type ComparisonResult } from '../sim/experiment/index.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { wilson } from '../sim/metrics/index.js';

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

// ── The LLM reality pack (README "LLM calls and providers"). Closed forms are
// checked inside a seeded 99 % Wilson interval of the simulated count: wide
// enough that an unrelated change of random streams does not trip them, narrow
// enough to tell the closed form from its neighbours (e.g. 10 vs 11 hand-offs).
const Z99 = 2.5758293035489004;
type Arm = ComparisonResult['baseline'];
/** The closed form `p` lies inside the 99 % Wilson interval of `count` out of the arm's requests. */
function expectWithin(r: Arm, count: number, p: number): void {
  const ci = wilson(count, r.requests, Z99).ci95;
  expect(p).toBeGreaterThanOrEqual(ci[0]);
  expect(p).toBeLessThanOrEqual(ci[1]);
}
const provider = (r: Arm, id: string) => r.llm!.providers.find((p) => p.id === id)!;

describe('rag-sufficiency', async () => {
  const c = await compare('rag-sufficiency.yaml', 4);
  // Sufficient 0.7 (wrong 10 %), insufficient 0.3 (wrong 66 %); the autorater flags 93 % of the insufficient, 7 % of the sufficient.
  it('without a check, silent failures are 0.7 · 0.10 + 0.3 · 0.66 = 26.8 %', () => {
    expectWithin(c.baseline, c.baseline.outcomes.silentFailure, 0.7 * 0.1 + 0.3 * 0.66);
  });

  it('abstain-escalate: the flagged 0.7 · 0.07 + 0.3 · 0.93 escalate, the unflagged keep their error rates; spend per success rises (the human)', () => {
    const r = variant(c, 'abstain-escalate').result;
    expectWithin(r, r.outcomes.escalated, 0.7 * 0.07 + 0.3 * 0.93);
    expectWithin(r, r.outcomes.silentFailure, 0.7 * 0.93 * 0.1 + 0.3 * 0.07 * 0.66);
    expect(r.costUsd.spend.perSuccess!).toBeGreaterThan(10 * c.baseline.costUsd.spend.perSuccess!);
  });
});

describe('mcp-tool-chain', async () => {
  const c = await compare('mcp-tool-chain.yaml', 4);
  // The file's model: a mismatch is drawn on each of the ten hand-offs the loop makes into call-tool (a tool
  // stage); the hand-offs plan→loop and loop→answer involve no tool stage and carry none. 2 % bespoke, 0.4 % MCP.
  const anyOfTen = (m: number) => 1 - (1 - m) ** 10;
  // Validated: every call-tool and the answer check the request's input (catch 90 %); a mismatch first made at
  // hand-off k goes through silently only if all 10 − k + 2 later checks miss it.
  const slipsThrough = (m: number) => {
    let p = 0;
    for (let k = 1; k <= 10; k++) p += (1 - m) ** (k - 1) * m * 0.1 ** (12 - k);
    return p;
  };

  it('bespoke: silent failures 1 − 0.98¹⁰ = 18.3 %; MCP: 1 − 0.996¹⁰ = 3.9 %', () => {
    expectWithin(c.baseline, c.baseline.outcomes.silentFailure, anyOfTen(0.02));
    const mcp = variant(c, 'mcp').result;
    expectWithin(mcp, mcp.outcomes.silentFailure, anyOfTen(0.02 * 0.2));
  });

  it('validation: a caught mismatch (its producer, the loop, is outside the tool call) fails loudly – the same share fails instead of passing silently', () => {
    for (const [name, m] of [['bespoke-validated', 0.02], ['mcp-validated', 0.02 * 0.2]] as const) {
      const r = variant(c, name).result;
      // Loud tool errors that outlast three attempts add ~10 · 0.02³ = 8e-5 to the failed share.
      expectWithin(r, r.outcomes.failed, anyOfTen(m) + 10 * 0.02 ** 3);
      expectWithin(r, r.outcomes.silentFailure, slipsThrough(m));
      expect(r.outcomes.escalated).toBe(0);
    }
  });
});

describe('provider-outage-failover', async () => {
  const c = await compare('provider-outage-failover.yaml', 4);
  // Arrivals 0.5/s for 16,000 requests span 533⅓ min. OpenAI is fully down 4 + 140 min, stalls +30 s for 90 min,
  // and fails half its calls for 122 min; an attempt there fails with 0.5 + 0.5 · 0.01 (the everyday overload).
  // Minutes-long windows dwarf the SDK's seconds of backoff, so the retries of a request meet the same window.
  const spanMin = 16000 / 0.5 / 60;
  const q = 0.5 + 0.5 * 0.01;

  it('SDK retries alone: a request fails when every one of its 3 attempts does – (144 + 122 · 0.505³) / 533⅓ min; the stall makes 90 min more miss 20 s', () => {
    const b = c.baseline;
    expectWithin(b, b.outcomes.success, 1 - (144 + 122 * q ** 3) / spanMin);
    expectWithin(b, b.goodput!.requests, 1 - (144 + 90 + 122 * q ** 3) / spanMin);
  });

  it('failover to a second vendor after the retries: every request answered; only the stall still misses 20 s', () => {
    const r = variant(c, 'second-provider').result;
    expect(r.successRate.ci95[1]).toBe(1);
    expectWithin(r, r.goodput!.requests, 1 - 90 / spanMin);
  });

  it('failover at once on a 5xx or a 5 s first-token timeout answers the stalled requests in time too', () => {
    const fast = variant(c, 'second-provider-fast').result;
    const slow = variant(c, 'second-provider').result;
    expect(fast.successRate.ci95[1]).toBe(1);
    expect(fast.goodput!.rate.ci95[0]).toBeGreaterThan(slow.goodput!.rate.ci95[1]);
    expect(fast.latencyMs.p95).toBeLessThan(c.baseline.latencyMs.p95 / 2);
  });

  it('a smaller model at the same provider: the primary fails over at once on a 5xx, then the same incident meets the fallback – (144 + 122 · 0.505⁴) / 533⅓ min fail', () => {
    const r = variant(c, 'smaller-model').result;
    expectWithin(r, r.outcomes.success, 1 - (144 + 122 * q ** 4) / spanMin);
  });
});

describe('hosted-llm-quota', async () => {
  const c = await compare('hosted-llm-quota.yaml', 4);
  // A planning call reserves its uncached input plus max_tokens: 0.5 · 4,000 + 1,024 = 3,024 tokens of the 800,000 TPM.
  const tpm = 800_000;
  const reserved = 0.5 * 4000 + 1024;
  const callsPerTask = (5 + 20) / 2;

  it('the file\'s arrival rate is ≈ 99 % of the bound TPM ÷ reserved tokens ÷ calls per task ≈ 21.2 tasks/min; max_tokens 512 moves the bound to 25.5', () => {
    const bound = tpm / reserved / callsPerTask;
    expect(bound).toBeCloseTo(21.16, 2);
    expect(21 / bound).toBeGreaterThan(0.98);
    expect(21 / bound).toBeLessThan(1);
    expect(tpm / (0.5 * 4000 + 512) / callsPerTask).toBeGreaterThan(25);
  });

  it('offered more than the bound, the provider admits at most the bucket σ plus TPM × the span ÷ reserved tokens calls, and no fewer than 95 % of TPM × span', async () => {
    const loaded = await loadScenarioFile(join(PACKAGE_ROOT, 'scenarios', 'hosted-llm-quota.yaml'), PACKAGE_ROOT, [
      'arrivals.rate=30/min',
      'requests=600',
    ]);
    const r = compareModels(loaded.model, [], { replications: 1 }).baseline;
    const openai = provider(r, 'openai');
    // A 429 holds no TPM; every other call (answered or overloaded) took its reservation from the bucket.
    const admittedTokens = (openai.calls - openai.rateLimited - openai.quotaRefused) * reserved;
    const minutes = r.simulatedSpanMs / 60_000;
    expect(openai.rateLimited).toBeGreaterThan(0);
    expect(admittedTokens).toBeLessThanOrEqual(tpm + tpm * minutes);
    expect(admittedTokens).toBeGreaterThan(0.95 * tpm * minutes);
  });

  it('retries cannot add capacity: Retry-After with jittered backoff and a budget keeps task success within a point of the naive retries, with more 429s', () => {
    const j = variant(c, 'jittered-budget');
    expect(Math.abs(j.delta.successRate.estimate)).toBeLessThan(0.01);
    expect(provider(j.result, 'openai').rateLimited).toBeGreaterThan(provider(c.baseline, 'openai').rateLimited);
  });

  it('a second provider or max_tokens 512 answers every task; max_tokens 512 with no 429s, a lower p95 and less spend per success', () => {
    expect(c.baseline.successRate.ci95[1]).toBeLessThan(0.99);
    for (const name of ['second-provider', 'max-tokens-512']) expect(variant(c, name).result.successRate.ci95[1]).toBe(1);
    const m = variant(c, 'max-tokens-512').result;
    expect(provider(m, 'openai').rateLimited).toBe(0);
    expect(m.latencyMs.p95).toBeLessThan(c.baseline.latencyMs.p95);
    expect(m.costUsd.spend.perSuccess!).toBeLessThan(c.baseline.costUsd.spend.perSuccess!);
  });
});

describe('self-hosted-vs-hosted', async () => {
  const c = await compare('self-hosted-vs-hosted.yaml', 2);
  const four = variant(c, 'four-replicas').result;
  const hosted = variant(c, 'hosted-provider').result;

  it('four replicas: p95 below two replicas\', more requests within the 20 s target', () => {
    expect(four.latencyMs.p95).toBeLessThan(c.baseline.latencyMs.p95);
    expect(four.goodput!.rate.ci95[0]).toBeGreaterThan(c.baseline.goodput!.rate.ci95[1]);
  });

  it('the hosted provider costs more per success than either self-hosted arm; GPUs are paid busy or idle, so four replicas cost about twice two', () => {
    expect(hosted.costUsd.spend.perSuccess!).toBeGreaterThan(four.costUsd.spend.perSuccess!);
    expect(four.costUsd.spend.perSuccess!).toBeGreaterThan(c.baseline.costUsd.spend.perSuccess!);
    // Replicas × span × $9.832 an hour: 4 vs 2 replicas over about the same span (the arrivals are the same).
    expect(four.costUsd.spend.perSuccess! / c.baseline.costUsd.spend.perSuccess!).toBeGreaterThan(1.8);
    expect(four.costUsd.spend.perSuccess! / c.baseline.costUsd.spend.perSuccess!).toBeLessThan(2.1);
  });
});
