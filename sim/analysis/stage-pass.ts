/**
 * One stage's closed-form figures (closed-forms.ts explains the derivation):
 * its per-attempt fault probabilities with service-time truncation, and the
 * probability that a visit passes, and passes clean, with its retries.
 */
import type { StageModel } from '../path/model.js';
import { passProbability, RETRY_ON_ERROR, RETRY_ON_TIMEOUT } from '../policies/retry/retry.js';

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

