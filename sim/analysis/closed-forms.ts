/**
 * Closed forms the simulation is checked against and reports beside its
 * estimates.
 *
 * Series reliability: a request succeeds when every stage passes with a clean
 * (uncorrupted) output. An attempt's fault draw and its service time are
 * independent, so with attempt limit T and service time S:
 *   P(timeout) = p_t + (1 − p_t) · P(S > T)
 *   P(error)   = p_e · P(S ≤ T)
 *   P(ok)      = (1 − p_e − p_t) · P(S ≤ T),  of which corrupted p_c · P(S ≤ T)
 * Retried faults r and terminal faults t give a pass probability of
 * o·(1 − r^k)/(1 − r) (see passProbability); the clean share of a pass is
 * (o − p_c·P(S≤T))/o. Stages are independent, so the end-to-end figures are
 * products; a lenient hand-off multiplies the clean share by
 * (1 − contextLoss − formatMismatch). Valid only while faults are independent
 * and nothing couples requests; which model features that allows is declared,
 * field by field, in closed-form-coverage.ts (the result omits `analytic`
 * wherever a feature it does not cover is present).
 */
import type { Model, StageModel } from '../path/model.js';
import { closedFormExclusions } from './closed-form-coverage.js';
import { passProbability, RETRY_ON_ERROR, RETRY_ON_TIMEOUT } from '../policies/retry/retry.js';

export interface AnalyticResult {
  /** End-to-end probability of a correct result. */
  successRate: number;
  /** End-to-end probability that a corrupted result reaches the user. */
  silentFailureRate: number;
}

/** Per-attempt fault probabilities of a stage, service-time truncation included (queueing delay ignored). */
export function attemptProbabilities(stage: StageModel): { error: number; timeout: number; ok: number; corrupt: number } {
  const limit = stage.attemptTimeoutMs;
  const withinLimit = limit === Infinity ? 1 : stage.latency.cdf(limit / stage.serviceScale);
  const timeout = stage.timeoutProbability + (1 - stage.timeoutProbability) * (1 - withinLimit);
  const error = stage.errorProbability * withinLimit;
  const ok = (1 - stage.errorProbability - stage.timeoutProbability) * withinLimit;
  return { error, timeout, ok, corrupt: (stage.corruptionProbability + stage.staleReadProbability) * withinLimit };
}

export function stagePass(stage: StageModel): { pass: number; clean: number } {
  const p = attemptProbabilities(stage);
  const mask = stage.retry.retryOnMask;
  const retried = (mask & RETRY_ON_ERROR ? p.error : 0) + (mask & RETRY_ON_TIMEOUT ? p.timeout : 0);
  const terminal = p.error + p.timeout - retried;
  const pass = passProbability(retried, terminal, stage.retry.maxAttempts);
  const clean = p.ok > 0 ? (pass * (p.ok - p.corrupt)) / p.ok : 0;
  return { pass, clean };
}

/**
 * The closed form for `model`, or undefined when the model has a feature its
 * derivation does not cover (closedFormExclusions says which).
 */
export function analyticResult(model: Model): AnalyticResult | undefined {
  if (closedFormExclusions(model).length > 0) return undefined;
  let pass = 1;
  let clean = 1;
  model.stages.forEach((s, i) => {
    const r = stagePass(s);
    const e = model.edges[i];
    pass *= r.pass;
    clean *= r.clean * (e === null ? 1 : 1 - e.contextLossProbability - e.formatMismatchProbability);
  });
  return { successRate: clean, silentFailureRate: pass - clean };
}
