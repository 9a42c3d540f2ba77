/**
 * Chart 7, reliability per dollar: cost per successful request against task
 * success, one point per arm (95 % Wilson interval on task success).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../sim/experiment.js';
import { arms } from '../arms.js';
import { deltaUsd, pct, usd } from '../format.js';
import { CONFIG, SCHEMA, WIDTH, kindScale } from '../theme.js';
import { finite, logScale, title, type Chart } from './chart.js';

function finding(c: ComparisonResult): string {
  const b = c.baseline;
  const priced = c.variants.filter((v) => v.result.costUsd.perSuccess !== null);
  const best = priced.sort((x, y) => y.result.successRate.estimate - x.result.successRate.estimate || x.result.costUsd.perSuccess! - y.result.costUsd.perSuccess!)[0];
  const base = `${pct(b.successRate.estimate)} at ${usd(b.costUsd.perSuccess)} per success in the baseline`;
  if (!best) return `Task success ${base}`;
  return `${best.name}: ${pct(best.result.successRate.estimate)} task success at ${usd(best.result.costUsd.perSuccess)} per success; ${base}`;
}

export function costChart(c: ComparisonResult): Chart {
  const list = arms(c).filter((a) => a.result.costUsd.perSuccess !== null && a.result.requests > 0);
  const costs = list.map((a) => a.result.costUsd.perSuccess!).filter((x) => x > 0);
  const log = costs.length > 1 && Math.max(...costs) / Math.min(...costs) > 20;
  // Arms that land on the same spot (a compute change that buys no success at the same price) share one label.
  const labels = new Map<string, string>();
  const spots = new Map<string, string[]>();
  for (const a of list) {
    const key = `${a.result.successRate.estimate.toFixed(3)}|${a.result.costUsd.perSuccess!.toPrecision(3)}`;
    spots.set(key, [...(spots.get(key) ?? []), a.name]);
  }
  for (const names of spots.values()) labels.set(names[0], names.join(', '));
  const values = list.map((a) => ({
    arm: a.name,
    kind: a.kind,
    success: a.result.successRate.estimate,
    successLow: a.result.successRate.ci95[0],
    successHigh: a.result.successRate.ci95[1],
    costPerSuccessUsd: finite(a.result.costUsd.perSuccess),
    deltaCost: a.delta ? deltaUsd(a.delta.costPerSuccessUsd) : '',
    label: labels.get(a.name) ?? '',
  }));
  const color = { field: 'kind', type: 'nominal', title: 'kind', scale: kindScale(list.map((a) => a.kind)) } as const;
  const y = {
    field: 'costPerSuccessUsd',
    type: 'quantitative',
    title: `USD per successful request${log ? ' (log scale)' : ''}`,
    scale: log ? logScale(costs).scale : { zero: true },
    axis: { format: '$,.2~f', ...(log ? logScale(costs).axis : {}) },
  } as const;
  const spec = {
    $schema: SCHEMA,
    title: title(finding(c), 'One point per arm: tokens, compute, human time and the business cost of silent failures, per successful request; bars are 95 % Wilson intervals of task success.'),
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
            { field: 'costPerSuccessUsd', type: 'quantitative', title: 'cost per success (USD)', format: '$,.4~f' },
            { field: 'deltaCost', type: 'nominal', title: 'Δ vs baseline (95 % CI)' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 10 }, encoding: { x: { field: 'success', type: 'quantitative' }, y, text: { field: 'label' } } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'cost-vs-success', title: finding(c), spec };
}
