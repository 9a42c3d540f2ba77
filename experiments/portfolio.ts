/**
 * Running the budgeted portfolio: combinations of a scenario's options
 * (its variants), each built as an arm like any other – the baseline with the
 * options' patches merged in order, validated and compiled by armFromInput –
 * and simulated against the baseline on common random numbers in the
 * command's one worker pool, exactly as compare runs its variants. Nothing
 * is added up from single options: fixes interact (validation upstream
 * changes what a retry downstream can do), so every combination's figures
 * are its own simulation's. Which combinations is the search's choice
 * (sim/experiment/portfolio-search.ts): all of them up to 10 options, else a
 * bounded local search, one experiment per batch – the batches after the
 * first reuse the baseline's runs from the session. The answer – the
 * recommended set, the frontier, the best first step – is
 * sim/experiment/portfolio.ts's. Reads and runs; prints nothing.
 */
import type { LoadedScenario } from './load-scenario.js';
import { runArms, baselineArm, type ExperimentOptions, type ExperimentStatus } from './experiments.js';
import { armFromInput, armSpec, type ArmSpec } from './arm.js';
import { stepStateFile } from './checkpoint.js';
import { UsageError } from './usage-error.js';
import { latencyChange } from './report-input.js';
import { ExperimentSession } from './session.js';
import { mergePatch, variantInput, PatchError, ScenarioError } from '../sim/scenario/index.js';
import type { RunCollector } from '../sim/metrics/index.js';
import {
  bestFirstStep,
  compareForRecommendation,
  compareSets,
  conflictTable,
  costSuccessLine,
  decide,
  decisionInputs,
  eligibleCombination,
  findConflicts,
  KEEP_AS_IS,
  KEEP_AS_IS_FIGURES,
  paretoFrontier,
  recommendCombination,
  searchCombinations,
  searchPlan,
  setKey,
  summarizeComparison,
  withinBudget,
  type ArmRuns,
  type CombinationFigures,
  type DecisionInputs,
  type OptionPrice,
  type PortfolioCombination,
  type PortfolioResult,
} from '../sim/experiment/index.js';

export interface PortfolioRequest {
  /** The most the chosen set may add a month, USD; null: no budget given (the best set at whatever it costs). */
  budgetUsd: number | null;
  /** Combinations a bounded search simulates at most (searchPlan); unset, its default. */
  maxCombinations?: number;
}

/** The combination of `set` (indices) named as the output names it. */
const nameOf = (names: readonly string[], set: readonly number[]) => (set.length === 0 ? KEEP_AS_IS : set.map((i) => names[i]).join(' + '));

/** Figures for a set not simulated: ranks after every simulated one. */
const notSimulated = (set: readonly number[]): CombinationFigures => ({
  options: set,
  extraCostMonthlyUsd: NaN,
  netMonthlyUsd: NaN,
  successDelta: { estimate: NaN, ci95: [NaN, NaN] },
  p95DeltaMs: NaN,
  worse: true,
});

/**
 * The arm of one combination: a single option is the variant as loaded (its
 * hardware resolved, as compare runs it); more are the baseline with their
 * patches merged in order, built like any arm.
 */
async function combinationArm(loaded: LoadedScenario, set: readonly number[], name: string): Promise<ArmSpec> {
  if (set.length === 1) {
    const v = loaded.variants[set[0]];
    return { label: name, model: v.model, scenarioHash: v.hash };
  }
  const patches = set.map((i) => loaded.scenario.variants![i].patch);
  const input = patches.slice(1).reduce<unknown>((acc, p) => mergePatch(acc, p), variantInput(loaded.input as Record<string, unknown>, patches[0]));
  return armSpec(name, await armFromInput(loaded.arms, input, name, ['variants']));
}

/** Runs the search's combinations against the baseline and answers for the budget (null when the baseline's runs failed). */
export async function computePortfolio(
  loaded: LoadedScenario,
  options: ExperimentOptions,
  request: PortfolioRequest,
): Promise<{ result: PortfolioResult | null; status: ExperimentStatus }> {
  if (options.shard !== undefined)
    throw new UsageError(
      'a portfolio search cannot be sharded: which combinations it simulates next depends on the ones before (a bounded search), so no shard knows its share in advance; run it on one machine (its options alone are a compare, which shards: coordgap compare FILE --shard k/N)',
    );
  const variants = loaded.scenario.variants ?? [];
  const names = variants.map((v) => v.name);
  const conflicts = findConflicts(variants);
  const table = conflictTable(names, conflicts);
  const plan = searchPlan(names.length, table, request.maxCombinations);
  const budget = request.budgetUsd;

  const figures = new Map<string, CombinationFigures>();
  const rows = new Map<string, PortfolioCombination>();
  const skipped: PortfolioResult['skipped'] = [];
  const status: ExperimentStatus = { failures: [], interrupted: false };
  /** Each simulated combination's runs, for the paired look at a cheaper set's task success (cheaperAlike). */
  const runs = new Map<string, ArmRuns>();
  const figuresOf = (set: readonly number[]) => figures.get(setKey(set)) ?? (set.length === 0 ? KEEP_AS_IS_FIGURES : notSimulated(set));
  const better = (a: readonly number[], b: readonly number[]) => compareForRecommendation(figuresOf(a), figuresOf(b), budget) < 0;

  // One session for every batch: one worker pool, and the baseline simulated once.
  const session = options.session ?? new ExperimentSession(options.threads);
  let inputs: DecisionInputs | undefined;
  let baseline: PortfolioResult['baseline'] | undefined;
  try {
    let batchIndex = 0;
    // Progress over the whole search, not per batch: the baseline's runs once, then each combination's (a bounded search may stop short of its limit).
    const r = options.replications;
    const total = r * (1 + (plan.limit ?? plan.combinations));
    let before = 0;
    for (const batch of searchCombinations(names.length, table, plan, better)) {
      const built: { set: number[]; arm: ArmSpec }[] = [];
      for (const set of batch) {
        const name = nameOf(names, set);
        try {
          built.push({ set, arm: await combinationArm(loaded, set, name) });
        } catch (e) {
          // Options valid alone may not make a valid scenario together: left out, saying why.
          if (!(e instanceof ScenarioError) && !(e instanceof PatchError)) throw e;
          skipped.push({ name, reason: e instanceof ScenarioError ? e.issues.map((i) => i.message).join('; ') : e.message });
        }
      }
      const first = batchIndex++ === 0;
      const step = first || !options.stateFile ? options : { ...options, stateFile: stepStateFile(options.stateFile, `portfolio-${batchIndex}`) };
      const onProgress = options.onProgress && ((done: number) => options.onProgress!(Math.min(total, before + (first ? done : Math.max(0, done - r))), total));
      const ran = await runArms([baselineArm(loaded), ...built.map((b) => b.arm)], { ...step, session, ...(onProgress ? { onProgress } : {}) });
      before += r * (built.length + (first ? 1 : 0));
      status.failures.push(...ran.status.failures);
      status.interrupted ||= ran.status.interrupted;
      const base = ran.collectors[0];
      if (base === null) return { result: null, status };
      const done = built.flatMap((b, i) => (ran.collectors[i + 1] === null ? (skipped.push({ name: b.arm.label, reason: 'its runs failed or were interrupted' }), []) : [{ ...b, collectors: ran.collectors[i + 1]! }]));
      const priced = recordBatch(loaded, base, done, names, figures, rows, inputs);
      inputs = priced.inputs;
      baseline = priced.baseline;
      runs.set('', { model: loaded.model, scenarioHash: loaded.hash, collectors: base });
      for (const d of done) runs.set(setKey(d.set), { model: d.arm.model, scenarioHash: d.arm.scenarioHash, collectors: d.collectors });
      if (status.interrupted) break;
    }
  } finally {
    if (options.session === undefined) await session.close();
  }
  if (inputs === undefined || baseline === undefined) {
    // Nothing was simulated (no variants, or every combination invalid): still the baseline, to price against.
    const ran = await runArms([baselineArm(loaded)], options);
    status.failures.push(...ran.status.failures);
    status.interrupted ||= ran.status.interrupted;
    if (ran.collectors[0] === null) return { result: null, status };
    const priced = recordBatch(loaded, ran.collectors[0], [], names, figures, rows, inputs);
    inputs = priced.inputs;
    baseline = priced.baseline;
  }

  const simulated = [...figures.values()];
  const frontier = paretoFrontier(simulated);
  const onFrontier = new Set(frontier.map((c) => setKey(c.options)));
  for (const [key, row] of rows) {
    row.withinBudget = withinBudget(figures.get(key)!, budget);
    row.onFrontier = onFrontier.has(key);
  }
  const step = bestFirstStep(frontier, budget);
  const chosen = recommendCombination(simulated, budget);
  const { prices, ...shownInputs } = inputs;
  return {
    result: {
      scenario: loaded.scenario.name,
      seed: loaded.model.seed,
      requests: loaded.scenario.requests,
      replications: options.replications,
      inputs: shownInputs,
      budgetMonthlyUsd: budget,
      options: variants.map((v) => ({ name: v.name, kind: v.kind, price: prices[v.name] })),
      conflicts,
      search: { method: plan.method, simulated: simulated.length, combinations: plan.combinations, limit: plan.limit },
      baseline,
      combinations: [...rows.values()],
      frontier: frontier.map((c) => nameOf(names, c.options)),
      frontierLine: costSuccessLine(frontier).map((c) => nameOf(names, c.options)),
      recommended: nameOf(names, chosen.options),
      cheaperAlike: cheaperAlike(chosen, simulated, runs, budget, names),
      firstStep: step.option === null ? step : { option: names[step.option], successPerThousandUsd: step.successPerThousandUsd },
      skipped,
    },
    status,
  };
}

/**
 * The cheapest set within the budget whose task success is not surely below
 * the recommended set's: the two compared paired, replication by replication
 * on the same random numbers (summarizeComparison with the recommended set
 * as the reference), so the difference's interval is the tight one of common
 * random numbers and not two separate intervals against the baseline.
 * "Highest task success" taken literally can buy a tenth of a point for
 * hundreds of dollars; this names what the money does not surely buy. Null
 * when no cheaper set is alike, or the recommended set is keeping as is.
 */
function cheaperAlike(
  chosen: CombinationFigures,
  simulated: readonly CombinationFigures[],
  runs: ReadonlyMap<string, ArmRuns>,
  budget: number | null,
  names: readonly string[],
): PortfolioResult['cheaperAlike'] {
  const reference = runs.get(setKey(chosen.options));
  if (chosen.options.length === 0 || reference === undefined) return null;
  const cheaper = [KEEP_AS_IS_FIGURES, ...simulated]
    .filter((c) => c !== chosen && eligibleCombination(c, budget) && c.extraCostMonthlyUsd < chosen.extraCostMonthlyUsd && runs.has(setKey(c.options)))
    .sort((a, b) => a.extraCostMonthlyUsd - b.extraCostMonthlyUsd || compareSets(a.options, b.options));
  if (cheaper.length === 0) return null;
  const paired = summarizeComparison(
    reference,
    cheaper.map((c) => ({ ...runs.get(setKey(c.options))!, name: nameOf(names, c.options), kind: 'mixed' as const })),
  );
  const i = paired.variants.findIndex((v) => !(v.delta.successRate.ci95[1] < 0));
  if (i < 0) return null;
  return { name: paired.variants[i].name, successDifference: paired.variants[i].delta.successRate, savingMonthlyUsd: chosen.extraCostMonthlyUsd - cheaper[i].extraCostMonthlyUsd };
}

/**
 * Summarises one batch against the baseline (paired, as compare does), prices
 * each combination a month (decision.ts decide, the options' prices added up)
 * and records its figures; returns the pricing inputs and the baseline's figures.
 */
function recordBatch(
  loaded: LoadedScenario,
  base: RunCollector[],
  done: readonly { set: number[]; arm: ArmSpec; collectors: RunCollector[] }[],
  names: readonly string[],
  figures: Map<string, CombinationFigures>,
  rows: Map<string, PortfolioCombination>,
  known: DecisionInputs | undefined,
): { inputs: DecisionInputs; baseline: PortfolioResult['baseline'] } {
  const comparison = summarizeComparison(
    { model: loaded.model, scenarioHash: loaded.hash, collectors: base },
    done.map((d) => ({ name: d.arm.label, kind: 'mixed' as const, model: d.arm.model, scenarioHash: d.arm.scenarioHash, collectors: d.collectors })),
    { version: '', node: '' },
  );
  const b = comparison.baseline;
  const open = b.stability?.arrivals !== 'closed' ? (b.stability?.arrivalRatePerSec ?? null) : null;
  const inputs = known ?? decisionInputs(loaded.scenario, open, b.throughputPerSec);
  const prices: Record<string, OptionPrice> = {};
  for (const d of done) {
    const each = d.set.map((i) => inputs.prices[names[i]]);
    prices[d.arm.label] = {
      oneOffUsd: each.reduce((t, p) => t + p.oneOffUsd, 0),
      monthlyUsd: each.reduce((t, p) => t + p.monthlyUsd, 0),
      note: null,
      unpriced: each.every((p) => p.unpriced),
    };
  }
  const decision = decide(comparison, { ...inputs, prices });
  done.forEach((d, i) => {
    const o = decision.options[i];
    const v = comparison.variants[i];
    const key = setKey(d.set);
    figures.set(key, {
      options: d.set,
      extraCostMonthlyUsd: o.extraCostMonthlyUsd,
      netMonthlyUsd: o.netMonthlyUsd,
      successDelta: o.successDelta,
      p95DeltaMs: o.p95DeltaMs.estimate,
      worse: o.worse,
    });
    rows.set(key, {
      name: d.arm.label,
      options: d.set.map((j) => names[j]),
      price: { oneOffUsd: prices[d.arm.label].oneOffUsd, monthlyUsd: prices[d.arm.label].monthlyUsd, unpriced: d.set.filter((j) => inputs.prices[names[j]].unpriced).map((j) => names[j]) },
      extraCostMonthlyUsd: o.extraCostMonthlyUsd,
      spendChangeMonthlyUsd: o.spendChangeMonthlyUsd,
      successRate: v.result.successRate,
      successDelta: o.successDelta,
      silentFailureDelta: o.silentFailureDelta,
      silentFailuresMonthly: o.silentFailuresMonthly,
      p95Ms: v.result.latencyMs.p95,
      p95DeltaMs: o.p95DeltaMs,
      p95Change: latencyChange(o.p95DeltaMs, b.latencyMs.p95, v.result.latencyMs.p95),
      netMonthlyUsd: o.netMonthlyUsd,
      worse: o.worse,
      withinBudget: false,
      onFrontier: false,
      scenarioHash: d.arm.scenarioHash,
    });
  });
  return {
    inputs,
    baseline: { successRate: b.successRate, silentFailureRate: b.silentFailureRate, p95Ms: b.latencyMs.p95, spendPerRequestUsd: b.costUsd.spend.perRequest },
  };
}
