/**
 * An LLM call's 'start' trace event carries its tokens and time to first
 * token (what an exported span writes as gen_ai.usage.*): the attempt then
 * lasts TTFT + (output − 1) × TPOT exactly, with a constant TPOT.
 */
import { describe, expect, it } from 'vitest';
import { simulateModel, type TraceEvent } from './index.js';
import { modelOf } from '../test-support.js';

describe('LLM calls in traces', () => {
  it('start events carry tokens and TTFT, and the attempt lasts TTFT + (n − 1) × TPOT', () => {
    const model = modelOf({
      name: 'trace',
      seed: 4,
      requests: 300,
      arrivals: { kind: 'poisson', rate: 5 },
      pools: { external: { servers: 100 } },
      providers: { p: { models: { m: { ttft: { dist: 'lognormal', median: 400, p99: 2000 }, tpot: 10 } } } },
      stages: [{ id: 'answer', pool: 'external', llm: { provider: 'p', model: 'm', inputTokens: { dist: 'uniform', min: 100, max: 900 }, outputTokens: { dist: 'lognormal', median: 150, p99: 800 } } }],
    });
    const starts = new Map<number, TraceEvent>();
    let checked = 0;
    simulateModel(model, {
      onTrace: (e) => {
        if (e.kind === 'start') starts.set(e.request, e);
        if (e.kind === 'ok') {
          const s = starts.get(e.request)!;
          expect(s.inputTokens).toBeGreaterThanOrEqual(100);
          expect(s.inputTokens).toBeLessThanOrEqual(900);
          expect(s.outputTokens).toBeGreaterThanOrEqual(1);
          expect(e.timeMs - s.timeMs).toBeCloseTo(s.ttftMs! + (s.outputTokens! - 1) * 10, 6);
          checked++;
        }
      },
    });
    expect(checked).toBe(300);
  });
});
