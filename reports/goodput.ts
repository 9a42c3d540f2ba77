/**
 * Goodput at the scenario's latency target (sim/metrics/llm-result.ts
 * GoodputResult) as the report and the terminal print it: the share of
 * requests that succeeded within the target, with its Wilson interval.
 */
import type { RunResult } from '../sim/metrics/index.js';
import { ms, pct } from './format.js';

// From the run result: sim/metrics' barrel does not name this type.
export type GoodputResult = NonNullable<RunResult['goodput']>;

/** "within 5,000 ms", or "within target" when the arms' targets differ; undefined when no arm has one. */
export function goodputLabel(goodputs: readonly (GoodputResult | undefined)[]): string | undefined {
  const targets = new Set(goodputs.filter((g) => g !== undefined).map((g) => g.latencyMs));
  if (targets.size === 0) return undefined;
  return targets.size === 1 ? `within ${ms([...targets][0])}` : 'within target';
}

/** "13.7 % [13.3 %, 14.2 %]"; "n/a" for an arm without a target. */
export function goodputShare(g: GoodputResult | undefined, digits = 1): string {
  if (g === undefined || !Number.isFinite(g.rate.estimate)) return 'n/a';
  return `${pct(g.rate.estimate, digits)} [${pct(g.rate.ci95[0], digits)}, ${pct(g.rate.ci95[1], digits)}]`;
}
