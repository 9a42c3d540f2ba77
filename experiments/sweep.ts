/**
 * Running a sweep: every point of a grid or study as an arm (armFromInput,
 * the one patch → validate → compile path), every point × replication one
 * worker task, merged per point. Reads and runs; prints nothing.
 */
import { runArms, type ExperimentOptions, type ExperimentStatus } from './experiments.js';
import { armFromInput, armSpec, type ArmContext, type ArmOrigin, type ArmSpec } from './arm.js';
import { buildResult, type RunResult } from '../sim/metrics/index.js';
import { mergeReplications, parameterText, type StudyPoint, type SweepPointResult, type SweepResult } from '../sim/experiment/index.js';

export interface SweepPlan {
  name: string;
  study?: string;
  params: string[];
  points: StudyPoint[];
  /**
   * The scenario the points vary (its trace, hardware and positions), as
   * loaded; absent for a study that builds its own scenarios.
   */
  arms?: ArmContext;
  /** Where the swept values were written: the `sweep:` block, `--set`, or (default) the top of the file. */
  origin?: ArmOrigin;
}

/** The context of a built-in study's generated scenarios: no file, no trace, no hardware. */
function studyContext(name: string): ArmContext {
  return { file: `(the ${name} study)`, source: { locate: () => ({ line: 1, col: 1 }) } };
}

/** Every point as an arm: validated, compiled with the scenario's trace and hardware, hashed (armFromInput). */
async function pointArms(plan: SweepPlan): Promise<ArmSpec[]> {
  const context = plan.arms ?? studyContext(plan.study ?? plan.name);
  const arms: ArmSpec[] = [];
  for (const [i, p] of plan.points.entries()) {
    const label = `point ${i + 1} (${Object.entries(p.values).map(([k, v]) => `${k}=${parameterText(v)}`).join(', ')})`;
    arms.push(armSpec(label, await armFromInput(context, p.input, label, plan.origin ?? [])));
  }
  return arms;
}

/** One replication of one point, for long-format output (one row per point × replication). */
export interface SweepReplication {
  values: Record<string, unknown>;
  replication: number;
  result: RunResult;
}

/** Runs every point × replication; the summary per point and every replication's own result. */
export async function runSweep(
  plan: SweepPlan,
  options: ExperimentOptions,
): Promise<{ summary: SweepResult; replications: SweepReplication[]; status: ExperimentStatus }> {
  const { points } = plan;
  const arms = await pointArms(plan);
  // Every point runs on the scenario's trace, as armFromInput compiled it into the point's model.
  const { collectors, status } = await runArms(arms, options);
  const replications: SweepReplication[] = [];
  const summary: SweepResult = { scenario: plan.name, ...(plan.study ? { study: plan.study } : {}), parameters: plan.params, points: [] };
  points.forEach((p, i) => {
    const runs = collectors[i];
    if (runs === null) return;
    runs.forEach((c, r) =>
      replications.push({ values: p.values, replication: r, result: buildResult(arms[i].model, c, { replications: 1, version: options.version, scenarioHash: arms[i].scenarioHash, node: process.version }) }),
    );
    const result = mergeReplications(arms[i].model, runs, { version: options.version, scenarioHash: arms[i].scenarioHash, node: process.version });
    const entry: SweepPointResult = { values: p.values, result };
    if (p.closedFormSuccess !== undefined) {
      entry.closedFormSuccess = p.closedFormSuccess;
      entry.closedFormInside = p.closedFormSuccess >= result.successRate.ci95[0] && p.closedFormSuccess <= result.successRate.ci95[1];
    }
    summary.points.push(entry);
  });
  return { summary, replications, status };
}
