/**
 * LLM warnings (warnings.ts): offered calls and tokens against a provider's
 * RPM and TPM, a call larger than the TPM bucket, bare-number durations,
 * a first-token timeout below the TTFT median, max_tokens below the output
 * median, an incident after the last arrival, retried quota refusals.
 * Loaded the way the CLI loads a file, so positions are the file's. Expected
 * figures are worked out in the comments from the scenario's numbers.
 */
import { describe, expect, it } from 'vitest';
import { parseSource, validateSource } from '../scenario/index.js';
import { scenarioSchema } from '../scenario/schema.js';
import { compileScenario } from '../scenario/compile.js';
import { scenarioWarnings } from '../scenario/warning-locate.js';
import { formatWarning } from '../scenario/warnings.js';

function warningsOf(text: string): string[] {
  const src = parseSource(text, 's.yaml');
  const model = compileScenario(validateSource(src, scenarioSchema));
  return scenarioWarnings(src, { input: src.data, model }, []).map(formatWarning);
}

/**
 * 20 requests/s for 20,000 requests (the last arrives at about 1,000 s);
 * one LLM call per request; servers enough for its ~2.8 s (400 ms TTFT +
 * 199 × 12 ms) at 20/s. Limits and the call are filled in per case: the
 * limits on line 8, incidents/quota on line 9, the call on line 16.
 */
function scenario(o: { limits?: string; extra?: string; call?: string; stage?: string; ttft?: string } = {}): string {
  return `name: w
requests: 20000
arrivals: { kind: poisson, rate: 20/s }
pools:
  ext: { servers: 500 }
providers:
  openai:
    limits: ${o.limits ?? '{ rpm: 10000, tpm: 100000000 }'}
${o.extra ?? ''}    models:
      gpt-4o:
        ttft: ${o.ttft ?? '{ dist: lognormal, median: 400ms, p99: 2s }'}
        tpot: 12ms
stages:
  - id: plan
    pool: ext
    llm: { provider: openai, model: gpt-4o, inputTokens: 1000, outputTokens: ${o.call ?? '200'} }
${o.stage ?? ''}`;
}

describe('a clean LLM scenario', () => {
  it('has no warnings', () => expect(warningsOf(scenario())).toEqual([]));
});

describe('offered load against RPM and TPM', () => {
  it('says how many calls and tokens per minute are offered, the ratio to the limit and the least share refused', () => {
    // 20/s × 60 × 1 call = 1,200 calls/min against rpm 500: 2.4×, at least 1 − 1/2.4 = 58 % refused.
    // Tokens: 1,200 × (1,000 input + 200 output, no cap) = 1,440,000/min against tpm 400,000: 3.6×, at least 1 − 1/3.6 = 72 %.
    expect(warningsOf(scenario({ limits: '{ rpm: 500, tpm: 400000 }' }))).toEqual([
      's.yaml:8:20 warning: providers.openai.limits.rpm: the scenario offers ~1,200 calls/min to openai (20 requests/s × 1 call each, expected attempts included), 2.4× its rpm 500: ' +
        'at least 58 % of calls will be refused with 429s, and retrying them adds to the load – raise rpm or lower the arrival rate',
      "s.yaml:8:30 warning: providers.openai.limits.tpm: the scenario's calls reserve ~1,440,000 tokens/min at openai (~1,200 calls/min × ~1,200 tokens each: " +
        'uncached input + max_tokens, or the output without a cap), 3.6× its tpm 400,000: at least 72 % of calls will be refused with 429s – raise tpm, lower maxTokens or the arrival rate',
    ]);
  });

  it('counts expected attempts: retried errors are calls too', () => {
    // error 0.5, 2 attempts: 1 + 0.5 = 1.5 calls per request, 20 × 60 × 1.5 = 1,800/min against rpm 1,000: 1.8×, at least 44 %.
    expect(warningsOf(scenario({ limits: '{ rpm: 1000 }', stage: '    faults: { error: 0.5 }\n    retry: { maxAttempts: 2 }\n' }))).toEqual([
      's.yaml:8:20 warning: providers.openai.limits.rpm: the scenario offers ~1,800 calls/min to openai (20 requests/s × 1.5 calls each, expected attempts included), 1.8× its rpm 1,000: ' +
        'at least 44 % of calls will be refused with 429s, and retrying them adds to the load – raise rpm or lower the arrival rate',
    ]);
  });

  it('reserves max_tokens, not the drawn output, and leaves cached input out', () => {
    // 1,200 calls/min × (1,000 × (1 − 0.5) + 1,000 max_tokens) = 1,800,000 tokens/min against 1,000,000: 1.8×, at least 44 %.
    expect(warningsOf(scenario({ limits: '{ tpm: 1000000 }', call: '200, maxTokens: 1000, cachedInputShare: 0.5' }))).toEqual([
      "s.yaml:8:20 warning: providers.openai.limits.tpm: the scenario's calls reserve ~1,800,000 tokens/min at openai (~1,200 calls/min × ~1,500 tokens each: " +
        'uncached input + max_tokens, or the output without a cap), 1.8× its tpm 1,000,000: at least 44 % of calls will be refused with 429s – raise tpm, lower maxTokens or the arrival rate',
    ]);
  });
});

describe('a call larger than the TPM bucket', () => {
  it('with max_tokens: no call is ever admitted (and the offered tokens are far past tpm)', () => {
    // 1,000 input + 4,096 max_tokens = 5,096 > 4,000. Offered: 1,200 calls/min × 5,096 = 6,115,200 tokens/min, 1,529× the limit.
    expect(warningsOf(scenario({ limits: '{ tpm: 4000 }', call: '200, maxTokens: 4096' }))).toEqual([
      "s.yaml:8:20 warning: providers.openai.limits.tpm: the scenario's calls reserve ~6,115,200 tokens/min at openai (~1,200 calls/min × ~5,096 tokens each: " +
        'uncached input + max_tokens, or the output without a cap), 1,529× its tpm 4,000: at least 99.9 % of calls will be refused with 429s – raise tpm, lower maxTokens or the arrival rate',
      "s.yaml:16:94 warning: stages[0].llm.maxTokens: a call of plan reserves up to 1,000 uncached input + 4,096 max_tokens = 5,096 tokens, more than openai's tpm bucket of 4,000: " +
        'a bucket never holds more than its limit, so no call can ever be admitted – lower maxTokens or the input, or raise tpm',
    ]);
  });

  it('without a cap: the share of calls whose input + drawn output exceeds it', () => {
    // Output uniform on 0 … 3,999: 1,000 + k > 4,000 for k = 3,001 … 3,999, 999 of 4,000 values = 25 %.
    expect(warningsOf(scenario({ limits: '{ tpm: 4000 }', call: '{ dist: uniform, min: 0, max: 3999 }' })).at(-1)).toBe(
      "s.yaml:16:10 warning: stages[0].llm: a call of plan reserves up to 1,000 uncached input + 3,999 output (no maxTokens) = 4,999 tokens, more than openai's tpm bucket of 4,000: " +
        'a bucket never holds more than its limit, so the 25 % of calls that reserve more can never be admitted – lower maxTokens or the input, or raise tpm',
    );
  });
});

describe('bare numbers', () => {
  it('a firstTokenTimeout of 30 is 30 ms: one warning, the bare number, not also "below the median"', () => {
    expect(warningsOf(scenario({ call: '200, firstTokenTimeout: 30' }))).toEqual([
      's.yaml:16:102 warning: stages[0].llm.firstTokenTimeout: 30 is 30 ms: a bare number is milliseconds, implausibly short for a first-token timeout (SDK timeouts are in seconds); write 30s if seconds were meant, or 30ms to keep it',
    ]);
  });

  it("an incident's from: 5, to: 8 read as milliseconds: minutes were likely meant", () => {
    expect(warningsOf(scenario({ extra: '    incidents:\n      - { from: 5, to: 8, errorRate: 0.45 }\n' }))).toEqual([
      "s.yaml:10:17 warning: providers.openai.incidents[0].from: 5 is 5 ms: a bare number is milliseconds, implausibly short for an outage window's time (outages last minutes to hours); write 5m if minutes were meant, or 5ms to keep it",
      "s.yaml:10:24 warning: providers.openai.incidents[0].to: 8 is 8 ms: a bare number is milliseconds, implausibly short for an outage window's time (outages last minutes to hours); write 8m if minutes were meant, or 8ms to keep it",
    ]);
  });

  it('is quiet with the unit written', () => {
    expect(warningsOf(scenario({ call: '200, firstTokenTimeout: 30s', extra: '    incidents:\n      - { from: 5m, to: 8m, errorRate: 0.45 }\n' }))).toEqual([]);
  });
});

describe('time and token limits below their medians', () => {
  it('firstTokenTimeout below the TTFT median: the share of calls that give up', () => {
    // TTFT lognormal, median 400 ms, p99 2 s: σ = ln 5 / 2.3263 = 0.6918; P(T > 300 ms) = Φ(ln(400/300)/σ) = Φ(0.4159) = 0.661.
    expect(warningsOf(scenario({ call: '200, firstTokenTimeout: 300ms' }))).toEqual([
      "s.yaml:16:102 warning: stages[0].llm.firstTokenTimeout: 300 ms is below openai/gpt-4o's median time to first token of 400 ms: at least 66 % of plan's calls give up before the first token (TTFT alone; incidents only slow it further)",
    ]);
  });

  it('maxTokens below the output median: the share of answers cut', () => {
    // Output uniform on 1 … 400: median 200; P(N > 100) = 300/400 = 75 %.
    expect(warningsOf(scenario({ call: '{ dist: uniform, min: 1, max: 400 }, maxTokens: 100' }))).toEqual([
      's.yaml:16:126 warning: stages[0].llm.maxTokens: 100 is below the median output of plan\'s calls (200 tokens): 75 % of answers are cut at 100 tokens (finish_reason "length") – raise maxTokens unless truncation is the point',
    ]);
  });

  it('is quiet when the limits sit above the medians', () => {
    expect(warningsOf(scenario({ call: '{ dist: uniform, min: 1, max: 400 }, maxTokens: 300, firstTokenTimeout: 2s' }))).toEqual([]);
  });
});

describe('an incident after the run', () => {
  it('says when the last request arrives (requests / rate) against the window', () => {
    // 20,000 requests at 20/s: the last arrives at about 1,000 s = 16.7 min.
    expect(warningsOf(scenario({ extra: '    incidents:\n      - { from: 1h, to: 2h }\n' }))).toEqual([
      's.yaml:10:17 warning: providers.openai.incidents[0].from: the window starts at 1.0 h, but the last request arrives at about 16.7 min (20,000 requests at 20/s): ' +
        'the incident hits no call, or only the last few still in flight – move from: into the run or raise requests',
    ]);
  });

  it('is quiet for a window inside the run', () => {
    expect(warningsOf(scenario({ extra: '    incidents:\n      - { from: 10m, to: 12m }\n' }))).toEqual([]);
  });
});

describe('retrying quota refusals', () => {
  const quota = '    quota: { spendUsd: 500, per: 720h }\n';
  it('says the quota window against the retries', () => {
    expect(warningsOf(scenario({ extra: quota, stage: '    retry: { maxAttempts: 3, retryOn: [error, quota] }\n' }))).toEqual([
      "s.yaml:18:39 warning: stages[0].retry.retryOn: retries quota refusals: once openai's quota is used up every call is refused until its 30-day window ends, " +
        "so plan's 2 retries come long before it and are refused again – leave quota out of retryOn",
    ]);
  });

  it('is quiet by default (quota is not in the default retryOn) and without a quota', () => {
    expect(warningsOf(scenario({ extra: quota, stage: '    retry: { maxAttempts: 3 }\n' }))).toEqual([]);
    expect(warningsOf(scenario({ stage: '    retry: { maxAttempts: 3, retryOn: [error, quota] }\n' }))).toEqual([]);
  });
});
