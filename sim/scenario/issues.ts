/**
 * Zod issues → the ScenarioIssues a person fixes: plain words instead of
 * zod's defaults, one entry per field, each placed where the edit has to
 * happen (the value, the key of an unknown key, the mapping that lacks a
 * required key, or `--set` for a value given on the command line).
 */
import type * as z from 'zod';
import { ScenarioError, type ParsedSource, type ScenarioIssue } from './source.js';
import { describeValue, didYouMean, unknownKeyMessage } from './units.js';

type DataPath = readonly (string | number)[];

/**
 * Validates parsed data; returns the schema's output or throws a ScenarioError
 * listing each field once, file issues in file order and then `--set` issues
 * in the order given. Messages a schema sets itself win over the plain words,
 * except that every missing key reads `missing required key "k"`.
 */
export function validateSource<S extends z.ZodType>(src: ParsedSource, schema: S): z.output<S> {
  const result = schema.safeParse(src.data, { error: plainWords });
  if (result.success) return result.data;
  throw new ScenarioError(scenarioIssues(src, result.error.issues));
}

/** `['stages', 2, 'faults', 'error']` → `stages[2].faults.error`; odd keys are quoted: `a["x.y"]`. */
export function pathToString(path: DataPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `head; did you mean "x"? tail` when a candidate is close, else `head; tail`. */
export function withGuess(head: string, word: string, candidates: readonly string[], tail = ''): string {
  const guess = didYouMean(word, candidates);
  const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
  if (tail === '') return head + hint;
  return guess === undefined ? `${head}; ${tail}` : `${head}${hint} ${tail}`;
}

/**
 * Positions, attributes and orders the issues of one failed parse of
 * `src.data`. When several issues land on one field, only the first is kept:
 * zod reports a field's own checks before the refinements of the objects
 * around it, so the first is the specific one and the rest restate it
 * (`a duration can't be negative` before a sampler's `sdMs must be > 0`).
 */
export function scenarioIssues(src: ParsedSource, issues: readonly z.core.$ZodIssue[]): ScenarioIssue[] {
  const overrides = src.overrides ?? [];
  const byField = new Map<string, { issue: ScenarioIssue; rank: number }>(); // rank: 0 for the file, 1 + n for the nth --set
  for (const { path, message, target } of flattenIssues(issues, (p) => isMissingKey(src.data, p))) {
    const field = pathToString(path);
    if (byField.has(field)) continue;
    const n = overrides.findLastIndex((o) => o.path.every((seg, i) => String(seg) === String(path[i])));
    byField.set(field, n < 0
      ? { issue: { file: src.file, ...src.locate(path, target), path: field, message }, rank: 0 }
      : { issue: { file: '--set', line: 1, col: 1, path: field, message: `${message} (from --set ${overrides[n].text})` }, rank: 1 + n });
  }
  return [...byField.values()].sort((a, b) => a.rank - b.rank || a.issue.line - b.issue.line || a.issue.col - b.issue.col).map((e) => e.issue);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when `path` names a key its (existing) parent mapping does not have. */
function isMissingKey(data: unknown, path: DataPath): boolean {
  let node = data;
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isRecord(node) && Object.hasOwn(node, seg)) node = node[seg];
    else return false;
  }
  const key = path.at(-1);
  return typeof key === 'string' && isRecord(node) && !Object.hasOwn(node, key);
}

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  number: 'a number', int: 'a whole number', string: 'a string', boolean: 'true or false',
  object: 'a mapping (key: value)', array: 'a list', null: 'null',
};
const noun = (expected: string): string => TYPE_NOUNS[expected] ?? expected;
const got = (v: unknown): string => (v === null ? 'an empty value (null)' : describeValue(v));

/**
 * Zod's default messages, rewritten for someone editing a file; per-parse, so
 * a schema's own message still wins. Missing keys are left to flattenIssues,
 * which sees the data and so words them the same whatever the key's schema.
 */
export function plainWords(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${noun(issue.expected)}; got ${got(issue.input)}`;
    case 'invalid_value': {
      const valid = issue.values.map((v) => String(v));
      if (valid.length === 1) return `expected ${describeValue(issue.values[0])}; got ${got(issue.input)}`;
      if (typeof issue.input !== 'string') return `expected one of ${valid.join(', ')}; got ${got(issue.input)}`;
      return withGuess(`unknown value ${describeValue(issue.input)}`, issue.input, valid, `valid: ${valid.join(', ')}`);
    }
    case 'invalid_union': {
      const options: unknown = 'options' in issue ? issue.options : undefined;
      if (issue.discriminator !== undefined && Array.isArray(options)) {
        // zod reports the allowed tags, not the value it saw; the value is the input's own field.
        const disc = issue.discriminator;
        const valid = options.map((v: unknown) => String(v));
        const tag = isRecord(issue.input) ? issue.input[disc] : undefined;
        if (tag === undefined) return `missing required key "${disc}" (one of ${valid.join(', ')})`;
        if (typeof tag !== 'string') return `${disc} must be one of ${valid.join(', ')}; got ${got(tag)}`;
        return withGuess(`unknown ${disc} ${describeValue(tag)}`, tag, valid, `valid: ${valid.join(', ')}`);
      }
      const kinds = issue.errors.map((branch) => (branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0 ? branch[0].expected : undefined));
      if (kinds.length > 0 && kinds.every((k) => k !== undefined)) {
        return `expected ${[...new Set(kinds.map((k) => noun(k ?? '')))].join(' or ')}; got ${got(issue.input)}`;
      }
      return undefined; // flattenIssues reports the branch that came closest
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      const bound = issue.exact ? 'exactly' : issue.inclusive === false ? (small ? 'more than' : 'less than') : small ? 'at least' : 'at most';
      if (issue.origin === 'string') return `must be ${bound} ${limit} characters long; got ${got(issue.input)}`;
      if (issue.origin === 'array' || issue.origin === 'set') {
        const n = Array.isArray(issue.input) ? issue.input.length : issue.input instanceof Set ? issue.input.size : '?';
        return `must have ${bound} ${limit} item${limit === 1 ? '' : 's'}; got ${n}`;
      }
      return `must be ${bound} ${limit}; got ${got(issue.input)}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}; got ${got(issue.input)}`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined
        ? `${got(issue.input)} does not match the pattern ${issue.pattern}`
        : `must be a valid ${issue.format}; got ${got(issue.input)}`;
    case 'unrecognized_keys': {
      // Any z.strictObject, not only units.strictObject: the raising schema carries its shape.
      const def: unknown = issue.inst?._zod.def;
      const valid = isRecord(def) && isRecord(def.shape) ? Object.keys(def.shape) : [];
      return issue.keys.map((k) => unknownKeyMessage(k, valid)).join('\n');
    }
    case 'invalid_key':
      return `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`;
    default:
      return undefined;
  }
}

interface FlatIssue { path: (string | number)[]; message: string; target: 'value' | 'key' }

/**
 * One positioned entry per problem: unknown keys split per key (the message
 * holds one line per key); a key absent from the data reads `missing required
 * key "k"` whatever failed on it (a type, a union, a schema's own type
 * message) – only a refinement's message or a discriminator's list of tags is
 * kept; and a union nobody rewrote is replaced by the issues of its closest
 * branch (closestBranch), with their paths made absolute.
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], isMissing: (path: DataPath) => boolean, base: DataPath = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    const tagged = issue.code === 'invalid_union' && issue.discriminator !== undefined;
    if (issue.code !== 'custom' && !tagged && isMissing(path)) {
      out.push({ path, message: `missing required key "${String(path.at(-1))}"`, target: 'value' });
    } else if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split('\n');
      issue.keys.forEach((k, i) => out.push({ path: [...path, k], message: lines.length === issue.keys.length ? lines[i] : `unknown key "${k}"`, target: 'key' }));
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0 && issue.message === 'Invalid input') {
      const best = closestBranch(issue.errors, (p) => isMissing([...path, ...p]));
      out.push(...flattenIssues(best, isMissing, path));
    } else {
      // A check may ask for the key (params.target, graph-build.ts): an unknown node named as a key.
      const atKey = issue.code === 'invalid_key' || (issue.code === 'custom' && issue.params?.target === 'key');
      out.push({ path, message: issue.message, target: atKey ? 'key' : 'value' });
    }
  }
  return out;
}

type Branch = readonly z.core.$ZodIssue[];

/** True when a branch refuses the input's type outright (a mapping where it wants a duration), nested unions included. */
function rejectsType(branch: Branch): boolean {
  return branch.some(
    (i) => i.path.length === 0 && (i.code === 'invalid_type' || (i.code === 'invalid_union' && i.discriminator === undefined && i.errors.length > 0 && i.errors.every(rejectsType))),
  );
}

/**
 * How far the input's keys are from the shape a branch expects: the keys it
 * does not know plus the required keys the input lacks (a discriminated union
 * without a matching tag counts one; a nested union, its closest branch).
 */
function misfit(branch: Branch, isMissing: (path: DataPath) => boolean): number {
  let n = 0;
  for (const i of branch) {
    if (i.path.length === 0 && i.code === 'unrecognized_keys') n += i.keys.length;
    else if (i.path.length === 0 && i.code === 'invalid_union' && i.discriminator !== undefined) n += 1;
    else if (i.path.length === 0 && i.code === 'invalid_union' && i.errors.length > 0) {
      const fits = i.errors.filter((b) => !rejectsType(b)).map((b) => misfit(b, isMissing));
      n += fits.length > 0 ? Math.min(...fits) : 0;
    } else if (i.path.length === 1 && i.code !== 'custom' && isMissing(i.path.map((p) => (typeof p === 'number' ? p : String(p))))) n += 1;
  }
  return n;
}

/**
 * The branch of a failed union whose issues a person should see: the one the
 * input was meant for. In order: a branch that accepts the input's type; whose
 * shape fits the input's keys best (fewest unknown plus missing keys – so a
 * lognormal with a stray `p95` is reported as a lognormal, not as a
 * `{ kernel }` latency that lacks `kernel` and knows none of the keys); that
 * failed deepest; that failed fewest times. Ties go to the earlier branch.
 * `isMissing` takes a path relative to the union.
 */
function closestBranch(branches: readonly Branch[], isMissing: (path: DataPath) => boolean): Branch {
  const score = (branch: Branch): number[] => [
    rejectsType(branch) ? 1 : 0,
    misfit(branch, isMissing),
    -Math.max(0, ...branch.map((i) => i.path.length)),
    branch.length,
  ];
  const better = (a: number[], b: number[]): boolean => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] < b[k];
    return false;
  };
  return branches.reduce((a, b) => (better(score(b), score(a)) ? b : a));
}
