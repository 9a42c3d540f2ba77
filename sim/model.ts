/**
 * The compiled model the engine runs: every default filled in, every name
 * resolved to an index, every distribution turned into a sampler. Scenario
 * files compile into this (sim/scenario/compile.ts); library users may build
 * one directly.
 */
import type { Sampler } from './dist.js';
import type { RetrySpec } from './policies/retry.js';

export interface PoolModel {
  id: string;
  /** Servers (cores, GPUs, connections, people on shift) serving one request each. */
  servers: number;
  /** Requests allowed to wait; a request arriving at a full queue is rejected. */
  queueCapacity: number;
  pricePerHourUsd: number;
}

export interface StageModel {
  id: string;
  poolIndex: number;
  /** Service time of one attempt, before `serviceScale`. */
  latency: Sampler;
  /** Multiplies every drawn service time: a hardware speed factor of 2 gives 0.5. */
  serviceScale: number;
  /** Per-attempt probability of a loud error (after the service time). */
  errorProbability: number;
  /** Per-attempt probability that the call hangs until the attempt time limit. */
  timeoutProbability: number;
  /** Per-attempt probability of output that looks fine but is wrong. */
  corruptionProbability: number;
  /** Attempt time limit; Infinity when the stage has none. */
  attemptTimeoutMs: number;
  retry: RetrySpec;
  inputTokensPerCall: number;
  outputTokensPerCall: number;
  inputPricePerMTokUsd: number;
  outputPricePerMTokUsd: number;
}

export type ArrivalModel =
  | { kind: 'poisson'; ratePerSec: number }
  | { kind: 'fixed'; intervalMs: number }
  | { kind: 'closed'; users: number; thinkTime: Sampler }
  | { kind: 'trace'; timestampsMs: readonly number[] };

export interface Model {
  name: string;
  seed: number | string;
  /** Requests to simulate (for a trace: at most the trace length). */
  requests: number;
  arrivals: ArrivalModel;
  pools: PoolModel[];
  stages: StageModel[];
  /** Request deadline from arrival; Infinity when none. */
  deadlineMs: number;
  /** Business cost of one silent failure (remediation, lost customer). */
  silentFailureCostUsd: number;
}
