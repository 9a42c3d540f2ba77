/**
 * The LLM closed forms (llm-bounds.ts) against the real engine: rate-limit
 * throughput, the latency tail of TTFT + (n − 1) × TPOT, and the Retry-After
 * a refused call is told. Every run is seeded; every expected value comes
 * from the closed form or a hand computation, never from a run.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../scenario/index.js';
import { simulateModel, type TraceEvent } from '../path/index.js';
import { makeTokenSampler } from '../llm/index.js';
import { llmLatency } from '../llm/compile.js';
import { expectInside, modelOf } from '../test-support.js';
import {
  bucketServedBound,
  llmLatencyExceedance,
  llmLatencyExceedanceOfLaw,
  rateLimitBound,
  rateLimitServedBound,
  retryAfterMs,
} from './llm-bounds.js';

type Stage = ScenarioInput['stages'][number];

/** One LLM stage calling provider `p` (model `m`); `provider` and `call` fields override the defaults. */
function llmScenario(provider: Record<string, unknown>, call: Record<string, unknown>, rest: Partial<ScenarioInput> = {}, stage: Partial<Stage> = {}): ScenarioInput {
  return {
    name: 'llm',
    seed: 11,
    requests: 2000,
    arrivals: { kind: 'poisson', rate: 10 },
    pools: { api: { servers: 2000 } },
    providers: { p: { models: { m: { ttft: 100, tpot: 1 } }, ...provider } },
    stages: [{ id: 'call', pool: 'api', llm: { provider: 'p', model: 'm', ...call }, ...stage } as Stage],
    ...rest,
  } as ScenarioInput;
}

/** Runs a scenario and returns its result with each request's arrival, end, latency and outcome. */
function runTraced(input: ScenarioInput) {
  const arrive = new Map<number, number>();
  const ends = new Map<number, { latencyMs: number; outcome: string }>();
  const events: TraceEvent[] = [];
  const result = simulateModel(modelOf(input), {
    onTrace: (e) => {
      events.push(e);
      if (e.kind === 'arrive') arrive.set(e.request, e.timeMs);
      else if (e.kind === 'end') ends.set(e.request, { latencyMs: e.timeMs - arrive.get(e.request)!, outcome: String(e.detail) });
    },
  });
  const lastArrivalMs = Math.max(...arrive.values());
  return { result, arrive, ends, events, lastArrivalMs };
}

describe('rate limits: a provider at its limit serves at most capacity + rate × T over the cost per call', () => {
  it('TPM binds: constant 1000-token calls every 200 ms against 60 000 TPM admit floor((60 000 + T) / 1000)', () => {
    // 400 in + 600 out, no max_tokens: each call reserves 1000 tokens. Arrivals (5/s) outrun the refill
    // (1000 tokens/s = one call/s), so after the first 15 s the bucket never fills again and nothing is lost
    // to its cap; after each arrival it holds less than one call (a refusal leaves < 1000, an admission
    // < 1000 + 200 − 1000). So served × 1000 = 60 000 + T − L with 0 ≤ L < 1000: served = ⌊bound⌋
    // (one less allowed for floating-point refill sums).
    const { result, lastArrivalMs } = runTraced(
      llmScenario({ limits: { tpm: 60_000 } }, { inputTokens: 400, outputTokens: 600 }, { requests: 3000, arrivals: { kind: 'fixed', interval: 200 } }),
    );
    expect(rateLimitBound({ tpm: 60_000 }, 1000)).toEqual({ binding: 'tpm', callsPerMinute: 60 });
    const bound = bucketServedBound(60_000, 1000, lastArrivalMs);
    expect(lastArrivalMs).toBe(2999 * 200);
    expect(bound).toBeCloseTo(659.8, 9);
    const served = result.outcomes.success;
    expect(served).toBeLessThanOrEqual(Math.floor(bound));
    expect(served).toBeGreaterThanOrEqual(Math.floor(bound) - 1);
    expect(result.outcomes.rejected).toBe(3000 - served);
    expect(result.llm!.providers[0].rateLimited).toBe(3000 - served);
  });

  it('RPM binds: 30 RPM against a call every 100 ms admit floor(30 + 30 T / 60 s); the TPM bucket is far from binding', () => {
    const limits = { rpm: 30, tpm: 10_000_000 };
    const { result, lastArrivalMs } = runTraced(
      llmScenario({ limits }, { inputTokens: 400, outputTokens: 600 }, { requests: 2000, arrivals: { kind: 'fixed', interval: 100 } }),
    );
    expect(rateLimitBound(limits, 1000)).toEqual({ binding: 'rpm', callsPerMinute: 30 });
    const bound = rateLimitServedBound(limits, 1000, lastArrivalMs);
    expect(bound).toBeCloseTo(30 + (30 * 199_900) / 60_000, 9); // 129.95
    expect(result.outcomes.success).toBeLessThanOrEqual(Math.floor(bound));
    expect(result.outcomes.success).toBeGreaterThanOrEqual(Math.floor(bound) - 1);
  });

  it('random tokens, Poisson arrivals: the admitted tokens stay within capacity + rate × T, and the bucket leaves at most its capacity unused', () => {
    // Output lognormal (median 300, p99 2000), 500 in; 100 000 TPM (~1667 tokens/s) against ~20 calls/s of
    // ~800 tokens (~16 000 tokens/s offered): TPM binds (RPM 6000 allows 100 calls/s). Whatever the draws,
    // Σ reserved of admitted calls ≤ C + r·T (a bucket can hand out no more), and ≥ r·T − C (the level
    // ends between 0 and C; it never refills to its cap, which would take a 36 s gap between arrivals).
    const limits = { rpm: 6000, tpm: 100_000 };
    const input = llmScenario({ limits }, { inputTokens: 500, outputTokens: { dist: 'lognormal', median: 300, p99: 2000 } }, {
      requests: 40_000,
      arrivals: { kind: 'poisson', rate: 20 },
    });
    const { result, lastArrivalMs } = runTraced(input);
    const p = result.llm!.providers[0];
    const reservedTokens = p.inputTokens + p.outputTokens; // no cache, no max_tokens: reserved = in + out
    const rateTokens = (100_000 * lastArrivalMs) / 60_000;
    expect(reservedTokens).toBeLessThanOrEqual(100_000 + rateTokens);
    expect(reservedTokens).toBeGreaterThanOrEqual(rateTokens - 100_000);
    const served = result.outcomes.success;
    const offeredMean = 500 + makeTokenSampler({ dist: 'lognormal', median: 300, p99: 2000 }).mean;
    expect(rateLimitBound(limits, offeredMean).binding).toBe('tpm');
    // In calls: the bound at the admitted calls' own mean tokens holds exactly.
    expect(served).toBeLessThanOrEqual(rateLimitServedBound(limits, reservedTokens / served, lastArrivalMs));
    // Seed 11 gives 5049 calls of mean 678 reserved tokens, 59 tokens short of C + r·T. At the offered mean
    // (918) the long-run rate r·T / mean would say 3617: a nearly empty bucket lets small calls in and keeps
    // large ones out, so TPM / mean tokens per call is a bound in the admitted calls' mean, not the offered one.
  });
});

describe('latency tail: P(TTFT + (n − 1) × TPOT > t)', () => {
  /** Simulated share of requests slower than each threshold, checked against the closed form at 99.9 %. */
  function checkTail(input: ScenarioInput, thresholdsMs: number[], expected: (t: number) => number): void {
    const { ends } = runTraced(input);
    const latencies = [...ends.values()].map((e) => {
      expect(e.outcome).toBe('success');
      return e.latencyMs;
    });
    expect(latencies.length).toBe(input.requests);
    for (const t of thresholdsMs) expectInside(latencies.filter((l) => l > t).length, latencies.length, expected(t));
  }

  it('constant TTFT 300 ms and TPOT 20 ms, Zipf(1.1) output below 1024 (BurstGPT): the output-length tail', () => {
    const output = { dist: 'zipf', exponent: 1.1, max: 1024 };
    const pmf = makeTokenSampler(output as never).pmf();
    // Hand check of one point: P(n ≥ 101) = Σ_{101..1023} k^-1.1 / Σ_{1..1023} k^-1.1.
    let h = 0;
    let tail = 0;
    for (let k = 1; k < 1024; k++) {
      h += k ** -1.1;
      if (k >= 101) tail += k ** -1.1;
    }
    expect(llmLatencyExceedance(300, 20, pmf, 300 + 99.5 * 20)).toBeCloseTo(tail / h, 12);
    checkTail(
      llmScenario({ models: { m: { ttft: 300, tpot: 20 } } }, { outputTokens: output }, { requests: 20_000, arrivals: { kind: 'poisson', rate: 50 } }),
      // Between lattice points 300 + m·20, so ≤ and < agree: n > 1, 10, 100, 500.
      [310, 300 + 9.5 * 20, 300 + 99.5 * 20, 300 + 499.5 * 20],
      (t) => llmLatencyExceedance(300, 20, pmf, t),
    );
  });

  it('a lognormal output cut at max_tokens 512: the cap puts the whole tail on one point', () => {
    const output = { dist: 'lognormal', median: 200, p99: 1500 };
    const pmf = makeTokenSampler(output as never).pmf();
    const p = (t: number) => llmLatencyExceedance(250, 15, pmf, t, 512);
    // Past the cap's latency (250 + 511 × 15 = 7915 ms) nothing is slower.
    expect(p(7915.5)).toBe(0);
    expect(p(7914.5)).toBeGreaterThan(0.05);
    checkTail(
      llmScenario({ models: { m: { ttft: 250, tpot: 15 } } }, { outputTokens: output, maxTokens: 512 }, { requests: 20_000, arrivals: { kind: 'poisson', rate: 20 } }),
      [250 + 99.5 * 15, 250 + 199.5 * 15, 250 + 400.5 * 15, 7914.5, 7915.5],
      p,
    );
  });

  it('random TTFT (lognormal, median 400 ms, p99 2 s): 1 − the service law’s cdf', () => {
    const input = llmScenario(
      { models: { m: { ttft: { dist: 'lognormal', median: 400, p99: 2000 }, tpot: 10 } } },
      { outputTokens: { dist: 'lognormal', median: 150, p99: 800 }, maxTokens: 1024 },
      { requests: 20_000, arrivals: { kind: 'poisson', rate: 20 } },
    );
    const model = modelOf(input);
    const law = llmLatency(model.stages[0].llm!, model.providers!, undefined);
    // Sanity of the law at an extreme: with TTFT ≥ 0, nothing beats the output alone at t = 0.
    expect(llmLatencyExceedanceOfLaw(law, 0)).toBe(1);
    checkTail(input, [1000, 2500, 5000, 9000], (t) => llmLatencyExceedanceOfLaw(law, t));
  });
});

describe('Retry-After: a refused call waits ceil((n − level) / (TPM / 60 s)) whole seconds', () => {
  // 6000 TPM (0.1 token/ms), each call reserves 1000 (400 in + 600 out), one every 100 ms.
  // By hand: the level before each call is 6000, 5010, 4020, 3030, 2040, 1050 → six admitted, 50 left at 500 ms.
  // Request 6 at 600 ms: level 60 → wait (1000 − 60)/0.1 = 9400 ms → Retry-After 10 s; retried at 10 600 ms with
  // 60 + 1000 = 1060 → admitted, 60 left. Request 7 at 700 ms: 70 → 9300 ms → 10 s; at 10 700 ms: 70 → 10 s again;
  // at 20 700 ms: 1070 → admitted.
  const base = (retryAfter?: Record<string, unknown>) =>
    llmScenario(
      { limits: { tpm: 6000 } },
      { inputTokens: 400, outputTokens: 600 },
      { requests: 8, arrivals: { kind: 'fixed', interval: 100 } },
      { retry: { maxAttempts: 3, retryOn: ['rateLimited'], backoff: { kind: 'constant', base: 250, jitter: 'none' }, ...(retryAfter ? { retryAfter } : {}) } } as Partial<Stage>,
    );

  it('is what the retry waits, exactly', () => {
    expect(retryAfterMs(1000, 60, 6000)).toBe(10_000);
    expect(retryAfterMs(1000, 70, 6000)).toBe(10_000);
    expect(retryAfterMs(1000, 1000, 6000)).toBe(0);
    expect(retryAfterMs(6001, 6000, 6000)).toBeNaN();
    const { result, events } = runTraced(base());
    const retries = events.filter((e) => e.kind === 'retry').map((e) => [e.timeMs, e.request, e.detail]);
    expect(retries).toEqual([
      [600, 6, retryAfterMs(1000, 60, 6000)],
      [700, 7, retryAfterMs(1000, 70, 6000)],
      [10_700, 7, retryAfterMs(1000, 70, 6000)],
    ]);
    expect(result.outcomes.success).toBe(8);
    expect(result.llm!.providers[0].rateLimited).toBe(3);
    expect(result.llm!.providers[0].rateLimitWaitMs).toBe(30_000);
  });

  it('longer than retryAfter.max is ignored for the backoff (openai-python: only 0 < Retry-After ≤ max)', () => {
    // 250 ms steps never refill 1000 tokens (25 per step): requests 6 and 7 use their three attempts and are refused.
    const { result, events } = runTraced(base({ max: 5000 }));
    expect(events.filter((e) => e.kind === 'retry').map((e) => [e.timeMs, e.request, e.detail])).toEqual([
      [600, 6, 250],
      [700, 7, 250],
      [850, 6, 250],
      [950, 7, 250],
    ]);
    expect(result.outcomes).toMatchObject({ success: 6, rejected: 2 });
    expect(result.llm!.providers[0].rateLimitWaitMs).toBe(1000);
  });
});
