/**
 * The LLM building blocks against theory – the token bucket, the token
 * samplers, the service-time law – and the engine's provider-wide windows:
 * an outage with and without failover, a brown-out, a quota. Seeded; every
 * expected value is computed by hand or from a closed form
 * (sim/analysis/llm-bounds.ts), never read off a run.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../scenario/index.js';
import { distLatencySchema } from '../scenario/schema-dist.js';
import { makeSampler } from '../kernel/dist.js';
import { simulateModel, type TraceEvent } from '../path/index.js';
import { expectInside, modelOf } from '../test-support.js';
import { TokenBucket, makeTokenSampler, LlmServiceSampler } from './index.js';
import { expectedArrivalsInWindow, failoverExceedance, outageFailureProbability, quotaCallsPerWindow } from '../analysis/llm-bounds.js';

/** Φ by its Maclaurin series (converges for every x; ~1e-14 for |x| < 3): independent of the kernel's. */
function phiSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (-x * x) / 2 / k;
    sum += term / (2 * k + 1);
  }
  return 0.5 + sum / Math.sqrt(2 * Math.PI);
}

describe('TokenBucket', () => {
  it('refills continuously at limit / 60 s, caps at the limit, and never fits more than its capacity', () => {
    const b = new TokenBucket(6000); // 0.1 token per ms
    expect(b.take(6000, 0)).toBe(0);
    expect(b.take(50, 0)).toBeCloseTo(500, 9); // empty: 50 tokens take 500 ms
    expect(b.take(50, 250)).toBeCloseTo(250, 9); // 25 refilled, 25 to go; a refused take takes nothing
    expect(b.take(50, 500)).toBe(0); // 50 refilled
    // Ten idle minutes would refill 60 000; the cap keeps 6000.
    expect(b.take(6000, 600_500)).toBe(0);
    expect(b.take(1, 600_500)).toBeCloseTo(10, 9);
    expect(b.take(6001, 10_000_000)).toBe(Infinity);
    expect(b.take(6000, 10_000_000)).toBe(0); // the refused 6001 left the full bucket alone
  });
});

describe('TokenSampler', () => {
  it('Zipf(1.1) below 1024 (BurstGPT): P(n) = n^-1.1 / H with H = Σ_{k<1024} k^-1.1', () => {
    let h = 0;
    for (let k = 1; k < 1024; k++) h += k ** -1.1;
    const s = makeTokenSampler({ dist: 'zipf', exponent: 1.1, max: 1024 });
    const pmf = s.pmf();
    expect(pmf[0][0]).toBe(1);
    expect(pmf[0][1]).toBeCloseTo(1 / h, 14);
    expect(pmf[9][1]).toBeCloseTo(10 ** -1.1 / h, 14);
    expect(s.min).toBe(1);
    expect(s.max).toBe(1023);
    expect(s.fromUniform(0)).toBe(1);
    expect(s.fromUniform(1 / h - 1e-9)).toBe(1);
    expect(s.fromUniform(1 / h + 1e-9)).toBe(2);
  });

  it('a lognormal rounds to whole tokens: P(N ≤ n) = Φ((ln(n + ½) − ln median) / σ), σ = ln(p99 / median) / z₀.₉₉', () => {
    const z99 = 2.3263478740408408; // Φ⁻¹(0.99)
    const sigma = Math.log(1500 / 200) / z99;
    const cdf = (n: number) => phiSeries(Math.log((n + 0.5) / 200) / sigma);
    const s = makeTokenSampler({ dist: 'lognormal', median: 200, p99: 1500 });
    const pmf = s.pmf();
    const upTo = (n: number) => pmf.filter(([k]) => k <= n).reduce((a, [, p]) => a + p, 0);
    for (const n of [1, 50, 199, 200, 1499, 1500]) expect(upTo(n)).toBeCloseTo(cdf(n), 9);
    // The median and p99 land on the given whole counts: F(199) < 0.5 < F(200), F(1499) < 0.99 < F(1500).
    expect(s.fromUniform(0.5)).toBe(200);
    expect(s.fromUniform(0.99)).toBe(1500);
  });

  it('a heavy lognormal (median 1, p99 600) draws by inverse transform and summarises its pmf on a grid, not a table of every count', () => {
    const sigma = Math.log(600) / 2.3263478740408408;
    const s = makeTokenSampler({ dist: 'lognormal', median: 1, p99: 600 });
    // Its 1 − 1e-9 quantile, e^(σ·Φ⁻¹(1 − 1e-9)) ≈ 1.5e7 tokens, is cut at the 2M tokens of the largest context window.
    expect(s.max).toBe(2_000_000);
    const pmf = s.pmf();
    expect(pmf.length).toBeLessThanOrEqual(4096);
    expect(pmf.reduce((a, [, p]) => a + p, 0)).toBeCloseTo(1, 12);
    // Rounding at least 1: P(N = 1) = Φ(ln 1.5 / σ); the grid's mass there is within one slice (1/4096) of it.
    const p1 = pmf.find(([n]) => n === 1)![1];
    expect(Math.abs(p1 - phiSeries(Math.log(1.5) / sigma))).toBeLessThan(1 / 4096);
    expect(s.fromUniform(0.99)).toBe(600);
  });
});

describe('LlmServiceSampler', () => {
  it('mean and variance: E[TTFT] + E[M]·E[TPOT] with M = max(min(N, cap) − 1, 0), by hand for a small table', () => {
    // N ∈ {0, 1, 5, 50} with weights 1, 2, 3, 4, max_tokens 20 → M ∈ {0, 0, 4, 19}.
    // E[M] = (4·3 + 19·4)/10 = 8.8, E[M²] = (16·3 + 361·4)/10 = 149.2.
    // TTFT uniform[100, 300]: mean 200, variance 200²/12. TPOT exponential, mean 10: E[T²] = 200.
    const ttft = makeSampler(distLatencySchema.parse({ dist: 'uniform', min: 100, max: 300 }));
    const tpot = makeSampler(distLatencySchema.parse({ dist: 'exponential', mean: 10 }));
    const tokens = makeTokenSampler({ dist: 'empirical', counts: [[0, 1], [1, 2], [5, 3], [50, 4]] });
    const law = new LlmServiceSampler(ttft, tpot, tokens, 20);
    expect(law.meanMs).toBeCloseTo(200 + 8.8 * 10, 9);
    expect(law.varianceMs2).toBeCloseTo(40_000 / 12 + 149.2 * 200 - 8.8 ** 2 * 100, 6);
  });
});

type Stage = ScenarioInput['stages'][number];

/**
 * Two providers: `a` (TTFT 200 ms, TPOT 10 ms) with `incident`, `b` unaffected (100 ms, 5 ms); every call
 * writes 51 tokens, so a call to a takes 700 ms and one to b 350 ms. Poisson arrivals at 20/s.
 */
function outageScenario(incident: { from: number; to: number; errorRate?: number }, stage: Partial<Stage>, requests = 2000): ScenarioInput {
  return {
    name: 'outage',
    seed: 5,
    requests,
    arrivals: { kind: 'poisson', rate: 20 },
    pools: { api: { servers: 500 } },
    providers: {
      a: { incidents: [incident], models: { big: { ttft: 200, tpot: 10 } } },
      b: { models: { small: { ttft: 100, tpot: 5 } } },
    },
    stages: [{ id: 'call', pool: 'api', llm: { provider: 'a', model: 'big', outputTokens: 51 }, ...stage } as Stage],
    fallbacks: [{ id: 'other', pool: 'api', llm: { provider: 'b', model: 'small', outputTokens: 51 } } as never],
  } as ScenarioInput;
}

/** Per request: arrival time, latency, outcome. */
function perRequest(input: ScenarioInput): { arriveMs: number; latencyMs: number; outcome: string }[] {
  const rows: { arriveMs: number; latencyMs: number; outcome: string }[] = [];
  simulateModel(modelOf(input), {
    onTrace: (e: TraceEvent) => {
      if (e.kind === 'arrive') rows[e.request] = { arriveMs: e.timeMs, latencyMs: NaN, outcome: '' };
      else if (e.kind === 'end') {
        rows[e.request].latencyMs = e.timeMs - rows[e.request].arriveMs;
        rows[e.request].outcome = String(e.detail);
      }
    },
  });
  return rows;
}

/** Equal up to the rounding of (arrival + service) − arrival in doubles (arrival times are Poisson draws). */
const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;

const inWindow = (from: number, to: number) => (r: { arriveMs: number }) => r.arriveMs >= from && r.arriveMs < to;

describe('outage windows', () => {
  const fullOutage = { from: 20_000, to: 50_000 };

  it('a full outage fails every request arriving inside it, without failover; outside, all succeed', () => {
    const rows = perRequest(outageScenario(fullOutage, {}));
    const inside = rows.filter(inWindow(20_000, 50_000));
    const outside = rows.filter((r) => !inWindow(20_000, 50_000)(r));
    expect(outageFailureProbability(1)).toBe(1);
    expect(inside.every((r) => r.outcome === 'failed')).toBe(true);
    expect(outside.every((r) => r.outcome === 'success' && near(r.latencyMs, 700))).toBe(true);
    // Arrivals in the window: Poisson with mean λ|W| = 600; within its 99.9 % range (±3.29 √600).
    const mean = expectedArrivalsInWindow(20_000, 50_000, 20);
    expect(mean).toBe(600);
    expect(Math.abs(inside.length - mean)).toBeLessThan(3.2905 * Math.sqrt(mean));
  });

  it('with retries every attempt inside a full outage fails too: errorRate^attempts = 1', () => {
    const rows = perRequest(outageScenario(fullOutage, { retry: { maxAttempts: 3, retryOn: ['overloaded'], backoff: { kind: 'constant', base: 100, jitter: 'none' } } } as Partial<Stage>));
    // Arrivals before 49.8 s make all three attempts (at +0, +100, +200 ms) inside the window.
    const inside = rows.filter(inWindow(20_000, 49_800));
    expect(outageFailureProbability(1, 3)).toBe(1);
    expect(inside.length).toBeGreaterThan(500);
    expect(inside.every((r) => r.outcome === 'failed')).toBe(true);
  });

  it('with failover on overloaded to an unaffected provider, every request inside succeeds with the fallback’s latency', () => {
    const rows = perRequest(outageScenario(fullOutage, { fallback: 'other', llm: { provider: 'a', model: 'big', outputTokens: 51, fallbackOn: ['overloaded'] } } as Partial<Stage>));
    const inside = rows.filter(inWindow(20_000, 50_000));
    expect(inside.length).toBeGreaterThan(500);
    // The refusal costs nothing, so the request takes the fallback's 100 + 50 × 5 = 350 ms exactly.
    expect(inside.every((r) => r.outcome === 'success' && near(r.latencyMs, 350))).toBe(true);
    expect(rows.filter((r) => !inWindow(20_000, 50_000)(r)).every((r) => r.outcome === 'success' && near(r.latencyMs, 700))).toBe(true);
  });

  it('a brown-out (45 % failing, as on 2024-12-04): failover mixes the two laws; two attempts without failover fail 0.45²', () => {
    const brownOut = { from: 0, to: 200_000, errorRate: 0.45 };
    const withFailover = perRequest(
      outageScenario(brownOut, { fallback: 'other', llm: { provider: 'a', model: 'big', outputTokens: 51, fallbackOn: ['overloaded'] } } as Partial<Stage>, 3000),
    ).filter(inWindow(0, 200_000));
    expect(withFailover.every((r) => r.outcome === 'success')).toBe(true);
    // P(L > 500 ms): the primary's 700 ms is > 500, the fallback's 350 is not.
    expectInside(withFailover.filter((r) => r.latencyMs > 500).length, withFailover.length, failoverExceedance(0.45, 1, 0));
    const retried = perRequest(outageScenario(brownOut, { retry: { maxAttempts: 2, retryOn: ['overloaded'], backoff: { kind: 'constant', base: 0, jitter: 'none' } } } as Partial<Stage>, 3000)).filter(
      inWindow(0, 200_000),
    );
    expectInside(retried.filter((r) => r.outcome === 'failed').length, retried.length, outageFailureProbability(0.45, 2));
  });
});

describe('quota window', () => {
  it('after the window’s tokens are used, calls are refused until the window ends, then recover', () => {
    // 9500 tokens per minute of quota; each call uses 400 in + 600 out = 1000; one call a second for 3 minutes.
    // The quota is checked before a call and booked after: ceil(9500 / 1000) = 10 calls get in per window.
    const perWindow = quotaCallsPerWindow(9500, 1000);
    expect(perWindow).toBe(10);
    const input = {
      name: 'quota',
      seed: 3,
      requests: 180,
      arrivals: { kind: 'fixed', interval: 1000 },
      pools: { api: { servers: 50 } },
      providers: { p: { quota: { tokens: 9500, per: 60_000 }, models: { m: { ttft: 100, tpot: 1 } } } },
      stages: [{ id: 'call', pool: 'api', llm: { provider: 'p', model: 'm', inputTokens: 400, outputTokens: 600 } } as Stage],
    } as ScenarioInput;
    const rows = perRequest(input);
    rows.forEach((r, i) => expect(r.outcome, `request ${i} at ${r.arriveMs} ms`).toBe(i % 60 < perWindow ? 'success' : 'rejected'));
    const result = simulateModel(modelOf(input));
    expect(result.llm!.providers[0].quotaRefused).toBe(3 * (60 - perWindow));
    expect(result.llm!.providers[0].inputTokens + result.llm!.providers[0].outputTokens).toBe(3 * perWindow * 1000);
  });
});
