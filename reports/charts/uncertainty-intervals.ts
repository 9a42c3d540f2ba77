/**
 * Parameter uncertainty (`report --uncertainty N`): each variant's Δ task
 * success with two 95 % intervals side by side – the simulation noise of the
 * point comparison (thin) and the total over the parameter draws (thick) – so
 * a reader sees which dominates, and so whether more traces or more
 * simulation would narrow it. The reading beside each pair is the report's
 * and the terminal's (reports/uncertainty.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { UncertainMetric, UncertaintyReading, UncertaintyResult } from '../../sim/experiment/index.js';
import { pp } from '../format.js';
import { READING_METRIC, dominantPhrase, widthRatioText } from '../uncertainty.js';
import { CONFIG, OKABE_ITO, SCHEMA, WIDTH } from '../theme.js';
import { bandHeight, finite, title, type Chart } from './chart.js';

const SIMULATION = 'simulation noise';
const TOTAL = 'total: parameters + simulation';

/** "a", "a and b", "a, b and c". */
function names(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/** The finding: which dominates, variants that read alike named together. */
function finding(u: UncertaintyResult, readings: readonly UncertaintyReading[]): string {
  const metric = 'Δ task success';
  if (u.variants.length === 1) {
    const r = readings[0];
    const wide = r.dominant !== null && Number.isFinite(r.widthRatio) ? `, total interval ${widthRatioText(r.widthRatio)} as wide as simulation noise` : '';
    return `${u.variants[0].name}: ${metric} ${pp(u.variants[0].deltas[READING_METRIC].point.estimate)}${wide} – ${dominantPhrase(r)}`;
  }
  const groups = new Map<string, string[]>();
  u.variants.forEach((v, i) => {
    const phrase = dominantPhrase(readings[i]);
    groups.set(phrase, [...(groups.get(phrase) ?? []), v.name]);
  });
  if (groups.size === 1) return `${metric}, every variant: ${[...groups.keys()][0]}`;
  return `${metric}: ${[...groups].map(([phrase, list]) => `${names(list)}: ${phrase}`).join('; ')}`;
}

/**
 * @param readings per variant (the order of `u.variants`) and metric, which dominates (figures.uncertainty)
 */
export function uncertaintyChart(u: UncertaintyResult, readings: readonly Record<UncertainMetric, UncertaintyReading>[]): Chart | undefined {
  if (u.variants.length === 0) return undefined;
  const headline = readings.map((r) => r[READING_METRIC]);
  const values = u.variants.flatMap((v, i) => {
    const d = v.deltas[READING_METRIC];
    const r = headline[i];
    const text = (ci: readonly [number, number]) => (Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? `[${pp(ci[0])}, ${pp(ci[1])}]` : 'n/a');
    return [
      { variant: v.name, interval: SIMULATION, lowPp: finite(d.point.ci95[0] * 100), highPp: finite(d.point.ci95[1] * 100), estimatePp: finite(d.point.estimate * 100), intervalText: text(d.point.ci95), reading: '' },
      {
        variant: v.name,
        interval: TOTAL,
        lowPp: finite(d.totalCi95[0] * 100),
        highPp: finite(d.totalCi95[1] * 100),
        estimatePp: null,
        intervalText: text(d.totalCi95),
        reading: `${r.dominant !== null && Number.isFinite(r.widthRatio) ? `${widthRatioText(r.widthRatio)} as wide · ` : ''}${dominantPhrase(r)}`,
      },
    ];
  });
  const order = u.variants.map((v) => v.name);
  const y = { field: 'variant', type: 'nominal', sort: order, title: null } as const;
  const yOffset = { field: 'interval', type: 'nominal', sort: [SIMULATION, TOTAL] } as const;
  const color = { field: 'interval', type: 'nominal', title: '95 % interval', scale: { domain: [SIMULATION, TOTAL], range: [OKABE_ITO.orange, OKABE_ITO.blue] } } as const;
  const tooltip = [
    { field: 'variant', type: 'nominal' },
    { field: 'interval', type: 'nominal', title: '95 % interval' },
    { field: 'intervalText', type: 'nominal', title: 'Δ task success' },
  ] as const;
  const plotWidth = WIDTH - 200;
  const withBounds = values.filter((v) => v.lowPp !== null && v.highPp !== null);
  const spec = {
    $schema: SCHEMA,
    title: title(
      finding(u, headline),
      `Δ task success (variant minus baseline) with two 95 % intervals: thin, the simulation noise of the comparison at the file's values; thick, the 2.5–97.5 % points of ${u.draws} draws of ${u.parameters.join(', ')} (parameters and simulation together). The dot is the point estimate.`,
    ),
    width: plotWidth,
    height: bandHeight(u.variants.length, 44),
    data: { values },
    encoding: { y, yOffset },
    layer: [
      { data: { values: [{}] }, mark: { type: 'rule', color: '#444444', strokeDash: [3, 3] }, encoding: { x: { datum: 0 }, y: null, yOffset: null } },
      // Thin for the simulation noise, thick for the total: two layers of one colour scale, so one legend.
      ...[SIMULATION, TOTAL].flatMap((interval) => {
        const rows = withBounds.filter((v) => v.interval === interval);
        return rows.length === 0
          ? []
          : [
              {
                data: { values: rows },
                mark: { type: 'rule', strokeWidth: interval === SIMULATION ? 3 : 10 },
                encoding: { x: { field: 'lowPp', type: 'quantitative', title: 'Δ task success (percentage points)', axis: { format: '+.1~f' } }, x2: { field: 'highPp' }, color, tooltip },
              },
            ];
      }),
      { mark: { type: 'point', color: 'black' }, encoding: { x: { field: 'estimatePp', type: 'quantitative' }, tooltip } },
      { mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 10, color: '#333333' }, encoding: { x: { value: plotWidth + 8 }, text: { field: 'reading' } } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'uncertainty-intervals', title: finding(u, headline), spec };
}
