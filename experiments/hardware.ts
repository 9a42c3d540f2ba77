/**
 * Reads hardware configs and the profiles they name, for the scenario loader.
 * A config's errors point into the config file; a profile's into the profile.
 */
import { dirname, join, resolve } from 'node:path';
import { parseSource, validateSource, ScenarioError } from '../sim/scenario/index.js';
import { hardwareConfigSchema, type HardwareConfig, type KernelQuantileTable, type ResolvedHardware } from '../sim/scenario/index.js';
import { parseProfile, type HardwareProfile } from '../bench/profile.js';
import type { PoolHardwareChange } from '../sim/scenario/index.js';
import { FileSystemError, readRegularFile } from './safe-files.js';
import { parseJson } from './untrusted-text.js';

export interface LoadedHardware {
  path: string;
  config: HardwareConfig;
  profile?: HardwareProfile;
  profilePath?: string;
}

/** Hardware configs are a page of YAML; larger ones are refused before reading. */
export const MAX_HARDWARE_CONFIG_BYTES = 1024 * 1024;
/** A bench profile holds every kernel's runs: ~85 KB for the bundled one; 16 MiB leaves room for many isolates. */
export const MAX_PROFILE_BYTES = 16 * 1024 * 1024;

/** Through safe-files.ts's one reader (regular files only, size-limited); a refusal points at the config. */
async function read(path: string, what: string, shownAs: string, maxBytes: number): Promise<string> {
  try {
    return await readRegularFile(path, what, maxBytes);
  } catch (e) {
    if (!(e instanceof FileSystemError)) throw e;
    throw new ScenarioError([{ file: shownAs, line: 1, col: 1, path: '', message: e.message }]);
  }
}

/**
 * Reads the config at `path`; `shown` is how messages name it; `resolveProfile`
 * turns the profile it names into a path (and may refuse it).
 */
export async function loadHardware(
  path: string,
  shown: string,
  resolveProfile: (fromDir: string, name: string) => string = (from, name) => resolve(from, name),
): Promise<LoadedHardware> {
  const source = parseSource(await read(path, 'hardware config', shown, MAX_HARDWARE_CONFIG_BYTES), shown);
  const config = validateSource(source, hardwareConfigSchema);
  if (config.profile === undefined) return { path, config };
  const profilePath = resolveProfile(dirname(path), config.profile);
  const text = await read(profilePath, 'hardware profile', shown, MAX_PROFILE_BYTES);
  let profile: HardwareProfile;
  try {
    profile = parseProfile(parseJson(text, 'hardware profile', config.profile), join(dirname(shown), config.profile));
  } catch (e) {
    const pos = source.locate(['profile']);
    throw new ScenarioError([{ file: shown, line: pos.line, col: pos.col, path: 'profile', message: (e as Error).message }]);
  }
  return { path, config, profile, profilePath };
}

/**
 * One call of each kernel as a quantile table: min, p50, p75, p99, p99.9 and
 * max of the profile (pooled over its isolates), made non-decreasing.
 */
export function kernelTables(profile: HardwareProfile): Record<string, KernelQuantileTable> {
  const out: Record<string, KernelQuantileTable> = {};
  for (const [id, k] of Object.entries(profile.kernels)) {
    const min = Math.min(...k.runs.map((r) => r.minMs));
    const max = Math.max(...k.runs.map((r) => r.maxMs));
    const points: [number, number][] = [[0, min], [0.5, k.p50Ms], [0.75, k.p75Ms], [0.99, k.p99Ms], [0.999, k.p999Ms], [1, max]];
    let floor = 0;
    out[id] = points.map(([p, v]) => {
      floor = Math.max(floor, v);
      return { p, valueMs: floor };
    });
  }
  return out;
}

/** The config as compile needs it: kernels from its own profile, else from `fallback` (the baseline's). */
export function resolveHardware(h: LoadedHardware, fallback?: LoadedHardware): ResolvedHardware {
  const source = h.profile ?? fallback?.profile;
  return {
    config: h.config,
    ...(source ? { kernels: kernelTables(source), kernelSource: source.name } : {}),
  };
}

const usdPerHour = (x: number) => `$${Number(x.toPrecision(4))}/h`;

/**
 * What a hardware config does to a scenario's pools, one line per pool it
 * touches: `hardware/x.yaml: pool cpu servers 8 → 2, speed ×1.2, price
 * $0.4/h → $0.0513/h` ("unset" where the scenario declares none). `validate`
 * prints it, so a config never changes the simulated machine unseen.
 */
export function formatHardwareChanges(configName: string, changes: readonly PoolHardwareChange[]): string[] {
  return changes.map((c) => {
    const parts: string[] = [];
    const s = c.servers;
    if (s.fromConfig) parts.push(`servers ${s.declared ?? 'unset'} → ${s.simulated}`);
    parts.push(`speed ×${c.speedFactor}`);
    const p = c.pricePerHourUsd;
    if (p.fromConfig) parts.push(`price ${p.declared === undefined ? 'unset' : usdPerHour(p.declared)} → ${usdPerHour(p.simulated)}`);
    return `${configName}: pool ${c.pool}${c.kind === c.pool ? '' : ` (kind ${c.kind})`} ${parts.join(', ')}`;
  });
}
