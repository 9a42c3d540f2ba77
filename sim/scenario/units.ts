/**
 * Zod building blocks for scenario files that people write by hand.
 *
 * Each block accepts the forms a person naturally types ("250ms", "40/s"),
 * turns them into one canonical unit (milliseconds, per second), and fails with
 * a message that names the valid forms, because the person reading the error
 * is editing a text file, not reading TypeScript. Every block stays
 * representable by `z.toJSONSchema(schema, { io: 'input' })`: the accepted
 * input forms become `anyOf` / `pattern` / `minimum` in the editor schema, the
 * conversion is a transform that only runs at validation time.
 */
import * as z from 'zod';
import { MAX_DURATION_MS, MAX_DURATION_TEXT } from '../kernel/bounds.js';

/** What every error-map function here needs from a zod issue. */
interface HasInput {
  readonly input?: unknown;
}

/**
 * Shows a user's value in an error message the way they wrote it: strings
 * quoted, numbers bare, long strings cut so one bad line stays one line.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

// ---------------------------------------------------------------- did you mean

/**
 * Optimal string alignment distance (Damerau–Levenshtein restricted to
 * non-overlapping transpositions): a swapped pair of letters, the commonest
 * typo ("retires" for "retries"), costs 1 instead of 2. O(|a|·|b|).
 */
export function osaDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

/** Names longer than this get no "did you mean" from edit distance (a prefix still counts). */
const MAX_GUESS_LENGTH = 100;

/**
 * The candidate the user most likely meant, or undefined when none is close.
 * Close means an OSA distance of at most 2 (case-insensitive) that is shorter
 * than the word itself – so "x" never "means" "id" – or one being a prefix of
 * the other (at least 3 letters), which catches truncations such as "retry"
 * for "retryBudget". Ties go to the earlier candidate, so the answer is stable.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === w) return candidate;
    const prefix = Math.min(w.length, c.length) >= 3 && (c.startsWith(w) || w.startsWith(c));
    // The distance is at least the length gap, and exactly that for a prefix; so the
    // O(|w|·|c|) table is only needed for near lengths – and not for absurdly long
    // names, where it would take seconds and gigabytes (a 4 MB key in a file).
    const gap = Math.abs(w.length - c.length);
    const distance = prefix ? gap : gap > 2 || w.length > MAX_GUESS_LENGTH ? Infinity : osaDistance(w, c);
    const close = distance <= 2 && distance < w.length;
    if ((close || prefix) && distance < bestScore) {
      best = candidate;
      bestScore = distance;
    }
  }
  return best;
}

/** One line per unknown key; validateSource relies on that to point at each key. */
export function unknownKeyMessage(key: string, validKeys: readonly string[]): string {
  const guess = didYouMean(key, validKeys);
  if (guess !== undefined) return `unknown key "${key}"; did you mean "${guess}"?`;
  return validKeys.length > 0 ? `unknown key "${key}"; valid keys: ${validKeys.join(', ')}` : `unknown key "${key}"`;
}

/**
 * `z.strictObject` whose unknown-key error suggests the key the user meant,
 * taken from this object's own shape. The issue stays `unrecognized_keys` with
 * its `keys`, so a loader can place the error on the key itself; the message
 * holds one line per key, in `keys` order.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const validKeys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => unknownKeyMessage(k, validKeys)).join('\n') : undefined,
  });
}

// ------------------------------------------------------------------ durations

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|s|m|h)\s*$|^\s*0\s*$/;

function durationMessage(issue: HasInput): string {
  const v = issue.input;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return `a duration must be a finite number of milliseconds; got ${describeValue(v)}`;
    if (v < 0) return `a duration can't be negative; got ${v}`;
    if (v > MAX_DURATION_MS) return `a duration must be at most ${MAX_DURATION_TEXT}; got ${v}`;
  }
  if (typeof v === 'string') return `expected a duration such as 250ms, 2s or 5m; got ${describeValue(v)}`;
  return `expected a duration: milliseconds as a number, or a string such as 250ms, 2s or 5m; got ${describeValue(v)}`;
}

/** Parses a duration string already checked by DURATION_RE; returns milliseconds. */
function durationToMs(text: string): number {
  const m = /^\s*([\d.]+)\s*([a-zµ]*)\s*$/.exec(text);
  if (m === null || m[2] === '') return 0; // the bare "0" form
  return Number(m[1]) * DURATION_UNITS_MS[m[2]];
}

/**
 * A duration in milliseconds: a non-negative finite number (already ms), or a
 * string with a unit – `500us`, `250ms`, `1.5s`, `5m` (minutes), `1h` – or `"0"`;
 * at most MAX_DURATION_MS (10^12 ms, bounds.ts), so the clock a run adds them
 * on stays finite.
 * A bare number string other than "0" is refused: "250" in quotes is more
 * likely a slip than a deliberate millisecond count, and the fix is one word.
 */
export const durationMs = z
  .union(
    [
      z.number({ error: durationMessage }).min(0, { error: durationMessage }).max(MAX_DURATION_MS, { error: durationMessage }),
      z.string({ error: durationMessage }).regex(DURATION_RE, { error: durationMessage }),
    ],
    { error: durationMessage },
  )
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : durationToMs(v);
    // "999…9s" matches the pattern but overflows to Infinity.
    if (!Number.isFinite(ms)) ctx.issues.push({ code: 'custom', input: v, message: `a duration must be a finite number of milliseconds; got ${describeValue(v)}` });
    else if (ms > MAX_DURATION_MS) ctx.issues.push({ code: 'custom', input: v, message: `a duration must be at most ${MAX_DURATION_TEXT}; got ${describeValue(v)}` });
    return ms;
  })
  .describe('Duration: milliseconds as a number, or a string with a unit (us, ms, s, m, h), e.g. "250ms", "2s", "5m".');

/** A duration in words: 30 → "30 ms", 1234 → "1.23 s", 360000 → "6.0 min". */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${Number(ms.toPrecision(3))} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toPrecision(3))} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Why a time window [from, to) is empty, for a `to` at or before `from`: both ends in the units a person wrote them in. */
export function windowOrderMessage(fromMs: number, toMs: number): string {
  return `the window ends at ${durationText(toMs)}, ${toMs === fromMs ? 'when' : 'before'} it starts (from: ${durationText(fromMs)}); to must be later than from, both simulated time since the run began (e.g. from: 5m, to: 8m)`;
}

// ---------------------------------------------------------------------- rates

const RATE_UNITS_PER_SEC: Readonly<Record<string, number>> = { s: 1, sec: 1, min: 1 / 60, h: 1 / 3600 };
const RATE_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*\/\s*(s|sec|min|h)\s*$/;

function rateMessage(issue: HasInput): string {
  const v = issue.input;
  if (typeof v === 'number') return `a rate must be a positive finite number per second; got ${describeValue(v)}`;
  if (typeof v === 'string') return `expected a rate such as 40/s, 2400/min or 100/h; got ${describeValue(v)}`;
  return `expected a rate: a number per second, or a string such as 40/s, 2400/min or 100/h; got ${describeValue(v)}`;
}

/**
 * A rate per second: a positive finite number (already per second) or a
 * string `40/s`, `40/sec`, `2400/min`, `100/h`. Zero is refused because every
 * rate in a scenario (arrivals, tokens) divides something downstream.
 */
export const ratePerSec = z
  .union(
    [
      z.number({ error: rateMessage }).positive({ error: rateMessage }),
      z.string({ error: rateMessage }).regex(RATE_RE, { error: rateMessage }),
    ],
    { error: rateMessage },
  )
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const m = RATE_RE.exec(v);
    const perSec = m === null ? NaN : Number(m[1]) * RATE_UNITS_PER_SEC[m[2]];
    if (!(perSec > 0)) ctx.issues.push({ code: 'custom', input: v, message: `a rate must be positive; got ${describeValue(v)}` });
    else if (perSec === Infinity) ctx.issues.push({ code: 'custom', input: v, message: `a rate must be finite; got ${describeValue(v)}` });
    return perSec;
  })
  .describe('Rate per second: a number, or a string such as "40/s", "2400/min", "100/h".');

// ------------------------------------------------------- numbers with a range

function probabilityMessage(issue: HasInput): string {
  return `must be a probability in [0, 1]; got ${describeValue(issue.input)}`;
}

/** A probability: a finite number in [0, 1] (zod 4's number already refuses NaN and ±Infinity). */
export const probability = z
  .number({ error: probabilityMessage })
  .min(0, { error: probabilityMessage })
  .max(1, { error: probabilityMessage });

function positiveIntMessage(issue: HasInput): string {
  return `must be a whole number of at least 1; got ${describeValue(issue.input)}`;
}

/** A whole number ≥ 1 (counts of servers, replications, requests). */
export const positiveInt = z.int({ error: positiveIntMessage }).min(1, { error: positiveIntMessage });

function nonNegativeIntMessage(issue: HasInput): string {
  return `must be a whole number of at least 0; got ${describeValue(issue.input)}`;
}

/** A whole number ≥ 0 (retries, queue capacity). */
export const nonNegativeInt = z.int({ error: nonNegativeIntMessage }).min(0, { error: nonNegativeIntMessage });
