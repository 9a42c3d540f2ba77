/**
 * Parameter grids for `coordgap sweep`: which values each scenario path takes
 * (from `--set path=v1,v2,…`, `--set path=a..b:n` or a scenario's `sweep:`
 * block) and the points of their cartesian product. Only the *values* are
 * decided here; applying a point to a scenario is the overrides' job
 * (sim/scenario/overrides.ts), so a swept value is validated exactly like a
 * value written in the file.
 */
import * as z from 'zod';
import { parseSource, ScenarioError } from '../scenario/source.js';
import { describeValue, strictObject } from '../scenario/units.js';

/** One swept path and the values it takes, in order. */
export interface SweepParameter {
  path: string;
  values: unknown[];
}

/**
 * Default cap on grid points (and on the points of one range): far above a
 * useful study (the 0.97^n study is 5 × 12 = 60 points) and low enough that a
 * stray `1..1000000` fails at once instead of queueing a day of simulation.
 */
export const DEFAULT_MAX_GRID_POINTS = 10_000;

const NUMBER = String.raw`-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?`;
const RANGE_RE = new RegExp(String.raw`^\s*(${NUMBER})\s*\.\.\s*(${NUMBER})\s*(?::\s*(\d+))?\s*$`);
const RANGE_HINT = 'a range is a..b:n (n ≥ 2 evenly spaced values, ends included, such as 0.9..0.999:5) or a..b for whole numbers (step 1, such as 1..12)';

/**
 * Values of a range already matched by RANGE_RE, or the message saying why
 * not. Point i of `a..b:n` is a + i·(b − a)/(n − 1) rounded to 12 significant
 * digits, so 0.9..0.999:5 gives 0.97425, not the 0.9742500000000001 of plain
 * doubles that would leak into file names and CSV columns; the last point is b exactly.
 */
function expandRange(text: string, maxPoints: number): number[] | string {
  const m = RANGE_RE.exec(text);
  if (m === null) return `expected a range; ${RANGE_HINT}; got ${describeValue(text)}`;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return `range ends must be finite numbers; got ${describeValue(text)}`;
  if (a === b) return `the range ${text.trim()} has equal ends; write the single value ${a} instead`;
  if (m[3] === undefined) {
    if (!Number.isInteger(a) || !Number.isInteger(b)) {
      return `${text.trim()} has fractional ends, so it needs a number of points; write ${text.trim()}:5 for 5 evenly spaced values`;
    }
    const count = Math.abs(b - a) + 1;
    if (count > maxPoints) return `the range ${text.trim()} has ${count} values; at most ${maxPoints} are allowed`;
    const step = b > a ? 1 : -1;
    return Array.from({ length: count }, (_, i) => a + i * step);
  }
  const n = Number(m[3]);
  if (n < 2) return `the range ${text.trim()} asks for ${n} point${n === 1 ? '' : 's'}; n must be at least 2 (both ends)`;
  if (n > maxPoints) return `the range ${text.trim()} asks for ${n} points; at most ${maxPoints} are allowed`;
  const step = (b - a) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : Number((a + i * step).toPrecision(12))));
}

/**
 * Splits at commas outside quotes and brackets, so `"a,b"`, `'it''s'` and
 * `[1, 2]` stay one YAML value each. Returns undefined for an unclosed quote
 * or bracket.
 */
function splitValues(text: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (quote !== '') {
      if (c === quote) quote = ''; // a YAML '' inside single quotes closes and reopens: still one value
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote !== '' || depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts;
}

const PATH_RE = /^[^.\s=]+(?:\.[^.\s=]+)*$/;

/**
 * One `--set path=…` argument of `coordgap sweep`: `path=v1,v2,…` (each value
 * read as YAML by the scenario parser, as `coordgap run --set` reads its one
 * value, so `0.1`, `true`, `250ms`, `"a,b"` and `[1, 2]` mean what they would
 * in the file), `path=a..b:n` or `path=a..b` (see expandRange), or
 * `path=v` (a one-point list). Ranges are numeric; sweep a duration in
 * milliseconds (`timeoutMs=100..500:5`), which every duration field accepts.
 * @throws {Error} naming the argument and the valid forms.
 */
export function parseSetValues(arg: string, maxPoints: number = DEFAULT_MAX_GRID_POINTS): SweepParameter {
  const fail = (why: string): never => {
    throw new Error(`--set ${arg}: ${why}`);
  };
  const eq = arg.indexOf('=');
  if (eq < 0) fail('expected path=v1,v2,… or path=a..b:n, such as stages.retrieval.faults.error=0.01,0.05 or arrivals.rate=10..50:5');
  const path = arg.slice(0, eq).trim();
  if (!PATH_RE.test(path)) fail(`expected a dotted path before "=", such as stages.retrieval.faults.error; got ${describeValue(path)}`);
  const text = arg.slice(eq + 1);
  if (RANGE_RE.test(text)) {
    const values = expandRange(text, maxPoints);
    return typeof values === 'string' ? fail(values) : { path, values };
  }
  const parts = splitValues(text) ?? fail('a quote or bracket is not closed; quote a value holding commas like "a,b"');
  const values = parts.map((part) => {
    if (part.trim() === '') fail('a value is empty; write path=v1,v2,… with a value between every pair of commas');
    if (RANGE_RE.test(part)) fail(`${part.trim()} looks like a range inside a list; give either a list or one range (${RANGE_HINT})`);
    try {
      return parseSource(part, '--set').data;
    } catch (e) {
      const why = e instanceof ScenarioError ? e.issues[0].message : String(e);
      return fail(`${describeValue(part.trim())} is not a valid YAML value: ${why}`);
    }
  });
  return { path, values };
}

// -------------------------------------------------------------- sweep: block

function valuesMessage(issue: { readonly input?: unknown }): string {
  const v = issue.input;
  if (Array.isArray(v)) return 'an empty list sweeps nothing; give at least one value';
  return `expected a list of values such as [0.01, 0.05, 0.1] or a range string such as "10..50:5"; got ${describeValue(v)}`;
}

const rangeText = z.string({ error: valuesMessage }).regex(RANGE_RE, { error: valuesMessage });
/** Where a value holds a number that is not finite (NaN, ±Infinity), or undefined. */
function nonFiniteAt(v: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: number } | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { path, value: v };
  if (v === null || typeof v !== 'object') return undefined;
  for (const [k, x] of Object.entries(v)) {
    const found = nonFiniteAt(x, [...path, Array.isArray(v) ? Number(k) : k]);
    if (found) return found;
  }
  return undefined;
}

/**
 * Swept values are checked as scenario fields when each point is built, but
 * no field takes a number that is not finite, so `.nan` or `.inf` in a list is
 * refused here, where it was written – a validated scenario holds only finite numbers.
 */
const valueList = z
  .array(z.unknown(), { error: valuesMessage })
  .min(1, { error: valuesMessage })
  .superRefine((values, ctx) => {
    values.forEach((v, i) => {
      const bad = nonFiniteAt(v, [i]);
      if (bad) ctx.addIssue({ code: 'custom', path: bad.path, message: `a swept value must be a finite number; got ${describeValue(bad.value)}` });
    });
  });

const parameterValues = z
  .union([valueList, rangeText], { error: valuesMessage })
  .transform((v, ctx): unknown[] => {
    if (Array.isArray(v)) return v;
    const values = expandRange(v, DEFAULT_MAX_GRID_POINTS);
    if (typeof values !== 'string') return values;
    ctx.issues.push({ code: 'custom', input: v, message: values });
    return [];
  });

function pathMessage(issue: { readonly input?: unknown }): string {
  return `expected a dotted scenario path such as stages.retrieval.faults.error; got ${describeValue(issue.input)}`;
}

/**
 * A scenario's `sweep:` block: `parameters` maps a dotted path (as in `--set`)
 * to a list of values or a range string. Output: the parameters in the order
 * written, ready for gridPoints.
 */
export const sweepSchema = strictObject({
  parameters: z
    .record(z.string().regex(PATH_RE, { error: pathMessage }), parameterValues, {
      error: (issue) => (issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join('; ') : undefined),
    })
    .refine((r) => Object.keys(r).length > 0, { error: 'give at least one parameter to sweep, such as arrivals.rate: "10..50:5"' })
    .transform((r): SweepParameter[] => Object.entries(r).map(([path, values]) => ({ path, values }))),
}).describe('A parameter grid: sweep.parameters maps scenario paths to a list of values or a range "a..b:n".');

// ------------------------------------------------------------------ the grid

export interface GridOptions {
  /** Refuse grids with more points than this. Default DEFAULT_MAX_GRID_POINTS. */
  maxPoints?: number;
}

/**
 * The cartesian product of the parameters, first parameter varying slowest
 * (the order of nested loops written in the order given), each point a map
 * path → value. Values are shared between points, not copied. No parameters
 * give one empty point: the scenario as written.
 * @throws {Error} for a repeated path, a parameter without values, or more
 * points than `maxPoints` (naming the count and its factors).
 */
export function gridPoints(params: readonly SweepParameter[], options: GridOptions = {}): Record<string, unknown>[] {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_GRID_POINTS;
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new Error(`options.maxPoints must be a positive integer; got ${maxPoints}`);
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.path)) throw new Error(`sweep parameter "${p.path}" is given twice; give each path once, with all its values`);
    seen.add(p.path);
    if (p.values.length === 0) throw new Error(`sweep parameter "${p.path}" has no values`);
  }
  const count = params.reduce((n, p) => n * p.values.length, 1);
  if (count > maxPoints) {
    const factors = params.map((p) => `${p.values.length} ${p.path}`).join(' × ');
    throw new Error(`the sweep has ${count} points (${factors}); at most ${maxPoints} are allowed – use fewer values or raise maxPoints`);
  }
  const points: Record<string, unknown>[] = [];
  for (let k = 0; k < count; k++) {
    // Mixed-radix digits of k, last parameter least significant.
    const entries: [string, unknown][] = new Array<[string, unknown]>(params.length);
    let rest = k;
    for (let j = params.length - 1; j >= 0; j--) {
      const { path, values } = params[j];
      entries[j] = [path, values[rest % values.length]];
      rest = Math.floor(rest / values.length);
    }
    points.push(Object.fromEntries(entries)); // defines properties: a "__proto__" path stays a plain key
  }
  return points;
}
