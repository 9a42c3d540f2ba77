/**
 * `report --from` reading back a results.json written with --uncertainty: the
 * draws come back as written (nulls JSON wrote for NaN are NaN again, an
 * unknown P(better) stays null), and a field the tool could not have written
 * is refused by its path.
 */
import { describe, expect, it } from 'vitest';
import { parseReportResults } from './read-results.js';
import { fintechComparison, fintechUncertainty } from '../reports/fixtures/load.js';

const VERSION = '0.1.0';
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const results = () => ({ comparison: fintechComparison(), uncertainty: fintechUncertainty() });

describe('parseReportResults with parameter uncertainty', () => {
  it('reads the draws back as written; NaN (null in JSON) is NaN again, an unknown share stays null', () => {
    const r = results();
    r.uncertainty.variants[2].deltas.p95Ms.totalCi95 = [NaN, NaN];
    const back = parseReportResults(viaJson(r), 'results.json', VERSION);
    expect(back).toEqual(r);
    expect(back.uncertainty!.variants[2].deltas.p95Ms.totalCi95).toEqual([NaN, NaN]);
    expect(back.uncertainty!.variants[1].deltas.successRate.parameterShare).toBeNull();
  });

  it('refuses variants that are not the comparison’s, in its order', () => {
    const r = results();
    r.uncertainty.variants.reverse();
    expect(() => parseReportResults(viaJson(r), 'r.json', VERSION)).toThrow(
      'r.json: not a coordgap results file: field uncertainty.variants: lists the variants "bigger-cpu-box", "gpu-240-to-180ms", "recovery-layer", but the comparison\'s are "recovery-layer", "gpu-240-to-180ms", "bigger-cpu-box", in that order',
    );
  });

  it('refuses shares outside [0, 1], a rate difference outside [−1, 1], more draws counted than run, a missing metric', () => {
    const bad = (edit: (u: ReturnType<typeof fintechUncertainty>) => void) => {
      const r = results();
      edit(r.uncertainty);
      return () => parseReportResults(viaJson(r), 'r.json', VERSION);
    };
    expect(bad((u) => (u.variants[0].deltas.successRate.pBetter = 1.5))).toThrow('field uncertainty.variants[0].deltas.successRate.pBetter: must be a share in [0, 1]');
    expect(bad((u) => (u.variants[0].deltas.successRate.totalCi95 = [0.2, 3]))).toThrow('field uncertainty.variants[0].deltas.successRate.totalCi95[1]: must be a difference of rates in [−1, 1]');
    expect(bad((u) => (u.variants[0].deltas.p95Ms.draws = 6))).toThrow('field uncertainty.variants[0].deltas.p95Ms.draws: counts 6 draws, more than the 5 run');
    expect(bad((u) => delete (u.variants[1].deltas as Partial<typeof u.variants[1]['deltas']>).costPerSuccessUsd)).toThrow('missing field uncertainty.variants[1].deltas.costPerSuccessUsd');
    expect(bad((u) => (u.draws = 1))).toThrow('field uncertainty.draws: must be at least 2 (draws run)');
    expect(bad((u) => (u.variants[0].deltas.successRate.pWorse = 0.5))).toThrow('field uncertainty.variants[0].deltas.successRate.pBetter: P(better) 1 and P(worse) 0.5 add up to more than 1');
  });
});
