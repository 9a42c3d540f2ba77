/**
 * Chart 1, compute vs coordination: each variant's Δ task success and Δ p95
 * latency against the baseline, with 95 % intervals, coloured by kind.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../sim/experiment/index.js';
import { arms, bestOfKind } from '../arms.js';
import { deltaMs, p95Change, pp, ppInterval, type LatencyChange } from '../format.js';
import { CONFIG, SCHEMA, kindScale } from '../theme.js';
import { bandHeight, finite, intervalLayer, title, withInterval, type Chart } from './chart.js';

const PANEL_WIDTH = 340;

function finding(c: ComparisonResult): string {
  const coord = bestOfKind(c, 'coordination');
  const compute = bestOfKind(c, 'compute');
  const parts: string[] = [];
  if (coord) parts.push(`${coord.name} (coordination) ${pp(coord.delta.successRate.estimate)} task success`);
  if (compute)
    parts.push(`${coord ? 'the best compute change, ' : ''}${compute.name}, ${pp(compute.delta.successRate.estimate)} and ${deltaMs(compute.delta.p95Ms.estimate)} p95`);
  if (parts.length === 0) {
    const mixed = bestOfKind(c, 'mixed');
    return mixed ? `${mixed.name} (mixed) ${pp(mixed.delta.successRate.estimate)} task success` : '';
  }
  return parts.join('; ');
}

/**
 * The chart, or none for a scenario without variants (nothing to compare).
 * @param p95 each variant's change in p95, in the order of `c.variants` (figures.variantP95)
 */
export function deltaChart(c: ComparisonResult, p95: readonly LatencyChange[]): Chart | undefined {
  const variants = arms(c).filter((a) => a.delta !== undefined);
  if (variants.length === 0) return undefined;
  const values = variants.map((a) => {
    const d = a.delta!;
    // The bar never draws narrower than the histogram can resolve (LatencyChange.halfMs).
    const change = p95[a.variantIndex!];
    const halfMs = change.halfMs;
    return {
      variant: a.name,
      kind: a.kind,
      dSuccessPp: finite(d.successRate.estimate * 100),
      dSuccessLowPp: finite(d.successRate.ci95[0] * 100),
      dSuccessHighPp: finite(d.successRate.ci95[1] * 100),
      dSuccessText: ppInterval(d.successRate),
      dP95Ms: finite(d.p95Ms.estimate),
      dP95LowMs: finite(d.p95Ms.estimate - halfMs),
      dP95HighMs: finite(d.p95Ms.estimate + halfMs),
      dP95Text: p95Change(change),
    };
  });
  const order = variants.map((a) => a.name);
  const y = { field: 'variant', type: 'nominal', sort: order, title: null } as const;
  const color = { field: 'kind', type: 'nominal', title: 'kind', scale: kindScale(variants.map((a) => a.kind)) } as const;
  const tooltip = [
    { field: 'variant', type: 'nominal' },
    { field: 'kind', type: 'nominal' },
    { field: 'dSuccessText', type: 'nominal', title: 'Δ task success (95 % CI)' },
    { field: 'dP95Text', type: 'nominal', title: 'Δ p95 (95 % CI; relative)' },
  ] as const;
  const panel = (field: 'dSuccessPp' | 'dP95Ms', low: 'dSuccessLowPp' | 'dP95LowMs', high: 'dSuccessHighPp' | 'dP95HighMs', axisTitle: string, format: string, showY: boolean) => ({
    width: PANEL_WIDTH,
    height: bandHeight(values.length),
    layer: [
      { data: { values: [{}] }, mark: { type: 'rule', color: '#444444', strokeDash: [3, 3] }, encoding: { x: { datum: 0 } } },
      ...intervalLayer(withInterval(values, low, high), {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y: { ...y, axis: showY ? {} : null },
          x: { field: low, type: 'quantitative' },
          x2: { field: high },
          color,
        },
      }),
      {
        mark: { type: 'point' },
        encoding: {
          y: { ...y, axis: showY ? {} : null },
          x: { field, type: 'quantitative', title: axisTitle, axis: { format } },
          color,
          tooltip,
        },
      },
    ],
  });
  const spec = {
    $schema: SCHEMA,
    title: title(
      finding(c),
      `Variant minus baseline on common random numbers; bars are 95 % intervals${c.baseline.replications > 1 ? ` (paired over ${c.baseline.replications} replications)` : ''}.`,
    ),
    data: { values },
    hconcat: [
      panel('dSuccessPp', 'dSuccessLowPp', 'dSuccessHighPp', 'Δ task success (percentage points)', '+.1~f', true),
      panel('dP95Ms', 'dP95LowMs', 'dP95HighMs', 'Δ p95 latency of successful requests (ms)', '+,~f', false),
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'compute-vs-coordination', title: finding(c), spec };
}
