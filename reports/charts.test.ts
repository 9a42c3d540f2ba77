/**
 * Chart specs and SVGs against file snapshots under __snapshots__/charts/
 * (review them as pictures: the .svg files open in any browser). The SVGs are
 * deterministic because vega sizes text by estimate when no canvas module is
 * installed; PNGs are not snapshotted (their text depends on the fonts).
 */
import { describe, expect, it } from 'vitest';
import { reportInput } from '../experiments/report-input.js';
import { reportCharts } from './charts/index.js';
import { logScale } from './charts/chart.js';
import { fullInput, fintechComparison } from './fixtures/load.js';
import { renderSvg } from './render.js';

const charts = reportCharts(fullInput());

describe('report charts from the fixtures', () => {
  it('are the eight kinds the issue lists, hardware as three, in reading order', () => {
    expect(charts.map((c) => c.name)).toEqual([
      'compute-vs-coordination',
      'outcomes',
      'latency',
      'where-it-leaks',
      'reliability-vs-steps',
      'what-to-fix-first',
      'cost-vs-success',
      'hardware-scaling',
      'hardware-server',
      'hardware-kernels',
    ]);
  });

  it('state their finding in the title, computed from the numbers', () => {
    expect(Object.fromEntries(charts.map((c) => [c.name, c.title]))).toMatchInlineSnapshot(`
      {
        "compute-vs-coordination": "recovery-layer (coordination) +31.8 pp task success; the best compute change, gpu-240-to-180ms, +0.0 pp and −88 ms p95",
        "cost-vs-success": "recovery-layer: 97.4 % task success at $0.289 spent per success; 65.6 % at $0.0381 in the baseline",
        "hardware-kernels": "synthetic-8vcpu (B) is faster than epyc-2vcpu (A) on 9 of 10 kernels (8 with the whole 95 % interval above 1×); geometric mean 1.41×",
        "hardware-scaling": "orchestration.json-state on synthetic-8vcpu (B) scales best, 5.83× on 8 threads (ideal 8×); retrieval.exact-wasm-384-1k on synthetic-8vcpu (B) 5.83×",
        "hardware-server": "retrieval.bm25 on epyc-2vcpu (A) holds p99 under 20 ms up to 1,780/s offered (capacity estimate 2,966/s); retrieval.bm25 on synthetic-8vcpu (B) holds p99 under 20 ms up to 5,339/s offered (capacity estimate 8,899/s)",
        "latency": "p95 latency of successful requests: 1,518 ms in the baseline; lowest 1,429 ms with gpu-240-to-180ms (−5.8 %)",
        "outcomes": "Silent failures fall from 24.7 % of requests in the baseline to 0.1 % with recovery-layer",
        "reliability-vs-steps": "12 steps at 99.9 % per step succeed 98.8 % of the time; at 90 % per step, 28.2 %",
        "what-to-fix-first": "Fix first: recovery-layer: bureau retry, +3.1 pp ± 0.2 task success; the best compute change ranks 9 of 14 (+0.0 pp ± 0.0); largest what-if bound: retrieval→analysis hand-off fault-free, +23.7 pp ± 0.9",
        "where-it-leaks": "retrieval→analysis is where 76 % of the baseline's unsuccessful requests first went wrong; with bureau, 86 %",
      }
    `);
  });

  for (const chart of charts) {
    it(`${chart.name}: the Vega-Lite spec matches its snapshot`, async () => {
      await expect(`${JSON.stringify(chart.spec, null, 2)}\n`).toMatchFileSnapshot(`__snapshots__/charts/${chart.name}.vl.json`);
    });

    it(`${chart.name}: compiles and renders without a warning, to the same SVG bytes every time`, async () => {
      const first = await renderSvg(chart.spec);
      const again = await renderSvg(chart.spec);
      expect(first.warnings).toEqual([]);
      expect(again.svg).toBe(first.svg);
      expect(first.svg.startsWith('<svg')).toBe(true);
      await expect(first.svg).toMatchFileSnapshot(`__snapshots__/charts/${chart.name}.svg`);
    });
  }

  it('without a sensitivity, sweep or profile: the four comparison charts and the cost chart only', () => {
    expect(reportCharts(reportInput({ comparison: fintechComparison() })).map((c) => c.name)).toEqual(['compute-vs-coordination', 'outcomes', 'latency', 'where-it-leaks', 'cost-vs-success']);
  });

  it('with one profile: scaling and server mode, no A-vs-B chart', () => {
    const input = fullInput();
    expect(reportCharts(reportInput({ ...input, profiles: [input.profiles![0]] })).map((c) => c.name).filter((n) => n.startsWith('hardware'))).toEqual(['hardware-scaling', 'hardware-server']);
  });

  it('use the Okabe–Ito palette for the kinds: coordination bluish green, compute blue', () => {
    const spec = JSON.stringify(charts[0].spec);
    expect(spec).toContain('"domain":["coordination","compute"],"range":["#009E73","#0072B2"]');
  });
});

describe('logScale', () => {
  it('fits 1-2-5 ticks around the data', () => {
    expect(logScale([640, 3700])).toEqual({ scale: { type: 'log', domain: [500, 5000], nice: false }, axis: { values: [500, 1000, 2000, 5000] } });
  });

  it('keeps only powers of ten (and the ends) when 1-2-5 would give too many ticks', () => {
    expect(logScale([1.3, 1990]).axis.values).toEqual([1, 10, 100, 1000, 2000]);
  });

  it('ignores what a log scale cannot show (0, negative, NaN, null)', () => {
    expect(logScale([0, -1, NaN, null, 3]).scale.domain).toEqual([2, 5]);
  });
});

describe('charts from thin data', () => {
  it('one replication (no interval for p95) and a variant where nothing succeeded: every chart still renders, without warnings', async () => {
    const c = fintechComparison();
    const broken = c.variants[1];
    const nothing = {
      ...broken,
      result: {
        ...broken.result,
        outcomes: { ...broken.result.outcomes, success: 0, failed: broken.result.requests - broken.result.outcomes.silentFailure },
        successRate: { estimate: 0, ci95: [0, 0.0001] as [number, number] },
        latencyMs: { mean: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, p999: NaN, max: NaN, count: 0 },
        costUsd: { ...broken.result.costUsd, perSuccess: null },
      },
      delta: { ...broken.delta, p95Ms: { estimate: NaN, ci95: [NaN, NaN] as [number, number] }, costPerSuccessUsd: { estimate: NaN, ci95: [NaN, NaN] as [number, number] } },
    };
    const thin = {
      baseline: { ...c.baseline, replications: 1, attribution: [] },
      variants: [{ ...c.variants[0], delta: { ...c.variants[0].delta, p95Ms: { estimate: 257, ci95: [NaN, NaN] as [number, number] } } }, nothing],
    };
    const charts = reportCharts(reportInput({ comparison: thin }));
    for (const chart of charts) {
      const rendered = await renderSvg(chart.spec).catch((e: Error) => ({ warnings: [`${chart.name}: ${e.message}`] }));
      expect(rendered.warnings, chart.name).toEqual([]);
    }
    expect(charts.find((x) => x.name === 'where-it-leaks')!.title).toBe('Every baseline request succeeded: nothing leaks');
  });
});
