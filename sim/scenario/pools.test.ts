import { describe, expect, it } from 'vitest';
import { scenarioSchema, type ScenarioInput } from './schema.js';
import { hardwareConfigSchema, type ResolvedHardware } from './hardware-schema.js';
import { compilePools, declaredOverrides, hardwareChanges, poolKindOf, PoolServersMissing } from './pools.js';

const hw = (config: unknown): ResolvedHardware => ({ config: hardwareConfigSchema.parse({ name: 'box', ...(config as object) }) });
const scenario = (pools: ScenarioInput['pools']) =>
  scenarioSchema.parse({ name: 'p', arrivals: { kind: 'poisson', rate: 1 }, pools, stages: [{ id: 'a', pool: Object.keys(pools)[0], latency: 1 }] });

describe('pool kinds', () => {
  it('a pool takes its declared kind, else its id when that is a hardware kind, else other', () => {
    expect(poolKindOf('gpu', undefined)).toBe('gpu');
    expect(poolKindOf('human', undefined)).toBe('human');
    expect(poolKindOf('tools', undefined)).toBe('other');
    expect(poolKindOf('tools', 'external')).toBe('external');
    expect(poolKindOf('cpu', 'other')).toBe('other');
  });
});

describe('a hardware config on the pools', () => {
  const box = hw({ pools: { cpu: { servers: 2, speedFactor: 1.5 }, gpu: { servers: 1 } }, pricePerHourUsd: { cpu: 0.05 } });

  it('sets servers, speed and price of the kinds it names, and nothing of kind other', () => {
    const s = scenario({ cpu: {}, gpu: { servers: 8 }, tools: { servers: 32, pricePerHourUsd: 0.4 }, gpus: { kind: 'gpu', servers: 4 } });
    const { pools, speedFactors } = compilePools(s, box);
    expect(pools.map((p) => [p.id, p.kind, p.servers, p.pricePerHourUsd])).toEqual([
      ['cpu', 'cpu', 2, 0.05],
      ['gpu', 'gpu', 1, 0],
      ['tools', 'other', 32, 0.4],
      ['gpus', 'gpu', 1, 0],
    ]);
    expect(speedFactors).toEqual([1.5, 1, 1, 1]);
    expect(hardwareChanges(s, box).map((c) => c.pool)).toEqual(['cpu', 'gpu', 'gpus']);
    expect(declaredOverrides(s, box, 'box.yaml').map((o) => o.path.join('.'))).toEqual(['pools.gpu.servers', 'pools.gpus.servers']);
  });

  it("a pool's own speedFactor multiplies the config's for its kind, and stands alone without a config", () => {
    const s = scenario({ cpu: { servers: 2, speedFactor: 2 }, tools: { servers: 4, speedFactor: 0.5 } });
    expect(compilePools(s, box).speedFactors).toEqual([3, 0.5]);
    expect(compilePools(s, undefined).speedFactors).toEqual([2, 0.5]);
    expect(scenarioSchema.safeParse({ name: 'p', arrivals: { kind: 'poisson', rate: 1 }, pools: { cpu: { servers: 1, speedFactor: 0 } }, stages: [{ id: 'a', pool: 'cpu', latency: 1 }] }).success).toBe(false);
  });

  it('a declared value equal to the config is no override; without a config the scenario is taken as written', () => {
    const s = scenario({ cpu: { servers: 2, pricePerHourUsd: 0.05 } });
    expect(declaredOverrides(s, box, 'box.yaml')).toEqual([]);
    expect(compilePools(scenario({ cpu: { servers: 3 } }), undefined).pools[0]).toEqual({ id: 'cpu', kind: 'cpu', servers: 3, queueCapacity: Infinity, pricePerHourUsd: 0 });
  });

  it('servers that neither the scenario nor the config gives are missing, at the pool', () => {
    expect(() => compilePools(scenario({ external: {} }), box)).toThrow(PoolServersMissing);
    expect(() => compilePools(scenario({ external: {} }), box)).toThrow('missing required key "servers": hardware config "box" sets none for external pools');
  });
});
