/**
 * Chart 4, where it leaks: the baseline's unsuccessful requests by where
 * their first fault happened (a stage, or a hand-off "a→b"), Pareto-ordered,
 * each share with its 95 % Wilson interval and the running total.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../sim/experiment/index.js';
import { wilson } from '../../sim/metrics/index.js';
import { pct } from '../format.js';
import { CONFIG, OKABE_ITO, SCHEMA, WIDTH } from '../theme.js';
import { bandHeight, title, type Chart } from './chart.js';

/** Origins shown one by one; the rest are summed into one bar. */
const TOP = 10;

export interface Leak {
  origin: string;
  count: number;
  share: number;
  low: number;
  high: number;
  cumulative: number;
}

/** The baseline's attribution as shares of its unsuccessful requests, most first. */
export function leaks(c: ComparisonResult): Leak[] {
  const r = c.baseline;
  const sorted = [...r.attribution].sort((a, b) => b.count - a.count || (a.origin < b.origin ? -1 : 1));
  const rows = sorted.slice(0, TOP);
  const rest = sorted.slice(TOP);
  if (rest.length > 0) rows.push({ origin: `${rest.length} others`, count: rest.reduce((s, a) => s + a.count, 0) });
  const total = Math.max(r.requests - r.outcomes.success, rows.reduce((s, a) => s + a.count, 0));
  let running = 0;
  return rows.map((a) => {
    running += a.count;
    const w = wilson(a.count, total);
    return { origin: a.origin, count: a.count, share: w.estimate, low: w.ci95[0], high: w.ci95[1], cumulative: running / total };
  });
}

function finding(list: Leak[]): string {
  if (list.length === 0) return 'Every baseline request succeeded: nothing leaks';
  const top = list[0];
  const two = list.length > 1 ? `; with ${list[1].origin}, ${pct(list[1].cumulative, 0)}` : '';
  return `${top.origin} is where ${pct(top.share, 0)} of the baseline's unsuccessful requests first went wrong${two}`;
}

export function attributionChart(c: ComparisonResult): Chart {
  const list = leaks(c);
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
