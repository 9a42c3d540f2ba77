/**
 * What a report is built from: the results (written as results.json before
 * anything is rendered, read back by `coordgap report --from`) and the
 * figures derived from them. Types only: reports render, and read only types
 * from sim/ and bench/ (import-graph.test.ts). The figures are computed where
 * the data is assembled (experiments/report-input.ts) and a results file is
 * read back and checked by scripts/read-results.ts.
 */
import type { ComparisonResult, Decision, DecisionInputs, PortfolioResult, UncertainMetric, UncertaintyReading, UncertaintyResult } from '../sim/experiment/index.js';
import type { SensitivityResult } from '../sim/experiment/index.js';
import type { SweepResult } from '../sim/experiment/index.js';
import type { HardwareProfile } from '../bench/profile.js';
import type { ProfileComparison } from '../bench/compare.js';
import type { ThresholdVerdict } from '../sim/metrics/index.js';
import type { PathTopology } from '../sim/path/index.js';
import type { LatencyChange } from './format.js';

/** The results a report shows: exactly what its results.json holds. */
export interface ReportResults {
  comparison: ComparisonResult;
  /** `coordgap sensitivity --json`: the tornado chart and the "fix first" table. */
  sensitivity?: SensitivityResult;
  /** The reliability-vs-steps study (`coordgap sweep --study reliability-vs-steps --json`). */
  sweep?: SweepResult;
  /** 0, 1 or 2 bench profiles: with two, the second (B) is compared against the first (A). */
  profiles?: HardwareProfile[];
  /** The scenario file the comparison ran, shown in the report. */
  scenarioFile?: string;
  /** The scenario's own words: its description and its stages' (about.ts). */
  scenario?: ScenarioAbout;
  /** Each arm's thresholds and the gate's verdict (sim/metrics/threshold-gate.ts), when the report ran the scenario. */
  thresholds?: ThresholdVerdict;
  /**
   * The scenario's request path as data (sim/path pathTopology of the
   * baseline's model), so `report --from` draws the pipeline picture from this
   * file alone. Absent in a bare `compare --json`: the report then says it has
   * no picture.
   */
  topology?: PathTopology;
  /**
   * `report --uncertainty N`: the draws of the scenario's `uncertainty:`
   * parameters combined (sim/experiment combineUncertainty), variants in the
   * order of `comparison.variants`.
   */
  uncertainty?: UncertaintyResult;
  /**
   * What the decision memo prices the options with (sim/experiment
   * decisionInputs): the traffic and where it came from, the assumed cost of a
   * silent failure, the amortisation, each variant's price. Absent in a bare
   * `compare --json`: the memo then says it has none.
   */
  decisionInputs?: DecisionInputs;
  /**
   * `report --budget USD`: the budgeted portfolio of the scenario's options
   * (`coordgap portfolio --json`), or – for a scenario with fewer than two
   * options, where there is nothing to combine – the budget and why it was
   * not run. The "Portfolio" section and charts/portfolio-frontier.* show it.
   */
  portfolio?: PortfolioResult | PortfolioNotRun;
}

/** `report --budget USD` of a scenario with fewer than two options: the section says why there is no portfolio. */
export interface PortfolioNotRun {
  budgetMonthlyUsd: number;
  notRun: string;
}

/** Everything a report renders: the results and the figures derived from them. */
export interface ReportInput extends ReportResults {
  /** Derived from the results above, never written to results.json: `report --from` derives them again. */
  figures: ReportFigures;
}

/** What a report says about the scenario in words, taken from the validated scenario (about.ts). */
export interface ScenarioAbout {
  description?: string;
  stages: { id: string; pool: string; description?: string }[];
}

/**
 * The figures a report prints that are not in the results as they stand –
 * each computed once, by experiments/report-input.ts, for `report` and
 * `report --from` alike. Lists follow the order of what they describe.
 */
export interface ReportFigures {
  /** Each variant's change in p95 latency, in the order of `comparison.variants`. */
  variantP95: LatencyChange[];
  /** Each intervention's change in p95 latency, in the order of `sensitivity.options` and `.whatIf`. */
  sensitivityP95?: { options: LatencyChange[]; whatIf: LatencyChange[] };
  /** Where the baseline's unsuccessful requests first went wrong, most first. */
  leaks: Leak[];
  /** With two hardware profiles: B against A. */
  hardware?: HardwareFigures;
  /** The thresholds in words, with `thresholds`. */
  thresholds?: ThresholdFigures;
  /**
   * Share of a pool's attempts refused at admission from which the stability
   * notes name it (sim/analysis SHEDDING_SHARE, the mark `stability.shedding` is set by).
   */
  sheddingShare: number;
  /** With `uncertainty`: per variant (its order) and metric, which uncertainty dominates (sim/experiment readUncertainty). */
  uncertainty?: Record<UncertainMetric, UncertaintyReading>[];
  /** With `decisionInputs`: what to buy, a month at the traffic (sim/experiment decide) – the memo on top of the report. */
  decision?: Decision;
  /** With `decisionInputs`: the traffic as requests/s (a month is 30.44 days), for the memo to say where it came from. */
  trafficPerSec?: number;
}

/** One place where unsuccessful requests first went wrong (a stage, or a hand-off "a→b"), as a share of them. */
export interface Leak {
  origin: string;
  count: number;
  /** Share of the baseline's unsuccessful requests, with its 95 % Wilson interval [low, high]. */
  share: number;
  low: number;
  high: number;
  /** Running total of the shares, most first. */
  cumulative: number;
}

/** Machine B against machine A, per kernel (bench/compare.ts), and what the summary and titles say of it. */
export interface HardwareFigures {
  comparison: ProfileComparison;
  /** Geometric mean of the speedups of the kernels measured with the same parameters on both; NaN when none were. */
  geometricMeanSpeedup: number;
  /** How many kernels that mean is over. */
  sameParamsKernels: number;
  /** Kernels B runs faster (speedup > 1). */
  fasterKernels: number;
  /** Kernels whose whole 95 % interval lies above 1×. */
  surelyFasterKernels: number;
}

/** The thresholds as the terminal words them too (sim/metrics). */
export interface ThresholdFigures {
  /** The gate's verdict in one line, "thresholds (gate any: …): PASS – …"; "" when no arm carries a threshold. */
  verdictLine: string;
  /**
   * Each check's measured value in the unit its expression is written in, with
   * digits enough not to make a failed check look passed ("0.94999", "2.4776s");
   * null when not measured. Per arm and check, in the order of `thresholds.arms`.
   */
  actuals: (string | null)[][];
}
