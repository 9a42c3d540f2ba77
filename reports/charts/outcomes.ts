/**
 * Chart 2, outcome breakdown: how every request ended, per arm, stacked from
 * success to silent failure; black bars mark the 95 % Wilson intervals of the
 * two rates that have them (task success at the end of the green segment,
 * silent failure at the start of the red one).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../sim/experiment/index.js';
import { arms } from '../arms.js';
import { pct } from '../format.js';
import { CONFIG, OUTCOME_COLORS, OUTCOME_LABELS, OUTCOME_ORDER, SCHEMA, WIDTH } from '../theme.js';
import { bandHeight, finite, title, type Chart } from './chart.js';

function finding(c: ComparisonResult): string {
  const b = c.baseline;
  const all = arms(c).filter((a) => a.result.requests > 0);
  const leastSilent = [...all].sort((x, y) => x.result.silentFailureRate.estimate - y.result.silentFailureRate.estimate)[0];
  if (b.silentFailureRate.estimate > 0 && leastSilent && leastSilent.name !== 'baseline' && leastSilent.result.silentFailureRate.estimate < b.silentFailureRate.estimate)
    return `Silent failures fall from ${pct(b.silentFailureRate.estimate)} of requests in the baseline to ${pct(leastSilent.result.silentFailureRate.estimate)} with ${leastSilent.name}`;
  if (c.variants.length === 0) return `Task success: ${pct(b.successRate.estimate)}; ${pct(1 - b.successRate.estimate)} of requests end otherwise`;
  const best = [...all].sort((x, y) => y.result.successRate.estimate - x.result.successRate.estimate)[0];
  return `Task success: ${pct(b.successRate.estimate)} in the baseline, at best ${pct(best.result.successRate.estimate)} (${best.name})`;
}

export function outcomesChart(c: ComparisonResult): Chart {
  const list = arms(c);
  const segments = list.flatMap((a) =>
    OUTCOME_ORDER.map((o, order) => ({
      arm: a.name,
      outcome: OUTCOME_LABELS[o],
      order,
      count: a.result.outcomes[o],
      share: finite(a.result.requests > 0 ? a.result.outcomes[o] / a.result.requests : NaN),
    })),
  );
  const intervals = list.flatMap((a) => {
    const r = a.result;
    if (r.requests === 0) return [];
    return [
      { arm: a.name, rate: 'task success', low: r.successRate.ci95[0], high: r.successRate.ci95[1] },
      // Silent failure is the last segment: its interval sits at 1 − rate.
      { arm: a.name, rate: 'silent failure', low: 1 - r.silentFailureRate.ci95[1], high: 1 - r.silentFailureRate.ci95[0] },
    ];
  });
  const y = { field: 'arm', type: 'nominal', sort: list.map((a) => a.name), title: null } as const;
  const spec = {
    $schema: SCHEMA,
    title: title(finding(c), 'Share of requests by how they ended; black bars: 95 % Wilson intervals of task success and silent failure.'),
    width: WIDTH,
    height: bandHeight(list.length, 30),
    layer: [
      {
        data: { values: segments },
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'share', type: 'quantitative', stack: 'zero', title: 'share of requests', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          color: { field: 'outcome', type: 'nominal', title: 'outcome', scale: OUTCOME_COLORS, sort: OUTCOME_COLORS.domain },
          order: { field: 'order', type: 'quantitative' },
          tooltip: [
            { field: 'arm', type: 'nominal' },
            { field: 'outcome', type: 'nominal' },
            { field: 'count', type: 'quantitative', format: ',' },
            { field: 'share', type: 'quantitative', format: '.2%' },
          ],
        },
      },
      {
        data: { values: intervals },
        mark: { type: 'rule', color: 'black', strokeWidth: 2 },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative' },
          x2: { field: 'high' },
          tooltip: [
            { field: 'arm', type: 'nominal' },
            { field: 'rate', type: 'nominal' },
            { field: 'low', type: 'quantitative', title: '95 % interval from', format: '.2%' },
            { field: 'high', type: 'quantitative', title: 'to', format: '.2%' },
          ],
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'outcomes', title: finding(c), spec };
}
