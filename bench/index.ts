/**
 * Public surface of bench/: the profile format and the
 * simulator link, comparison, and the pure statistics pieces.
 */
export {
  PROFILE_SCHEMA_ID,
  PROFILE_VERSION,
  hardwareProfileSchema,
  kernelLatency,
  parseProfile,
  type HardwareProfile,
  type KernelLatency,
  type KernelResult,
  type ServerCurve,
  type ScalingSeries,
} from './profile.js';
export { KERNELS, KERNEL_IDS, kernelSpec, selectKernels, type KernelGroup, type KernelSpec } from './catalog.js';
export { compareProfiles, formatCompareLines, formatCompareMarkdown, speedupFromMedians, type ProfileComparison, type KernelComparison } from './compare.js';
export { summarizeSamples, aggregateIsolates, spreadOf, SPREAD_THRESHOLD, type SampleSummary, type KernelFigures, type Spread } from './stats.js';
export { earlyStopping, minPassingQueries, LOADGEN_SERVER, type EarlyStoppingVerdict } from './early-stopping.js';
export { compiledModuleUrl } from './compiled-path.js';
export { formatProfileSummary } from './summary.js';
export { planBench, runBench, BENCH_DEFAULTS, MODES, type BenchOptions, type BenchPlan } from './run.js';
