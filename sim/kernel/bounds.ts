/**
 * The longest any one duration of a model may be, and the top of the uniform
 * draws that bound what a distribution can give.
 *
 * Every time the simulator schedules – a service time as drawn and scaled by
 * hardware and incidents, an attempt's time limit, a backoff, a deadline, a
 * gap between arrivals – stays within MAX_DURATION_MS = 10^12 ms, about
 * 31.7 years: longer than anything an agent system waits for, and small
 * enough that a run's clock, which adds at most 2^32 − 1 of them
 * (request-table.ts MAX_EVENTS_PER_RUN), stays a finite number. Scenarios
 * whose durations overflowed to Infinity used to validate and then crash the
 * run with no field named (issue 12.13); now the schema and the compiler
 * refuse them where they are written.
 */

/** The longest duration a model may hold, ms (about 31.7 years). */
export const MAX_DURATION_MS = 1e12;

/** The same, as people read it in messages. */
export const MAX_DURATION_TEXT = '1e12 ms (about 32 years)';

/**
 * The largest uniform the streams give: their draws are k / 2^32 for
 * k < 2^32 (keyed.ts, rng.ts), so 1 − 2^−32. A distribution's largest draw is
 * its quantile there (or, for 1 − u forms, at 2^−32).
 */
export const TOP_UNIFORM = 1 - 2 ** -32;

/** The smallest rate of Poisson arrivals, per second: a mean gap of MAX_DURATION_MS. */
export const MIN_RATE_PER_SEC = 1000 / MAX_DURATION_MS;

/**
 * A bound for a message, rounded to 3 significant digits in the direction
 * that keeps it valid ("at least" rounds up, "at most" down), ignoring float
 * noise (10^9 / 10^12 is 0.0010000000000000002, and its bound 0.001).
 */
export function roundBound(x: number, direction: 'down' | 'up'): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 2);
  const units = x / step;
  const near = Math.round(units);
  const whole = Math.abs(units - near) < 1e-9 * Math.abs(units) ? near : direction === 'down' ? Math.floor(units) : Math.ceil(units);
  return Number((whole * step).toPrecision(3));
}

/** A figure in a message: 3 significant digits, with an exponent from a million on (1e+15, 6.34e+12). */
export function shownNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const rounded = Number(x.toPrecision(3));
  return Math.abs(rounded) >= 1e6 ? rounded.toExponential() : String(rounded);
}
