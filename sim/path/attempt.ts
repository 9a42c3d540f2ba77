/**
 * What one attempt turns out to be, decided when it starts: the fault model
 * of a stage beyond the plain independent draw – input validation, persistent
 * faults and per-request difficulty.
 */
import type { DefinitionRuntime } from './runtime.js';
import type { RequestTable } from './request-table.js';
import { attemptKeyOf } from '../kernel/keyed.js';

export const ATTEMPT_OK = 0;
/** Output that looks fine but is wrong (the stage's own silent fault). */
export const ATTEMPT_CORRUPT = 1;
/** The stage acted on stale shared state (state layer; silent). */
export const ATTEMPT_STALE = 2;
export const ATTEMPT_ERROR = 3;
export const ATTEMPT_TIMEOUT = 4;
/** Input validation caught corrupted input (a detected fault). */
export const ATTEMPT_CAUGHT = 5;
/** A strict receiver refused a mismatched hand-off (detected, not an attempt). */
export const FAULT_MISMATCH = 6;
/** A circuit breaker refused the call (detected, not an attempt). */
export const FAULT_REJECTED = 7;
/** An LLM provider's 429: over RPM, TPM or concurrency (sim/llm/provider-runtime.ts). */
export const ATTEMPT_RATE_LIMITED = 8;
/** An LLM provider's 529/503: overloaded, or an incident's errors. */
export const ATTEMPT_OVERLOADED = 9;
/** An LLM provider's quota or spend limit is used up for the window. */
export const ATTEMPT_QUOTA = 10;

/**
 * Decides an attempt of definition `d` for the request in `slot`; every draw
 * is keyed by the attempt's key (keyed.ts: request and attempt serial). Sets
 * `st.lastGuardMs` to the validation time the attempt spends (the whole
 * attempt when it returns ATTEMPT_CAUGHT).
 *
 * - Validation runs first: corrupted input is caught with probability
 *   `catchRate` (one guard draw per attempt, caught or not).
 * - A persistent fault recorded earlier for this request repeats.
 * - Otherwise one uniform u decides: with difficulty, the request's pass
 *   probability q ~ Beta((1−p)κ, pκ) (drawn once per request and stage, in
 *   logs so tiny shapes stay right: beta.ts) sets
 *   a fault when u < 1 − q, its kind in proportion to the stage's
 *   error/timeout/corruption/stale probabilities; without, the fixed
 *   thresholds do. A new fault is persistent with probability
 *   1 − transientShare.
 */
export function drawAttemptResult(st: DefinitionRuntime, t: RequestTable, slot: number, d: number, key: number): number {
  st.lastGuardMs = 0;
  const guard = st.guard;
  if (guard !== null) {
    const draws = st.guardStream.draws(key);
    const ms = guard.latency === null ? 0 : guard.latency.sample(draws);
    const g = draws();
    st.lastGuardMs = ms;
    if (t.corruptOrigin[slot] >= 0 && g < guard.catchRate) return ATTEMPT_CAUGHT;
  }
  const cell = slot * t.definitions + d;
  const u = st.faults.first(key);
  const repeated = t.persistent[cell];
  if (repeated !== 0) return repeated - 1;
  let result: number;
  if (st.difficultyConcentration > 0 && st.totalFault > 0 && st.totalFault < 1) {
    let q = t.passProbability[cell];
    if (q !== q) {
      // Counter 0 is the request's own (attempt serials start at 1).
      q = st.passBeta!.sample(st.difficultyStream.draws(attemptKeyOf(t.key[slot], 0)));
      t.passProbability[cell] = q;
    }
    const failP = 1 - q;
    result = u < failP ? classify(st, (u / failP) * st.totalFault) : ATTEMPT_OK;
  } else {
    result = classify(st, u);
  }
  if (result !== ATTEMPT_OK && st.transientShare < 1 && st.persistStream.first(key) >= st.transientShare)
    t.persistent[cell] = result + 1;
  return result;
}

function classify(st: DefinitionRuntime, w: number): number {
  if (w < st.errorBelow) return ATTEMPT_ERROR;
  if (w < st.timeoutBelow) return ATTEMPT_TIMEOUT;
  if (w < st.corruptBelow) return ATTEMPT_CORRUPT;
  if (w < st.staleBelow) return ATTEMPT_STALE;
  return ATTEMPT_OK;
}
