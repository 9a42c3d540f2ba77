/**
 * Chart 6, what to fix first: every single intervention's Δ task success
 * against the baseline with its 95 % interval, best first (a tornado chart
 * whose bars all start at zero).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SensitivityResult } from '../../scripts/cmd-sensitivity.js';
import { deltaMs, ppInterval } from '../format.js';
import { CONFIG, INTERVENTION_COLORS, SCHEMA, WIDTH, kindScale } from '../theme.js';
import { bandHeight, finite, title, type Chart } from './chart.js';

function finding(s: SensitivityResult): string {
  const top = s.ranking[0];
  if (!top) return 'No interventions to rank';
  const computeRank = s.ranking.findIndex((r) => r.kind === 'compute');
  const compute = computeRank >= 0 ? s.ranking[computeRank] : undefined;
  const tail = compute && compute !== top ? `; the best compute change ranks ${computeRank + 1} of ${s.ranking.length} (${ppInterval(compute.delta.successRate)})` : '';
  return `Fix first: ${top.name}, ${ppInterval(top.delta.successRate)} task success${tail}`;
}

export function tornadoChart(s: SensitivityResult): Chart {
  const values = s.ranking.map((r, i) => ({
    rank: i + 1,
    intervention: r.name,
    kind: r.kind,
    dSuccessPp: finite(r.delta.successRate.estimate * 100),
    lowPp: finite(r.delta.successRate.ci95[0] * 100),
    highPp: finite(r.delta.successRate.ci95[1] * 100),
    dSuccessText: ppInterval(r.delta.successRate),
    dP95Text: deltaMs(r.delta.p95Ms.estimate),
  }));
  const y = { field: 'intervention', type: 'nominal', sort: values.map((v) => v.intervention), title: null } as const;
  const spec = {
    $schema: SCHEMA,
    title: title(finding(s), 'Each intervention alone against the baseline on common random numbers, best first; black bars: 95 % intervals.'),
    width: WIDTH - 160,
    height: bandHeight(values.length, 20),
    data: { values },
    encoding: { y },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'dSuccessPp', type: 'quantitative', title: 'Δ task success (percentage points)', axis: { format: '+.1~f' } },
          color: { field: 'kind', type: 'nominal', title: 'intervention', scale: kindScale(values.map((v) => v.kind), INTERVENTION_COLORS) },
          tooltip: [
            { field: 'rank', type: 'quantitative' },
            { field: 'intervention', type: 'nominal' },
            { field: 'kind', type: 'nominal' },
            { field: 'dSuccessText', type: 'nominal', title: 'Δ task success (95 % CI)' },
            { field: 'dP95Text', type: 'nominal', title: 'Δ p95' },
          ],
        },
      },
      { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'lowPp', type: 'quantitative' }, x2: { field: 'highPp' } } },
      { data: { values: [{}] }, mark: { type: 'rule', color: '#444444' }, encoding: { x: { datum: 0 }, y: null } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'what-to-fix-first', title: finding(s), spec };
}
