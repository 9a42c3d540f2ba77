/**
 * The figures every results file read back is made of (scripts/read-results.ts,
 * scripts/read-portfolio.ts), checked with zod v4.
 */
import { z } from 'zod';

/**
 * Figures read back are data from a file anyone can edit, and they size
 * charts: `outcomes.success: 1e12` panicked the PNG renderer natively. So a
 * figure must be one the tool could have written: finite, counts whole and
 * consistent with the requests, rates within [0, 1], names short and free of
 * control characters (they become chart labels and SVG text).
 */
/** Largest magnitude of any figure read back: 1e15 ms is 31,000 years; $1e15 is ten times world GDP. */
export const MAX_FIGURE = 1e15;
/** JSON has no NaN: a rate of nothing is written as null. Read back, it is NaN again. */
export const num = z
  .union([z.number().min(-MAX_FIGURE, `must be at least ${-MAX_FIGURE}`).max(MAX_FIGURE, `must be at most ${MAX_FIGURE}`), z.null()])
  .transform((v) => v ?? NaN);
export const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER, 'must be a safe integer (at most 2^53 − 1)');
export const share = z.union([z.number().min(0, 'must be a share in [0, 1]').max(1, 'must be a share in [0, 1]'), z.null()]).transform((v) => v ?? NaN);
/** A rate and its interval: shares of requests. */
export const rateEstimate = z.looseObject({ estimate: share, ci95: z.tuple([share, share]) });
export const estimate = z.looseObject({ estimate: num, ci95: z.tuple([num, num]) });
/** A name shown as a chart label, table cell and SVG text: short, no control or format characters. */
export const label = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control or format characters');
/** A sum of dollars the memo reads: finite, not negative, within MAX_FIGURE. */
export const dollars = z.number().min(0, 'must be at least 0 USD').max(MAX_FIGURE, `must be at most ${MAX_FIGURE}`);
/** The name of a combination of options, "a + b + c": a label per option, so longer than one (charts cut it). */
export const setName = z
  .string()
  .max(4000, 'must be at most 4000 characters')
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control or format characters');
