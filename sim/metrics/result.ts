/**
 * The result contract (README, "JSON result"): what `coordgap run --json`
 * prints and what reports read. Field names may grow; these stay.
 */
import type { Model, StageModel } from '../path/model.js';
import { originNames } from '../path/origins.js';
import { graphResult, type GraphResult } from './graph-result.js';
import { outcomeCounts, type OutcomeCounts, SUCCESS, SILENT_FAILURE } from '../path/outcomes.js';
import { wilson, type Estimate } from './intervals.js';
import { analyticResult, type AnalyticResult } from '../analysis/closed-forms.js';
import type { LatencyHistogram } from '../kernel/histogram.js';
import { stabilityOf, expectedAttemptsPerRequest, workAmplification, admissionShedding, type StabilityReport } from '../analysis/stability.js';
import { expectedDemand } from '../analysis/demand.js';
import { costOf, type CostUsd } from './cost.js';
import { TRUNCATED_BY_EVENTS, TRUNCATED_BY_MEMORY, type RunCollector } from './collector.js';
import { POLICY_COUNTERS, type PolicyColumnName } from '../policies/registry.js';
import { llmResult, goodputResult, type LlmResult, type GoodputResult } from './llm-result.js';

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  count: number;
}

/**
 * One stage's (or fallback's) figures. The columns the policies add – retries,
 * hedges, caught, breakerOpened, … – come from the registry
 * (policies/registry.ts POLICY_COUNTERS), after the core ones.
 */
export interface StageResult extends Record<PolicyColumnName, number> {
  id: string;
  pool: string;
  attempts: number;
  errors: number;
  timeouts: number;
  /** The stage's own silent faults. */
  silentInjected: number;
  /** Silent faults from stale shared state (state layer). */
  staleReads: number;
  /** Attempts whose caller had already given up: work done for nothing. */
  wasted: number;
  /** Turned away by a full queue. */
  shed: number;
  /** Busy time of this stage's attempts over (pool servers × span). */
  utilization: number;
  meanQueueMs: number;
}

export interface FallbackResult extends StageResult {
  /** Requests that switched to this definition. */
  entered: number;
}

export interface EdgeResult {
  id: string;
  contextLoss: number;
  formatMismatch: number;
}

export interface PoolResult {
  id: string;
  servers: number;
  utilization: number;
  meanQueueMs: number;
  maxQueueLength: number;
}

export interface RunResult {
  scenario: string;
  seed: number | string;
  requests: number;
  replications: number;
  outcomes: OutcomeCounts;
  successRate: Estimate;
  silentFailureRate: Estimate;
  /** End-to-end latency of successful requests (relative error ≤ 0.5 %, see LatencyHistogram). */
  latencyMs: LatencySummary;
  /** End-to-end latency of every request that was admitted, whatever its outcome. */
  latencyAllMs: LatencySummary;
  /** Finished requests per simulated second (requests a cut-short run counted as rejected left out). */
  throughputPerSec: number;
  /** Successful requests per simulated second. */
  goodputPerSec: number;
  simulatedSpanMs: number;
  events: number;
  /** The closed form, where one exists and the run was not cut short. */
  analytic?: AnalyticResult;
  /**
   * Whether the offered traffic fits the servers (from the model: offered
   * load and queue growth per pool, stability.ts) and whether the run was cut
   * short to stay in its memory or event budget. Absent only in results read
   * back from an older version.
   */
  stability?: StabilityReport;
  /**
   * With two or more replications: mean and Student-t 95 % interval across
   * replications of figures that have no closed-form interval.
   */
  acrossReplications?: {
    p50Ms: Estimate;
    p95Ms: Estimate;
    p99Ms: Estimate;
    costPerSuccessUsd: Estimate;
    spendPerSuccessUsd: Estimate;
    assumedPenaltyPerSuccessUsd: Estimate;
    throughputPerSec: Estimate;
  };
  /** Per time bucket (when the scenario sets `timeline`): outcomes and attempts per simulated second. */
  timeline?: { bucketMs: number; successPerSec: number[]; otherOutcomesPerSec: number[]; attemptsPerSec: number[] };
  stages: StageResult[];
  fallbacks: FallbackResult[];
  /** Hand-offs that had faults configured, with what happened on them. */
  edges: EdgeResult[];
  escalation: { count: number; resolved: number; resolutionRate: Estimate };
  pools: PoolResult[];
  /** Non-success requests by where their first fault happened, most first. */
  attribution: { origin: string; count: number }[];
  /** A graph model's nodes, composites (branches, loop iterations) and tokens per request (graph-result.ts); absent for a chain. */
  graph?: GraphResult;
  /** LLM calls: per provider and per request (llm-result.ts); absent when no stage calls a provider. */
  llm?: LlmResult;
  /** Successful requests within the scenario's latency target (goodput:), absent without one. */
  goodput?: GoodputResult;
  /**
   * Spend plus the assumed silent-failure penalty (`total`, `perRequest`,
   * `perSuccess`, null when nothing succeeded), and each kind apart (cost.ts).
   */
  costUsd: CostUsd;
  meta: { version: string; scenarioHash: string; node: string };
}

function summarize(h: LatencyHistogram): LatencySummary {
  return {
    mean: h.meanMs,
    p50: h.quantile(0.5),
    p90: h.quantile(0.9),
    p95: h.quantile(0.95),
    p99: h.quantile(0.99),
    p999: h.quantile(0.999),
    max: h.maxMs,
    count: h.count,
  };
}

export interface ResultContext {
  replications: number;
  version: string;
  scenarioHash: string;
  /**
   * The runtime the caller runs on (Node's process.version), for meta.node;
   * '' when not given. The caller says it: sim/ reads no process state.
   */
  node?: string;
}

function stageRow(model: Model, c: RunCollector, def: number, s: StageModel): StageResult {
  const pool = model.pools[s.poolIndex];
  const span = c.spanMs;
  const policyColumns = {} as Record<PolicyColumnName, number>;
  for (const { counter, column } of POLICY_COUNTERS) if (column !== null) policyColumns[column] = c[counter][def];
  return {
    id: s.id,
    pool: pool.id,
    attempts: c.defAttempts[def],
    errors: c.defErrors[def],
    timeouts: c.defTimeouts[def],
    silentInjected: c.defSilentInjected[def],
    staleReads: c.defStaleReads[def],
    wasted: c.defWasted[def],
    shed: c.defShed[def],
    ...policyColumns,
    utilization: span > 0 ? c.defBusyMs[def] / (pool.servers * span) : 0,
    meanQueueMs: c.defAttempts[def] > 0 ? c.defQueueWaitMs[def] / c.defAttempts[def] : 0,
  };
}

export function buildResult(model: Model, c: RunCollector, ctx: ResultContext): RunResult {
  const n = c.requestsFinished;
  const span = c.spanMs;
  const stageCount = model.stages.length;
  const stages = model.stages.map((s, i) => stageRow(model, c, i, s));
  const fallbacks = model.fallbacks.map((s, i) => ({ ...stageRow(model, c, stageCount + i, s), entered: c.defFallbacks[stageCount + i] }));
  const edges: EdgeResult[] = [];
  model.edges.forEach((e, i) => {
    if (e !== null && e.contextLossProbability + e.formatMismatchProbability > 0)
      edges.push({ id: e.id, contextLoss: c.edgeContextLoss[i], formatMismatch: c.edgeMismatch[i] });
  });
  const pools: PoolResult[] = model.pools.map((p, i) => ({
    id: p.id,
    servers: p.servers,
    utilization: span > 0 ? c.poolBusyMs[i] / (p.servers * span) : 0,
    meanQueueMs: c.poolAttempts[i] > 0 ? c.poolQueueWaitMs[i] / c.poolAttempts[i] : 0,
    maxQueueLength: c.poolMaxQueue[i],
  }));
  const names = originNames(model);
  const attribution = [...c.attribution]
    .map((count, code) => ({ origin: names[code], count }))
    .filter((a) => a.count > 0)
    .sort((a, b) => b.count - a.count || (a.origin < b.origin ? -1 : 1));
  const successes = c.outcomes[SUCCESS];
  const result: RunResult = {
    scenario: model.name,
    seed: model.seed,
    requests: n,
    replications: ctx.replications,
    outcomes: outcomeCounts(c.outcomes),
    successRate: wilson(successes, n),
    silentFailureRate: wilson(c.outcomes[SILENT_FAILURE], n),
    latencyMs: summarize(c.successLatency),
    latencyAllMs: summarize(c.allLatency),
    throughputPerSec: span > 0 ? ((n - c.truncatedRequests) / span) * 1000 : 0,
    goodputPerSec: span > 0 ? (successes / span) * 1000 : 0,
    simulatedSpanMs: span,
    events: c.events,
    stages,
    fallbacks,
    edges,
    escalation: { count: c.escalations, resolved: c.humanResolved, resolutionRate: wilson(c.humanResolved, c.escalations) },
    pools,
    attribution,
    costUsd: costOf(model, c),
    meta: { version: ctx.version, scenarioHash: ctx.scenarioHash, node: ctx.node ?? '' },
  };
  if (model.graph !== undefined) result.graph = graphResult(model, model.graph, c);
  const llm = llmResult(model, c);
  if (llm !== undefined) result.llm = llm;
  const goodput = goodputResult(model, c, n);
  if (goodput !== undefined) result.goodput = goodput;
  if (c.timeline !== null) {
    const tl = c.timeline;
    const perSec = (series: number) =>
      Array.from({ length: tl.buckets }, (_, i) => (tl.counts[3 * i + series] / tl.bucketMs) * 1000 / ctx.replications);
    result.timeline = { bucketMs: tl.bucketMs, successPerSec: perSec(0), otherOutcomesPerSec: perSec(1), attemptsPerSec: perSec(2) };
  }
  // A run cut short counts its unfinished requests as rejected: no closed form describes that.
  const analytic = c.truncatedRuns > 0 ? undefined : analyticResult(model);
  if (analytic) result.analytic = analytic;
  const demand = expectedDemand(model);
  result.stability = stabilityOf(model, demand);
  // An LLM provider's refusals (429, 529, quota) and first-token timeouts are attempts no stage fault rate explains:
  // each is replaced by a retry, so without them the attempts are what the fault rates predict – not a retry storm.
  let attempts = 0;
  for (let d = 0; d < c.defAttempts.length; d++)
    attempts += c.defAttempts[d] - c.defRateLimited[d] - c.defOverloaded[d] - c.defQuotaRefused[d] - c.defFirstTokenTimeouts[d];
  Object.assign(result.stability, workAmplification(expectedAttemptsPerRequest(demand), attempts, c.requestsStarted));
  Object.assign(result.stability, admissionShedding(model, c.defAttempts, c.defShed));
  if (c.truncatedRuns > 0) {
    Object.assign(result.stability, {
      truncated: true,
      truncatedAtMs: c.truncatedAtMs,
      truncatedRequests: c.truncatedRequests,
      truncatedRuns: c.truncatedRuns,
      truncatedBy: c.truncatedBy === TRUNCATED_BY_EVENTS ? 'events' : 'memory',
      ...(c.truncatedBy === TRUNCATED_BY_MEMORY ? { inFlightLimit: c.inFlightLimit } : {}),
    });
  }
  return result;
}
