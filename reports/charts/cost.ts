/**
 * Chart 7, reliability per dollar: money spent per successful request
 * (tokens, compute, human time) against task success, one point per arm (95 %
 * Wilson interval on task success). The scenario's assumed cost of silent
 * failures is not spend: it is kept off the axis and stated apart in the
 * subtitle and the tooltip, with the total as their sum (sim/metrics/cost.ts) – on a
 * pipeline that fails silently it is nearly all of the total and would hide
 * what a fix costs to run.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../sim/experiment/index.js';
import { arms } from '../arms.js';
import { deltaUsd, pct, usd } from '../format.js';
import { CONFIG, SCHEMA, WIDTH, kindScale } from '../theme.js';
import { finite, logScale, title, type Chart } from './chart.js';

/** The arm with the most task success (ties: the lower spend per success), or undefined. */
function bestVariant(c: ComparisonResult) {
  const priced = c.variants.filter((v) => v.result.costUsd.spend.perSuccess !== null);
  return priced.sort((x, y) => y.result.successRate.estimate - x.result.successRate.estimate || x.result.costUsd.spend.perSuccess! - y.result.costUsd.spend.perSuccess!)[0];
}

function finding(c: ComparisonResult): string {
  const b = c.baseline;
  const best = bestVariant(c);
  const base = `${pct(b.successRate.estimate)} at ${usd(b.costUsd.spend.perSuccess)} in the baseline`;
  if (!best) return `Task success ${pct(b.successRate.estimate)} at ${usd(b.costUsd.spend.perSuccess)} spent per success`;
  return `${best.name}: ${pct(best.result.successRate.estimate)} task success at ${usd(best.result.costUsd.spend.perSuccess)} spent per success; ${base}`;
}

/** What the axis leaves out: the assumed silent-failure cost per success, baseline and best arm, and the totals as sums. */
function penaltyNote(c: ComparisonResult): string {
  const b = c.baseline.costUsd;
  if (![b, ...c.variants.map((v) => v.result.costUsd)].some((x) => x.assumedPenalty.perSilentFailure > 0)) return '';
  const best = bestVariant(c);
  const sum = (x: typeof b, name: string) => `${name} ${usd(x.spend.perSuccess)} + ${usd(x.assumedPenalty.perSuccess)} = ${usd(x.perSuccess)}`;
  return (
    ` Not on the axis: the scenario's assumed ${usd(b.assumedPenalty.perSilentFailure)} per silent failure, an assumption, not spend; ` +
    `spend + assumed cost per success: ${sum(b, 'baseline')}${best ? `, ${sum(best.result.costUsd, best.name)}` : ''}.`
  );
}

export function costChart(c: ComparisonResult): Chart {
  const list = arms(c).filter((a) => a.result.costUsd.spend.perSuccess !== null && a.result.requests > 0);
  const costs = list.map((a) => a.result.costUsd.spend.perSuccess!).filter((x) => x > 0);
  const log = costs.length > 1 && Math.max(...costs) / Math.min(...costs) > 20;
  // Arms that land on the same spot (a compute change that buys no success at the same price) share one label.
  const labels = new Map<string, string>();
  const spots = new Map<string, string[]>();
  for (const a of list) {
    const key = `${a.result.successRate.estimate.toFixed(3)}|${a.result.costUsd.spend.perSuccess!.toPrecision(3)}`;
    spots.set(key, [...(spots.get(key) ?? []), a.name]);
  }
  for (const names of spots.values()) labels.set(names[0], names.join(', '));
  const values = list.map((a) => {
    const cost = a.result.costUsd;
    return {
      arm: a.name,
      kind: a.kind,
      success: a.result.successRate.estimate,
      successLow: a.result.successRate.ci95[0],
      successHigh: a.result.successRate.ci95[1],
      spendPerSuccessUsd: finite(cost.spend.perSuccess),
      deltaSpend: a.delta ? deltaUsd(a.delta.spendPerSuccessUsd) : '',
      assumedPenaltyPerSuccess: usd(cost.assumedPenalty.perSuccess),
      deltaAssumedPenalty: a.delta ? deltaUsd(a.delta.assumedPenaltyPerSuccessUsd) : '',
      totalAsSum: `${usd(cost.spend.perSuccess)} + ${usd(cost.assumedPenalty.perSuccess)} = ${usd(cost.perSuccess)}`,
      label: labels.get(a.name) ?? '',
    };
  });
  const penalized = penaltyNote(c) !== '';
  const color = { field: 'kind', type: 'nominal', title: 'kind', scale: kindScale(list.map((a) => a.kind)) } as const;
  const y = {
    field: 'spendPerSuccessUsd',
    type: 'quantitative',
    title: `USD spent per successful request${log ? ' (log scale)' : ''}`,
    scale: log ? logScale(costs).scale : { zero: true },
    axis: { format: '$,.2~f', ...(log ? logScale(costs).axis : {}) },
  } as const;
  const spec = {
    $schema: SCHEMA,
    title: title(
      finding(c),
      `One point per arm: tokens, compute and human time spent per successful request; bars are 95 % Wilson intervals of task success.${penaltyNote(c)}`,
    ),
    width: WIDTH,
    height: 300,
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'successLow', type: 'quantitative' }, x2: { field: 'successHigh' }, y, color } },
      {
        mark: { type: 'point', size: 90 },
        encoding: {
          x: { field: 'success', type: 'quantitative', title: 'task success', axis: { format: '.0%' }, scale: { zero: false } },
          y,
          color,
          tooltip: [
            { field: 'arm', type: 'nominal' },
            { field: 'kind', type: 'nominal' },
            { field: 'success', type: 'quantitative', title: 'task success', format: '.1%' },
            { field: 'spendPerSuccessUsd', type: 'quantitative', title: 'spend per success (USD)', format: '$,.4~f' },
            { field: 'deltaSpend', type: 'nominal', title: 'Δ spend vs baseline (95 % CI)' },
            ...(penalized
              ? [
                  { field: 'assumedPenaltyPerSuccess', type: 'nominal', title: 'assumed silent-failure cost per success' },
                  { field: 'deltaAssumedPenalty', type: 'nominal', title: 'Δ assumed cost vs baseline (95 % CI)' },
                  { field: 'totalAsSum', type: 'nominal', title: 'spend + assumed = total per success' },
                ]
              : []),
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 10 }, encoding: { x: { field: 'success', type: 'quantitative' }, y, text: { field: 'label' } } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'cost-vs-success', title: finding(c), spec };
}
