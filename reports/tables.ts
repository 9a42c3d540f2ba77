/**
 * The report's tables as plain data (header, rows of display strings), built
 * once and written both as Markdown and as HTML. Cells hold unescaped text;
 * each writer escapes.
 */
import type { ComparisonResult } from '../sim/experiment/index.js';
import type { Estimate } from '../sim/metrics/index.js';
import type { RunResult } from '../sim/metrics/index.js';
import type { SensitivityResult } from '../sim/experiment/index.js';
import type { SweepResult } from '../sim/experiment/index.js';
import type { HardwareProfile } from '../bench/profile.js';
import type { HardwareFigures, Leak, ReportFigures } from './input.js';
import { arms, failedShare } from './arms.js';
import { deltaMsInterval, deltaUsd, int, ms, p95Change, pct, perSec, ppInterval, times, usd, type LatencyChange } from './format.js';
import { stepPoints } from './charts/steps.js';
import { profileLabels } from './charts/hardware.js';
import { OUTCOME_LABELS, OUTCOME_ORDER } from './theme.js';
import { goodputLabel, goodputShare } from './goodput.js';
import { OBJECTIVE_LABELS } from './objectives.js';

export interface Column {
  label: string;
  /** Right-aligned (numbers). */
  numeric?: boolean;
}

export interface Table {
  caption: string;
  columns: Column[];
  rows: string[][];
  /** A line under the table (what was left out, footnotes). */
  note?: string;
}

const text = (label: string): Column => ({ label });
const num = (label: string): Column => ({ label, numeric: true });

/** "65.6 % [65.2 %, 66.0 %]" */
function rateWithInterval(e: Estimate, digits = 1): string {
  return Number.isFinite(e.estimate) ? `${pct(e.estimate, digits)} [${pct(e.ci95[0], digits)}, ${pct(e.ci95[1], digits)}]` : 'n/a';
}

/** @param p95 each variant's change in p95, in the order of `c.variants` (figures.variantP95) */
export function variantsTable(c: ComparisonResult, p95: readonly LatencyChange[]): Table {
  // Goodput at the scenario's latency target (goodput:), only when it sets one.
  const goodput = goodputLabel(arms(c).map((a) => a.result.goodput));
  return {
    caption: 'Every arm against the baseline (95 % intervals in brackets or after ±)',
    columns: [
      text('arm'), text('kind'), num('task success'), num('Δ task success'), num('silent failure'), num('escalated'), num('failed, timed out or rejected'), num('p95'), num('Δ p95'),
      ...(goodput !== undefined ? [num(`successful ${goodput}`)] : []),
      num('spend per success'), num('Δ spend per success'),
    ],
    rows: arms(c).map((a) => {
      const r = a.result;
      const d = a.delta;
      return [
        a.name,
        a.kind,
        rateWithInterval(r.successRate),
        d ? ppInterval(d.successRate) : '',
        rateWithInterval(r.silentFailureRate, 2),
        pct(r.requests > 0 ? r.outcomes.escalated / r.requests : NaN, 2),
        pct(failedShare(r), 2),
        ms(r.latencyMs.p95),
        a.variantIndex !== undefined ? p95Change(p95[a.variantIndex]) : '',
        ...(goodput !== undefined ? [goodputShare(r.goodput)] : []),
        usd(r.costUsd.spend.perSuccess),
        d ? deltaUsd(d.spendPerSuccessUsd) : '',
      ];
    }),
    ...(arms(c).some((a) => a.result.costUsd.assumedPenalty.perSilentFailure > 0)
      ? { note: "Spend: tokens, compute and human time paid per successful request. The scenario's assumed cost of silent failures is not spend: see the cost table." }
      : {}),
  };
}

/**
 * Cost per successful request taken apart: what is spent (tokens, compute,
 * human time, escalation handling) and, when the scenario assumes one, the
 * business cost of its silent failures – an assumption, not spend – with the
 * total only as their labelled sum (sim/metrics/cost.ts).
 */
export function costTable(c: ComparisonResult): Table | undefined {
  const list = arms(c);
  const results = list.map((a) => a.result);
  const penalized = results.some((r) => r.costUsd.assumedPenalty.perSilentFailure > 0);
  if (!penalized && results.every((r) => r.costUsd.total === 0)) return undefined;
  const escalation = results.some((r) => r.costUsd.breakdown.escalation > 0);
  // Per success; a part the scenario does not price is "$0" even when nothing succeeded.
  const each = (r: RunResult, x: number) => usd(x === 0 ? 0 : r.outcomes.success > 0 ? x / r.outcomes.success : null);
  const prices = [...new Set(results.map((r) => r.costUsd.assumedPenalty.perSilentFailure))].map((p) => usd(p)).join(' or ');
  return {
    caption: penalized
      ? `Cost per successful request: spend and the assumed cost of silent failures (${prices} each, the scenario's assumption) apart; total = spend + assumed`
      : 'Spend per successful request',
    columns: [
      text('arm'),
      num('tokens'),
      num('compute'),
      num('human time'),
      ...(escalation ? [num('escalation handling')] : []),
      num('spend'),
      num('Δ spend'),
      ...penaltyColumns(penalized),
    ],
    rows: list.map((a) => {
      const { breakdown: b, spend, assumedPenalty } = a.result.costUsd;
      const d = a.delta;
      return [
        a.name,
        each(a.result, b.tokens),
        each(a.result, b.compute),
        each(a.result, b.human),
        ...(escalation ? [each(a.result, b.escalation)] : []),
        usd(spend.perSuccess),
        d ? deltaUsd(d.spendPerSuccessUsd) : '',
        ...(penalized
          ? [usd(assumedPenalty.perSuccess), d ? deltaUsd(d.assumedPenaltyPerSuccessUsd) : '', usd(a.result.costUsd.perSuccess), d ? deltaUsd(d.costPerSuccessUsd) : '']
          : []),
      ];
    }),
  };
}

function penaltyColumns(penalized: boolean): Column[] {
  return penalized ? [num('assumed silent-failure cost'), num('Δ assumed'), num('total'), num('Δ total')] : [];
}

export function outcomesTable(c: ComparisonResult): Table {
  return {
    caption: 'How every request ended (counts; they sum to the requests)',
    columns: [text('arm'), ...OUTCOME_ORDER.map((o) => num(OUTCOME_LABELS[o])), num('requests')],
    rows: arms(c).map((a) => [a.name, ...OUTCOME_ORDER.map((o) => int(a.result.outcomes[o])), int(a.result.requests)]),
  };
}

/** @param list the baseline's leaks (figures.leaks) */
export function leaksTable(list: readonly Leak[]): Table {
  return {
    caption: "Where the baseline's unsuccessful requests first went wrong (stage, or hand-off a→b)",
    columns: [text('first fault at'), num('requests'), num('share [95 % interval]'), num('running total')],
    rows: list.map((l) => [l.origin, int(l.count), `${pct(l.share)} [${pct(l.low)}, ${pct(l.high)}]`, pct(l.cumulative)]),
  };
}

/**
 * What to fix first, as two tables: the options someone can buy, then the
 * what-if bounds nobody can (sim/experiment/sensitivity.ts), each best first, every row
 * with its change in spend and – when the scenario assumes one – in the
 * assumed silent-failure cost per success.
 */
/** @param p95 each row's change in p95, in the order of the options and the what-if bounds (figures.sensitivityP95) */
export function sensitivityTables(s: SensitivityResult, p95: NonNullable<ReportFigures['sensitivityP95']>): Table[] {
  const penalized = [s.baseline, ...s.options.map((r) => r.result), ...s.whatIf.map((r) => r.result)].some((r) => r.costUsd.assumedPenalty.perSilentFailure > 0);
  const table = (caption: string, rows: SensitivityResult['options'], changes: readonly LatencyChange[]): Table => ({
    caption,
    columns: [
      num('#'),
      text('intervention'),
      text('kind'),
      num('Δ task success'),
      num('Δ p95'),
      num('Δ spend per success'),
      ...(penalized ? [num('Δ assumed silent-failure cost per success'), num('Δ total cost per success')] : []),
    ],
    rows: rows.map((r, i) => [
      String(i + 1),
      r.name,
      r.kind,
      ppInterval(r.delta.successRate),
      deltaMsInterval(changes[i]),
      deltaUsd(r.delta.spendPerSuccessUsd),
      ...(penalized ? [deltaUsd(r.delta.assumedPenaltyPerSuccessUsd), deltaUsd(r.delta.costPerSuccessUsd)] : []),
    ]),
  });
  const by = `best first by ${OBJECTIVE_LABELS[s.objective]}`;
  const tables: Table[] = [];
  if (s.options.length > 0) tables.push(table(`What to fix first: options someone can buy (each policy of a coordination variant alone, each compute variant), ${by}`, s.options, p95.options));
  if (s.whatIf.length > 0)
    tables.push(table(`What-if bounds: a stage or hand-off made fault-free – nobody can buy these; they bound what fixing that place could give; ${by}`, s.whatIf, p95.whatIf));
  const notes = [
    ...(penalized ? ["Spend: tokens, compute and human time paid; the assumed silent-failure cost is the scenario's assumption, not spend; total cost is the two together."] : []),
    ...(s.skipped.length > 0 ? [`Not run (not a valid scenario on its own): ${s.skipped.map((k) => `${k.name} – ${k.reason}`).join('; ')}.`] : []),
  ];
  if (tables.length > 0 && notes.length > 0) tables[tables.length - 1].note = notes.join(' ');
  return tables;
}

export function stepsTable(s: SweepResult): Table | undefined {
  const points = stepPoints(s);
  if (points.length === 0) return undefined;
  const steps = [...new Set(points.map((p) => p.steps))].sort((a, b) => a - b);
  const levels = [...new Set(points.map((p) => p.reliability))].sort((a, b) => b - a);
  const outside = points.some((p) => p.inside === false);
  return {
    caption: 'End-to-end task success by steps and per-step reliability, % simulated (closed form rⁿ)',
    columns: [text('per step'), ...steps.map((n) => num(`${n}`))],
    rows: levels.map((r) => [
      `${+(r * 100).toFixed(2)} %`,
      ...steps.map((n) => {
        const p = points.find((q) => q.reliability === r && q.steps === n);
        if (!p) return '';
        const form = p.closedForm === null ? '' : ` (${(p.closedForm * 100).toFixed(1)})`;
        return `${(p.simulated * 100).toFixed(1)}${form}${p.inside === false ? ' †' : ''}`;
      }),
    ]),
    ...(outside ? { note: '† the closed form lies outside the simulated 95 % interval (expect about 1 point in 20).' } : {}),
  };
}

/** @param hardware with two profiles, B against A (figures.hardware) */
export function hardwareTable(profiles: readonly HardwareProfile[], hardware: HardwareFigures | undefined): Table | undefined {
  const labels = profileLabels(profiles);
  if (profiles.length === 1) {
    const p = profiles[0];
    return {
      caption: `Kernels measured on ${labels[0]} (${p.host.cpuModel}, ${p.host.logicalCpus} logical CPUs)`,
      columns: [text('kernel'), text('group'), num('median'), num('p99'), num('calls per second')],
      rows: Object.entries(p.kernels).map(([id, k]) => [id, k.group, ms(k.medianMs), ms(k.p99Ms), perSec(k.throughputPerSec)]),
    };
  }
  if (profiles.length !== 2 || hardware === undefined) return undefined;
  const cmp = hardware.comparison;
  return {
    caption: `${labels[1]} against ${labels[0]}, per kernel; speedup > 1: B is faster`,
    columns: [text('kernel'), num('A median'), num('B median'), num('speedup B/A'), num('95 % interval'), text('notes')],
    rows: cmp.kernels.map((k) => [
      k.id,
      ms(k.aMedianMs),
      ms(k.bMedianMs),
      times(k.speedup),
      k.ci95 ? `${times(k.ci95[0])} – ${times(k.ci95[1])}` : 'n/a',
      [k.paramsDiffer ? 'parameters differ' : '', k.spreadFlagged ? 'isolates disagree' : '', k.ci95 && k.ci95[0] <= 1 && k.ci95[1] >= 1 ? 'no clear difference' : ''].filter(Boolean).join('; '),
    ]),
    ...(cmp.onlyInA.length + cmp.onlyInB.length > 0
      ? { note: `Measured on one machine only: ${[...cmp.onlyInA.map((k) => `${k} (A)`), ...cmp.onlyInB.map((k) => `${k} (B)`)].join(', ')}.` }
      : {}),
  };
}

function provenanceRow(name: string, r: RunResult): string[] {
  return [name, String(r.seed), int(r.requests), String(r.replications), r.meta.scenarioHash, r.meta.version];
}

export function provenanceTable(c: ComparisonResult): Table {
  return {
    caption: 'What stands behind each arm',
    columns: [text('arm'), num('seed'), num('requests'), num('replications'), text('scenario hash'), text('coordgap version')],
    rows: arms(c).map((a) => provenanceRow(a.name, a.result)),
  };
}
