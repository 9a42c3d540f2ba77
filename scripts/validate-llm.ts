/**
 * What `coordgap validate` says about a scenario's LLM calls: each provider
 * with its limits, quota, overload and incident windows and its models, and
 * which provider and model each LLM stage and fallback calls – as it names a
 * graph's parts, so a typo in a limit shows before anything runs. Nothing for
 * a scenario without providers.
 */
import type { Model } from '../sim/path/index.js';
import { int, ms, pct, usd } from '../reports/format.js';

type Provider = NonNullable<Model['providers']>[number];

/** A window or an offset as a person would write it: "90 ms", "45 s", "5 min", "1 min 30 s", "4 h 22 min" (whole seconds). */
export function duration(x: number): string {
  if (x < 1000) return ms(x);
  const s = Math.round(x / 1000);
  const [h, min, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  // The largest unit, then each smaller one that is not 0: never a rounded-away second.
  const parts = [...(h > 0 ? [`${h} h`] : []), ...(min > 0 ? [`${min} min`] : []), ...(sec > 0 ? [`${sec} s`] : [])];
  return parts.join(' ');
}

/** "1,000 RPM · 400,000 TPM · 8 in flight · quota 2,000,000 tokens per 24 h · 529s on 1.0 % of calls". */
function limits(p: Provider): string[] {
  const quota = [
    ...(Number.isFinite(p.quotaTokens) ? [`${int(p.quotaTokens)} tokens`] : []),
    ...(Number.isFinite(p.quotaSpendUsd) ? [usd(p.quotaSpendUsd)] : []),
  ];
  return [
    ...(Number.isFinite(p.rpm) ? [`${int(p.rpm)} RPM`] : []),
    ...(Number.isFinite(p.tpm) ? [`${int(p.tpm)} TPM`] : []),
    ...(Number.isFinite(p.concurrency) ? [`${int(p.concurrency)} in flight`] : []),
    ...(quota.length > 0 ? [`quota ${quota.join(' or ')} per ${duration(p.quotaWindowMs)}`] : []),
    ...(p.overloadProbability > 0 ? [`529s on ${pct(p.overloadProbability)} of calls`] : []),
  ];
}

/** "5 min–8 min: 45.0 % failing", "0 ms–4.37 h: outage", "10 min–20 min: latency × 3". */
function incident(p: Provider, i: Provider['incidents'][number]): string {
  const what = [
    ...(i.errorRate >= 1 ? ['outage'] : i.errorRate > 0 ? [`${pct(i.errorRate)} failing`] : []),
    ...(i.latencyFactor !== 1 ? [`latency × ${+i.latencyFactor.toFixed(3)}`] : []),
    ...(i.extraLatencyMs > 0 ? [`+${ms(i.extraLatencyMs)} to the first token`] : []),
  ];
  const models = i.models === null ? '' : ` (${i.models.map((m) => p.models[m].id).join(', ')})`;
  return `${duration(i.fromMs)}–${duration(i.toMs)}: ${what.length > 0 ? what.join(', ') : 'no effect'}${models}`;
}

/** One line per provider, then one naming every LLM call; [] without providers. */
export function llmValidateLines(model: Model): string[] {
  const providers = model.providers ?? [];
  if (providers.length === 0) return [];
  const out = providers.map((p) => {
    const parts = limits(p);
    const incidents = p.incidents.map((i) => incident(p, i));
    return (
      `provider ${p.id}: ${parts.length > 0 ? parts.join(' · ') : 'no limits'}` +
      (incidents.length > 0 ? ` · incident${incidents.length === 1 ? '' : 's'} ${incidents.join('; ')}` : '') +
      ` · model${p.models.length === 1 ? '' : 's'} ${p.models.map((m) => m.id).join(', ')}`
    );
  });
  const calls = [
    ...model.stages.flatMap((s) => (s.llm ? [`${s.id} → ${callee(providers, s.llm)}`] : [])),
    ...model.fallbacks.flatMap((s) => (s.llm ? [`fallback ${s.id} → ${callee(providers, s.llm)}`] : [])),
  ];
  if (calls.length > 0) out.push(`LLM calls: ${calls.join(' · ')}`);
  return out;
}

function callee(providers: readonly Provider[], call: { provider: number; model: number }): string {
  const p = providers[call.provider];
  return `${p.id} ${p.models[call.model].id}`;
}

/** The providers and calls as validate --json gives them (limits that are not set are absent). */
export function llmValidateJson(model: Model): { providers: object[]; llmCalls: object[] } | undefined {
  const providers = model.providers ?? [];
  if (providers.length === 0) return undefined;
  const finite = (k: string, x: number) => (Number.isFinite(x) ? { [k]: x } : {});
  return {
    providers: providers.map((p) => ({
      id: p.id,
      ...finite('rpm', p.rpm),
      ...finite('tpm', p.tpm),
      ...finite('concurrency', p.concurrency),
      ...finite('quotaTokens', p.quotaTokens),
      ...finite('quotaSpendUsd', p.quotaSpendUsd),
      ...(Number.isFinite(p.quotaTokens) || Number.isFinite(p.quotaSpendUsd) ? { quotaWindowMs: p.quotaWindowMs } : {}),
      overloadProbability: p.overloadProbability,
      incidents: p.incidents.length,
      models: p.models.map((m) => m.id),
    })),
    llmCalls: [
      ...model.stages.flatMap((s) => (s.llm ? [{ stage: s.id, provider: providers[s.llm.provider].id, model: providers[s.llm.provider].models[s.llm.model].id }] : [])),
      ...model.fallbacks.flatMap((s) => (s.llm ? [{ fallback: s.id, provider: providers[s.llm.provider].id, model: providers[s.llm.provider].models[s.llm.model].id }] : [])),
    ],
  };
}
