/**
 * The result contract (DESIGN.md "JSON result"): what `coordgap run --json`
 * prints and what reports read. Field names may grow; these stay.
 */
import type { RunCollector } from './collector.js';
import type { Model } from './model.js';
import { OUTCOMES, outcomeCounts, type OutcomeCounts, SUCCESS, SILENT_FAILURE } from './outcomes.js';
import { wilson, type Estimate } from './intervals.js';
import { analyticResult, type AnalyticResult } from './analytic.js';
import type { LatencyHistogram } from './histogram.js';

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

export interface StageResult {
  id: string;
  pool: string;
  attempts: number;
  errors: number;
  timeouts: number;
  retries: number;
  silentInjected: number;
  caught: number;
  /** Busy time of this stage's attempts over (pool servers × span). */
  utilization: number;
  meanQueueMs: number;
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
  /** Finished requests per simulated second. */
  throughputPerSec: number;
  /** Successful requests per simulated second. */
  goodputPerSec: number;
  simulatedSpanMs: number;
  events: number;
  analytic?: AnalyticResult;
  stages: StageResult[];
  pools: PoolResult[];
  /** Non-success requests by where their first fault happened, most first. */
  attribution: { origin: string; count: number }[];
  costUsd: {
    total: number;
    perRequest: number;
    perSuccess: number;
    breakdown: { tokens: number; compute: number; human: number; silentFailure: number };
  };
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
}

export function buildResult(model: Model, c: RunCollector, ctx: ResultContext): RunResult {
  const n = c.requestsFinished;
  const span = c.spanMs;
  const stages: StageResult[] = model.stages.map((s, i) => {
    const servers = model.pools[s.poolIndex].servers;
    return {
      id: s.id,
      pool: model.pools[s.poolIndex].id,
      attempts: c.stageAttempts[i],
      errors: c.stageErrors[i],
      timeouts: c.stageTimeouts[i],
      retries: c.stageRetries[i],
      silentInjected: c.stageSilentInjected[i],
      caught: c.stageCaught[i],
      utilization: span > 0 ? c.stageBusyMs[i] / (servers * span) : 0,
      meanQueueMs: c.stageAttempts[i] > 0 ? c.stageQueueWaitMs[i] / c.stageAttempts[i] : 0,
    };
  });
  const pools: PoolResult[] = model.pools.map((p, i) => ({
    id: p.id,
    servers: p.servers,
    utilization: span > 0 ? c.poolBusyMs[i] / (p.servers * span) : 0,
    meanQueueMs: c.poolAttempts[i] > 0 ? c.poolQueueWaitMs[i] / c.poolAttempts[i] : 0,
    maxQueueLength: c.poolMaxQueue[i],
  }));
  const attribution = [...c.attribution]
    .map((count, i) => ({ origin: i < model.stages.length ? model.stages[i].id : 'none', count }))
    .filter((a) => a.count > 0)
    .sort((a, b) => b.count - a.count || a.origin.localeCompare(b.origin));
  let compute = 0;
  model.pools.forEach((p, i) => (compute += (c.poolBusyMs[i] / 3_600_000) * p.pricePerHourUsd));
  const silentFailure = c.outcomes[SILENT_FAILURE] * model.silentFailureCostUsd;
  const breakdown = { tokens: c.tokenCostUsd, compute, human: 0, silentFailure };
  const total = breakdown.tokens + breakdown.compute + breakdown.human + breakdown.silentFailure;
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
    throughputPerSec: span > 0 ? (n / span) * 1000 : 0,
    goodputPerSec: span > 0 ? (successes / span) * 1000 : 0,
    simulatedSpanMs: span,
    events: c.events,
    stages,
    pools,
    attribution,
    costUsd: {
      total,
      perRequest: n > 0 ? total / n : 0,
      perSuccess: successes > 0 ? total / successes : Infinity,
      breakdown,
    },
    meta: { version: ctx.version, scenarioHash: ctx.scenarioHash, node: process.version },
  };
  const analytic = analyticResult(model);
  if (analytic) result.analytic = analytic;
  return result;
}

export { OUTCOMES };
