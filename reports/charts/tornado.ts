/**
 * Chart 6, what to fix first: every single intervention's Δ task success
 * against the baseline with its 95 % interval, best first (a tornado chart
 * whose bars all start at zero), in two panels on one scale: the options
 * someone can buy, then the what-if bounds nobody can (a stage or hand-off
 * made fault-free; sim/experiment/sensitivity.ts). The tooltip gives each row's change
 * in spend and in the scenario's assumed silent-failure cost per success.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Estimate } from '../../sim/metrics/index.js';
import type { SensitivityResult, SensitivityRow } from '../../sim/experiment/index.js';
import { deltaMs, deltaUsd, ppInterval } from '../format.js';
import { CONFIG, INTERVENTION_COLORS, SCHEMA, WIDTH, kindScale } from '../theme.js';
import { bandHeight, finite, title, type Chart } from './chart.js';

function finding(s: SensitivityResult): string {
  const top = s.options[0];
  const bound = s.whatIf[0];
  if (!top && !bound) return 'No interventions to rank';
  const parts: string[] = [];
  if (top) {
    const computeRank = s.options.findIndex((r) => r.kind === 'compute');
    const compute = computeRank > 0 ? `; the best compute change ranks ${computeRank + 1} of ${s.options.length} (${ppInterval(s.options[computeRank].delta.successRate)})` : '';
    parts.push(`Fix first: ${top.name}, ${ppInterval(top.delta.successRate)} task success${compute}`);
  }
  if (bound) parts.push(`largest what-if bound: ${bound.name}, ${ppInterval(bound.delta.successRate)}`);
  return parts.join('; ');
}

const pointOnly = (e: Estimate): Estimate => ({ estimate: e.estimate, ci95: [NaN, NaN] });

function rowsOf(list: readonly SensitivityRow[], penalized: boolean) {
  return list.map((r, i) => ({
    rank: i + 1,
    intervention: r.name,
    kind: r.kind,
    dSuccessPp: finite(r.delta.successRate.estimate * 100),
    lowPp: finite(r.delta.successRate.ci95[0] * 100),
    highPp: finite(r.delta.successRate.ci95[1] * 100),
    dSuccessText: ppInterval(r.delta.successRate),
    dP95Text: deltaMs(r.delta.p95Ms.estimate),
    dSpendText: deltaUsd(r.delta.spendPerSuccessUsd),
    ...(penalized ? { dPenaltyText: deltaUsd(r.delta.assumedPenaltyPerSuccessUsd) } : {}),
    // Beside the panel, so a static picture (PNG, SVG) shows them too: the estimates, without their intervals.
    moneyText: `spend ${deltaUsd(pointOnly(r.delta.spendPerSuccessUsd))}${penalized ? ` · assumed ${deltaUsd(pointOnly(r.delta.assumedPenaltyPerSuccessUsd))}` : ''}`,
  }));
}

export function tornadoChart(s: SensitivityResult): Chart {
  const penalized = [s.baseline, ...s.options.map((r) => r.result), ...s.whatIf.map((r) => r.result)].some((r) => r.costUsd.assumedPenalty.perSilentFailure > 0);
  const groups = [
    { heading: 'Options someone can buy: each policy of a coordination variant alone, each compute variant', rows: rowsOf(s.options, penalized) },
    { heading: 'What-if bounds: a stage or hand-off made fault-free – nobody can buy these', rows: rowsOf(s.whatIf, penalized) },
  ].filter((g) => g.rows.length > 0);
  const kinds = groups.flatMap((g) => g.rows.map((v) => v.kind));
  const panelWidth = WIDTH - 160;
  const panel = (g: (typeof groups)[number]) => ({
    title: { text: g.heading, anchor: 'start', fontSize: 12 },
    width: panelWidth,
    height: bandHeight(g.rows.length, 20),
    data: { values: g.rows },
    encoding: { y: { field: 'intervention', type: 'nominal', sort: g.rows.map((v) => v.intervention), title: null } },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'dSuccessPp', type: 'quantitative', title: 'Δ task success (percentage points)', axis: { format: '+.1~f' } },
          color: { field: 'kind', type: 'nominal', title: 'intervention', scale: kindScale(kinds, INTERVENTION_COLORS) },
          tooltip: [
            { field: 'rank', type: 'quantitative' },
            { field: 'intervention', type: 'nominal' },
            { field: 'kind', type: 'nominal' },
            { field: 'dSuccessText', type: 'nominal', title: 'Δ task success (95 % CI)' },
            { field: 'dP95Text', type: 'nominal', title: 'Δ p95' },
            { field: 'dSpendText', type: 'nominal', title: 'Δ spend per success (95 % CI)' },
            ...(penalized ? [{ field: 'dPenaltyText', type: 'nominal', title: 'Δ assumed silent-failure cost per success (95 % CI)' }] : []),
          ],
        },
      },
      { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'lowPp', type: 'quantitative' }, x2: { field: 'highPp' } } },
      { data: { values: [{}] }, mark: { type: 'rule', color: '#444444' }, encoding: { x: { datum: 0 }, y: null } },
      { mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 10 }, encoding: { x: { value: panelWidth + 10 }, text: { field: 'moneyText' } } },
    ],
  });
  const spec = {
    $schema: SCHEMA,
    title: title(
      finding(s),
      `Each intervention alone against the baseline on common random numbers, best first within its panel; black bars: 95 % intervals.${
        penalized
          ? " Right of each bar: its change in spend and in the scenario's assumed silent-failure cost per success (an assumption, not spend); hover for their intervals."
          : ' Right of each bar: its change in spend per success; hover for its interval.'
      }`,
    ),
    vconcat: groups.map(panel),
    resolve: { scale: { x: 'shared', color: 'shared' } },
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'what-to-fix-first', title: finding(s), spec };
}
