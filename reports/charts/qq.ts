/**
 * The fit report's QQ plot of one stage: the fitted latency law's quantiles
 * (x) against the observed ones (y), with the diagonal where they would
 * agree; log scales when the quantiles span more than a factor of 100.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { QqPoint } from '../../sim/fit/index.js';
import { CONFIG, GREY, SCHEMA, SERIES } from '../theme.js';
import { title, type Chart } from './chart.js';

export function qqChart(stage: string, family: string, note: string, points: readonly QqPoint[]): Chart {
  const all = points.flatMap((q) => [q.observedMs, q.fittedMs]).filter((x) => x > 0);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const log = hi / lo > 100;
  const scale = log ? { type: 'log', domain: [lo, hi] } : { domain: [0, hi] };
  const finding = `${stage}: observed latency quantiles against the fitted ${family}`;
  const spec = {
    $schema: SCHEMA,
    title: title(finding, `${note}. Points at p = (i − ½)/${points.length}; on the diagonal the law holds.${log ? ' Log scales.' : ''}`),
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ x: log ? lo : 0, y: log ? lo : 0 }, { x: hi, y: hi }] },
        mark: { type: 'line', color: GREY, strokeDash: [4, 3] },
        encoding: { x: { field: 'x', type: 'quantitative', scale }, y: { field: 'y', type: 'quantitative', scale } },
      },
      {
        data: { values: points.map((q) => ({ p: q.p, fittedMs: q.fittedMs, observedMs: q.observedMs })) },
        mark: { type: 'point', filled: true, size: 24, color: SERIES[0] },
        encoding: {
          x: { field: 'fittedMs', type: 'quantitative', title: `fitted ${family} quantile (ms)`, scale, axis: { format: ',~r' } },
          y: { field: 'observedMs', type: 'quantitative', title: 'observed quantile (ms)', scale, axis: { format: ',~r' } },
          tooltip: [
            { field: 'p', type: 'quantitative', format: '.3f' },
            { field: 'fittedMs', type: 'quantitative', title: 'fitted (ms)', format: ',.1f' },
            { field: 'observedMs', type: 'quantitative', title: 'observed (ms)', format: ',.1f' },
          ],
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: `qq-${stage}`, title: finding, spec };
}
