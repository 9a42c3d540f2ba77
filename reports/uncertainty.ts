/**
 * Parameter uncertainty (`--uncertainty N`) in words and as a table, one
 * wording for the terminal (scripts/format-uncertainty.ts) and the report:
 * per variant and metric, the point estimate with its simulation-noise 95 %
 * interval beside the total one (parameters and simulation), P(the variant
 * is better) and the share of the draws' variance from the parameters; and
 * per variant, which of the two dominates and so whether more traces or more
 * simulation would narrow the answer (the rule: sim/experiment
 * readUncertainty, computed for the report by experiments/report-input.ts).
 */
import type { UncertainDelta, UncertainMetric, UncertaintyReading, UncertaintyResult } from '../sim/experiment/index.js';
import { deltaDollars, deltaMs, pct, pp } from './format.js';
import type { Column, Table } from './tables.js';
import type { ReportInput } from './input.js';
import { bestOfKind } from './arms.js';

/** The metrics in the order UNCERTAIN_METRICS lists them (sim/experiment/uncertainty.ts), with their names. */
export const UNCERTAIN_LABELS: Record<UncertainMetric, string> = {
  successRate: 'Δ task success',
  silentFailureRate: 'Δ silent failure',
  p95Ms: 'Δ p95',
  spendPerSuccessUsd: 'Δ spend/success',
  costPerSuccessUsd: 'Δ cost/success',
};

/** A value of each metric's delta as every output prints it. */
export const UNCERTAIN_FORMAT: Record<UncertainMetric, (x: number) => string> = {
  successRate: (x) => pp(x),
  silentFailureRate: (x) => pp(x, 2),
  p95Ms: deltaMs,
  spendPerSuccessUsd: deltaDollars,
  costPerSuccessUsd: deltaDollars,
};

/** The metric every variant's reading is given for: the headline. */
export const READING_METRIC: UncertainMetric = 'successRate';

/** "20×", "2.3×": a ratio of two interval widths, as precisely as a reader compares two bars. */
export function widthRatioText(x: number): string {
  return x >= 10 ? `${Math.round(x).toLocaleString('en-US')}×` : `${x.toFixed(1)}×`;
}

/** "at most 13 % narrower", "under 1 % narrower": the most a remedy could narrow the total interval. */
function atMost(share: number): string {
  return share < 0.005 ? 'under 1 % narrower' : `at most ${pct(share, 0)} narrower`;
}

/**
 * One delta's reading in plain words: how much wider the total interval is
 * than the simulation noise, which dominates, and what would narrow it – e.g.
 * "total interval 20× as wide as simulation noise: parameters dominate (99 %
 * of the variance) – more traces (more observed errors) would narrow it, more
 * simulation would not (under 1 % narrower)".
 */
export function readingWords(r: UncertaintyReading): string {
  // Narrower than the simulation noise's when the few draws' percentiles fall short, or the simulation interval is a Student t of few replications.
  const narrower = r.widthRatio < 1 ? ' (narrower: with few draws or replications the ends are rough)' : '';
  const wide = Number.isFinite(r.widthRatio) ? `total interval ${widthRatioText(r.widthRatio)} as wide as simulation noise${narrower}: ` : '';
  switch (r.dominant) {
    case 'parameters':
      return `${wide}parameters dominate (${pct(r.parameterShare, 0)} of the variance) – more traces (more observed errors) would narrow it, more simulation would not (${atMost(r.maxNarrowingBySimulation)})`;
    case 'simulation':
      return `${wide}simulation noise dominates (parameters: ${pct(r.parameterShare, 0)} of the variance) – more requests or replications would narrow it, more traces would not (${atMost(r.maxNarrowingByTraces)})`;
    case 'both':
      return `${wide}parameters (${pct(r.parameterShare, 0)} of the variance) and simulation noise both matter – more traces could narrow it by up to ${pct(r.maxNarrowingByTraces, 0)}, more simulation by up to ${pct(r.maxNarrowingBySimulation, 0)}`;
    case null:
      switch (r.reason) {
        case 'too-few-draws':
          return 'no reading: fewer than two draws gave a number';
        case 'no-spread':
          return 'every draw gave the same difference: neither more traces nor more simulation would change it';
        case 'no-simulation-interval':
          return 'no reading: the draws carry no simulation interval (run at least 2 replications)';
      }
  }
}

/** The reading in a few words, for a chart: "parameters dominate: more traces would narrow it". */
export function dominantPhrase(r: UncertaintyReading): string {
  switch (r.dominant) {
    case 'parameters':
      return 'parameters dominate: more traces would narrow it';
    case 'simulation':
      return 'simulation noise dominates: more simulation would narrow it';
    case 'both':
      return 'parameters and simulation noise both matter';
    case null:
      return r.reason === 'no-spread' ? 'the same in every draw' : r.reason === 'too-few-draws' ? 'too few draws to tell' : 'no simulation interval to compare';
  }
}

/** "recovery-layer, Δ task success: total interval 20× as wide …": one line per variant. */
export function readingLine(variant: string, reading: UncertaintyReading, metric: UncertainMetric = READING_METRIC): string {
  return `${variant}, ${UNCERTAIN_LABELS[metric]}: ${readingWords(reading)}`;
}

/** The table's header, as the terminal and the report print it. */
export const UNCERTAINTY_COLUMNS: readonly Column[] = [
  { label: 'variant' },
  { label: 'metric' },
  { label: 'point', numeric: true },
  { label: 'simulation 95 % CI', numeric: true },
  { label: 'total 95 % CI', numeric: true },
  { label: 'P(better)', numeric: true },
  { label: 'from parameters', numeric: true },
];

/** One row per variant and metric, in UNCERTAINTY_COLUMNS' order. */
export function uncertaintyRows(u: UncertaintyResult): string[][] {
  return u.variants.flatMap((v) =>
    (Object.entries(v.deltas) as [UncertainMetric, UncertainDelta][]).map(([metric, d]) => {
      const f = UNCERTAIN_FORMAT[metric];
      const interval = (ci: readonly [number, number]) => (Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? `[${f(ci[0])}, ${f(ci[1])}]` : 'n/a');
      const better = d.pBetter === null || d.pWorse === null ? 'n/a' : d.pBetter === 0 && d.pWorse === 0 ? 'no change' : pct(d.pBetter, 0);
      return [v.name, UNCERTAIN_LABELS[metric], f(d.point.estimate), interval(d.point.ci95), interval(d.totalCi95), better, d.parameterShare === null ? 'n/a' : pct(d.parameterShare, 0)];
    }),
  );
}

/** What the draws were: "5 draws of a, b – each a paired comparison with a seed of its own". */
export function uncertaintyHeading(u: UncertaintyResult): string {
  return `${u.draws} draws of ${u.parameters.join(', ')} – each a paired comparison with a seed of its own`;
}

/** How to read the columns, with the caveat that few draws give rough interval ends. */
export function uncertaintyNotes(u: UncertaintyResult): string[] {
  return [
    "simulation 95 % CI: the point comparison (parameters at the file's values); total 95 % CI: the 2.5–97.5 % points of the draws' estimates (parameters and simulation together)",
    `from parameters: the share of the draws' variance the parameters explain – near 100 %, more traces would narrow it; near 0 %, more simulation (with ${u.draws} draws the total interval's ends are themselves rough)`,
  ];
}

/** The report's table: every variant × metric. */
export function uncertaintyTable(u: UncertaintyResult): Table {
  return {
    caption: `Parameter uncertainty: ${uncertaintyHeading(u)}`,
    columns: [...UNCERTAINTY_COLUMNS],
    rows: uncertaintyRows(u),
    note: uncertaintyNotes(u)
      .map((n) => `${n[0].toUpperCase()}${n.slice(1)}.`)
      .join(' '),
  };
}

/** The report's per-variant readings on the headline metric, in the order of `u.variants`. */
export function readingLines(u: UncertaintyResult, readings: readonly Record<UncertainMetric, UncertaintyReading>[]): string[] {
  return u.variants.map((v, i) => readingLine(v.name, readings[i][READING_METRIC]));
}

/**
 * The summary's sentence: for the variant the summary leads with (the best
 * coordination fix, else mixed, else compute), both intervals of its Δ task
 * success, how often it was better, and the reading.
 */
export function uncertaintySentence(input: ReportInput): string[] {
  const u = input.uncertainty;
  const readings = input.figures.uncertainty;
  const c = input.comparison;
  const lead = bestOfKind(c, 'coordination') ?? bestOfKind(c, 'mixed') ?? bestOfKind(c, 'compute');
  if (!u || !readings || !lead) return [];
  const i = u.variants.findIndex((v) => v.name === lead.name);
  if (i < 0) return [];
  const d = u.variants[i].deltas[READING_METRIC];
  const f = UNCERTAIN_FORMAT[READING_METRIC];
  const interval = (ci: readonly [number, number]) => (Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? `[${f(ci[0])}, ${f(ci[1])}]` : 'n/a');
  const better = d.pBetter === null ? '' : `, better than the baseline in ${pct(d.pBetter, 0)} of them`;
  return [
    `With parameter uncertainty (${u.draws} draws of ${u.parameters.join(', ')}), ${lead.name}'s Δ task success lies in ${interval(d.totalCi95)} (95 %) against ${interval(d.point.ci95)} from simulation noise alone${better}; ${readingWords(readings[i][READING_METRIC])}.`,
  ];
}
