/**
 * Scenario (validated file) → Model (what the engine runs): defaults filled,
 * names resolved to indices, distributions built into samplers, and the
 * hand-off, state and protocol layers folded into per-stage and per-edge
 * probabilities.
 */
import { makeSampler, DistParamError, type Sampler } from '../kernel/dist.js';
import { MAX_DURATION_MS, MAX_DURATION_TEXT, roundBound, shownNumber } from '../kernel/bounds.js';
import type { LatencySpec } from './schema-dist.js';
import type { ResolvedHardware } from './hardware-schema.js';
import { MAX_DEFINITIONS, MAX_POOLS, type Model, type StageModel, type ArrivalModel, type EdgeModel, type PoolModel } from '../path/model.js';
import { compilePools, PoolServersMissing } from './pools.js';
import { handoffBetween, staleReadOf } from './layers.js';
import { buildGraph, type HandoffEdge } from './graph-build.js';
import { compileRetry } from '../policies/retry/compile.js';
import { compileBreaker } from '../policies/breaker/compile.js';
import type { Scenario, DefinitionInput, StageInput } from './schema.js';
import { compileProviders, compileLlmCall, llmLatency, LlmTimingMissing } from '../llm/compile.js';
import type { ProviderModel } from '../llm/model.js';

function compileDefinition(
  s: Scenario,
  d: DefinitionInput,
  pools: PoolModel[],
  speedFactors: readonly number[],
  fallbackIds: string[],
  hardware: ResolvedHardware | undefined,
  providers: readonly ProviderModel[],
  path: (string | number)[],
): StageModel {
  const poolIndex = pools.findIndex((p) => p.id === d.pool);
  const speed = speedFactors[poolIndex];
  // The checks made sure a definition has exactly one of latency and llm.
  const serving = pools[poolIndex].serving;
  const llm = d.llm === undefined ? undefined : compileLlmCall(d.llm, providers, serving, fallbackIds);
  let latency: Sampler;
  if (llm === undefined) latency = latencySampler(d.latency!, hardware, [...path, 'latency']);
  else
    try {
      latency = llmLatency(llm, providers, serving);
    } catch (e) {
      if (e instanceof LlmTimingMissing) throw new CompileError([...path, 'llm', 'model'], e.message);
      throw e;
    }
  const guardLatency = d.validate?.latency ? latencySampler(d.validate.latency, hardware, [...path, 'validate', 'latency']) : null;
  checkServiceBound(s, d, latency, guardLatency, speed, hardware, path);
  return {
    id: d.id,
    poolIndex,
    latency,
    serviceScale: 1 / speed,
    errorProbability: d.faults?.error ?? 0,
    timeoutProbability: d.faults?.timeout ?? 0,
    corruptionProbability: d.faults?.corruption ?? 0,
    staleReadProbability: staleReadOf(s, d).probability,
    transientShare: d.faults?.transientShare ?? 1,
    difficultyConcentration: (d.difficulty ?? s.difficulty)?.concentration ?? 0,
    attemptTimeoutMs: d.timeout ?? Infinity,
    retry: compileRetry(d.retry),
    guard: d.validate ? { catchRate: d.validate.catchRate, latency: guardLatency } : null,
    breaker: compileBreaker(d.breaker),
    retryBudget: d.retryBudget ?? null,
    bulkhead: d.bulkhead ?? null,
    hedgeDelayMs: d.hedge?.delay ?? Infinity,
    fallback: d.fallback === undefined ? -1 : fallbackIds.indexOf(d.fallback),
    escalate: d.escalate ?? false,
    propagate: 'propagate' in d ? (d as StageInput).propagate ?? false : false,
    incidents: (s.incidents ?? [])
      .filter((i) => i.stage === d.id)
      .map((i) => ({ fromMs: i.from, toMs: i.to, latencyFactor: i.latencyFactor, errorProbability: i.errorProbability })),
    inputTokensPerCall: d.tokens?.input ?? 0,
    outputTokensPerCall: d.tokens?.output ?? 0,
    inputPricePerMTokUsd: d.tokens?.inputPricePerMTokUsd ?? 0,
    outputPricePerMTokUsd: d.tokens?.outputPricePerMTokUsd ?? 0,
    ...(llm === undefined ? {} : { llm }),
  };
}

/** A bound as a message shows it. */
const boundText = (x: number, direction: 'down' | 'up'): string => shownNumber(roundBound(x, direction));

/**
 * Every attempt of a definition holds its server at most MAX_DURATION_MS
 * (bounds.ts), after the hardware's speed factor divides its service times
 * and any incident's latency factor multiplies them: each sampler is bounded
 * on its own (dist.ts), but a factor can carry it past – `speedFactor:
 * 5e-324` turned a 10 ms stage into Infinity, and the run crashed with no
 * field named. Refused here, on the factor's side of the product, saying
 * what is valid.
 */
function checkServiceBound(
  s: Scenario,
  d: DefinitionInput,
  latency: Sampler,
  guard: Sampler | null,
  speed: number,
  hardware: ResolvedHardware | undefined,
  path: (string | number)[],
): void {
  const serviceMs = latency.maxMs * (1 / speed); // as the run scales them (serviceScale)
  if (!(serviceMs <= MAX_DURATION_MS)) {
    const source = hardware === undefined ? '' : ` from hardware "${hardware.config.name}"`;
    throw new CompileError(
      [...path, 'latency'],
      `service times reach ${shownNumber(serviceMs)} ms once the speed factor ${speed}${source} divides them (largest draw ${shownNumber(latency.maxMs)} ms); ` +
        `a service time must stay within ${MAX_DURATION_TEXT} – valid here: a speed factor of at least ${boundText(latency.maxMs / MAX_DURATION_MS, 'up')}, or a shorter latency`,
    );
  }
  const attemptMs = serviceMs + (guard?.maxMs ?? 0);
  (s.incidents ?? []).forEach((incident, i) => {
    if (incident.stage !== d.id || incident.latencyFactor * attemptMs <= MAX_DURATION_MS) return;
    throw new CompileError(
      ['incidents', i, 'latencyFactor'],
      `multiplies ${d.id}'s attempts (up to ${shownNumber(attemptMs)} ms) to ${shownNumber(incident.latencyFactor * attemptMs)} ms; ` +
        `an attempt must stay within ${MAX_DURATION_TEXT} – valid here: at most ${boundText(MAX_DURATION_MS / attemptMs, 'down')}`,
    );
  });
}

/** A hand-off edge into a stage (layers.ts); the checks refuse parts that sum past 1 (schema-checks.ts). */
function compileEdge(s: Scenario, e: HandoffEdge | null, nodeIds: readonly string[]): EdgeModel | null {
  if (e === null) return null;
  const to: StageInput = s.stages[e.to];
  const h = handoffBetween(s, e.from < s.stages.length ? e.from : -1, e.to);
  return {
    id: `${nodeIds[e.from]}→${to.id}`,
    contextLossProbability: h.contextLoss,
    // min: float rounding only – the checks refuse a sum over 1.
    formatMismatchProbability: Math.min(h.mismatch, 1 - h.contextLoss),
    strictReceiver: to.handoff?.strict ?? s.handoffs?.strict ?? false,
  };
}

export interface CompileOptions {
  /** Arrival times read from `arrivals.file` by the caller (sim/ reads no files). */
  traceTimestampsMs?: readonly number[];
  /** The scenario's `hardware:` config, resolved by the caller. */
  hardware?: ResolvedHardware;
}

/** A stage's latency cannot be built (a kernel without a profile, or not in it); `path` locates it. */
export class CompileError extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/**
 * A sampler for a latency spec. A kernel latency becomes the measured
 * per-call quantile table (piecewise-linear inverse CDF through the profile's
 * min, p50, p75, p99, p99.9 and max), scaled by `calls`, plus the overhead.
 */
function latencySampler(spec: LatencySpec, hardware: ResolvedHardware | undefined, path: (string | number)[]): Sampler {
  if (spec.dist !== 'kernel') return makeSampler(spec);
  const kernels = hardware?.kernels;
  if (kernels === undefined)
    throw new CompileError(path, `latency names kernel "${spec.kernel}", but no hardware profile is available: set "hardware:" to a config with a measured profile`);
  const table = kernels[spec.kernel];
  if (table === undefined)
    throw new CompileError(
      [...path, 'kernel'],
      `kernel "${spec.kernel}" is not in hardware profile "${hardware?.kernelSource}"; known kernel ids: ${Object.keys(kernels).join(', ') || '(none)'}`,
    );
  try {
    return makeSampler({ dist: 'empirical', quantiles: table.map((q) => ({ p: q.p, valueMs: q.valueMs * spec.calls + spec.overheadMs })) });
  } catch (e) {
    if (!(e instanceof DistParamError)) throw e;
    // The profile's own values are checked when it is read; what can break here is calls × its slowest call.
    const slowestMs = Math.max(...table.map((q) => q.valueMs));
    throw new CompileError(
      [...path, 'calls'],
      `${spec.calls} calls of kernel "${spec.kernel}" (up to ${shownNumber(slowestMs)} ms each) plus the overhead take up to ${shownNumber(slowestMs * spec.calls + spec.overheadMs)} ms; ` +
        `an attempt must stay within ${MAX_DURATION_TEXT} – valid here: at most ${boundText((MAX_DURATION_MS - spec.overheadMs) / slowestMs, 'down')} calls`,
    );
  }
}

export function compileScenario(s: Scenario, options: CompileOptions = {}): Model {
  const poolIds = Object.keys(s.pools);
  const definitions = s.stages.length + (s.fallbacks?.length ?? 0) + 1;
  if (definitions > MAX_DEFINITIONS)
    throw new CompileError(['stages'], `at most ${MAX_DEFINITIONS - 1} stages and fallbacks are supported; the scenario has ${definitions - 1}`);
  if (poolIds.length > MAX_POOLS) throw new CompileError(['pools'], `at most ${MAX_POOLS} pools are supported; the scenario has ${poolIds.length}`);
  const hw = options.hardware;
  // A hardware config sets servers, speed and price for the pools of the kinds it names (pools.ts).
  let compiled: ReturnType<typeof compilePools>;
  try {
    compiled = compilePools(s, hw);
  } catch (e) {
    if (e instanceof PoolServersMissing) throw new CompileError(e.path, e.message);
    throw e;
  }
  const { pools, speedFactors } = compiled;
  const fallbackIds = (s.fallbacks ?? []).map((f) => f.id);
  const providers = compileProviders(s.providers);
  const stages = s.stages.map((st, i) => compileDefinition(s, st, pools, speedFactors, fallbackIds, hw, providers, ['stages', i]));
  const fallbacks = (s.fallbacks ?? []).map((f, i) => compileDefinition(s, f, pools, speedFactors, fallbackIds, hw, providers, ['fallbacks', i]));
  let arrivals: ArrivalModel;
  let requests = s.requests;
  const a = s.arrivals;
  switch (a.kind) {
    case 'poisson':
      arrivals = { kind: 'poisson', ratePerSec: a.rate };
      break;
    case 'fixed':
      arrivals = { kind: 'fixed', intervalMs: a.interval };
      break;
    case 'closed':
      arrivals = { kind: 'closed', users: a.users, thinkTime: latencySampler(a.thinkTime, hw, ['arrivals', 'thinkTime']) };
      break;
    case 'trace': {
      const timestampsMs = a.timestamps ?? options.traceTimestampsMs;
      // The loader reads the baseline's trace file only; a variant that switches to one reaches here.
      if (timestampsMs === undefined)
        throw new CompileError(['arrivals', 'file'], `the trace file "${a.file}" was not read (only the baseline's arrivals.file is); give the arrival times as timestamps`);
      arrivals = { kind: 'trace', timestampsMs };
      requests = Math.min(requests, timestampsMs.length);
      break;
    }
  }
  const e = s.escalation;
  const built = buildGraph(s, (path, message) => {
    throw new CompileError(path, message);
  })!;
  return {
    name: s.name,
    seed: s.seed,
    requests,
    arrivals,
    pools,
    stages,
    edges: built.edges.map((edge) => compileEdge(s, edge, built.graph.nodeIds)),
    ...(s.graph === undefined ? {} : { graph: built.graph }),
    fallbacks,
    escalation: e
      ? { poolIndex: poolIds.indexOf(e.pool), handlingTime: latencySampler(e.handlingTime, hw, ['escalation', 'handlingTime']), resolutionRate: e.resolutionRate }
      : null,
    checkpointResume: s.state?.kind !== 'fragmented',
    deadlineMs: s.deadline ?? Infinity,
    silentFailureCostUsd: s.costs?.silentFailureUsd ?? 0,
    escalationCostUsd: e?.costUsd ?? 0,
    timelineBucketMs: s.timeline ?? 0,
    ...(providers.length > 0 ? { providers } : {}),
    ...(s.goodput === undefined ? {} : { goodputLatencyMs: s.goodput.latency }),
    ...(s.limits ? { limits: { maxEvents: s.limits.maxEvents, maxMemoryMb: s.limits.maxMemoryMb } } : {}),
  };
}
