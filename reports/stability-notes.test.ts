import { describe, expect, it } from 'vitest';
import { stabilityTags, stabilityWarnings } from './stability-notes.js';
import type { RunResult } from '../sim/metrics/index.js';
import { SHEDDING_SHARE, type StabilityReport } from '../sim/analysis/index.js';

const base: StabilityReport = { stable: true, arrivals: 'open', arrivalRatePerSec: 10, pools: [], note: '', truncated: false };
const result = (stability: Partial<StabilityReport> | undefined, replications = 1) =>
  ({ replications, stability: stability === undefined ? undefined : { ...base, ...stability } }) as RunResult;

describe('stability notes', () => {
  it('nothing to say about a stable run that did the work its fault rates explain, or a result without the report', () => {
    expect(stabilityWarnings(result({ attemptsPerRequest: { expected: 2, measured: 2.1 }, workAmplified: false }), SHEDDING_SHARE)).toEqual([]);
    expect(stabilityTags(result({}))).toEqual([]);
    expect(stabilityWarnings(result(undefined), SHEDDING_SHARE)).toEqual([]);
  });

  it('tags and warnings for an unstable, amplified, cut-short run, in that order', () => {
    const r = result(
      {
        stable: false,
        pools: [{ id: 'db', offeredLoad: 2.5, growthPerSec: 150, bounded: false, shedAtLeast: 0 }],
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
    const w = stabilityWarnings(r, SHEDDING_SHARE, 'faster-gpu');
    expect(w).toHaveLength(3);
    expect(w[0]).toMatch(/^warning: faster-gpu: unstable system – db offered load 2\.50, queue grows ~150 requests\/s: /);
    expect(w[1]).toMatch(/^warning: faster-gpu: 30\.0 attempts per request, 7\.5× the 4\.00 its fault rates explain: /);
    expect(w[2]).toBe(
      'warning: faster-gpu: run cut short at 61.0 s simulated in 2 of 4 replications: 40,000 requests held in memory reached the cap from limits.maxMemoryMb / --max-memory-mb; the 5,000 requests without an outcome are counted as rejected',
    );
  });

  it('an overloaded bounded pool and the work full queues refused are warned about, not reported as stable', () => {
    const r = result({
      stable: false,
      pools: [
        { id: 'gpu', offeredLoad: 8.6, growthPerSec: 0, bounded: true, shedAtLeast: 1 - 1 / 8.6 },
        { id: 'cpu', offeredLoad: 0.4, growthPerSec: 0, bounded: false, shedAtLeast: 0 },
      ],
      shed: [{ id: 'gpu', attempts: 85_000, share: 0.85 }],
      shedding: true,
    });
    expect(stabilityTags(r)).toEqual(['overloaded', 'shed 85 %']);
    expect(stabilityWarnings(r, SHEDDING_SHARE)).toEqual([
      'warning: overloaded – gpu offered load 8.60, at least 88 % of its work refused: more arrive than the servers can serve, and the bounded queue sheds the excess at admission ' +
        '(add servers or lower the arrival rate; a bounded queue protects latency, not throughput)',
      'warning: full queues refused work at admission – gpu 85 % of its attempts (85,000): each refusal is a fault (retried, handed to a fallback, or a rejected request); ' +
        'raise queueCapacity or add servers unless shedding is the intent',
    ]);
  });

  it('shedding below the 1 % mark is measured but not warned about', () => {
    const r = result({ shed: [{ id: 'gpu', attempts: 9, share: 0.009 }], shedding: false });
    expect(stabilityTags(r)).toEqual([]);
    expect(stabilityWarnings(r, SHEDDING_SHARE)).toEqual([]);
  });
});
