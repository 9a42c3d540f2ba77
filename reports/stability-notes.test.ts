import { describe, expect, it } from 'vitest';
import { stabilityTags, stabilityWarnings } from './stability-notes.js';
import type { RunResult } from '../sim/result.js';
import type { StabilityReport } from '../sim/stability.js';

const base: StabilityReport = { stable: true, arrivals: 'open', arrivalRatePerSec: 10, pools: [], note: '', truncated: false };
const result = (stability: Partial<StabilityReport> | undefined, replications = 1) =>
  ({ replications, stability: stability === undefined ? undefined : { ...base, ...stability } }) as RunResult;

describe('stability notes', () => {
  it('nothing to say about a stable run that did the work its fault rates explain, or a result without the report', () => {
    expect(stabilityWarnings(result({ attemptsPerRequest: { expected: 2, measured: 2.1 }, workAmplified: false }))).toEqual([]);
    expect(stabilityTags(result({}))).toEqual([]);
    expect(stabilityWarnings(result(undefined))).toEqual([]);
  });

  it('tags and warnings for an unstable, amplified, cut-short run, in that order', () => {
    const r = result(
      {
        stable: false,
        pools: [{ id: 'db', offeredLoad: 2.5, growthPerSec: 150, bounded: false }],
        attemptsPerRequest: { expected: 4, measured: 30 },
        workAmplified: true,
        truncated: true,
        truncatedAtMs: 61_000,
        truncatedRequests: 5000,
        truncatedRuns: 2,
        truncatedBy: 'memory',
        inFlightLimit: 40_000,
      },
      4,
    );
    expect(stabilityTags(r)).toEqual(['unstable', 'retry storm 7.5×', 'cut short']);
    const w = stabilityWarnings(r, 'faster-gpu');
    expect(w).toHaveLength(3);
    expect(w[0]).toMatch(/^warning: faster-gpu: unstable system – db offered load 2\.50, queue grows ~150 requests\/s: /);
    expect(w[1]).toMatch(/^warning: faster-gpu: 30\.0 attempts per request, 7\.5× the 4\.00 its fault rates explain: /);
    expect(w[2]).toBe(
      'warning: faster-gpu: run cut short at 61.0 s simulated in 2 of 4 replications: 40,000 requests held in memory reached the cap from limits.maxMemoryMb / --max-memory-mb; the 5,000 requests without an outcome are counted as rejected',
    );
  });
});
