/**
 * Rules of the LLM blocks that span fields: a stage has a latency or an
 * `llm:` call (not both, not neither), a call names a provider and a model
 * that exist, windows end after they start, a quota caps something. Each
 * issue carries the path of the field to fix.
 */
import type { z } from 'zod';
import { didYouMean, windowOrderMessage } from '../scenario/units.js';

type Path = (string | number)[];

interface LlmDefinitionLike {
  id: string;
  latency?: unknown;
  fallback?: string;
  llm?: { provider: string; model: string; fallbackOn?: string[]; route?: { to: string } };
}

interface ProviderLike {
  quota?: { tokens?: number; spendUsd?: number };
  incidents?: { from: number; to: number; models?: string[] }[];
  models: Record<string, unknown>;
}

export interface LlmScenarioLike {
  stages: LlmDefinitionLike[];
  fallbacks?: LlmDefinitionLike[];
  providers?: Record<string, ProviderLike>;
}

/** `unknown model "gpt-4" of provider "openai"; did you mean "gpt-4o"?` – or the known names when none is close. */
function unknown(what: string, name: string, known: string[], of = ''): string {
  const hint = didYouMean(name, known);
  return `unknown ${what} "${name}"${of}${hint ? `; did you mean "${hint}"?` : `; known: ${known.join(', ')}`}`;
}

function checkDefinition(d: LlmDefinitionLike, at: Path, providers: Record<string, ProviderLike>, fallbackIds: readonly string[], ctx: z.RefinementCtx): void {
  if (d.latency === undefined && d.llm === undefined)
    ctx.addIssue({ code: 'custom', path: [...at, 'latency'], message: `"${d.id}" needs a latency (e.g. 200ms or { dist: lognormal, median: 80ms, p99: 400ms }) or an llm: call that takes its service time from a provider's model` });
  if (d.latency !== undefined && d.llm !== undefined)
    ctx.addIssue({ code: 'custom', path: [...at, 'latency'], message: `"${d.id}" has both a latency and an llm: call; an LLM call's service time is its model's TTFT + (output tokens − 1) × TPOT – remove latency` });
  const call = d.llm;
  if (call === undefined) return;
  if (call.fallbackOn !== undefined && call.fallbackOn.length > 0 && d.fallback === undefined)
    ctx.addIssue({ code: 'custom', path: [...at, 'llm', 'fallbackOn'], message: `fallbackOn sends refusals to the stage's fallback, but "${d.id}" has none – add fallback: <id of a fallbacks: entry>` });
  if (call.route !== undefined) {
    if (at[0] === 'fallbacks')
      ctx.addIssue({ code: 'custom', path: [...at, 'llm', 'route'], message: 'model routing is a stage\'s choice: a fallback cannot route again – move route to the stage that falls back here' });
    else if (!fallbackIds.includes(call.route.to))
      ctx.addIssue({ code: 'custom', path: [...at, 'llm', 'route', 'to'], message: unknown('fallback', call.route.to, [...fallbackIds]) + ' – the routed model is a fallbacks: entry (its own llm:, faults and price)' });
  }
  const provider = providers[call.provider];
  if (provider === undefined) {
    const known = Object.keys(providers);
    ctx.addIssue({
      code: 'custom',
      path: [...at, 'llm', 'provider'],
      message: known.length === 0 ? `unknown provider "${call.provider}": the scenario has no providers: section – add one naming its models` : unknown('provider', call.provider, known),
    });
    return;
  }
  // A provider without models is reported once, at its models: (schema.ts), not again at every call.
  const models = Object.keys(provider.models);
  if (models.length > 0 && !(call.model in provider.models))
    ctx.addIssue({ code: 'custom', path: [...at, 'llm', 'model'], message: unknown('model', call.model, models, ` of provider "${call.provider}"`) });
}

export function checkLlm(s: LlmScenarioLike, ctx: z.RefinementCtx): void {
  const providers = s.providers ?? {};
  const fallbackIds = (s.fallbacks ?? []).map((f) => f.id);
  s.stages.forEach((st, i) => checkDefinition(st, ['stages', i], providers, fallbackIds, ctx));
  (s.fallbacks ?? []).forEach((fb, i) => checkDefinition(fb, ['fallbacks', i], providers, fallbackIds, ctx));
  for (const [id, p] of Object.entries(providers)) {
    if (p.quota !== undefined && p.quota.tokens === undefined && p.quota.spendUsd === undefined)
      ctx.addIssue({ code: 'custom', path: ['providers', id, 'quota'], message: 'a quota caps tokens or spendUsd per window; give at least one (e.g. spendUsd: 500, per: 720h for 30 days; or tokens: 2000000, per: 24h)' });
    p.incidents?.forEach((inc, i) => {
      if (!(inc.to > inc.from))
        ctx.addIssue({
          code: 'custom',
          path: ['providers', id, 'incidents', i, 'to'],
          message: windowOrderMessage(inc.from, inc.to),
        });
      const models = Object.keys(p.models);
      inc.models?.forEach((m, j) => {
        if (models.length > 0 && !(m in p.models)) ctx.addIssue({ code: 'custom', path: ['providers', id, 'incidents', i, 'models', j], message: unknown('model', m, models, ` of provider "${id}"`) });
      });
    });
  }
}
