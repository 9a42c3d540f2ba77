import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureProfile } from './profile-fixture.js';
import { hardwareProfileSchema, kernelLatency, parseProfile } from './profile.js';

describe('hardware profile schema', () => {
  const profile = fixtureProfile('box-a', { 'retrieval.bm25': [1, 1.1, 0.9], 'orchestration.json-state': [0.05, 0.05, 0.05] });

  it('round-trips through JSON unchanged', () => {
    const text = JSON.stringify(profile);
    expect(parseProfile(JSON.parse(text), 'a.json')).toEqual(profile);
    expect(JSON.stringify(parseProfile(JSON.parse(text), 'a.json'))).toBe(text);
  });

  it('accepts the bundled example profile', () => {
    const url = new URL('../scenarios/hardware/profiles/epyc-2vcpu.json', import.meta.url);
    const parsed = parseProfile(JSON.parse(readFileSync(url, 'utf8')), url.pathname);
    expect(kernelLatency(parsed, 'retrieval.exact-wasm-384-100k').medianMs).toBeGreaterThan(0);
    expect(hardwareProfileSchema.safeParse(parsed).success).toBe(true);
  });

  it('names the file and the field path of a problem', () => {
    const broken = JSON.parse(JSON.stringify(profile));
    broken.kernels['retrieval.bm25'].medianMs = 'fast';
    expect(() => parseProfile(broken, 'profiles/broken.json')).toThrow(
      'profiles/broken.json: invalid hardware profile: field kernels["retrieval.bm25"].medianMs: Invalid input: expected number, received string',
    );
    const missing = JSON.parse(JSON.stringify(profile));
    delete missing.host.cpuModel;
    expect(() => parseProfile(missing, 'x.json')).toThrow(/x\.json: invalid hardware profile: field host\.cpuModel:/);
  });

  it('rejects other versions with a clear message', () => {
    expect(() => parseProfile({ ...profile, version: 2 }, 'new.json')).toThrow(
      'new.json: invalid hardware profile: field version: profile version 2 is not supported (this coordgap reads version 1)',
    );
  });
});

describe('kernelLatency', () => {
  const profile = fixtureProfile('box-a', { 'retrieval.bm25': [1, 1.5, 0.5] });

  it('returns median, mean and p99 of the kernel', () => {
    // median of isolate medians 1; mean of isolate means (1 + 1.5 + 0.5)/3 = 1; p99: median of isolate p99s = 1
    expect(kernelLatency(profile, 'retrieval.bm25')).toEqual({ medianMs: 1, meanMs: 1, p99Ms: 1 });
  });

  it('names the known kernel ids when asked for an unknown one', () => {
    expect(() => kernelLatency(profile, 'retrieval.exact-384-100k')).toThrow(
      'kernel "retrieval.exact-384-100k" is not in hardware profile "box-a"; known kernel ids: retrieval.bm25',
    );
  });

  it('says why a kernel was skipped', () => {
    const skipped = { ...profile, skipped: [{ kernel: 'retrieval.hnsw-384-ef64', reason: 'hnswlib-node could not be loaded' }] };
    expect(() => kernelLatency(skipped, 'retrieval.hnsw-384-ef64')).toThrow(/skipped when the profile was measured: hnswlib-node could not be loaded/);
  });
});
