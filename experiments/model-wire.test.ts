import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fromWire, toWire } from './model-wire.js';
import { loadScenarioFile } from './load-scenario.js';
import { PACKAGE_ROOT } from './version.js';
import { runReplication, type Model } from '../sim/path/index.js';
import { makeSampler } from '../sim/kernel/index.js';

const SCENARIOS = readdirSync(join(PACKAGE_ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));

describe('a compiled model on the wire', () => {
  it.each(SCENARIOS)('%s: every arm, rebuilt from a structured clone of its wire form, simulates byte-identically', async (file) => {
    const loaded = await loadScenarioFile(join(PACKAGE_ROOT, 'scenarios', file), PACKAGE_ROOT, ['requests=400']);
    for (const model of [loaded.model, ...loaded.variants.map((v) => v.model)]) {
      // What a worker receives: the wire form after structured clone.
      const rebuilt = fromWire(structuredClone(toWire(model)));
      expect(rebuilt).not.toBe(model);
      for (const r of [0, 1]) expect(JSON.stringify(runReplication(rebuilt, r).toJSON())).toBe(JSON.stringify(runReplication(model, r).toJSON()));
    }
  });

  it('names the content: equal models share a digest, a changed number gets another (Infinity, NaN and −0 kept apart)', async () => {
    const loaded = await loadScenarioFile(join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), PACKAGE_ROOT);
    const again = await loadScenarioFile(join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), PACKAGE_ROOT);
    expect(toWire(again.model).digest).toBe(toWire(loaded.model).digest);
    const digest = (m: Partial<Model>) => toWire({ ...loaded.model, ...m }).digest;
    const digests = [digest({ deadlineMs: Infinity }), digest({ deadlineMs: -Infinity }), digest({ deadlineMs: NaN }), digest({ deadlineMs: 0 }), digest({ deadlineMs: -0 }), digest({ deadlineMs: 1 })];
    expect(new Set(digests).size).toBe(digests.length);
    expect(digest({ seed: 2 })).not.toBe(digest({ seed: 3 }));
  });

  it('rebuilds each sampler with the spec it was made from', () => {
    const spec = { dist: 'mixture' as const, components: [{ weight: 1, of: { dist: 'lognormal' as const, medianMs: 5, p99Ms: 40 } }, { weight: 3, of: { dist: 'constant' as const, valueMs: 2 } }] };
    const sampler = makeSampler(spec);
    const model = { stages: [{ latency: sampler }] } as unknown as Model;
    const back = fromWire(structuredClone(toWire(model))) as unknown as { stages: { latency: typeof sampler }[] };
    for (const u of [0, 0.1, 0.5, 0.77, 0.999]) expect(back.stages[0].latency.cdf(u * 50)).toBe(sampler.cdf(u * 50));
    expect(back.stages[0].latency.meanMs).toBe(sampler.meanMs);
  });

  it('refuses what it cannot carry, naming the field', () => {
    class Custom {
      sample() {
        return 1;
      }
    }
    expect(() => toWire({ stages: [{ latency: new Custom() }] } as unknown as Model)).toThrow(
      'model field stages[0].latency is neither plain data nor a sampler made by makeSampler: it cannot be sent to a worker thread',
    );
    expect(() => toWire({ hook: () => 1 } as unknown as Model)).toThrow('model field hook is a function');
  });
});
