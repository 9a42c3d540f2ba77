/**
 * What a sweep gives: per point, the swept values and the merged run result
 * (with the closed form where a study knows one). The type reports read and
 * the sweep's results.json holds.
 */
import type { RunResult } from '../metrics/result.js';

export interface SweepPointResult {
  values: Record<string, unknown>;
  result: RunResult;
  closedFormSuccess?: number;
  /** Whether the closed form lies inside the simulated 95 % interval. */
  closedFormInside?: boolean;
}

export interface SweepResult {
  scenario: string;
  study?: string;
  parameters: string[];
  points: SweepPointResult[];
}

/**
 * A sweep value as text: a number, string or boolean as written, anything
 * else (an object such as `{ error: 0.1 }`, a list) as JSON – `String()` of an
 * object is "[object Object]", which said nothing in tables, labels and CSV.
 */
export function parameterText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value) ?? String(value);
}
