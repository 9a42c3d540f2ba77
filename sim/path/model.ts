/**
 * The compiled model the engine runs: every default filled in, every name
 * resolved to an index, every distribution turned into a sampler. Scenario
 * files compile into this (sim/scenario/compile.ts); library users may build
 * one directly.
 */
import type { Sampler } from '../kernel/dist.js';
import type { RetrySpec } from '../policies/retry/retry.js';
import type { BreakerSpec } from '../policies/breaker/breaker.js';
import type { RetryBudgetSpec } from '../policies/retry-budget/retry-budget.js';
import type { BulkheadSpec } from '../policies/bulkhead/bulkhead.js';
import type { GraphModel } from './graph.js';
import type { LlmCallModel, ProviderModel } from '../llm/model.js';
import type { ServingModel } from '../llm/serving.js';

/**
 * Most pools a model may have; 64 is far past any pipeline we have seen. It
 * was the 6 bits a completion event once gave its pool; completions carry the
 * definition now (request-path.ts doneKind) and nothing packs a pool index,
 * so this is a limit the schema states, not one the packing needs.
 */
export const MAX_POOLS = 64;
/**
 * Most definitions (stages, fallbacks and the human step): a completion's
 * event kind carries the definition in 8 bits (request-path.ts doneKind), a
 * pool queue keeps it in a byte (pool.ts), and output keys need fewer than
 * 2^11 (kernel/keyed.ts).
 */
export const MAX_DEFINITIONS = 256;

/** A resource kind a hardware config can describe, or `other`: a pool no config touches (scenario/pools.ts). */
export type PoolKind = 'cpu' | 'gpu' | 'external' | 'human' | 'other';

export interface PoolModel {
  id: string;
  kind: PoolKind;
  /** Servers (cores, GPUs, connections, people on shift) serving one request each; a pool with a serving table: GPUs × sequencesPerGpu sequence slots. */
  servers: number;
  /** Requests allowed to wait; a request arriving at a full queue is rejected. */
  queueCapacity: number;
  /** USD per server (sequence slot, with a serving table) and hour. */
  pricePerHourUsd: number;
  /** A GPU pool serving a self-hosted model: sequences per GPU and TTFT/TPOT at load (sim/llm/serving.ts). */
  serving?: ServingModel;
}

/** The hand-off into a stage from the stage before it (hand-off + protocol layers). */
export interface EdgeModel {
  /** "retrieval→analysis". */
  id: string;
  /** Probability that context is lost on the way: the receiver silently builds on partial input. */
  contextLossProbability: number;
  /** Probability of a format mismatch (hand-off plus protocol layer). */
  formatMismatchProbability: number;
  /** A strict receiver rejects a mismatch loudly; a lenient one takes it as silently corrupted input. */
  strictReceiver: boolean;
}

/** Validation at a stage's input: catches a share of corrupted input. */
export interface GuardModel {
  catchRate: number;
  /** Time the check adds to every attempt (or takes alone when it catches). */
  latency: Sampler | null;
}

/** A time window in which a stage misbehaves: the trigger of an incident study. */
export interface IncidentModel {
  fromMs: number;
  toMs: number;
  /** Multiplies service times inside the window. */
  latencyFactor: number;
  /** Extra probability that an attempt inside the window errors. */
  errorProbability: number;
}

/** One way of running a stage: the stage itself or a fallback definition. */
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
  /** Per-attempt probability of acting on stale shared state (state layer; silent). */
  staleReadProbability: number;
  /** Share of faults that are transient (a retry may succeed); the rest repeat for the request. */
  transientShare: number;
  /**
   * Beta concentration κ of per-request difficulty; 0 = none. The request's
   * pass probability at this stage is drawn from Beta((1−p)κ, pκ), p the
   * stage's total fault probability, so the mean is unchanged.
   */
  difficultyConcentration: number;
  /** Attempt time limit; Infinity when the stage has none. */
  attemptTimeoutMs: number;
  retry: RetrySpec;
  guard: GuardModel | null;
  breaker: BreakerSpec | null;
  retryBudget: RetryBudgetSpec | null;
  bulkhead: BulkheadSpec | null;
  /** Start a second attempt this long after the first if it is still running (Infinity: never). */
  hedgeDelayMs: number;
  /** Index into Model.fallbacks, or −1. */
  fallback: number;
  /** Hand the request to a human when every other recovery is exhausted. */
  escalate: boolean;
  /**
   * When this stage gives up, its failure goes to the stage before it, whose
   * retry wraps this one: nested retries, each layer retrying the call below.
   */
  propagate: boolean;
  /** Windows of degraded behaviour (empty: none). */
  incidents: IncidentModel[];
  inputTokensPerCall: number;
  outputTokensPerCall: number;
  inputPricePerMTokUsd: number;
  outputPricePerMTokUsd: number;
  /**
   * An LLM call (sim/llm): its tokens are drawn per attempt, its service time
   * is TTFT + (output − 1) × TPOT (`latency` then holds that law for the
   * analysis), and its provider's limits, quota and incidents apply.
   */
  llm?: LlmCallModel;
}

export interface EscalationModel {
  poolIndex: number;
  handlingTime: Sampler;
  /** Share of escalations the human resolves correctly (reported, the outcome is `escalated` either way). */
  resolutionRate: number;
}

export type ArrivalModel =
  | { kind: 'poisson'; ratePerSec: number }
  | { kind: 'fixed'; intervalMs: number }
  | { kind: 'closed'; users: number; thinkTime: Sampler }
  | { kind: 'trace'; timestampsMs: readonly number[] };

/**
 * What one run may use (scenario `limits:`, CLI `--max-events` /
 * `--max-memory-mb`); analysis/run-limits.ts holds the defaults and the estimates checked
 * against them.
 */
export interface LimitsModel {
  /** Engine events one run (one replication) may take. */
  maxEvents: number;
  /** Memory one run may use, MB (2^20 bytes); the cap on requests in memory is derived from it. */
  maxMemoryMb: number;
}

export interface Model {
  name: string;
  seed: number | string;
  /** Requests to simulate (for a trace: at most the trace length). */
  requests: number;
  arrivals: ArrivalModel;
  pools: PoolModel[];
  /** The request path, in order. */
  stages: StageModel[];
  /**
   * The hand-off edges. A chain: edges[i] is the hand-off into stages[i],
   * edges[0] unused (null). A graph: indexed as graph.next[…].edges say.
   */
  edges: (EdgeModel | null)[];
  /** The request path as a graph (routing, loops, fan-outs); absent: the chain of `stages` in order (graph.ts chainGraph). */
  graph?: GraphModel;
  /** Alternate stage definitions a stage can fall back to. */
  fallbacks: StageModel[];
  escalation: EscalationModel | null;
  /**
   * Whether a recovery resumes at the failed step (persisted state with
   * checkpoints) or must start over from the first step (fragmented state).
   */
  checkpointResume: boolean;
  /** Request deadline from arrival; Infinity when none. */
  deadlineMs: number;
  /** Business cost of one silent failure (remediation, lost customer). */
  silentFailureCostUsd: number;
  /** Cost of one escalation beyond the human's time (ticket handling, SLA credit). */
  escalationCostUsd: number;
  /** Width of the goodput timeline's buckets; 0 = no timeline. */
  timelineBucketMs: number;
  /** Resource budget of one run; absent: the defaults (analysis/run-limits.ts DEFAULT_LIMITS). */
  limits?: LimitsModel;
  /** LLM providers the definitions' calls name (StageModel.llm.provider indexes this). */
  providers?: ProviderModel[];
  /** Goodput's latency target: successes within it count (absent: goodput is not reported). */
  goodputLatencyMs?: number;
}
