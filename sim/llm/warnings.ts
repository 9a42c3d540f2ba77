/**
 * Likely mistakes in LLM calls and providers (sim/scenario/warnings.ts places
 * and prints them). Each can be deliberate – a scenario about what a quota
 * storm costs – so each is a warning, not an error:
 *
 * - the offered calls exceed a provider's RPM, or the tokens they reserve its
 *   TPM, at the scenario's arrival rate (calls per request are the expected
 *   attempts of every definition calling the provider, analysis/demand.ts –
 *   a graph's expected visits included). A token bucket admits at most its
 *   limit per minute over a long run, so of r× its limit at least 1 − 1/r is
 *   refused with 429s – before the retries of those refusals, which only add;
 * - a call whose reservation (uncached input + max_tokens, or the drawn
 *   output without a cap: path/llm-call.ts) exceeds the TPM bucket: a bucket
 *   never holds more than its capacity, so that call is never admitted;
 * - firstTokenTimeout below the model's median time to first token: most
 *   calls give up before the first token;
 * - maxTokens below the output's median: most answers are cut;
 * - an incident window that starts after the last request arrives (requests
 *   / arrival rate): it hits no call, or only stragglers;
 * - retryOn that names quota on a provider with a quota: a quota refusal
 *   lasts until the quota window ends (hours or days), so retries seconds
 *   later are refused again.
 *
 * A bare-number firstTokenTimeout or incident from/to is checked by the
 * scenario's bare-duration warning (warnings.ts bareDurations), which takes
 * the fields and floors from llmBareDurationFields.
 *
 * Pure: reads the data as written (for paths and bare numbers) and the
 * compiled model.
 */
import type { Model, StageModel } from '../path/model.js';
import { stabilityOf } from '../analysis/stability.js';
import { expectedDemand } from '../analysis/demand.js';
import { RETRY_ON_QUOTA } from '../policies/retry/retry.js';
import { durationText } from '../scenario/units.js';
import { lastArrivalMs } from '../scenario/warnings-policies.js';
import type { Sampler } from '../kernel/dist.js';
import type { LlmCallModel, ProviderModel } from './model.js';

export type LlmWarningCode =
  | 'provider-rpm-exceeded'
  | 'provider-tpm-exceeded'
  | 'call-exceeds-tpm'
  | 'first-token-timeout-below-median'
  | 'max-tokens-below-median'
  | 'incident-after-run'
  | 'retry-on-quota';

export interface LlmWarning {
  code: LlmWarningCode;
  path: (string | number)[];
  message: string;
}

type Path = (string | number)[];

/**
 * Below these, a duration written as a bare number is flagged as likely
 * meant in seconds or minutes (a judgement, like warnings.ts
 * BARE_NUMBER_FLOOR_MS): a first-token timeout under a second is below
 * every hosted model's median TTFT we cite (0.3–1.6 s), and an outage window
 * placed within the run's first second is implausible when outages last
 * minutes to hours.
 */
export const LLM_BARE_NUMBER_FLOOR_MS = { firstTokenTimeout: 1000, incidentWindow: 1000 } as const;

/** A duration field the bare-number check looks at: where, below what, what it sets and the unit likely meant. */
export interface BareDurationField {
  path: Path;
  floorMs: number;
  what: string;
  unit: 's' | 'm';
  /** The value as written (a bare number, or a string with its unit). */
  written: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The LLM duration fields present in the data as written, for warnings.ts bareDurations. */
export function llmBareDurationFields(input: unknown): BareDurationField[] {
  if (!isRecord(input)) return [];
  const out: BareDurationField[] = [];
  for (const list of ['stages', 'fallbacks'] as const) {
    const defs = input[list];
    if (Array.isArray(defs))
      defs.forEach((d, i) => {
        if (isRecord(d) && isRecord(d.llm) && d.llm.firstTokenTimeout !== undefined)
          out.push({
            path: [list, i, 'llm', 'firstTokenTimeout'],
            floorMs: LLM_BARE_NUMBER_FLOOR_MS.firstTokenTimeout,
            what: 'a first-token timeout (SDK timeouts are in seconds)',
            unit: 's',
            written: d.llm.firstTokenTimeout,
          });
      });
  }
  if (isRecord(input.providers))
    for (const [id, p] of Object.entries(input.providers)) {
      if (!isRecord(p) || !Array.isArray(p.incidents)) continue;
      p.incidents.forEach((inc, i) => {
        for (const end of ['from', 'to'] as const)
          if (isRecord(inc) && inc[end] !== undefined)
            out.push({ path: ['providers', id, 'incidents', i, end], floorMs: LLM_BARE_NUMBER_FLOOR_MS.incidentWindow, what: "an outage window's time (outages last minutes to hours)", unit: 'm', written: inc[end] });
      });
    }
  return out;
}

/** 1234567 → "1,234,567"; small figures keep two significant digits. */
function count(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(2)).toLocaleString('en-US');
}

function percent(x: number): string {
  return x >= 0.995 ? `${(Math.floor(x * 1000) / 10).toFixed(1)} %` : `${Math.round(x * 100)} %`;
}

function ratio(r: number): string {
  return `${r >= 10 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1)}×`;
}

interface Definition {
  s: StageModel;
  call: LlmCallModel;
  path: Path;
  /** Index in the demand's defs (stages, then fallbacks). */
  d: number;
}

function llmDefinitions(model: Model): Definition[] {
  const out: Definition[] = [];
  model.stages.forEach((s, i) => s.llm !== undefined && out.push({ s, call: s.llm, path: ['stages', i], d: i }));
  model.fallbacks.forEach((s, i) => s.llm !== undefined && out.push({ s, call: s.llm, path: ['fallbacks', i], d: model.stages.length + i }));
  return out;
}

/** Mean tokens a call reserves against TPM: uncached input + max_tokens, or the drawn output without a cap (path/llm-call.ts). */
function meanReservedTokens(call: LlmCallModel): number {
  return call.inputTokens.mean * (1 - call.cachedInputShare) + (call.maxTokens === Infinity ? call.outputTokens.mean : call.maxTokens);
}

/** P(a call's reservation > capacity), from the token laws' pmfs (input and output drawn independently). */
function shareOver(call: LlmCallModel, capacity: number): number {
  const output = call.maxTokens === Infinity ? call.outputTokens.pmf() : [[call.maxTokens, 1] as [number, number]];
  let over = 0;
  for (const [n, p] of call.inputTokens.pmf()) {
    const uncached = n - Math.round(n * call.cachedInputShare);
    for (const [k, q] of output) if (uncached + k > capacity) over += p * q;
  }
  return over;
}

/** Offered calls and reserved tokens per provider against its RPM and TPM (open arrivals only). */
function offeredLoad(model: Model, providers: readonly ProviderModel[], defs: readonly Definition[]): LlmWarning[] {
  const stability = stabilityOf(model);
  const rate = stability.arrivalRatePerSec;
  if (stability.arrivals === 'closed' || rate === null || !Number.isFinite(rate)) return [];
  const demand = expectedDemand(model);
  const out: LlmWarning[] = [];
  providers.forEach((p, pi) => {
    const mine = defs.filter((x) => x.call.provider === pi);
    const callsPerRequest = mine.reduce((a, x) => a + demand.defs[x.d].attempts, 0);
    if (!(callsPerRequest > 0)) return;
    const callsPerMin = rate * 60 * callsPerRequest;
    const offered = `${count(rate)} requests/s × ${count(callsPerRequest)} call${callsPerRequest === 1 ? '' : 's'} each, expected attempts included`;
    if (callsPerMin > p.rpm) {
      const r = callsPerMin / p.rpm;
      out.push({
        code: 'provider-rpm-exceeded',
        path: ['providers', p.id, 'limits', 'rpm'],
        message:
          `the scenario offers ~${count(callsPerMin)} calls/min to ${p.id} (${offered}), ${ratio(r)} its rpm ${count(p.rpm)}: ` +
          `at least ${percent(1 - 1 / r)} of calls will be refused with 429s, and retrying them adds to the load – raise rpm or lower the arrival rate`,
      });
    }
    const tokensPerMin = rate * 60 * mine.reduce((a, x) => a + demand.defs[x.d].attempts * meanReservedTokens(x.call), 0);
    if (tokensPerMin > p.tpm) {
      const r = tokensPerMin / p.tpm;
      out.push({
        code: 'provider-tpm-exceeded',
        path: ['providers', p.id, 'limits', 'tpm'],
        message:
          `the scenario's calls reserve ~${count(tokensPerMin)} tokens/min at ${p.id} (~${count(callsPerMin)} calls/min × ~${count(tokensPerMin / callsPerMin)} tokens each: ` +
          `uncached input + max_tokens, or the output without a cap), ${ratio(r)} its tpm ${count(p.tpm)}: at least ${percent(1 - 1 / r)} of calls will be refused with 429s – raise tpm, lower maxTokens or the arrival rate`,
      });
    }
  });
  return out;
}

/** Per-call figures: reservations above TPM, first-token timeouts and max_tokens below their medians, retried quota refusals. */
function perCall(providers: readonly ProviderModel[], defs: readonly Definition[], input: unknown, quantileMs: QuantileMs): LlmWarning[] {
  const out: LlmWarning[] = [];
  // A bare number under its floor is flagged by the bare-duration warning, whose fix (write the unit) comes first.
  const bare = new Set(llmBareDurationFields(input).filter((f) => typeof f.written === 'number' && f.written < f.floorMs).map((f) => f.path.join('.')));
  for (const { s, call, path } of defs) {
    const p = providers[call.provider];
    const m = p.models[call.model];
    if (Number.isFinite(p.tpm)) {
      const over = shareOver(call, p.tpm);
      if (over > 0) {
        const maxIn = call.inputTokens.max - Math.round(call.inputTokens.max * call.cachedInputShare);
        const out_ = call.maxTokens === Infinity ? `${count(call.outputTokens.max)} output (no maxTokens)` : `${count(call.maxTokens)} max_tokens`;
        out.push({
          code: 'call-exceeds-tpm',
          path: [...path, 'llm', ...(call.maxTokens === Infinity ? [] : ['maxTokens'])],
          message:
            `a call of ${s.id} reserves up to ${count(maxIn)} uncached input + ${out_} = ${count(maxIn + (call.maxTokens === Infinity ? call.outputTokens.max : call.maxTokens))} tokens, ` +
            `more than ${p.id}'s tpm bucket of ${count(p.tpm)}: a bucket never holds more than its limit, so ${over >= 1 ? 'no call can ever be admitted' : `the ${percent(over)} of calls that reserve more can never be admitted`} – ` +
            'lower maxTokens or the input, or raise tpm',
        });
      }
    }
    // A self-hosted model (no ttft: it comes from its pool's serving table) is left out.
    if (call.firstTokenTimeoutMs !== Infinity && m.ttft !== null) {
      const tPath = [...path, 'llm', 'firstTokenTimeout'];
      const late = 1 - m.ttft.cdf(call.firstTokenTimeoutMs);
      if (late > 0.5 && !bare.has(tPath.join('.')))
        out.push({
          code: 'first-token-timeout-below-median',
          path: tPath,
          message:
            `${durationText(call.firstTokenTimeoutMs)} is below ${p.id}/${m.id}'s median time to first token of ${durationText(quantileMs(m.ttft, 0.5))}: ` +
            `at least ${percent(late)} of ${s.id}'s calls give up before the first token (TTFT alone; incidents only slow it further)`,
        });
    }
    if (call.maxTokens !== Infinity) {
      const cut = call.outputTokens.pmf().reduce((a, [n, q]) => (n > call.maxTokens ? a + q : a), 0);
      if (cut > 0.5)
        out.push({
          code: 'max-tokens-below-median',
          path: [...path, 'llm', 'maxTokens'],
          message:
            `${count(call.maxTokens)} is below the median output of ${s.id}'s calls (${count(medianCount(call.outputTokens.pmf()))} tokens): ` +
            `${percent(cut)} of answers are cut at ${count(call.maxTokens)} tokens (finish_reason "length") – raise maxTokens unless truncation is the point`,
        });
    }
    if ((s.retry.retryOnMask & RETRY_ON_QUOTA) !== 0 && s.retry.maxAttempts > 1 && (Number.isFinite(p.quotaTokens) || Number.isFinite(p.quotaSpendUsd))) {
      const retries = s.retry.maxAttempts - 1;
      out.push({
        code: 'retry-on-quota',
        path: [...path, 'retry', 'retryOn'],
        message:
          `retries quota refusals: once ${p.id}'s quota is used up every call is refused until its ${windowText(p.quotaWindowMs)} window ends, ` +
          `so ${s.id}'s ${retries === 1 ? 'retry comes' : `${retries} retries come`} long before it and ${retries === 1 ? 'is' : 'are'} refused again – leave quota out of retryOn` +
          `${s.fallback >= 0 ? ', or add it to llm.fallbackOn to go to the fallback at once' : ''}`,
      });
    }
  }
  return out;
}

/** A quota window in words: days from two days on (720 h reads as 30 days). */
function windowText(ms: number): string {
  return ms >= 2 * 86_400_000 ? `${Number((ms / 86_400_000).toPrecision(3))}-day` : durationText(ms);
}

/** Incident windows that start after the last request has (probably) arrived: open arrivals only. */
function lateIncidents(model: Model, providers: readonly ProviderModel[]): LlmWarning[] {
  if (model.arrivals.kind === 'closed') return [];
  const lastMs = lastArrivalMs(model);
  if (!(lastMs > 0)) return [];
  const how = model.arrivals.kind === 'poisson' ? ` (${count(model.requests)} requests at ${count(model.arrivals.ratePerSec)}/s)` : '';
  const out: LlmWarning[] = [];
  for (const p of providers)
    p.incidents.forEach((inc, i) => {
      // Margin: a Poisson run's last arrival has sd √n/λ; 10 % is over 3 sd from n = 900 requests on.
      if (inc.fromMs <= lastMs * 1.1) return;
      out.push({
        code: 'incident-after-run',
        path: ['providers', p.id, 'incidents', i, 'from'],
        message:
          `the window starts at ${durationText(inc.fromMs)}, but the last request arrives at about ${durationText(lastMs)}${how}: ` +
          'the incident hits no call, or only the last few still in flight – move from: into the run or raise requests',
      });
    });
  return out;
}

/** The smallest count whose cumulative probability reaches 1/2. */
function medianCount(pmf: readonly [number, number][]): number {
  let c = 0;
  for (const [n, q] of pmf) if ((c += q) >= 0.5) return n;
  return pmf.at(-1)?.[0] ?? 0;
}

/** The p-quantile of a latency law (warnings.ts quantileMs, passed in: importing it would close an import cycle). */
export type QuantileMs = (s: Sampler, p: number) => number;

/** The likely mistakes of a model's LLM calls and providers, in a fixed order; `input` is the data as written. */
export function llmWarnings(input: unknown, model: Model, quantileMs: QuantileMs): LlmWarning[] {
  const providers = model.providers ?? [];
  const defs = llmDefinitions(model);
  if (defs.length === 0 && providers.length === 0) return [];
  return [...offeredLoad(model, providers, defs), ...perCall(providers, defs, input, quantileMs), ...lateIncidents(model, providers)];
}
