/**
 * Chart 8, hardware, from one or two bench profiles: kernel throughput vs
 * threads (8a), the server-mode latency/throughput curve (8b) and, with two
 * profiles, machine B against machine A per kernel (8c, speedups with 95 %
 * intervals from bench/compare.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { HardwareProfile } from '../../bench/profile.js';
import type { HardwareFigures } from '../input.js';
import { ms, perSec, times } from '../format.js';
import { CONFIG, OKABE_ITO, SCHEMA, SERIES, WIDTH } from '../theme.js';
import { bandHeight, intervalLayer, logScale, title, withInterval, type Chart } from './chart.js';

/** A legend for line dashes: vega-lite leaves its symbols without a stroke colour, so they would not show. */
const DASH_LEGEND = { symbolType: 'stroke', symbolStrokeWidth: 2, encode: { symbols: { update: { stroke: { value: '#333333' } } } } };

/** "name" for one profile; "name (A)", "name (B)" for two. */
export function profileLabels(profiles: readonly HardwareProfile[]): string[] {
  return profiles.map((p, i) => (profiles.length === 2 ? `${p.name} (${i === 0 ? 'A' : 'B'})` : p.name));
}

function seriesScale(names: readonly string[]) {
  return { domain: [...names], range: names.map((_, i) => SERIES[(i + 1) % SERIES.length]) };
}

function scalingChart(profiles: readonly HardwareProfile[], labels: readonly string[]): Chart | undefined {
  const values = profiles.flatMap((p, i) =>
    p.scaling.flatMap((s) => {
      const one = [...s.points].sort((a, b) => a.threads - b.threads)[0];
      return s.points.map((pt) => ({
        machine: labels[i],
        kernel: s.kernel,
        threads: pt.threads,
        callsPerSec: pt.callsPerSec,
        speedup: one.callsPerSec > 0 ? (pt.callsPerSec / one.callsPerSec) * one.threads : 0,
        efficiency: pt.efficiency,
      }));
    }),
  );
  if (values.length === 0) return undefined;
  const maxThreads = Math.max(...values.map((v) => v.threads));
  const atMax = values.filter((v) => v.threads === maxThreads).sort((a, b) => b.speedup - a.speedup || (a.kernel < b.kernel ? -1 : 1));
  const best = atMax[0];
  const worst = atMax[atMax.length - 1];
  const who = (v: (typeof values)[number]) => (profiles.length > 1 ? `${v.kernel} on ${v.machine}` : v.kernel);
  const finding =
    best === worst
      ? `${who(best)} runs ${times(best.speedup)} as many calls on ${maxThreads} threads as on one (ideal ${maxThreads}×)`
      : `${who(best)} scales best, ${times(best.speedup)} on ${maxThreads} threads (ideal ${maxThreads}×); ${who(worst)} ${times(worst.speedup)}`;
  const kernels = [...new Set(values.map((v) => v.kernel))];
  const x = { field: 'threads', type: 'quantitative', title: 'worker threads', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } } as const;
  const spec = {
    $schema: SCHEMA,
    title: title(finding, 'Kernel calls per second relative to one thread (best of the passes); dashed grey: ideal linear scaling.'),
    width: WIDTH,
    height: 260,
    layer: [
      {
        data: { values: [{ threads: 1, ideal: 1 }, { threads: maxThreads, ideal: maxThreads }] },
        mark: { type: 'line', color: OKABE_ITO.black, opacity: 0.4, strokeDash: [4, 4] },
        encoding: { x, y: { field: 'ideal', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'speedup', type: 'quantitative', title: 'throughput relative to one thread (×)', axis: { format: '.1~f' } },
          color: { field: 'kernel', type: 'nominal', title: 'kernel', scale: seriesScale(kernels) },
          ...(profiles.length > 1 ? { strokeDash: { field: 'machine', type: 'nominal', title: 'machine', legend: DASH_LEGEND } } : {}),
          detail: { field: 'machine', type: 'nominal' },
          tooltip: [
            { field: 'machine', type: 'nominal' },
            { field: 'kernel', type: 'nominal' },
            { field: 'threads', type: 'quantitative' },
            { field: 'callsPerSec', type: 'quantitative', title: 'calls/s', format: ',.0f' },
            { field: 'speedup', type: 'quantitative', title: 'vs one thread', format: '.2f' },
            { field: 'efficiency', type: 'quantitative', format: '.0%' },
          ],
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'hardware-scaling', title: finding, spec };
}

function serverChart(profiles: readonly HardwareProfile[], labels: readonly string[]): Chart | undefined {
  const measured = profiles.map((p, i) => ({ p, label: labels[i] })).filter((m) => m.p.server !== null && m.p.server.points.length > 0);
  if (measured.length === 0) return undefined;
  const values = measured.flatMap(({ p, label }) =>
    p.server!.points.flatMap((pt) =>
      (['p50', 'p99'] as const).map((q) => ({
        machine: label,
        percentile: q,
        offeredRatePerSec: pt.offeredRatePerSec,
        achievedRatePerSec: pt.achievedRatePerSec,
        latencyMs: q === 'p50' ? pt.p50Ms : pt.p99Ms,
        meetsBound: pt.meetsBound ? 'yes' : 'no',
      })),
    ),
  );
  const sentence = ({ p, label }: (typeof measured)[number]) => {
    const s = p.server!;
    const where = `${s.kernel} on ${label}`;
    return s.maxRateUnderBoundPerSec === null
      ? `${where} never held p99 under ${ms(s.p99BoundMs)}`
      : `${where} holds p99 under ${ms(s.p99BoundMs)} up to ${perSec(s.maxRateUnderBoundPerSec)} offered (capacity estimate ${perSec(s.capacityEstimatePerSec)})`;
  };
  const finding = measured.map(sentence).join('; ');
  const bounds = [...new Set(measured.map((m) => m.p.server!.p99BoundMs))].map((b) => ({ boundMs: b, label: `p99 bound ${ms(b)}` }));
  const machines = measured.map((m) => m.label);
  const log = logScale(values.map((v) => v.latencyMs), bounds.map((b) => b.boundMs));
  const spec = {
    $schema: SCHEMA,
    title: title(finding, `Server mode (${measured[0].p.server!.threads} threads, Poisson arrivals): p50 and p99 latency at each offered load (the achieved rate is in the tooltip), log scale; dashed red: the p99 bound.`),
    width: WIDTH,
    height: 280,
    layer: [
      {
        data: { values: bounds },
        mark: { type: 'rule', color: OKABE_ITO.vermillion, strokeDash: [6, 4] },
        encoding: { y: { field: 'boundMs', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'offeredRatePerSec', type: 'quantitative', title: 'offered load (requests/s)', axis: { format: ',~r' } },
          y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms, log scale)', scale: log.scale, axis: { format: ',~r', ...log.axis } },
          color: { field: 'machine', type: 'nominal', title: 'machine', scale: seriesScale(machines) },
          strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile', sort: ['p50', 'p99'], legend: DASH_LEGEND },
          tooltip: [
            { field: 'machine', type: 'nominal' },
            { field: 'percentile', type: 'nominal' },
            { field: 'offeredRatePerSec', type: 'quantitative', title: 'offered (req/s)', format: ',.0f' },
            { field: 'achievedRatePerSec', type: 'quantitative', title: 'achieved (req/s)', format: ',.0f' },
            { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)', format: ',.2f' },
            { field: 'meetsBound', type: 'nominal', title: 'meets the p99 bound' },
          ],
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'hardware-server', title: finding, spec };
}

function kernelsFinding(hw: HardwareFigures, labels: readonly string[]): string {
  const n = hw.comparison.kernels.length;
  return `${labels[1]} is faster than ${labels[0]} on ${hw.fasterKernels} of ${n} kernels (${hw.surelyFasterKernels} with the whole 95 % interval above 1×); geometric mean ${times(hw.geometricMeanSpeedup)}`;
}

function kernelsChart(a: HardwareProfile, b: HardwareProfile, labels: readonly string[], hw: HardwareFigures): Chart | undefined {
  const cmp = hw.comparison;
  if (cmp.kernels.length === 0) return undefined;
  const values = cmp.kernels.map((k) => ({
    kernel: k.id,
    group: k.group,
    speedup: k.speedup,
    low: k.ci95 ? k.ci95[0] : null,
    high: k.ci95 ? k.ci95[1] : null,
    aMedianMs: k.aMedianMs,
    bMedianMs: k.bMedianMs,
    note: [k.paramsDiffer ? 'parameters differ' : '', k.spreadFlagged ? 'isolates disagree' : ''].filter(Boolean).join('; '),
  }));
  const groups = [...new Set(values.map((v) => v.group))];
  const y = { field: 'kernel', type: 'nominal', sort: values.map((v) => v.kernel), title: null } as const;
  const log = logScale([...values.map((v) => v.low ?? v.speedup), ...values.map((v) => v.high ?? v.speedup)], [1]);
  const x = { type: 'quantitative' as const, title: `speedup of B over A (×, log scale; > 1: B is faster)`, scale: log.scale, axis: { format: '.2~f', ...log.axis } };
  const spec = {
    $schema: SCHEMA,
    title: title(kernelsFinding(hw, labels), `Per kernel: ratio of the geometric means of the isolates' medians, A: ${a.name}, B: ${b.name}; bars are 95 % Welch intervals.`),
    width: WIDTH - 160,
    height: bandHeight(values.length, 20),
    data: { values },
    encoding: { y },
    layer: [
      { data: { values: [{}] }, mark: { type: 'rule', color: '#444444', strokeDash: [3, 3] }, encoding: { x: { datum: 1, ...x }, y: null } },
      ...intervalLayer(withInterval(values, 'low', 'high'), { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { ...x, field: 'low' }, x2: { field: 'high' }, color: { field: 'group', type: 'nominal', title: 'kernel group', scale: seriesScale(groups) } } }),
      {
        mark: { type: 'point' },
        encoding: {
          x: { ...x, field: 'speedup' },
          color: { field: 'group', type: 'nominal', title: 'kernel group', scale: seriesScale(groups) },
          tooltip: [
            { field: 'kernel', type: 'nominal' },
            { field: 'aMedianMs', type: 'quantitative', title: 'A median (ms)', format: ',.4~f' },
            { field: 'bMedianMs', type: 'quantitative', title: 'B median (ms)', format: ',.4~f' },
            { field: 'speedup', type: 'quantitative', title: 'speedup B/A', format: '.2f' },
            { field: 'low', type: 'quantitative', title: '95 % interval from', format: '.2f' },
            { field: 'high', type: 'quantitative', title: 'to', format: '.2f' },
            { field: 'note', type: 'nominal' },
          ],
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
  return { name: 'hardware-kernels', title: kernelsFinding(hw, labels), spec };
}

/**
 * The hardware charts the profiles have data for: scaling and server mode from each, A vs B with two.
 * @param hardware with two profiles, B against A (figures.hardware)
 */
export function hardwareCharts(profiles: readonly HardwareProfile[], hardware: HardwareFigures | undefined): Chart[] {
  if (profiles.length === 0) return [];
  const labels = profileLabels(profiles);
  const charts = [scalingChart(profiles, labels), serverChart(profiles, labels)];
  if (profiles.length === 2 && hardware !== undefined) charts.push(kernelsChart(profiles[0], profiles[1], labels, hardware));
  return charts.filter((c): c is Chart => c !== undefined);
}
