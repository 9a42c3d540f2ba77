/**
 * Everything a run measures, in fixed-size arrays and histograms: memory does
 * not grow with the number of requests. Mergeable (counts add, histograms
 * merge), so replications combine exactly.
 */
import { LatencyHistogram } from './histogram.js';
import type { Model } from './model.js';
import type { ResourcePool } from './pool.js';

export class RunCollector {
  requestsStarted = 0;
  requestsFinished = 0;
  /** Simulated time from 0 to the last outcome (summed over merged replications). */
  spanMs = 0;
  events = 0;
  readonly outcomes = new Float64Array(6);
  /** End-to-end latency of successful requests. */
  readonly successLatency = new LatencyHistogram();
  /** End-to-end latency of every finished request except rejected ones. */
  readonly allLatency = new LatencyHistogram();
  readonly stageAttempts: Float64Array;
  readonly stageErrors: Float64Array;
  readonly stageTimeouts: Float64Array;
  readonly stageSilentInjected: Float64Array;
  readonly stageCaught: Float64Array;
  readonly stageRetries: Float64Array;
  readonly stageBusyMs: Float64Array;
  readonly stageQueueWaitMs: Float64Array;
  readonly poolBusyMs: Float64Array;
  readonly poolQueueWaitMs: Float64Array;
  readonly poolAttempts: Float64Array;
  readonly poolMaxQueue: Float64Array;
  /** Non-success requests by the origin of their first fault (stage index; last slot: none). */
  readonly attribution: Float64Array;
  tokenCostUsd = 0;

  constructor(model: Model) {
    const n = model.stages.length;
    const p = model.pools.length;
    this.stageAttempts = new Float64Array(n);
    this.stageErrors = new Float64Array(n);
    this.stageTimeouts = new Float64Array(n);
    this.stageSilentInjected = new Float64Array(n);
    this.stageCaught = new Float64Array(n);
    this.stageRetries = new Float64Array(n);
    this.stageBusyMs = new Float64Array(n);
    this.stageQueueWaitMs = new Float64Array(n);
    this.poolBusyMs = new Float64Array(p);
    this.poolQueueWaitMs = new Float64Array(p);
    this.poolAttempts = new Float64Array(p);
    this.poolMaxQueue = new Float64Array(p);
    this.attribution = new Float64Array(n + 1);
  }

  attemptStarted(stage: number, pool: number, waitedMs: number, holdMs: number, tokenCostUsd: number): void {
    this.stageAttempts[stage]++;
    this.stageBusyMs[stage] += holdMs;
    this.stageQueueWaitMs[stage] += waitedMs;
    this.poolBusyMs[pool] += holdMs;
    this.poolQueueWaitMs[pool] += waitedMs;
    this.poolAttempts[pool]++;
    this.tokenCostUsd += tokenCostUsd;
  }

  /** `origin` is the stage index of the request's first fault, or −1 for none. */
  requestFinished(outcome: number, latencyMs: number, origin: number, nowMs: number): void {
    this.outcomes[outcome]++;
    this.requestsFinished++;
    this.spanMs = nowMs;
    if (outcome === 0) this.successLatency.record(latencyMs);
    else this.attribution[origin < 0 ? this.attribution.length - 1 : origin]++;
    if (outcome !== 5) this.allLatency.record(latencyMs);
  }

  finish(pools: readonly ResourcePool[], events: number): void {
    this.events = events;
    for (let i = 0; i < pools.length; i++) this.poolMaxQueue[i] = pools[i].maxQueueLength;
  }

  /** Adds another replication's measurements into this one. */
  merge(other: RunCollector): void {
    this.requestsStarted += other.requestsStarted;
    this.requestsFinished += other.requestsFinished;
    this.spanMs += other.spanMs;
    this.events += other.events;
    this.tokenCostUsd += other.tokenCostUsd;
    this.successLatency.merge(other.successLatency);
    this.allLatency.merge(other.allLatency);
    const arrays = (c: RunCollector) => [
      c.outcomes, c.stageAttempts, c.stageErrors, c.stageTimeouts, c.stageSilentInjected, c.stageCaught,
      c.stageRetries, c.stageBusyMs, c.stageQueueWaitMs, c.poolBusyMs, c.poolQueueWaitMs, c.poolAttempts,
      c.attribution,
    ];
    const mine = arrays(this);
    const theirs = arrays(other);
    for (let k = 0; k < mine.length; k++) for (let i = 0; i < mine[k].length; i++) mine[k][i] += theirs[k][i];
    for (let i = 0; i < this.poolMaxQueue.length; i++)
      this.poolMaxQueue[i] = Math.max(this.poolMaxQueue[i], other.poolMaxQueue[i]);
  }
}
