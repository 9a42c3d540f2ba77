/** Describes the machine a profile was measured on. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { AddonBuildInfo } from './native.js';
import type { HostInfo } from './profile.js';
import { wasmSimdSupported } from './kernels/wasm-simd.js';

const SIMD_FLAGS = ['sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'asimd', 'sve', 'sve2'];

/** SIMD-related flags of the first CPU in /proc/cpuinfo (Linux); empty elsewhere. */
export function cpuSimdFlags(cpuinfo?: string): string[] {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return [];
    }
  }
  const line = /^(?:flags|Features)\s*:(.*)$/m.exec(text)?.[1] ?? '';
  const flags = new Set(line.trim().split(/\s+/));
  return SIMD_FLAGS.filter((f) => flags.has(f));
}

/** The widest SIMD level the CPU offers. */
export function cpuSimdLevel(flags: readonly string[], arch: string): HostInfo['simd']['cpuLevel'] {
  if (flags.includes('avx512f')) return 'avx512';
  if (flags.includes('avx2')) return 'avx2';
  if (flags.includes('avx')) return 'avx';
  if (flags.includes('sse4_2')) return 'sse4';
  if (flags.includes('asimd') || arch === 'arm64') return 'neon';
  return 'unknown';
}

/** Host facts for the profile. */
export function hostInfo(addons: readonly AddonBuildInfo[]): HostInfo {
  const cpus = os.cpus();
  const flags = cpuSimdFlags();
  return {
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    logicalCpus: Math.max(1, cpus.length),
    availableParallelism: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    os: { platform: process.platform, release: os.release(), arch: process.arch },
    node: process.version,
    v8: process.versions.v8,
    simd: { cpuFlags: flags, cpuLevel: cpuSimdLevel(flags, process.arch), wasmSimd: wasmSimdSupported(), nativeAddons: [...addons] },
  };
}
