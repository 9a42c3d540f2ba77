/**
 * Chart 5, reliability vs steps: end-to-end success of a chain of n steps
 * that each succeed with probability r – the closed form rⁿ as lines, the
 * simulation as points with 95 % Wilson intervals.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../../sim/experiment/index.js';
import { int, pct } from '../format.js';
import { CONFIG, SCHEMA, SERIES, WIDTH } from '../theme.js';
import { title, type Chart } from './chart.js';

export interface StepPoint {
  reliability: number;
  steps: number;
  simulated: number;
  low: number;
  high: number;
  closedForm: number | null;
  inside: boolean | null;
}

/** The study's points; a sweep without numeric `perStepReliability` and `steps` values gives none. */
export function stepPoints(s: SweepResult): StepPoint[] {
  return s.points.flatMap((p) => {
    const r = p.values.perStepReliability;
    const n = p.values.steps;
    if (typeof r !== 'number' || typeof n !== 'number') return [];
    const rate = p.result.successRate;
    return [{ reliability: r, steps: n, simulated: rate.estimate, low: rate.ci95[0], high: rate.ci95[1], closedForm: p.closedFormSuccess ?? null, inside: p.closedFormInside ?? null }];
  });
}

function finding(points: StepPoint[]): string {
  const maxSteps = Math.max(...points.map((p) => p.steps));
  const atMax = points.filter((p) => p.steps === maxSteps).sort((a, b) => b.reliability - a.reliability);
  const hi = atMax[0];
  const lo = atMax[atMax.length - 1];
  const value = (p: StepPoint) => pct(p.closedForm ?? p.simulated);
  const per = (r: number) => `${+(r * 100).toFixed(2)} %`;
  if (hi === lo) return `At ${per(hi.reliability)} per step, ${maxSteps} steps succeed ${value(hi)} of the time`;
  return `${maxSteps} steps at ${per(hi.reliability)} per step succeed ${value(hi)} of the time; at ${per(lo.reliability)} per step, ${value(lo)}`;
}

export function stepsChart(s: SweepResult): Chart | undefined {
  const points = stepPoints(s);
  if (points.length === 0) return undefined;
  const levels = [...new Set(points.map((p) => p.reliability))].sort((a, b) => b - a);
  const label = (r: number) => `${+(r * 100).toFixed(2)} %`;
  const values = points.map((p) => ({ ...p, perStep: label(p.reliability) }));
  const withForm = points.filter((p) => p.inside !== null);
  const inside = withForm.filter((p) => p.inside).length;
  const requests = points[0] ? s.points[0].result.requests : 0;
  const color = {
    field: 'perStep',
    type: 'ordinal',
    title: 'per-step reliability',
    sort: levels.map(label),
    scale: { domain: levels.map(label), range: levels.map((_, i) => SERIES[(i + 1) % SERIES.length]) },
  } as const;
  const x = { field: 'steps', type: 'quantitative', title: 'steps in the chain', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } } as const;
  const y = { type: 'quantitative' as const, title: 'end-to-end task success', axis: { format: '.0%' }, scale: { domain: [0, 1] } };
  const subtitle =
    `Lines: closed form rⁿ; points: simulated, ${int(requests)} requests each, with 95 % Wilson intervals` +
    (withForm.length > 0 ? `; the closed form lies inside the interval at ${inside} of ${withForm.length} points (expect about 95 %).` : '.');
  const spec = {
    $schema: SCHEMA,
    title: title(finding(points), subtitle),
    width: WIDTH,
    height: 300,
    data: { values },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: 'closedForm' }, color } },
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, color } },
      {
        mark: { type: 'point', size: 40 },
        encoding: {
          x,
          y: { ...y, field: 'simulated' },
          color,
          tooltip: [
            { field: 'perStep', type: 'ordinal', title: 'per-step reliability' },
            { field: 'steps', type: 'quantitative' },
            { field: 'simulated', type: 'quantitative', title: 'simulated', format: '.2%' },
            { field: 'low', type: 'quantitative', title: '95 % interval from', format: '.2%' },
            { field: 'high', type: 'quantitative', title: 'to', format: '.2%' },
            { field: 'closedForm', type: 'quantitative', title: 'closed form rⁿ', format: '.2%' },
          ],
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'reliability-vs-steps', title: finding(points), spec };
}
