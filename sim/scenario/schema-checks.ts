/**
 * Rules that span fields: references resolve (pools, fallbacks, escalation),
 * ids are unique, probabilities of one attempt or hand-off sum to at most 1,
 * policies can act, fallbacks do not loop. Each issue carries the path of the
 * field to fix.
 */
import type { z } from 'zod';
import { didYouMean, windowOrderMessage } from './units.js';
import { MAX_DEFINITIONS, MAX_POOLS } from '../path/model.js';
import { handoffBetween, staleReadOf, type LayeredScenario } from './layers.js';
import { buildGraph, type GraphScenarioLike } from './graph-build.js';
import { checkLlm, type LlmScenarioLike } from '../llm/checks.js';

type Path = (string | number)[];
type Ctx = z.RefinementCtx;

interface DefinitionLike {
  id: string;
  pool: string;
  timeout?: number;
  faults?: { error: number; timeout: number; corruption: number };
  staleRead?: number;
  retry?: { maxAttempts?: number; maxRetries?: number; retryOn: string[] };
  fallback?: string;
  escalate?: boolean;
  handoff?: { contextLoss?: number; formatMismatch?: number; protocol?: boolean };
  tool?: boolean;
}

interface ScenarioLike extends LayeredScenario, GraphScenarioLike, LlmScenarioLike {
  pools: Record<string, unknown>;
  stages: DefinitionLike[];
  fallbacks?: DefinitionLike[];
  escalation?: { pool: string };
  handoffs?: { contextLoss?: number; formatMismatch?: number };
  protocol?: { kind: string; toolMismatch: number; mcpFactor?: number };
  arrivals: { kind: string; timestamps?: number[]; file?: string };
  incidents?: { stage: string; from: number; to: number }[];
  costs?: { dayRateUsd?: number };
  variants?: { price?: { engineeringDays?: number } }[];
}

function unknownRef(what: string, name: string, known: string[]): string {
  const hint = didYouMean(name, known);
  return `unknown ${what} "${name}"${hint ? `; did you mean "${hint}"?` : `; known: ${known.join(', ') || '(none)'}`}`;
}

function checkDefinition(d: DefinitionLike, at: Path, s: ScenarioLike, fallbackIds: string[], ctx: Ctx): void {
  const pools = Object.keys(s.pools);
  if (!(d.pool in s.pools)) ctx.addIssue({ code: 'custom', path: [...at, 'pool'], message: unknownRef('pool', d.pool, pools) });
  const f = d.faults;
  if (f) {
    const parts = [f.error, f.timeout, f.corruption, d.staleRead ?? 0];
    const sum = parts.reduce((a, b) => a + b, 0);
    // A probability outside [0, 1] has its own message; the sum would repeat it.
    if (parts.every((p) => p >= 0 && p <= 1) && sum > 1 + 1e-12)
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'faults'],
        message: `fault probabilities of one attempt sum to ${+sum.toFixed(6)}; they must sum to at most 1`,
      });
    // Two places: the stage's faults and the stale reads its scenario's fragmented state gives every stage.
    const stale = staleReadOf(s, d);
    const own = f.error + f.timeout + f.corruption;
    if (stale.fromState && parts.every((p) => p >= 0 && p <= 1) && stale.probability > 0 && own + stale.probability > 1 + 1e-12)
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'faults'],
        message:
          `fault probabilities of one attempt (error + timeout + corruption = ${+own.toFixed(6)}) and the stale-read probability state.staleRead gives every stage ` +
          `(${stale.probability}) sum to ${+(own + stale.probability).toFixed(6)}; they must sum to at most 1 – lower them, or give "${d.id}" a staleRead of its own`,
      });
    if (f.timeout > 0 && d.timeout === undefined)
      ctx.addIssue({ code: 'custom', path: [...at, 'faults', 'timeout'], message: 'a timeout fault needs the stage\'s "timeout" (how long a hung call holds its server)' });
  }
  const r = d.retry;
  if (r) {
    if (r.maxAttempts !== undefined && r.maxRetries !== undefined)
      ctx.addIssue({ code: 'custom', path: [...at, 'retry', 'maxRetries'], message: 'give maxAttempts or maxRetries, not both (maxAttempts = maxRetries + 1)' });
    const attempts = r.maxAttempts ?? (r.maxRetries !== undefined ? r.maxRetries + 1 : 3);
    if (attempts > 1 && r.retryOn.length === 0)
      ctx.addIssue({ code: 'custom', path: [...at, 'retry', 'retryOn'], message: 'retryOn is empty, so this retry policy can never act; list error, timeout, caught, rateLimited or overloaded' });
  }
  if (d.fallback !== undefined && !fallbackIds.includes(d.fallback))
    ctx.addIssue({ code: 'custom', path: [...at, 'fallback'], message: unknownRef('fallback', d.fallback, fallbackIds) });
  if (d.escalate && s.escalation === undefined)
    ctx.addIssue({ code: 'custom', path: [...at, 'escalate'], message: 'escalate needs a top-level "escalation" block (pool, handlingTime)' });
  const h = d.handoff;
  if (h && (h.contextLoss ?? 0) + (h.formatMismatch ?? 0) > 1 + 1e-12)
    ctx.addIssue({ code: 'custom', path: [...at, 'handoff'], message: 'contextLoss + formatMismatch must be at most 1' });
}

/** The block a hand-off field path belongs to: `handoffs` or `stages[i].handoff`. */
const blockOf = (path: string | null): string | null => (path === null ? null : path.slice(0, path.lastIndexOf('.')));

/**
 * A hand-off's context loss and format mismatch sum to at most 1 also when
 * they come from different places – a stage's handoff and the scenario's
 * defaults, or a mismatch the protocol layer adds – which the one-block
 * checks cannot see (the compiler used to clip the excess without a word).
 */
function checkHandoffSum(s: ScenarioLike, from: number, i: number, ctx: Ctx): void {
  const e = handoffBetween(s, from, i);
  const sum = e.contextLoss + e.mismatch;
  if (!(sum > 1 + 1e-12)) return;
  // One block without the protocol layer: its own check has said so.
  if (e.protocolMismatch === 0 && blockOf(e.contextLossFrom) === blockOf(e.formatMismatchFrom)) return;
  const fm = e.formatMismatchFrom === null ? 'no formatMismatch' : `${e.formatMismatchFrom} ${e.formatMismatch}`;
  const mismatch =
    e.protocolMismatch === 0 ? fm : `${fm} combined with ${e.protocolMismatchFrom} ${+e.protocolMismatch.toFixed(6)}: 1 − (1 − ${e.formatMismatch})(1 − ${+e.protocolMismatch.toFixed(6)})`;
  ctx.addIssue({
    code: 'custom',
    path: s.stages[i].handoff === undefined ? ['stages', i] : ['stages', i, 'handoff'],
    message:
      `the hand-off into ${s.stages[i].id}: contextLoss ${e.contextLoss} (${e.contextLossFrom}) and a format mismatch of ${+e.mismatch.toFixed(6)} (${mismatch}) ` +
      `sum to ${+sum.toFixed(6)}; they must sum to at most 1`,
  });
}

export function checkScenario(s: ScenarioLike, ctx: Ctx): void {
  const fallbacks = s.fallbacks ?? [];
  // Past the compiler's limits, say so and stop: the checks below compare
  // definitions and pools with each other, which a generated file with 100,000
  // of them would turn into minutes and gigabytes of messages.
  const definitions = s.stages.length + fallbacks.length;
  if (definitions > MAX_DEFINITIONS - 1 || Object.keys(s.pools).length > MAX_POOLS) {
    const [path, message] = definitions > MAX_DEFINITIONS - 1
      ? [s.stages.length > MAX_DEFINITIONS - 1 ? 'stages' : 'fallbacks', `at most ${MAX_DEFINITIONS - 1} stages and fallbacks are supported; the scenario has ${definitions}`]
      : ['pools', `at most ${MAX_POOLS} pools are supported; the scenario has ${Object.keys(s.pools).length}`];
    ctx.addIssue({ code: 'custom', path: [path], message });
    return;
  }
  const fallbackIds = fallbacks.map((f) => f.id);
  const seen = new Map<string, string>();
  const claim = (id: string, where: Path) => {
    const first = seen.get(id);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [...where, 'id'], message: `duplicate id "${id}" (first used by ${first})` });
    else seen.set(id, `${where[0]}[${where[1]}]`);
  };
  s.stages.forEach((st, i) => {
    claim(st.id, ['stages', i]);
    checkDefinition(st, ['stages', i], s, fallbackIds, ctx);
  });
  fallbacks.forEach((fb, i) => {
    claim(fb.id, ['fallbacks', i]);
    checkDefinition(fb, ['fallbacks', i], s, fallbackIds, ctx);
  });
  // Fallback chains must end: follow each chain; report each loop once, at the member written first.
  fallbacks.forEach((fb, i) => {
    const chain = [fb.id];
    let next = fb.fallback;
    while (next !== undefined) {
      if (chain.includes(next)) {
        const members = new Set(chain.slice(chain.indexOf(next)));
        if (next === fb.id && fallbacks.findIndex((f) => members.has(f.id)) === i)
          ctx.addIssue({
            code: 'custom',
            path: ['fallbacks', i, 'fallback'],
            message: `fallbacks form a cycle: ${[...chain, next].join(' → ')}; a fallback chain must end – remove fallback: from one of them`,
          });
        return;
      }
      chain.push(next);
      next = fallbacks.find((f) => f.id === next)?.fallback;
    }
  });
  checkLlm(s, ctx);
  // Engineering days are priced at the day rate: without one, the option's price would silently leave them out.
  s.variants?.forEach((v, i) => {
    if (v.price?.engineeringDays !== undefined && v.price.engineeringDays > 0 && s.costs?.dayRateUsd === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['variants', i, 'price', 'engineeringDays'],
        message: `${v.price.engineeringDays} engineering days need a day rate to be priced – add costs: { dayRateUsd: <USD per engineer-day> } (or give the price as oneOffUsd)`,
      });
  });
  const definitionIds = [...s.stages.map((st) => st.id), ...fallbackIds];
  s.incidents?.forEach((inc, i) => {
    if (!definitionIds.includes(inc.stage))
      ctx.addIssue({ code: 'custom', path: ['incidents', i, 'stage'], message: unknownRef('stage', inc.stage, definitionIds) });
    if (!(inc.to > inc.from)) ctx.addIssue({ code: 'custom', path: ['incidents', i, 'to'], message: windowOrderMessage(inc.from, inc.to) });
  });
  if (s.graph === undefined && s.stages[0] && (s.stages[0] as { propagate?: boolean }).propagate)
    ctx.addIssue({ code: 'custom', path: ['stages', 0, 'propagate'], message: 'the first stage has no caller to pass its failures to' });
  // The graph (routing, loops, fan-outs): its references, reachability and cycles.
  const built = buildGraph(s, (path, message, target) => ctx.addIssue({ code: 'custom', path, message, ...(target === undefined ? {} : { params: { target } }) }));
  if (s.escalation && !(s.escalation.pool in s.pools))
    ctx.addIssue({ code: 'custom', path: ['escalation', 'pool'], message: unknownRef('pool', s.escalation.pool, Object.keys(s.pools)) });
  const h = s.handoffs;
  if (h && (h.contextLoss ?? 0) + (h.formatMismatch ?? 0) > 1 + 1e-12)
    ctx.addIssue({ code: 'custom', path: ['handoffs'], message: 'contextLoss + formatMismatch must be at most 1' });
  // Each hand-off edge once (a receiver's own handoff applies on every edge into it).
  const checked = new Set<string>();
  for (const e of built?.edges ?? []) {
    if (e === null) continue;
    const from = e.from < s.stages.length ? e.from : -1;
    if (checked.has(`${from}>${e.to}`)) continue;
    checked.add(`${from}>${e.to}`);
    checkHandoffSum(s, from, e.to, ctx);
  }
  if (s.protocol?.kind === 'mcp' && s.protocol.mcpFactor === undefined)
    ctx.addIssue({ code: 'custom', path: ['protocol', 'mcpFactor'], message: 'mcp needs mcpFactor: the share of the bespoke mismatch rate left with one standard protocol' });
  if (s.arrivals.kind === 'trace') {
    const a = s.arrivals;
    if ((a.timestamps === undefined) === (a.file === undefined))
      ctx.addIssue({ code: 'custom', path: ['arrivals'], message: 'a trace takes either timestamps or file' });
    a.timestamps?.forEach((t, i) => {
      if (i > 0 && t < a.timestamps![i - 1])
        ctx.addIssue({ code: 'custom', path: ['arrivals', 'timestamps', i], message: `timestamps must not decrease (${t} ms after ${a.timestamps![i - 1]} ms)` });
    });
  }
}
