/**
 * The LLM figures of runs (sim/metrics/llm-result.ts) as the report and the
 * terminal show them: a row per provider – calls, refusals, tokens, time
 * waiting after 429s, cost – LLM calls and tokens per request, and goodput at
 * the scenario's latency target. A comparison without LLM calls or a goodput
 * target gets no table and no column from here, so its report reads as before.
 */
import type { ComparisonResult } from '../sim/experiment/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import type { Column, Table } from './tables.js';
import { arms } from './arms.js';
import { int, ms, usd } from './format.js';
import { goodputLabel, goodputShare } from './goodput.js';

// From the run result: sim/metrics' barrel does not name these types.
export type LlmResult = NonNullable<RunResult['llm']>;
export type { GoodputResult } from './goodput.js';
export type ProviderResult = LlmResult['providers'][number];

/** A provider column: its header, its cell, and whether it shows when every provider has 0. */
export interface ProviderColumn {
  label: string;
  /** @param requests the run's requests (the wait is shown per request) */
  cell: (p: ProviderResult, requests: number) => string;
  value: (p: ProviderResult) => number;
  always?: boolean;
}

/**
 * Every provider column. Refusals, cached input and waiting show only when
 * some provider has them (a provider without limits has nothing to say
 * there). The wait is per request: summed over every request it runs to
 * hours nobody waited in one piece.
 */
export const PROVIDER_COLUMNS: readonly ProviderColumn[] = [
  { label: 'calls', cell: (p) => int(p.calls), value: (p) => p.calls, always: true },
  { label: '429s', cell: (p) => int(p.rateLimited), value: (p) => p.rateLimited },
  { label: '529s', cell: (p) => int(p.overloaded), value: (p) => p.overloaded },
  { label: 'quota refused', cell: (p) => int(p.quotaRefused), value: (p) => p.quotaRefused },
  { label: 'first-token timeouts', cell: (p) => int(p.firstTokenTimeouts), value: (p) => p.firstTokenTimeouts },
  { label: 'tokens in', cell: (p) => int(p.inputTokens), value: (p) => p.inputTokens, always: true },
  { label: 'cached in', cell: (p) => int(p.cachedInputTokens), value: (p) => p.cachedInputTokens },
  { label: 'tokens out', cell: (p) => int(p.outputTokens), value: (p) => p.outputTokens, always: true },
  { label: 'wait after 429s per request', cell: (p, n) => ms(n > 0 ? p.rateLimitWaitMs / n : NaN), value: (p) => p.rateLimitWaitMs },
  { label: 'cost', cell: (p) => usd(p.costUsd), value: (p) => p.costUsd, always: true },
];

/** The columns worth showing for these providers (of one run or of every arm, so the arms line up). */
export function providerColumns(providers: readonly ProviderResult[]): ProviderColumn[] {
  return PROVIDER_COLUMNS.filter((c) => c.always === true || providers.some((p) => c.value(p) !== 0));
}

/** Per arm and provider: calls, refusals, tokens, wait, cost; undefined when no arm calls a provider. */
export function providersTable(c: ComparisonResult): Table | undefined {
  const list = arms(c).filter((a) => a.result.llm !== undefined && a.result.llm.providers.length > 0);
  if (list.length === 0) return undefined;
  const cols = providerColumns(list.flatMap((a) => a.result.llm!.providers));
  const several = arms(c).length > 1;
  return {
    caption: `LLM providers: totals over each arm's ${int(c.baseline.requests)} requests (429: over RPM, TPM or concurrency; 529: overloaded or an incident; retries and fallbacks call again)`,
    columns: [...(several ? [{ label: 'arm' }] : []), { label: 'provider' }, ...cols.map((col) => ({ label: col.label, numeric: true }))],
    rows: list.flatMap((a) =>
      a.result.llm!.providers.map((p) => [...(several ? [a.name] : []), p.id, ...cols.map((col) => col.cell(p, a.result.requests))]),
    ),
  };
}

/**
 * Per arm: LLM calls a provider answered and tokens per request (mean, p95),
 * and goodput at the latency target (share with its interval, per second);
 * undefined when no arm has either.
 */
export function perRequestTable(c: ComparisonResult): Table | undefined {
  const list = arms(c);
  const llm = list.some((a) => a.result.llm !== undefined);
  const label = goodputLabel(list.map((a) => a.result.goodput));
  const goodput = label !== undefined;
  if (!llm && !goodput) return undefined;
  const num = (l: string): Column => ({ label: l, numeric: true });
  return {
    caption: llm
      ? `Per request: LLM calls answered and tokens in and out${goodput ? `, and goodput – requests successful ${label}` : ''}`
      : `Goodput: requests successful ${label}`,
    columns: [
      { label: 'arm' },
      ...(llm ? [num('LLM calls, mean'), num('p95'), num('tokens, mean'), num('p95')] : []),
      ...(goodput ? [num(`successful ${label}`), num('per second')] : []),
    ],
    rows: list.map((a) => {
      const l = a.result.llm?.perRequest;
      const g = a.result.goodput;
      return [
        a.name,
        ...(llm ? (l ? [l.calls.mean.toFixed(2), int(l.calls.p95), int(l.tokens.mean), int(l.tokens.p95)] : ['n/a', 'n/a', 'n/a', 'n/a']) : []),
        ...(goodput ? [goodputShare(g), g ? `${g.perSec.toFixed(1)}/s` : 'n/a'] : []),
      ];
    }),
    ...(llm ? { note: "LLM calls per request count the calls a provider answered; a 429, 529 or quota refusal is in the provider table's calls, not here." } : {}),
  };
}
