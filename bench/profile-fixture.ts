/**
 * Small, valid hardware profiles built from per-isolate medians, for tests
 * (here and in the simulator) that need a profile without measuring one.
 */
import { kernelSpec } from './catalog.js';
import { PROFILE_SCHEMA_ID, PROFILE_VERSION, type HardwareProfile, type KernelResult } from './profile.js';
import { aggregateIsolates } from './stats.js';

/** A kernel entry whose isolates each saw a constant latency (their median). */
export function fixtureKernel(id: string, isolateMediansMs: readonly number[]): KernelResult {
  const spec = kernelSpec(id);
  const runs = isolateMediansMs.map((m, isolate) => ({
    samples: 100, meanMs: m, medianMs: m, p50Ms: m, p75Ms: m, p99Ms: m, p999Ms: m, madMs: 0, minMs: m, maxMs: m, sdMs: 0,
    isolate, batch: 1, setupMs: 10, tinybenchRmePct: 1,
  }));
  return {
    group: spec?.group ?? 'orchestration',
    title: spec?.title ?? id,
    params: { ...(spec?.params ?? {}) },
    runs,
    ...aggregateIsolates(runs),
    work: {},
    derived: {},
  };
}

/** A profile named `name` holding the given kernels. */
export function fixtureProfile(name: string, kernels: Readonly<Record<string, readonly number[]>>): HardwareProfile {
  return {
    schema: PROFILE_SCHEMA_ID,
    version: PROFILE_VERSION,
    name,
    createdAt: '2025-01-01T00:00:00.000Z',
    host: {
      hostname: 'fixture',
      cpuModel: 'Fixture CPU',
      logicalCpus: 2,
      availableParallelism: 2,
      memoryBytes: 8 * 2 ** 30,
      os: { platform: 'linux', release: '6.0', arch: 'x64' },
      node: 'v20.0.0',
      v8: '11.3',
      simd: { cpuFlags: ['avx2'], cpuLevel: 'avx2', wasmSimd: true, nativeAddons: [] },
    },
    method: {
      harness: 'coordgap-bench',
      harnessVersion: '1.0.0',
      tinybench: '6.2.3',
      piscina: '5.3.2',
      mode: 'custom',
      isolatesPerKernel: 3,
      timeMsPerKernel: 1000,
      warmupMsPerKernel: 250,
      minIterations: 10,
      minSampleMs: 0.02,
      quantiles: 'type 7',
      spreadThreshold: 1.3,
      seed: 1,
      isolateOrder: 'interleaved',
      startedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 1000,
    },
    kernels: Object.fromEntries(Object.entries(kernels).map(([id, medians]) => [id, fixtureKernel(id, medians)])),
    skipped: [],
    scaling: [],
    server: null,
    stability: {
      isolatesPerKernel: 3,
      spreadThreshold: 1.3,
      flaggedKernels: [],
      maxSpreadRatio: 1,
      medianSpreadRatio: 1,
      medianTinybenchRmePct: 1,
      cpuBusyBeforePct: null,
      loadAverageStart: [0, 0, 0],
      loadAverageEnd: [0, 0, 0],
      notes: [],
    },
  };
}
