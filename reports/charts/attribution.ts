/**
 * Chart 4, where it leaks: the baseline's unsuccessful requests by where
 * their first fault happened (a stage, or a hand-off "a→b"), Pareto-ordered,
 * each share with its 95 % Wilson interval and the running total.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../sim/experiment/index.js';
import type { Leak } from '../input.js';
import { pct } from '../format.js';
import { CONFIG, OKABE_ITO, SCHEMA, WIDTH } from '../theme.js';
import { bandHeight, title, type Chart } from './chart.js';

function finding(list: readonly Leak[]): string {
  if (list.length === 0) return 'Every baseline request succeeded: nothing leaks';
  const top = list[0];
  const two = list.length > 1 ? `; with ${list[1].origin}, ${pct(list[1].cumulative, 0)}` : '';
  return `${top.origin} is where ${pct(top.share, 0)} of the baseline's unsuccessful requests first went wrong${two}`;
}

/** @param list the baseline's leaks (figures.leaks, experiments/report-input.ts) */
export function attributionChart(c: ComparisonResult, list: readonly Leak[]): Chart {
  const values = list.map((l) => ({ ...l, cumulativeText: `Σ ${pct(l.cumulative, 0)}` }));
  const y = { field: 'origin', type: 'nominal', sort: list.map((l) => l.origin), title: null } as const;
  const spec = {
    $schema: SCHEMA,
    title: title(
      finding(list),
      `Baseline requests that did not succeed (${c.baseline.requests - c.baseline.outcomes.success} of ${c.baseline.requests}) by the stage or hand-off (a→b) of their first fault, most first; 95 % Wilson intervals; Σ is the running total.`,
    ),
    width: WIDTH - 80,
    height: bandHeight(list.length),
    data: { values },
    encoding: { y },
    layer: [
      {
        mark: { type: 'bar', color: OKABE_ITO.vermillion, opacity: 0.85 },
        encoding: {
          x: { field: 'share', type: 'quantitative', title: 'share of unsuccessful requests', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          tooltip: [
            { field: 'origin', type: 'nominal', title: 'first fault at' },
            { field: 'count', type: 'quantitative', format: ',' },
            { field: 'share', type: 'quantitative', format: '.1%' },
            { field: 'low', type: 'quantitative', title: '95 % interval from', format: '.1%' },
            { field: 'high', type: 'quantitative', title: 'to', format: '.1%' },
            { field: 'cumulative', type: 'quantitative', title: 'running total', format: '.1%' },
          ],
        },
      },
      { mark: { type: 'rule', color: 'black', strokeWidth: 1.5 }, encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      { mark: { type: 'text', align: 'left', dx: 6, fontSize: 10, color: '#333333' }, encoding: { x: { field: 'high', type: 'quantitative' }, text: { field: 'cumulativeText' } } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'where-it-leaks', title: finding(list), spec };
}
