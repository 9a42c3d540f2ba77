/**
 * `compare --uncertainty N` in the terminal: per variant and metric, the
 * point estimate with its simulation-noise interval beside the total interval
 * (parameters and simulation), P(the variant is better), and how much of the
 * spread the parameters explain – so a reader sees whether more traces or
 * more simulation would narrow it.
 */
import { textTable } from './text-table.js';
import type { UncertaintyResult, UncertainMetric } from '../sim/experiment/index.js';
import { deltaMs, pct, pp } from '../reports/format.js';

const LABELS: Record<UncertainMetric, string> = {
  successRate: 'Δ task success',
  silentFailureRate: 'Δ silent failure',
  p95Ms: 'Δ p95',
  spendPerSuccessUsd: 'Δ spend/success',
  costPerSuccessUsd: 'Δ cost/success',
};

/** A signed dollar difference, to the cent from $1, else 3 significant digits in plain decimals: "−$55.93", "+$0.0129", "−$0.000000324". */
function deltaDollars(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  const text = a >= 1 ? a.toFixed(2) : a === 0 ? '0' : a.toFixed(Math.min(20, 2 - Math.floor(Math.log10(a))));
  return `${x < 0 ? '−' : '+'}$${text}`;
}

const FORMAT: Record<UncertainMetric, (x: number) => string> = {
  successRate: (x) => pp(x),
  silentFailureRate: (x) => pp(x, 2),
  p95Ms: deltaMs,
  spendPerSuccessUsd: deltaDollars,
  costPerSuccessUsd: deltaDollars,
};


export function formatUncertainty(u: UncertaintyResult): string {
  const head = `parameter uncertainty: ${u.draws} draws of ${u.parameters.join(', ')} – each a paired comparison with a seed of its own`;
  const rows: string[][] = [['variant', 'metric', 'point', 'simulation 95 % CI', 'total 95 % CI', 'P(better)', 'from parameters']];
  for (const v of u.variants)
    for (const [metric, d] of Object.entries(v.deltas) as [UncertainMetric, UncertaintyResult['variants'][number]['deltas'][UncertainMetric]][]) {
      const f = FORMAT[metric];
      const interval = (ci: readonly [number, number]) => (Number.isFinite(ci[0]) ? `[${f(ci[0])}, ${f(ci[1])}]` : 'n/a');
      const better = d.pBetter === null || d.pWorse === null ? 'n/a' : d.pBetter === 0 && d.pWorse === 0 ? 'no change' : pct(d.pBetter, 0);
      rows.push([v.name, LABELS[metric], f(d.point.estimate), interval(d.point.ci95), interval(d.totalCi95), better, d.parameterShare === null ? 'n/a' : pct(d.parameterShare, 0)]);
    }
  const notes = [
    '  simulation 95 % CI: the point comparison (parameters at the file\'s values); total 95 % CI: the 2.5–97.5 % points of the draws\' estimates',
    `  from parameters: the share of the draws' variance the parameters explain – near 100 %, more traces would narrow it; near 0 %, more simulation (with ${u.draws} draws the total interval's ends are themselves rough)`,
  ];
  return [head, textTable(rows, 2).join('\n'), ...notes].join('\n') + '\n';
}
