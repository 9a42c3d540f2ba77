/**
 * `compare --uncertainty N`: the point comparison (the file's values), then N
 * draws of the scenario's `uncertainty:` parameters, each compared on common
 * random numbers with a seed of its own, combined into intervals that carry
 * parameter and simulation uncertainty (sim/experiment/uncertainty.ts). Every
 * comparison shares the command's worker pool (session.ts).
 */
import { compareScenario, type ExperimentOptions, type ExperimentStatus } from './experiments.js';
import type { LoadedScenario } from './load-scenario.js';
import { combineUncertainty, drawParameters, drawSeed, type UncertaintyResult } from '../sim/experiment/index.js';
import type { ComparisonResult } from '../sim/experiment/index.js';
import { UsageError } from './usage-error.js';
import { stepStateFile } from './checkpoint.js';

/** Most draws one command may ask for: each is a whole comparison. */
export const MAX_UNCERTAINTY_DRAWS = 10_000;

export interface UncertainComparison {
  comparison: ComparisonResult | null;
  uncertainty: UncertaintyResult | null;
  status: ExperimentStatus;
  missing: string[];
}

/**
 * `reload(sets)` loads the same file with these extra `--set` overrides (the
 * caller's own already applied): a draw is a scenario like any other,
 * validated and compiled the same way.
 */
export async function compareWithUncertainty(
  point: LoadedScenario,
  reload: (extraSets: string[]) => Promise<LoadedScenario>,
  draws: number,
  options: ExperimentOptions,
): Promise<UncertainComparison> {
  const spec = point.scenario.uncertainty;
  if (spec === undefined || Object.keys(spec).length === 0)
    throw new UsageError(`${point.file} has no uncertainty: block – list the parameters known only up to a distribution (coordgap fit writes one), e.g. uncertainty: { stages.plan.faults.error: { dist: beta, alpha: 41, beta: 961 } }`);
  if (!(Number.isInteger(draws) && draws >= 2 && draws <= MAX_UNCERTAINTY_DRAWS))
    throw new UsageError(`--uncertainty takes a whole number of draws from 2 to ${MAX_UNCERTAINTY_DRAWS}; got ${draws}`);
  const total = draws + 1;
  const progress = (k: number) => (done: number, of: number) => options.onProgress?.(k * of + done, total * of);
  // The point comparison keeps the command's state; each draw one of its own beside it, so --resume and --shard reach every draw.
  const drawOptions = (i: number): ExperimentOptions => ({
    ...options,
    ...(options.stateFile ? { stateFile: stepStateFile(options.stateFile, `draw-${i + 1}`) } : {}),
    onProgress: progress(i + 1),
  });
  // A shard runs its share of every draw; the comparisons exist once the shards are merged.
  const stop = (r: { comparison: ComparisonResult | null; status: ExperimentStatus }) =>
    options.shard === undefined && (r.comparison === null || r.status.interrupted || r.status.failures.length > 0);
  const first = await compareScenario(point, { ...options, onProgress: progress(0) });
  if (stop(first)) return { comparison: first.comparison, uncertainty: null, status: first.status, missing: first.missing };
  const results: ComparisonResult[] = [];
  const seed = point.scenario.seed;
  for (let i = 0; i < draws; i++) {
    const loaded = await reload([...drawParameters(spec, seed, i), `seed=${drawSeed(seed, i)}`]);
    const r = await compareScenario(loaded, drawOptions(i));
    if (stop(r)) return { comparison: first.comparison, uncertainty: null, status: r.status, missing: r.missing };
    if (r.comparison !== null) results.push(r.comparison);
  }
  if (first.comparison === null || results.length < draws) return { comparison: null, uncertainty: null, status: first.status, missing: first.missing };
  return {
    comparison: first.comparison,
    uncertainty: combineUncertainty(first.comparison, results, Object.keys(spec).sort()),
    status: first.status,
    missing: first.missing,
  };
}
