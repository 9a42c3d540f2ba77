/**
 * Retry backoff schedules and jitter.
 *
 * The schedule gives the nominal delay before retry k (k = 1 for the first
 * retry); jitter spreads it. Formulas follow Marc Brooker, "Exponential Backoff
 * And Jitter" (AWS Architecture Blog, 2015):
 *   full          sleep = U(0, d)
 *   equal         sleep = d/2 + U(0, d/2)
 *   decorrelated  sleep = min(cap, U(base, 3 · previous sleep)), previous₀ = base
 * and LangGraph's RetryPolicy (langgraph/types.py: `initial_interval`,
 * `backoff_factor`, `max_interval`, `jitter=True` adds U(0, 1 s) after the cap).
 */
import type { Uniform01 } from '../../kernel/uniform.js';

export type BackoffKind = 'constant' | 'linear' | 'exponential';
export type JitterKind = 'none' | 'full' | 'equal' | 'decorrelated' | 'additive';

export interface BackoffSpec {
  kind: BackoffKind;
  /** Nominal delay before the first retry. */
  baseMs: number;
  /** Growth factor per retry for `exponential` (d_k = base · factor^(k−1)). */
  factor: number;
  /** Cap on the nominal delay (before additive jitter). */
  maxMs: number;
  jitter: JitterKind;
  /** Upper bound of the additive jitter U(0, additiveMs); LangGraph uses 1000 ms. */
  additiveMs: number;
}

/**
 * Nominal (un-jittered) delay before retry k ≥ 1, capped at maxMs:
 * constant d = base; linear d = base · k; exponential d = base · factor^(k−1).
 */
/**
 * LangGraph's RetryPolicy defaults (langgraph/types.py: initial_interval 0.5 s,
 * backoff_factor 2, max_interval 128 s, jitter: a uniform draw of up to 1 s
 * added): what `backoff: {}` means in a scenario file.
 */
export const LANGGRAPH_BACKOFF: BackoffSpec = { kind: 'exponential', baseMs: 500, factor: 2, maxMs: 128_000, jitter: 'additive', additiveMs: 1000 };

export function nominalDelayMs(spec: BackoffSpec, retry: number): number {
  let d: number;
  switch (spec.kind) {
    case 'constant':
      d = spec.baseMs;
      break;
    case 'linear':
      d = spec.baseMs * retry;
      break;
    case 'exponential':
      d = spec.baseMs * Math.pow(spec.factor, retry - 1);
      break;
  }
  return d < spec.maxMs ? d : spec.maxMs;
}

/**
 * The delay actually slept before retry k ≥ 1. `previousMs` is the previous
 * sleep (only `decorrelated` uses it; pass spec.baseMs before the first retry).
 * Consumes exactly one uniform for every jitter kind except `none`, so the
 * backoff stream advances the same way whatever the outcome.
 */
export function backoffDelayMs(spec: BackoffSpec, retry: number, previousMs: number, u: Uniform01): number {
  switch (spec.jitter) {
    case 'none':
      return nominalDelayMs(spec, retry);
    case 'full':
      return u() * nominalDelayMs(spec, retry);
    case 'equal': {
      const d = nominalDelayMs(spec, retry);
      return d / 2 + u() * (d / 2);
    }
    case 'decorrelated': {
      const hi = 3 * previousMs;
      const d = spec.baseMs + u() * (hi - spec.baseMs);
      return d < spec.maxMs ? d : spec.maxMs;
    }
    case 'additive':
      return nominalDelayMs(spec, retry) + u() * spec.additiveMs;
  }
}

/** Mean sleep before retry k where it has a closed form (all but decorrelated). */
export function meanBackoffDelayMs(spec: BackoffSpec, retry: number): number {
  const d = nominalDelayMs(spec, retry);
  switch (spec.jitter) {
    case 'none':
      return d;
    case 'full':
      return d / 2;
    case 'equal':
      return (3 * d) / 4;
    case 'additive':
      return d + spec.additiveMs / 2;
    case 'decorrelated':
      return NaN;
  }
}
