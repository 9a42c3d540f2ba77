/**
 * Thresholds in the CLI: every arm's checks on stderr (k6's ✓/✗ lines) with
 * the gate's verdict, the same block in every --json document, and the exit
 * code the gate decides (sim/metrics/threshold-gate.ts). `run`, `compare`, `report`
 * and `demo` all go through here.
 */
import { checkArm, checkGate, describeVerdict, gateVerdict, type ArmThresholds, type Gate, type ThresholdVerdict } from '../sim/metrics/index.js';
import { formatThresholdReport } from '../sim/metrics/index.js';
import type { ComparisonResult } from '../sim/experiment/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import { UsageError, type LoadedScenario } from '../experiments/load-scenario.js';

/** The arms of a loaded scenario, baseline first: what --gate may name. */
export function armNames(loaded: LoadedScenario): string[] {
  return ['baseline', ...loaded.variants.map((v) => v.name)];
}

/** Refuses an unknown --gate before anything runs (exit 2). */
export function validateGate(gate: Gate, loaded: LoadedScenario): void {
  try {
    checkGate(gate, armNames(loaded));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Each arm that ran against its own thresholds (a variant's patch may change them), then the gate's verdict. */
export function comparisonVerdict(loaded: LoadedScenario, comparison: ComparisonResult, gate: Gate): ThresholdVerdict {
  const arms: ArmThresholds[] = [checkArm('baseline', loaded.scenario.thresholds, comparison.baseline)];
  for (const v of comparison.variants) {
    const spec = loaded.variants.find((x) => x.name === v.name);
    arms.push(checkArm(v.name, spec?.scenario.thresholds ?? loaded.scenario.thresholds, v.result));
  }
  return gateVerdict(gate, arms, armNames(loaded));
}

/** `run`: the baseline is the only arm and decides. */
export function runVerdict(loaded: LoadedScenario, result: RunResult): ThresholdVerdict {
  return gateVerdict('baseline', [checkArm('baseline', loaded.scenario.thresholds, result)], ['baseline']);
}

/** The terminal form: each arm's ✓/✗ lines, then the verdict line; "" when no arm carries a threshold. */
export function formatVerdict(v: ThresholdVerdict): string {
  const line = describeVerdict(v);
  if (line === '') return '';
  const arms = v.arms
    .filter((a) => a.checks.length > 0)
    .map((a) => `thresholds (${a.arm}):\n${formatThresholdReport(a.checks.map((c) => ({ metric: c.metric, expression: c.expression, actual: c.actual, passed: c.pass, ...(c.note !== undefined ? { note: c.note } : {}) })))}`);
  return `${arms.join('')}${line}\n`;
}

/** Prints the verdict on stderr and returns the exit code it decides: 1 when the gate failed, else 0. */
export function reportVerdict(v: ThresholdVerdict, writeErr: (s: string) => void): number {
  writeErr(formatVerdict(v));
  return v.pass ? 0 : 1;
}
