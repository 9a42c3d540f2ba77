/**
 * The terminal's LLM figures of a run (sim/metrics/llm-result.ts): goodput at
 * the scenario's latency target, a row per provider – calls, refusals,
 * tokens, time waiting after 429s, cost – and LLM calls and tokens per
 * request; the stage table's 429 and 529 columns. Nothing for a scenario
 * without LLM calls or a goodput target, so its summary reads as before. The
 * provider columns are the report's (reports/llm.ts).
 */
import { textTable } from './text-table.js';
import type { RunResult, StageResult } from '../sim/metrics/index.js';
import { int, ms, pct, usd } from '../reports/format.js';
import { providerColumns, type GoodputResult, type LlmResult } from '../reports/llm.js';

/**
 * "goodput within 5,000 ms (the scenario's target): 2.7 req/s · 13.74 % of
 * requests (2,747), 95 % CI [13.26 %, 14.22 %]" – successful requests under
 * the target, per simulated second and as a share with its Wilson interval.
 */
export function goodputLine(g: GoodputResult): string {
  const [lo, hi] = g.rate.ci95;
  return (
    `  goodput within ${ms(g.latencyMs)} (the scenario's target): ${g.perSec.toFixed(1)} req/s · ` +
    `${pct(g.rate.estimate, 2)} of requests (${int(g.requests)}), 95 % CI [${pct(lo, 2)}, ${pct(hi, 2)}]`
  );
}

/**
 * "LLM calls answered per request: mean 1.84 · p95 4 · tokens mean 2,210 · p95 6,480".
 * It counts calls a provider answered: a 429, 529 or quota refusal is in the
 * provider's calls but not here (sim/path/llm-call.ts).
 */
export function perRequestLine(p: LlmResult['perRequest']): string {
  return `  LLM calls answered per request: mean ${p.calls.mean.toFixed(2)} · p95 ${int(p.calls.p95)} · tokens mean ${int(p.tokens.mean)} · p95 ${int(p.tokens.p95)}`;
}


/** The provider table (columns some provider has something in) and the per-request line; [] without LLM calls. */
export function llmLines(r: RunResult): string[] {
  const llm = r.llm;
  if (llm === undefined) return [];
  const out: string[] = [];
  if (llm.providers.length > 0) {
    const cols = providerColumns(llm.providers);
    out.push(...textTable([['provider', ...cols.map((c) => c.label)], ...llm.providers.map((p) => [p.id, ...cols.map((c) => c.cell(p, r.requests))])]));
  }
  out.push(perRequestLine(llm.perRequest));
  return out;
}

/**
 * The stage table's LLM columns: 429s and 529s, each only when some stage had
 * one, so a scenario without LLM calls keeps its table as it was.
 */
export function stageLlmColumns(stages: readonly StageResult[]): { label: string; cell: (s: StageResult) => string }[] {
  const cols = [
    { label: '429s', key: 'rateLimited' },
    { label: '529s', key: 'overloaded' },
  ] as const;
  return cols.filter((c) => stages.some((s) => (s[c.key] ?? 0) > 0)).map((c) => ({ label: c.label, cell: (s: StageResult) => int(s[c.key] ?? 0) }));
}

const MINUS = '\u2212';

/** A signed difference of counts: "−55,004", "+12". */
function signedInt(x: number): string {
  return `${x < 0 ? MINUS : '+'}${int(Math.abs(x))}`;
}

/** A signed difference in dollars, to the cent from $1: "−$4.66", "+$0.0129". */
function signedUsd(x: number): string {
  const text = usd(Math.abs(x));
  return text === '$0' ? '+$0' : `${x < 0 ? MINUS : '+'}${text}`;
}

/**
 * The comparison table's LLM columns, each only when some arm has something
 * in it: goodput within the latency target, 429s summed over the providers,
 * and the providers' cost – a variant's with its difference from the
 * baseline's (both arms run the same requests on the same seeds; the
 * difference has no interval here).
 */
export function llmCompareColumns(baseline: RunResult, variants: readonly RunResult[]): { label: string; cell: (r: RunResult) => string }[] {
  const all = [baseline, ...variants];
  const cols: { label: string; cell: (r: RunResult) => string }[] = [];
  const targets = new Set(all.flatMap((r) => (r.goodput ? [r.goodput.latencyMs] : [])));
  if (targets.size > 0)
    cols.push({ label: targets.size === 1 ? `within ${ms([...targets][0])}` : 'within target', cell: (r) => (r.goodput ? pct(r.goodput.rate.estimate, 1) : 'n/a') });
  if (all.every((r) => r.llm === undefined)) return cols;
  const sum = (r: RunResult, f: (p: LlmResult['providers'][number]) => number) => (r.llm ? r.llm.providers.reduce((a, p) => a + f(p), 0) : NaN);
  const withDelta = (r: RunResult, f: (p: LlmResult['providers'][number]) => number, show: (x: number) => string, diff: (x: number) => string) => {
    const x = sum(r, f);
    if (!Number.isFinite(x)) return 'n/a';
    const b = sum(baseline, f);
    return r === baseline || !Number.isFinite(b) ? show(x) : `${show(x)} (${diff(x - b)})`;
  };
  if (all.some((r) => sum(r, (p) => p.rateLimited) > 0)) cols.push({ label: '429s', cell: (r) => withDelta(r, (p) => p.rateLimited, int, signedInt) });
  cols.push({ label: 'LLM cost', cell: (r) => withDelta(r, (p) => p.costUsd, usd, signedUsd) });
  return cols;
}
