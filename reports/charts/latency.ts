/**
 * Chart 3, latency distribution: the percentile ladder (p50 … p99.9) of
 * successful requests per arm on a log scale, where a compute speedup shows.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../sim/experiment/index.js';
import { arms } from '../arms.js';
import { ms, relative } from '../format.js';
import { CONFIG, SCHEMA, SERIES, WIDTH } from '../theme.js';
import { finite, logScale, title, type Chart } from './chart.js';

const LADDER = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
] as const;

function finding(c: ComparisonResult): string {
  const base = c.baseline.latencyMs.p95;
  const measured = c.variants.filter((v) => Number.isFinite(v.result.latencyMs.p95));
  const fastest = measured.sort((a, b) => a.result.latencyMs.p95 - b.result.latencyMs.p95 || (a.name < b.name ? -1 : 1))[0];
  if (!Number.isFinite(base)) return 'No successful requests in the baseline: no latency to show';
  if (!fastest) return `p95 latency of successful requests: ${ms(base)} in the baseline`;
  const change = fastest.result.latencyMs.p95 / base - 1;
  return `p95 latency of successful requests: ${ms(base)} in the baseline; lowest ${ms(fastest.result.latencyMs.p95)} with ${fastest.name} (${relative(change)})`;
}

export function latencyChart(c: ComparisonResult): Chart {
  const list = arms(c);
  const values = list.flatMap((a) =>
    LADDER.map(([key, label], order) => ({ arm: a.name, kind: a.kind, percentile: label, order, latencyMs: finite(a.result.latencyMs[key]) })),
  );
  const names = list.map((a) => a.name);
  const log = logScale(values.map((v) => v.latencyMs));
  const color = { field: 'arm', type: 'nominal', title: 'arm', sort: names, scale: { domain: names, range: names.map((_, i) => SERIES[i % SERIES.length]) } } as const;
  const x = { field: 'percentile', type: 'ordinal', sort: LADDER.map(([, l]) => l), title: 'percentile of successful requests', axis: { labelAngle: 0 } } as const;
  const spec = {
    $schema: SCHEMA,
    title: title(finding(c), 'Latency of successful requests at each percentile, log scale; quantiles from a histogram with relative error ≤ 0.5 %.'),
    width: WIDTH,
    height: 260,
    data: { values },
    encoding: {
      x,
      y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms, log scale)', scale: log.scale, axis: { format: ',~r', ...log.axis } },
      color,
      tooltip: [
        { field: 'arm', type: 'nominal' },
        { field: 'percentile', type: 'ordinal' },
        { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)', format: ',.1f' },
      ],
    },
    layer: [{ mark: { type: 'line', strokeWidth: 1.5 } }, { mark: { type: 'point' } }],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'latency', title: finding(c), spec };
}
