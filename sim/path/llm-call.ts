/**
 * One attempt of an LLM call, decided when it is sent: its tokens, whether
 * the provider lets it in (quota, rate limits, overload, incidents:
 * sim/llm/provider-runtime.ts), and how long it takes – time to first token,
 * then the remaining output one TPOT apart (sim/llm/service-time.ts). The
 * attempt's own faults (a wrong answer, a hung call) are drawn after, as for
 * any stage (request-path.ts startAttempt).
 */
import type { DefinitionRuntime } from './runtime.js';
import type { RequestTable } from './request-table.js';
import type { RunCollector } from '../metrics/collector.js';
import { ADMITTED, REFUSED_OVERLOADED, REFUSED_RATE_LIMIT } from '../llm/provider-runtime.js';
import { llmServiceMs } from '../llm/service-time.js';
import { servingAt } from '../llm/serving.js';
import { ATTEMPT_OK, ATTEMPT_OVERLOADED, ATTEMPT_QUOTA, ATTEMPT_RATE_LIMITED, ATTEMPT_TIMEOUT } from './attempt.js';

/**
 * Sends definition `d`'s call for the request token in `slot` (`root`: the
 * request it belongs to) and returns how long it holds its server: 0 for a
 * refusal, the first-token limit for a call whose first token comes too
 * late, else TTFT + (n − 1) × TPOT. `st.lastLlmResult` says which:
 * ATTEMPT_OK (the attempt's own faults are drawn next), ATTEMPT_TIMEOUT, or
 * a refusal code. Every draw is keyed by the attempt: tokens in and out,
 * the provider's incident and overload draws, TTFT, TPOT.
 *
 * Billing: an admitted call pays its input (cached tokens at the cached
 * price) and the output it wrote – cut at max_tokens, none when the client
 * gave up before the first token (a closed stream stops generation). A
 * refused call pays nothing. What the provider holds against TPM is the
 * uncached input plus max_tokens when set (OpenAI counts max_tokens toward
 * the limit; Anthropic's output limit is estimated from it), else the drawn
 * output.
 */
export function llmAttemptMs(
  st: DefinitionRuntime,
  d: number,
  key: number,
  slot: number,
  root: number,
  nowMs: number,
  t: RequestTable,
  collector: RunCollector,
): number {
  const call = st.llm!;
  const provider = st.provider!;
  const m = st.llmModel!;
  const u = st.llmStream.draws(key);
  const inputTokens = call.inputTokens.fromUniform(u());
  const wanted = call.outputTokens.fromUniform(u());
  const outputTokens = wanted < call.maxTokens ? wanted : call.maxTokens;
  const uIncident = u();
  const uOverload = u();
  const cached = Math.round(inputTokens * call.cachedInputShare);
  const reserved = inputTokens - cached + (call.maxTokens === Infinity ? outputTokens : call.maxTokens);
  const verdict = provider.admit(call.model, reserved, nowMs, uIncident, uOverload);
  if (verdict !== ADMITTED) {
    st.lastInputTokens = 0;
    st.lastOutputTokens = 0;
    st.lastTtftMs = NaN;
    if (verdict === REFUSED_RATE_LIMIT) {
      collector.defRateLimited[d]++;
      t.retryAfterMs[slot] = provider.retryAfterMs;
      st.lastLlmResult = ATTEMPT_RATE_LIMITED;
    } else if (verdict === REFUSED_OVERLOADED) {
      collector.defOverloaded[d]++;
      st.lastLlmResult = ATTEMPT_OVERLOADED;
    } else {
      collector.defQuotaRefused[d]++;
      st.lastLlmResult = ATTEMPT_QUOTA;
    }
    return 0;
  }
  let ttftMs: number;
  let tpotMs: number;
  const serving = st.serving;
  if (serving !== null) {
    // Self-hosted: the figures at the load this call starts under – sequences in flight per GPU, itself included (it holds its slot already).
    const perGpu = st.pool.busy / serving.gpus;
    ttftMs = servingAt(serving, perGpu, 'ttftMs');
    tpotMs = servingAt(serving, perGpu, 'tpotMs');
  } else {
    ttftMs = m.ttft!.sample(u);
    tpotMs = m.tpot!.sample(u);
  }
  const incident = provider.incident;
  if (incident !== null) {
    ttftMs = ttftMs * incident.latencyFactor + incident.extraLatencyMs;
    tpotMs *= incident.latencyFactor;
  }
  ttftMs *= st.scale;
  tpotMs *= st.scale;
  let written = outputTokens;
  let holdMs: number;
  if (ttftMs > call.firstTokenTimeoutMs) {
    written = 0;
    holdMs = call.firstTokenTimeoutMs;
    collector.defFirstTokenTimeouts[d]++;
    st.lastLlmResult = ATTEMPT_TIMEOUT;
  } else {
    holdMs = llmServiceMs(ttftMs, tpotMs, outputTokens);
    st.lastLlmResult = ATTEMPT_OK;
  }
  st.lastInputTokens = inputTokens;
  st.lastOutputTokens = written;
  st.lastTtftMs = written === 0 && outputTokens > 0 ? NaN : ttftMs;
  const costUsd = ((inputTokens - cached) * m.inputPricePerMTokUsd + cached * m.cachedInputPricePerMTokUsd + written * m.outputPricePerMTokUsd) / 1e6;
  collector.defInputTokens[d] += inputTokens;
  collector.defCachedInputTokens[d] += cached;
  collector.defOutputTokens[d] += written;
  collector.defLlmCostUsd[d] += costUsd;
  provider.used(inputTokens + written, costUsd);
  t.llmCalls[root]++;
  t.llmTokens[root] += inputTokens + written;
  return holdMs;
}

/** Whether an attempt's result is a provider's refusal (it never held a provider slot). */
export function refusedByProvider(result: number): boolean {
  return result >= ATTEMPT_RATE_LIMITED && result <= ATTEMPT_QUOTA;
}
