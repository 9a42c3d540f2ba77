import { describe, expect, it } from 'vitest';
import { parseReportResults } from './read-results.js';
import { buildReport } from '../reports/index.js';
import type { ReportResults } from '../reports/index.js';
import type { DecisionInputs } from '../sim/experiment/index.js';
import { reportInput } from '../experiments/report-input.js';
import { fintechComparison, fullInput } from '../reports/fixtures/load.js';

const VERSION = '0.1.0';
/** A JSON round trip, as results.json goes to disk and comes back with --from. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Everything a report shows, without the figures derived from it: what results.json holds. */
function fullResults(): ReportResults {
  const { figures, ...results } = fullInput();
  void figures;
  return results;
}

describe('parseReportResults', () => {
  it('reads back the results.json a report wrote, field for field, without the derived figures', async () => {
    const results = fullResults();
    const { files } = await buildReport(reportInput({ comparison: results.comparison }));
    expect(parseReportResults(JSON.parse(files['results.json'] as string), 'out/results.json', VERSION)).toEqual({ comparison: results.comparison });
    expect(parseReportResults(viaJson(results), 'results.json', VERSION)).toEqual(results);
  });

  it('turns the nulls JSON wrote for NaN back into NaN (one replication: no interval for p95)', () => {
    const c = fintechComparison();
    c.variants[0].delta.p95Ms = { estimate: 12, ci95: [NaN, NaN] };
    const back = parseReportResults(viaJson({ comparison: c }), 'results.json', VERSION);
    expect(back.comparison.variants[0].delta.p95Ms).toEqual({ estimate: 12, ci95: [NaN, NaN] });
  });

  it('accepts a bare `coordgap compare --json` result', () => {
    // It carries its thresholds beside the arms; the report keeps them apart too.
    const c = fintechComparison() as ReturnType<typeof fintechComparison> & { thresholds?: unknown };
    expect(parseReportResults(viaJson(c), 'compare.json', VERSION)).toEqual({ comparison: c, ...(c.thresholds ? { thresholds: c.thresholds } : {}) });
  });

  it('refuses results from another version, naming both versions', () => {
    const c = fintechComparison();
    c.baseline.meta.version = '0.0.9';
    expect(() => parseReportResults(viaJson({ comparison: c }), 'old/results.json', VERSION)).toThrow(
      'old/results.json: written by coordgap 0.0.9 (field comparison.baseline.meta.version); this is coordgap 0.1.0, which reads only its own results – run the scenario again to regenerate them',
    );
  });

  it('names a missing field by its path', () => {
    const c = viaJson(fintechComparison()) as { variants: { delta: Record<string, unknown> }[] };
    delete c.variants[1].delta.p95Ms;
    expect(() => parseReportResults({ comparison: c }, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: missing field comparison.variants[1].delta.p95Ms');
  });

  it('lists the first three problems and counts the rest', () => {
    const c = viaJson(fintechComparison()) as { baseline: Record<string, unknown> };
    for (const key of ['latencyMs', 'outcomes', 'successRate', 'costUsd']) delete c.baseline[key];
    expect(() => parseReportResults({ comparison: c }, 'r.json', VERSION)).toThrow(
      /^r\.json: not a coordgap results file: missing field comparison\.baseline\.\w+; missing field comparison\.baseline\.\w+; missing field comparison\.baseline\.\w+ \(and 1 more problem\)$/,
    );
  });

  it('says what is wrong with a field of the wrong type', () => {
    const c = viaJson(fintechComparison()) as { baseline: { requests: unknown } };
    c.baseline.requests = 'many';
    expect(() => parseReportResults({ comparison: c }, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: field comparison.baseline.requests: Invalid input: expected number, received string');
  });

  it('a document without a comparison, or not an object at all', () => {
    expect(() => parseReportResults({ sweep: {} }, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: missing field comparison');
    expect(() => parseReportResults([1, 2], 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: expected a JSON object, got an array');
    expect(() => parseReportResults(null, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: expected a JSON object, got null');
  });

  it('checks hardware profiles with the bench schema, naming which one', () => {
    const input = viaJson(fullResults()) as { profiles: { host?: unknown }[] };
    delete input.profiles[1].host;
    expect(() => parseReportResults(input, 'r.json', VERSION)).toThrow('r.json: profiles[1]: invalid hardware profile: field host: Invalid input: expected object, received undefined');
  });

  it('at most two profiles', () => {
    const input = viaJson(fullResults()) as { profiles: unknown[] };
    input.profiles.push(input.profiles[0]);
    expect(() => parseReportResults(input, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: field profiles: at most two hardware profiles');
  });
});

describe('figures read back with --from are ones the tool could have written (issue 12.9)', () => {
  it('outcomes.success 1e12 is refused: the outcomes no longer add up to the requests', () => {
    const c = fintechComparison();
    c.baseline.outcomes.success = 1e12;
    expect(() => parseReportResults(viaJson({ comparison: c }), 'results.json', VERSION)).toThrow(
      /results\.json: not a coordgap results file: field comparison\.baseline\.outcomes: the outcomes add up to 1000000\d+ requests, but requests is \d+/,
    );
  });

  it('a rate outside [0, 1] and a figure past 1e15 are refused at their field', () => {
    const c = fintechComparison();
    c.variants[0].result.successRate.estimate = 3;
    c.variants[0].result.latencyMs.p95 = 1e300;
    const e = () => parseReportResults(viaJson({ comparison: c }), 'r.json', VERSION);
    expect(e).toThrow(/field comparison\.variants\[0\]\.result\.successRate\.estimate: must be a share in \[0, 1\]/);
    expect(e).toThrow(/field comparison\.variants\[0\]\.result\.latencyMs\.p95: must be at most 1000000000000000/);
  });

  it('a control character in a name is refused at its field', () => {
    const c = fintechComparison();
    c.variants[0].name = 'gpu\x07\x1b[2J';
    expect(() => parseReportResults(viaJson({ comparison: c }), 'r.json', VERSION)).toThrow(
      /field comparison\.variants\[0\]\.name: must not contain control or format characters/,
    );
  });

  it("the memo's inputs: read back as written; a traffic of 0, a negative price or a price for a variant the comparison lacks is refused at its field", () => {
    const results = fullResults();
    expect(parseReportResults(viaJson(results), 'results.json', VERSION).decisionInputs).toEqual(results.decisionInputs);
    const bad = (change: (d: DecisionInputs) => void) => {
      const doc = viaJson(results) as { decisionInputs: DecisionInputs };
      change(doc.decisionInputs);
      return () => parseReportResults(doc, 'r.json', VERSION);
    };
    expect(bad((d) => (d.requestsPerMonth = 0))).toThrow(/field decisionInputs\.requestsPerMonth: must be more than 0 requests/);
    expect(bad((d) => (d.trafficSource = 'a guess' as DecisionInputs['trafficSource']))).toThrow(/field decisionInputs\.trafficSource: /);
    expect(bad((d) => (d.prices = { ...d.prices, 'recovery-layer': { ...d.prices['recovery-layer'], monthlyUsd: -5 } }))).toThrow(/field decisionInputs\.prices\["recovery-layer"\]\.monthlyUsd: must be at least 0 USD/);
    expect(bad((d) => (d.prices = { ...d.prices, 'gold-plating': { oneOffUsd: 1, monthlyUsd: 0, note: null, unpriced: false } }))).toThrow(
      /field decisionInputs\.prices\["gold-plating"\]: prices a variant the comparison does not hold; its variants are "recovery-layer", "gpu-240-to-180ms", "bigger-cpu-box"/,
    );
  });
});
