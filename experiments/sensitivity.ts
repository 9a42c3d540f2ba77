/**
 * Running the sensitivity ranking: every single intervention
 * (sim/experiment/sensitivity.ts lists them) built as an arm like any other
 * (armFromInput), run against the baseline on common random numbers, and
 * ranked. Reads and runs; prints nothing.
 */
import type { LoadedScenario } from './load-scenario.js';
import { runArms, baselineArm, type ExperimentOptions, type ExperimentStatus } from './experiments.js';
import { armFromInput, armSpec, type ArmSpec } from './arm.js';
import { variantInput, ScenarioError } from '../sim/scenario/index.js';
import { interventions, rankInterventions, summarizeComparison, type Intervention, type Objective, type SensitivityResult } from '../sim/experiment/index.js';

/** Runs every single intervention against the baseline and ranks them (null when the baseline runs failed). */
export async function computeSensitivity(
  loaded: LoadedScenario,
  options: ExperimentOptions,
  objective: Objective = 'success',
): Promise<{ result: SensitivityResult | null; status: ExperimentStatus }> {
  const skipped: SensitivityResult['skipped'] = [];
  const chosen: { iv: Intervention; arm: ArmSpec }[] = [];
  for (const iv of interventions(loaded.model, loaded.scenario.variants ?? [])) {
    const variant = iv.kind === 'compute' ? loaded.variants.find((v) => v.name === iv.name) : undefined;
    if (variant) {
      // A compute variant alone is the variant as loaded (its hardware resolved).
      chosen.push({ iv, arm: { label: iv.name, model: variant.model, scenarioHash: variant.hash } });
      continue;
    }
    // Every other intervention is the baseline with its patch, built like any arm (armFromInput).
    const input = variantInput(loaded.input as Record<string, unknown>, iv.patch);
    try {
      chosen.push({ iv, arm: armSpec(iv.name, await armFromInput(loaded.arms, input, iv.name)) });
    } catch (e) {
      // One that does not make a valid scenario on its own is left out, saying why.
      if (!(e instanceof ScenarioError)) throw e;
      skipped.push({ name: iv.name, reason: e.issues.map((i) => i.message).join('; ') });
    }
  }
  const { collectors, status } = await runArms([baselineArm(loaded), ...chosen.map((c) => c.arm)], options);
  if (collectors[0] === null) return { result: null, status };
  const kept = chosen.flatMap((c, i) => (collectors[i + 1] === null ? [] : [{ ...c, collectors: collectors[i + 1]! }]));
  const comparison = summarizeComparison(
    { model: loaded.model, scenarioHash: loaded.hash, collectors: collectors[0] },
    kept.map((k) => ({ name: k.iv.name, kind: 'coordination' as const, model: k.arm.model, scenarioHash: k.arm.scenarioHash, collectors: k.collectors })),
    { version: options.version, node: process.version },
  );
  const { options: bought, whatIf } = rankInterventions(
    comparison.variants.map((v, i) => ({ ...v, kind: kept[i].iv.kind, patch: kept[i].iv.patch })),
    objective,
  );
  return { result: { scenario: loaded.scenario.name, objective, baseline: comparison.baseline, options: bought, whatIf, skipped }, status };
}
