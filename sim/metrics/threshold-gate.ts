/**
 * Thresholds per arm, and the gate: which arm's verdict the exit code
 * reports. A comparison exists to find the arm that meets the bar, so by
 * default (`any`) `compare`, `report` and `demo` fail only when no arm passes
 * every threshold it carries – a failing baseline next to a passing fix is the
 * finding, not a failure. `--gate ARM` makes one arm decide (the fix a team is
 * about to ship), `--gate all` demands every arm pass; `run` has one arm, the
 * baseline. Each arm is held to its own thresholds: the baseline's, or what a
 * variant's patch made of them.
 */
import type { RunResult } from './result.js';
import { evaluateThresholds, type ParsedThresholds, type ThresholdMetric, type ThresholdOperator } from './thresholds.js';

/** One threshold against one arm's result, as every output shows it. */
export interface ThresholdCheck {
  metric: ThresholdMetric;
  op: ThresholdOperator;
  /** In the metric's own unit (ms, a share in [0, 1], USD…). */
  value: number;
  /** As written: `>= 95%`, `< 2s`. */
  expression: string;
  /** null when the run could not measure the metric (then the check fails). */
  actual: number | null;
  pass: boolean;
  /** Why `actual` is null. */
  note?: string;
}

export interface ArmThresholds {
  arm: string;
  /** Every check passed (true when the arm carries none). */
  pass: boolean;
  checks: ThresholdCheck[];
}

/** `any` (at least one arm passes all its checks), `all`, or an arm's name. */
export type Gate = string;

export const DEFAULT_GATE = { run: 'baseline', compare: 'any' } as const;

/** The thresholds block of every output: each arm's checks and the gate's verdict, which sets the exit code. */
export interface ThresholdVerdict {
  gate: Gate;
  /** The gate passed: exit 0; else exit 1. True when no arm carries a threshold. */
  pass: boolean;
  arms: ArmThresholds[];
}

/** Every criterion of one arm against its result, in the order written. */
export function checkArm(arm: string, criteria: ParsedThresholds | undefined, result: RunResult): ArmThresholds {
  const list = criteria ?? [];
  const outcomes = evaluateThresholds(list, result);
  const checks = list.map((c, i): ThresholdCheck => {
    const o = outcomes[i];
    return { metric: c.metric, op: c.operator, value: c.value, expression: c.expression, actual: o.actual, pass: o.passed, ...(o.note !== undefined ? { note: o.note } : {}) };
  });
  return { arm, pass: checks.every((c) => c.pass), checks };
}

/**
 * The gate's verdict over the arms that ran. An arm the gate names that did
 * not run (its worker failed) cannot pass. With no threshold anywhere there is
 * nothing to fail.
 * @throws Error when `gate` is neither `any`, `all` nor one of `armNames`.
 */
export function gateVerdict(gate: Gate, arms: readonly ArmThresholds[], armNames: readonly string[] = arms.map((a) => a.arm)): ThresholdVerdict {
  checkGate(gate, armNames);
  const list = [...arms];
  if (list.every((a) => a.checks.length === 0)) return { gate, pass: true, arms: list };
  const pass =
    gate === 'any' ? list.some((a) => a.checks.length > 0 && a.pass) : gate === 'all' ? list.length === armNames.length && list.every((a) => a.pass) : (list.find((a) => a.arm === gate)?.pass ?? false);
  return { gate, pass, arms: list };
}

/**
 * Refuses a gate that names no arm, before anything runs.
 * @throws Error "--gate: no arm "x"; use any, all, baseline, recovery-layer, …"
 */
export function checkGate(gate: Gate, armNames: readonly string[]): void {
  if (gate === 'any' || gate === 'all' || armNames.includes(gate)) return;
  throw new Error(`--gate: no arm "${gate}"; use any, all${armNames.length > 0 ? `, ${armNames.join(', ')}` : ''}`);
}

/**
 * One line for the terminal and the report: what the gate decided and why –
 * "thresholds: gate any – passed by recovery-layer (baseline fails 2 of 3)".
 * "" when no arm carries a threshold.
 */
export function describeVerdict(v: ThresholdVerdict): string {
  const withChecks = v.arms.filter((a) => a.checks.length > 0);
  if (withChecks.length === 0) return '';
  const failing = withChecks.filter((a) => !a.pass).map((a) => `${a.arm} fails ${a.checks.filter((c) => !c.pass).length} of ${a.checks.length}`);
  const passing = withChecks.filter((a) => a.pass).map((a) => a.arm);
  const rule = v.gate === 'any' ? 'at least one arm must pass every threshold' : v.gate === 'all' ? 'every arm must pass every threshold' : `${v.gate} must pass every threshold`;
  const detail = [passing.length > 0 ? `passing: ${passing.join(', ')}` : 'no arm passes', ...(failing.length > 0 ? [`failing: ${failing.join('; ')}`] : [])].join('; ');
  return `thresholds (gate ${v.gate}: ${rule}): ${v.pass ? 'PASS' : 'FAIL'} – ${detail}`;
}
