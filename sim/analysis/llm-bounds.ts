/**
 * Closed forms for LLM calls against a provider (sim/llm): what a rate limit
 * lets through, how a call's latency tail follows its output length, the
 * Retry-After a refused call is told, a quota window, and what an outage
 * window does with and without failover. The engine does not use these; the
 * tests compare them with simulated runs (llm-bounds.test.ts).
 */
import type { LlmServiceSampler } from '../llm/service-time.js';

/** Milliseconds in the minute a per-minute limit refers to. */
const MINUTE_MS = 60_000;

// ------------------------------------------------------------------ (a) rate limits

/**
 * Calls a token bucket of `limitPerMinute` (capacity = the limit, refilled
 * continuously at limit/60 per second: sim/llm/token-bucket.ts) can admit in
 * a horizon of `horizonMs`, each taking `costPerCall` (1 for RPM, the
 * reserved tokens for TPM): a (σ, ρ) arrival curve, served · cost ≤ σ + ρ·T
 * (Cruz, "A calculus for network delay, Part I", IEEE Trans. Inf. Theory
 * 37(1), 1991; the token bucket of Turner 1986). With a constant cost the
 * admitted count is at most the floor of this; with a random one the bound
 * holds for the mean cost of the calls admitted – which under saturation is
 * below the offered mean, since a nearly empty bucket lets small calls in
 * first.
 */
export function bucketServedBound(limitPerMinute: number, costPerCall: number, horizonMs: number): number {
  if (!(costPerCall > 0)) throw new RangeError(`costPerCall must be > 0; got ${costPerCall}`);
  return (limitPerMinute + (limitPerMinute * horizonMs) / MINUTE_MS) / costPerCall;
}

export interface RateLimits {
  /** Requests per minute (undefined or Infinity: none). */
  rpm?: number;
  /** Tokens per minute (undefined or Infinity: none). */
  tpm?: number;
}

/** Which limit binds, and the long-run rate it allows. */
export interface RateLimitBound {
  /** The limit that binds: the smaller of RPM and TPM / mean reserved tokens; null when neither is set. */
  binding: 'rpm' | 'tpm' | null;
  /** Long-run admitted calls per minute (Infinity: unlimited). */
  callsPerMinute: number;
}

/**
 * Long-run throughput of a provider at its limits: at most RPM calls per
 * minute, and at most TPM / (mean reserved tokens per call) – the bucket's
 * refill rate over what a call takes from it; the binding one is the
 * smaller (ties go to RPM). The reserved tokens are uncached input plus
 * max_tokens when set, else the output written (sim/path/llm-call.ts).
 */
export function rateLimitBound(limits: RateLimits, meanReservedTokens: number): RateLimitBound {
  const rpm = limits.rpm ?? Infinity;
  const tpmCalls = limits.tpm === undefined || limits.tpm === Infinity ? Infinity : limits.tpm / meanReservedTokens;
  if (rpm === Infinity && tpmCalls === Infinity) return { binding: null, callsPerMinute: Infinity };
  return rpm <= tpmCalls ? { binding: 'rpm', callsPerMinute: rpm } : { binding: 'tpm', callsPerMinute: tpmCalls };
}

/**
 * Calls admitted over a horizon with both limits: each bucket's
 * capacity + rate · T over its cost per call (bucketServedBound), the
 * smaller of the two.
 */
export function rateLimitServedBound(limits: RateLimits, meanReservedTokens: number, horizonMs: number): number {
  const byRpm = limits.rpm === undefined || limits.rpm === Infinity ? Infinity : bucketServedBound(limits.rpm, 1, horizonMs);
  const byTpm = limits.tpm === undefined || limits.tpm === Infinity ? Infinity : bucketServedBound(limits.tpm, meanReservedTokens, horizonMs);
  return Math.min(byRpm, byTpm);
}

// ------------------------------------------------------------------ (b) latency tail

/**
 * P(TTFT + (n − 1) × TPOT > t) for constant TTFT and TPOT and an output
 * length n with the given pmf (TokenSampler.pmf()), cut at `maxTokens`; a
 * call that writes no token ends at its first chunk. LLMPerf's definition of
 * end-to-end time ("TTFT + (N-1) * ITL", ray-project/llmperf-leaderboard).
 * With constant parts the latency is a function of n alone, so the tail is
 * the output-length tail: P(n > 1 + (t − TTFT) / TPOT).
 */
export function llmLatencyExceedance(ttftMs: number, tpotMs: number, pmf: readonly (readonly [number, number])[], tMs: number, maxTokens = Infinity): number {
  let above = 0;
  for (const [n, p] of pmf) {
    const after = Math.max(0, Math.min(n, maxTokens) - 1);
    if (ttftMs + after * tpotMs > tMs) above += p;
  }
  return above;
}

/**
 * The same tail with a random TTFT (and TPOT): 1 − P(TTFT + M·TPOT ≤ t), the
 * law summed over the output length M after the first token
 * (LlmServiceSampler.cdf: exact for a constant TPOT).
 */
export function llmLatencyExceedanceOfLaw(law: LlmServiceSampler, tMs: number): number {
  return 1 - law.cdf(tMs);
}

// ------------------------------------------------------------------ (c) Retry-After

/**
 * How long until a bucket of `limitPerMinute` holding `level` can admit a
 * call costing `n`: (n − level) / (limit / 60 s); 0 when it fits now,
 * Infinity when n exceeds the capacity (it never fits).
 */
export function bucketWaitMs(n: number, level: number, limitPerMinute: number): number {
  if (n <= level) return 0;
  if (n > limitPerMinute) return Infinity;
  return (n - level) / (limitPerMinute / MINUTE_MS);
}

/**
 * The Retry-After a 429 carries: the bucket's wait rounded up to whole
 * seconds, since the header's delay-seconds is a non-negative integer
 * (RFC 9110 §10.2.3). NaN when the call can never fit (no header). E.g.
 * after a burst empties a TPM bucket to `level`, a call reserving n tokens
 * is told ceil((n − level) / (TPM / 60 s)).
 */
export function retryAfterMs(n: number, level: number, limitPerMinute: number): number {
  const waitMs = bucketWaitMs(n, level, limitPerMinute);
  return Number.isFinite(waitMs) ? Math.ceil(waitMs / 1000) * 1000 : NaN;
}

/**
 * Calls admitted per quota window when each uses `tokensPerCall` (input +
 * output written): the provider checks the quota before a call and books it
 * after, so calls go in while the used tokens are below the quota and the
 * last one may pass it – ceil(quota / tokens per call). Every later call in
 * the window is refused; the next window starts afresh.
 */
export function quotaCallsPerWindow(quotaTokens: number, tokensPerCall: number): number {
  return Math.ceil(quotaTokens / tokensPerCall);
}

// ------------------------------------------------------------------ (d) outage windows

/** Expected arrivals of a Poisson stream of `ratePerSec` in [fromMs, toMs): λ·|W|. */
export function expectedArrivalsInWindow(fromMs: number, toMs: number, ratePerSec: number): number {
  return (Math.max(0, toMs - fromMs) / 1000) * ratePerSec;
}

/**
 * Probability that a request whose `attemptsInWindow` attempts all fall in
 * an incident window with error share `errorRate` fails, without failover:
 * each attempt draws its own 5xx, so errorRate^attempts – 1 for a full
 * outage, whatever the retries (OpenAI's 2024-12-11 incident: every API call
 * failed for 4 h 22 min, status.openai.com). A single-call pipeline with
 * no retries loses every request arriving in a full outage.
 */
export function outageFailureProbability(errorRate: number, attemptsInWindow = 1): number {
  return errorRate ** attemptsInWindow;
}

/**
 * P(latency > t) of a request arriving in an incident window whose 5xx goes
 * straight to a fallback on an unaffected provider (llm.fallbackOn:
 * [overloaded]): the refusal costs no time, so a refused call takes the
 * fallback's law, an admitted one the primary's –
 * (1 − e)·P(L₁ > t) + e·P(L₂ > t); for a full outage (e = 1) the fallback's
 * alone.
 */
export function failoverExceedance(errorRate: number, primaryExceedance: number, fallbackExceedance: number): number {
  return (1 - errorRate) * primaryExceedance + errorRate * fallbackExceedance;
}
