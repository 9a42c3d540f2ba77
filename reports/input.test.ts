import { describe, expect, it } from 'vitest';
import { parseReportInput } from './input.js';
import { buildReport } from './index.js';
import { fintechComparison, fullInput } from './fixtures/load.js';

const VERSION = '0.1.0';
/** A JSON round trip, as results.json goes to disk and comes back with --from. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parseReportInput', () => {
  it('reads back the results.json a report wrote, field for field', async () => {
    const input = fullInput();
    const { files } = await buildReport({ comparison: input.comparison });
    expect(parseReportInput(JSON.parse(files['results.json'] as string), 'out/results.json', VERSION)).toEqual({ comparison: input.comparison });
    expect(parseReportInput(viaJson(input), 'results.json', VERSION)).toEqual(input);
  });

  it('turns the nulls JSON wrote for NaN back into NaN (one replication: no interval for p95)', () => {
    const c = fintechComparison();
    c.variants[0].delta.p95Ms = { estimate: 12, ci95: [NaN, NaN] };
    const back = parseReportInput(viaJson({ comparison: c }), 'results.json', VERSION);
    expect(back.comparison.variants[0].delta.p95Ms).toEqual({ estimate: 12, ci95: [NaN, NaN] });
  });

  it('accepts a bare `coordgap compare --json` result', () => {
    // It carries its thresholds beside the arms; the report keeps them apart too.
    const c = fintechComparison() as ReturnType<typeof fintechComparison> & { thresholds?: unknown };
    expect(parseReportInput(viaJson(c), 'compare.json', VERSION)).toEqual({ comparison: c, ...(c.thresholds ? { thresholds: c.thresholds } : {}) });
  });

  it('refuses results from another version, naming both versions', () => {
    const c = fintechComparison();
    c.baseline.meta.version = '0.0.9';
    expect(() => parseReportInput(viaJson({ comparison: c }), 'old/results.json', VERSION)).toThrow(
      'old/results.json: written by coordgap 0.0.9 (field comparison.baseline.meta.version); this is coordgap 0.1.0, which reads only its own results – run the scenario again to regenerate them',
    );
  });

  it('names a missing field by its path', () => {
    const c = viaJson(fintechComparison()) as { variants: { delta: Record<string, unknown> }[] };
    delete c.variants[1].delta.p95Ms;
    expect(() => parseReportInput({ comparison: c }, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: missing field comparison.variants[1].delta.p95Ms');
  });

  it('lists the first three problems and counts the rest', () => {
    const c = viaJson(fintechComparison()) as { baseline: Record<string, unknown> };
    for (const key of ['latencyMs', 'outcomes', 'successRate', 'costUsd']) delete c.baseline[key];
    expect(() => parseReportInput({ comparison: c }, 'r.json', VERSION)).toThrow(
      /^r\.json: not a coordgap results file: missing field comparison\.baseline\.\w+; missing field comparison\.baseline\.\w+; missing field comparison\.baseline\.\w+ \(and 1 more problem\)$/,
    );
  });

  it('says what is wrong with a field of the wrong type', () => {
    const c = viaJson(fintechComparison()) as { baseline: { requests: unknown } };
    c.baseline.requests = 'many';
    expect(() => parseReportInput({ comparison: c }, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: field comparison.baseline.requests: Invalid input: expected number, received string');
  });

  it('a document without a comparison, or not an object at all', () => {
    expect(() => parseReportInput({ sweep: {} }, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: missing field comparison');
    expect(() => parseReportInput([1, 2], 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: expected a JSON object, got an array');
    expect(() => parseReportInput(null, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: expected a JSON object, got null');
  });

  it('checks hardware profiles with the bench schema, naming which one', () => {
    const input = viaJson(fullInput()) as { profiles: { host?: unknown }[] };
    delete input.profiles[1].host;
    expect(() => parseReportInput(input, 'r.json', VERSION)).toThrow('r.json: profiles[1]: invalid hardware profile: field host: Invalid input: expected object, received undefined');
  });

  it('at most two profiles', () => {
    const input = viaJson(fullInput()) as { profiles: unknown[] };
    input.profiles.push(input.profiles[0]);
    expect(() => parseReportInput(input, 'r.json', VERSION)).toThrow('r.json: not a coordgap results file: field profiles: at most two hardware profiles');
  });
});
