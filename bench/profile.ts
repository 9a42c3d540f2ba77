/**
 * The hardware profile: what `coordgap bench` writes and what the simulator
 * reads to turn a kernel name into a service time. Versioned; one zod schema
 * gives the TypeScript type and the runtime check. Pure: no fs, no console.
 */
import { z } from 'zod';

/** Identifies the document type. */
export const PROFILE_SCHEMA_ID = 'coordgap.hardware-profile';
/** Bump on any breaking change to the shape below. */
export const PROFILE_VERSION = 1;

const ms = z.number().nonnegative();
const finite = z.number();

const sampleSummarySchema = z.object({
  samples: z.number().int().positive(),
  meanMs: ms,
  medianMs: ms,
  p50Ms: ms,
  p75Ms: ms,
  p99Ms: ms,
  p999Ms: ms,
  madMs: ms,
  minMs: ms,
  maxMs: ms,
  sdMs: ms,
});

/** One isolate's measurement of a kernel. */
const isolateRunSchema = sampleSummarySchema.extend({
  isolate: z.number().int().nonnegative(),
  /** Calls per sample (1 = each call timed on its own). */
  batch: z.number().int().positive(),
  setupMs: ms,
  /** tinybench's own 95 % relative margin of error inside the isolate: compare it with the cross-isolate spread. */
  tinybenchRmePct: z.number().nonnegative().nullable(),
});

const spreadSchema = z.object({
  ratio: z.number().min(1),
  minMedianMs: ms,
  maxMedianMs: ms,
  flagged: z.boolean(),
});

/** A measured kernel. */
export const kernelResultSchema = z.object({
  group: z.enum(['retrieval', 'orchestration', 'ingress', 'assembly', 'handoff', 'memory']),
  title: z.string(),
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  runs: z.array(isolateRunSchema).min(1),
  medianMs: ms,
  meanMs: ms,
  p50Ms: ms,
  p75Ms: ms,
  p99Ms: ms,
  p999Ms: ms,
  madMs: ms,
  throughputPerSec: z.number().nonnegative(),
  spread: spreadSchema,
  work: z.object({ bytes: z.number().nonnegative().optional(), tokens: z.number().nonnegative().optional() }),
  derived: z.object({
    /** bytes per call / median time. */
    gbPerSec: z.number().nonnegative().optional(),
    msPerToken: z.number().nonnegative().optional(),
    recallAt10: z.number().min(0).max(1).optional(),
  }),
});

const addonSchema = z.object({
  name: z.string(),
  version: z.string().nullable(),
  loaded: z.boolean(),
  simd: z.enum(['avx512', 'avx2', 'avx', 'sse', 'unknown']),
  note: z.string(),
});

const hostSchema = z.object({
  hostname: z.string(),
  cpuModel: z.string(),
  logicalCpus: z.number().int().positive(),
  availableParallelism: z.number().int().positive(),
  memoryBytes: z.number().nonnegative(),
  os: z.object({ platform: z.string(), release: z.string(), arch: z.string() }),
  node: z.string(),
  v8: z.string(),
  simd: z.object({
    /** SIMD-related CPU flags (Linux /proc/cpuinfo; empty elsewhere). */
    cpuFlags: z.array(z.string()),
    cpuLevel: z.enum(['avx512', 'avx2', 'avx', 'sse4', 'neon', 'unknown']),
    wasmSimd: z.boolean(),
    nativeAddons: z.array(addonSchema),
  }),
});

const methodSchema = z.object({
  harness: z.literal('coordgap-bench'),
  harnessVersion: z.string(),
  tinybench: z.string(),
  piscina: z.string(),
  mode: z.enum(['quick', 'full', 'custom']),
  isolatesPerKernel: z.number().int().positive(),
  timeMsPerKernel: ms,
  warmupMsPerKernel: ms,
  minIterations: z.number().int().nonnegative(),
  minSampleMs: ms,
  quantiles: z.string(),
  spreadThreshold: z.number().min(1),
  seed: z.number().int(),
  isolateOrder: z.string(),
  startedAt: z.string(),
  durationMs: ms,
});

const scalingSchema = z.object({
  kernel: z.string(),
  durationMs: ms,
  /** Passes over the thread counts; each point is the best pass. */
  repeats: z.number().int().positive(),
  points: z.array(z.object({ threads: z.number().int().positive(), callsPerSec: z.number().nonnegative(), efficiency: z.number().nonnegative() })).min(1),
});

const serverPointSchema = z.object({
  offeredRatePerSec: z.number().positive(),
  achievedRatePerSec: z.number().nonnegative(),
  queries: z.number().int().positive(),
  p50Ms: ms,
  p90Ms: ms,
  p99Ms: ms,
  maxMs: ms,
  overBound: z.number().int().nonnegative(),
  requiredQueries: z.number().int().nonnegative(),
  earlyStoppingMet: z.boolean(),
  meetsBound: z.boolean(),
});

const serverSchema = z.object({
  kernel: z.string(),
  threads: z.number().int().positive(),
  p99BoundMs: z.number().positive(),
  earlyStopping: z.object({ percentile: z.number(), tolerance: z.number(), confidence: z.number(), rule: z.string() }),
  capacityEstimatePerSec: z.number().nonnegative(),
  points: z.array(serverPointSchema),
  /** Highest offered rate whose p99 met the bound with early stopping satisfied, all lower rates passing too; null if none did. */
  maxRateUnderBoundPerSec: z.number().positive().nullable(),
});

const stabilitySchema = z.object({
  isolatesPerKernel: z.number().int().positive(),
  spreadThreshold: z.number().min(1),
  flaggedKernels: z.array(z.string()),
  maxSpreadRatio: z.number().min(1),
  medianSpreadRatio: z.number().min(1),
  /** Median of tinybench's in-isolate margin of error (%): usually far below the cross-isolate spread. */
  medianTinybenchRmePct: z.number().nonnegative().nullable(),
  /** Whole-machine CPU busy % over 0.5 s just before the run (Linux); null elsewhere. */
  cpuBusyBeforePct: z.number().min(0).max(100).nullable(),
  loadAverageStart: z.array(finite),
  loadAverageEnd: z.array(finite),
  notes: z.array(z.string()),
});

/** The versioned hardware profile. */
export const hardwareProfileSchema = z.object({
  schema: z.literal(PROFILE_SCHEMA_ID),
  version: z.literal(PROFILE_VERSION),
  name: z.string().min(1),
  createdAt: z.string(),
  host: hostSchema,
  method: methodSchema,
  kernels: z.record(z.string(), kernelResultSchema),
  skipped: z.array(z.object({ kernel: z.string(), reason: z.string() })),
  scaling: z.array(scalingSchema),
  server: serverSchema.nullable(),
  stability: stabilitySchema,
});

/** A parsed hardware profile. */
export type HardwareProfile = z.infer<typeof hardwareProfileSchema>;
/** One kernel's entry in a profile. */
export type KernelResult = z.infer<typeof kernelResultSchema>;
/** The server-mode section. */
export type ServerCurve = z.infer<typeof serverSchema>;
/** One thread-scaling series. */
export type ScalingSeries = z.infer<typeof scalingSchema>;
/** Host description. */
export type HostInfo = z.infer<typeof hostSchema>;
/** How the profile was measured. */
export type MethodInfo = z.infer<typeof methodSchema>;
/** The stability section. */
export type StabilityInfo = z.infer<typeof stabilitySchema>;

/** `kernels["retrieval.bm25"].runs[0].medianMs` style path. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/**
 * Validates parsed JSON as a hardware profile.
 * @param file shown in the error message (the path the JSON came from)
 * @throws Error "<file>: invalid hardware profile: field <path>: <problem>" (first problems listed)
 */
export function parseProfile(json: unknown, file: string): HardwareProfile {
  if (json && typeof json === 'object' && 'version' in json && (json as { version: unknown }).version !== PROFILE_VERSION) {
    const version = (json as { version: unknown }).version;
    throw new Error(`${file}: invalid hardware profile: field version: profile version ${JSON.stringify(version)} is not supported (this coordgap reads version ${PROFILE_VERSION})`);
  }
  const result = hardwareProfileSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const shown = issues.slice(0, 3).map((issue) => `field ${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  throw new Error(`${file}: invalid hardware profile: ${shown.join('; ')}${more}`);
}

/** The three latency figures the simulator uses for a kernel. */
export interface KernelLatency {
  readonly medianMs: number;
  readonly meanMs: number;
  readonly p99Ms: number;
}

/**
 * Per-call latency of a kernel in a profile (single thread, no queueing).
 * @throws Error naming the kernel ids the profile does have (and why a kernel was skipped, if it was).
 */
export function kernelLatency(profile: HardwareProfile, kernelId: string): KernelLatency {
  const kernel = profile.kernels[kernelId];
  if (kernel) return { medianMs: kernel.medianMs, meanMs: kernel.meanMs, p99Ms: kernel.p99Ms };
  const skipped = profile.skipped.find((s) => s.kernel === kernelId);
  const known = Object.keys(profile.kernels);
  const why = skipped ? ` (it was skipped when the profile was measured: ${skipped.reason})` : '';
  throw new Error(`kernel "${kernelId}" is not in hardware profile "${profile.name}"${why}; known kernel ids: ${known.length > 0 ? known.join(', ') : '(none)'}`);
}
