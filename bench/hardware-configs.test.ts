import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kernelLatency, parseProfile } from './profile.js';

const hardwareDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios', 'hardware');
const configs = readdirSync(hardwareDir).filter((f) => f.endsWith('.yaml'));

interface HardwareConfig {
  name: string;
  description: string;
  profile?: string;
  pools: Record<string, { servers: number; speedFactor: number }>;
  pricePerHourUsd: Record<string, number>;
}

describe('bundled hardware configs', () => {
  it('has a measured and a declared config', () => {
    expect(configs).toEqual(expect.arrayContaining(['this-machine.yaml', 'cloud-8vcpu.yaml']));
  });

  for (const file of configs) {
    it(`${file} has the agreed shape and a price for every pool`, () => {
      const text = readFileSync(join(hardwareDir, file), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../hardware.schema.json');
      const config = parse(text) as HardwareConfig;
      expect(Object.keys(config).sort()).toEqual(['description', 'name', 'pools', 'pricePerHourUsd', ...(config.profile ? ['profile'] : [])].sort());
      expect(config.name).toBe(file.replace(/\.yaml$/, ''));
      for (const [pool, spec] of Object.entries(config.pools)) {
        expect(Number.isInteger(spec.servers) && spec.servers > 0).toBe(true);
        expect(spec.speedFactor).toBeGreaterThan(0);
        expect(config.pricePerHourUsd[pool]).toBeGreaterThanOrEqual(0);
      }
      if (config.profile) {
        const profileFile = join(hardwareDir, config.profile);
        const profile = parseProfile(JSON.parse(readFileSync(profileFile, 'utf8')), profileFile);
        expect(kernelLatency(profile, 'retrieval.bm25').medianMs).toBeGreaterThan(0);
      }
    });
  }
});
