/**
 * A self-hosted model on a GPU pool with a serving table: the figures at a
 * load are the table's (linear between rows), a call takes them at the load
 * it starts under, and calls past the GPUs' sequences wait – each expected
 * latency worked out by hand from the table.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../scenario/index.js';
import { simulateModel, type TraceEvent } from '../path/index.js';
import { modelOf } from '../test-support.js';
import { compileScenario, CompileError, scenarioSchema, hardwareConfigSchema } from '../scenario/index.js';
import { servingAt, type ServingModel } from './serving.js';

const TABLE: ServingModel = {
  gpus: 1,
  sequencesPerGpu: 8,
  load: [
    { sequences: 1, ttftMs: 100, tpotMs: 10 },
    { sequences: 8, ttftMs: 400, tpotMs: 30 },
  ],
};

/** One GPU, 8 sequences, 100 output tokens per call; `requests` arriving together. */
function gpuScenario(requests: number): ScenarioInput {
  return {
    name: 'gpu',
    requests,
    arrivals: { kind: 'fixed', interval: 0 },
    pools: {
      gpu: {
        servers: 1,
        pricePerHourUsd: 4,
        serving: { sequencesPerGpu: 8, load: [{ sequences: 1, ttft: 100, tpot: 10 }, { sequences: 8, ttft: 400, tpot: 30 }] },
      },
    },
    providers: { self: { models: { llama: {} } } },
    stages: [{ id: 'answer', pool: 'gpu', llm: { provider: 'self', model: 'llama', inputTokens: 500, outputTokens: 100 } }],
  };
}

function endTimes(input: ScenarioInput): number[] {
  const ends: number[] = [];
  simulateModel(modelOf(input), { onTrace: (e: TraceEvent) => (e.kind === 'end' ? ends.push(e.timeMs) : undefined) });
  return ends.sort((a, b) => a - b);
}

describe('GPU serving table', () => {
  it('interpolates linearly between rows and holds the end rows outside them', () => {
    expect(servingAt(TABLE, 0.5, 'ttftMs')).toBe(100);
    expect(servingAt(TABLE, 1, 'tpotMs')).toBe(10);
    expect(servingAt(TABLE, 4.5, 'ttftMs')).toBeCloseTo(100 + (3.5 / 7) * 300, 12);
    expect(servingAt(TABLE, 8, 'tpotMs')).toBe(30);
    expect(servingAt(TABLE, 12, 'ttftMs')).toBe(400);
  });

  it('gives the pool GPUs × sequencesPerGpu slots, each priced at the GPU price / sequencesPerGpu', () => {
    const pool = modelOf(gpuScenario(1)).pools[0];
    expect(pool.servers).toBe(8);
    expect(pool.pricePerHourUsd).toBe(0.5);
    expect(pool.serving?.gpus).toBe(1);
  });

  it('a call alone runs at the first row; the second of two at two sequences per GPU', () => {
    // 100 + 99 × 10 = 1090 ms.
    expect(endTimes(gpuScenario(1))).toEqual([1090]);
    // The second starts with 2 in flight: TTFT 100 + (1/7)·300, TPOT 10 + (1/7)·20.
    const [first, second] = endTimes(gpuScenario(2));
    expect(first).toBe(1090);
    expect(second).toBeCloseTo(100 + 300 / 7 + 99 * (10 + 20 / 7), 9);
  });

  it('past the GPUs\' sequences a call waits for a slot and then runs at full load: the cliff', () => {
    const ends = endTimes(gpuScenario(9));
    // The 9th waits for the first (1090 ms), then starts with 8 in flight: 400 + 99 × 30 = 3370 ms.
    expect(ends[8]).toBeCloseTo(1090 + 3370, 9);
    // The 8th started with all 8 slots taken at once: full load, 3370 ms.
    expect(ends[7]).toBeCloseTo(3370, 9);
  });

  it('a hardware config with GPUs sets the GPUs and the table: "buy more GPUs" is a hardware variant', () => {
    const hardware = hardwareConfigSchema.parse({
      name: 'two-gpus',
      pools: { gpu: { servers: 2, serving: { sequencesPerGpu: 4, load: [{ sequences: 1, ttft: 50, tpot: 5 }, { sequences: 4, ttft: 80, tpot: 8 }] } } },
      pricePerHourUsd: { gpu: 2 },
    });
    const model = compileScenario(scenarioSchema.parse(gpuScenario(1)), { hardware: { config: hardware } });
    expect(model.pools[0].servers).toBe(8);
    expect(model.pools[0].pricePerHourUsd).toBe(0.5);
    expect(model.pools[0].serving?.load[1]).toEqual({ sequences: 4, ttftMs: 80, tpotMs: 8 });
    const ends: number[] = [];
    const result = simulateModel(model, { onTrace: (e: TraceEvent) => (e.kind === 'end' ? ends.push(e.timeMs) : undefined) });
    expect(ends).toEqual([50 + 99 * 5]);
    // Rented whole: 2 GPUs × $2/h over the 545 ms simulated, busy or idle.
    expect(result.costUsd.breakdown.compute).toBeCloseTo((2 * 2 * 545) / 3_600_000, 15);
  });

  it('refuses a model with no ttft and tpot on a pool without a serving table, naming the field', () => {
    const input = gpuScenario(1);
    const { serving: _serving, ...plainPool } = (input.pools as Record<string, { serving?: unknown }>).gpu;
    const scenario = scenarioSchema.parse({ ...input, pools: { gpu: plainPool } });
    expect(() => compileScenario(scenario)).toThrow(CompileError);
    try {
      compileScenario(scenario);
    } catch (e) {
      expect((e as CompileError).path).toEqual(['stages', 0, 'llm', 'model']);
      expect((e as Error).message).toMatch(/gives no ttft and tpot, and this call's pool has no serving table/);
    }
  });
});
