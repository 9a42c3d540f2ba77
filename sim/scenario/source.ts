/**
 * Scenario text → plain data that remembers where every value came from, and
 * validation errors that point at a file, line and column.
 *
 * JSON and YAML go through the same YAML 1.2 parser whatever the file name:
 * every JSON text is valid YAML 1.2, so one code path gives both formats the
 * same positions, duplicate-key errors and hostile-input limits. A `.json`
 * file that slips in YAML conveniences (a comment, a trailing comma) is
 * therefore accepted rather than refused; the checks that matter to the model
 * – types, ranges, unknown keys – belong to the schema and are identical.
 *
 * Nothing here reads files or prints: the CLI passes text in and formats the
 * thrown ScenarioError, so this runs unchanged inside a worker.
 */
import { Composer, LineCounter, Parser, isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { CST, Document, Node as YamlNode, Pair } from 'yaml';
import type * as z from 'zod';
import { describeValue, didYouMean, unknownKeyMessage } from './units.js';

/** A 1-based line and column, as editors show them. */
export interface SourcePosition { line: number; col: number }

/** One problem in a scenario, positioned for a person to fix. `path` is '' for the root. */
export interface ScenarioIssue { file: string; line: number; col: number; path: string; message: string }

/** Every problem found in a scenario, so a user fixes them in one pass instead of one per run. */
export class ScenarioError extends Error {
  constructor(readonly issues: ScenarioIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ScenarioError';
  }
}

/** `file:line:col path: message`, the shape editors and terminals turn into links. */
export function formatIssue(i: ScenarioIssue): string {
  return i.path === '' ? `${i.file}:${i.line}:${i.col} ${i.message}` : `${i.file}:${i.line}:${i.col} ${i.path}: ${i.message}`;
}

/** Parsed data plus a way back from a data path to the text. */
export interface ParsedSource {
  file: string;
  data: unknown;
  /**
   * Where the value at `path` was written; a path that does not exist gives
   * its deepest existing ancestor. `target: 'key'` gives the position of the
   * key of the last segment instead of its value (unknown-key errors).
   * Values reached through an alias are placed at the anchored definition,
   * since that is where an edit has to happen.
   */
  locate(path: readonly (string | number)[], target?: 'value' | 'key'): SourcePosition;
}

/** Limits for untrusted input; each default is far above what a hand-written scenario needs. */
export interface SourceLimits {
  /** UTF-8 size, checked before parsing. Default 10 MB. */
  maxBytes?: number;
  /** Collection nesting, checked on the token tree without recursion. Default 64. */
  maxDepth?: number;
  /** yaml's `maxAliasCount`: how far aliases may multiply the data. Default 100. */
  maxAliases?: number;
}

export const DEFAULT_SOURCE_LIMITS: Readonly<Required<SourceLimits>> = { maxBytes: 10 * 1024 * 1024, maxDepth: 64, maxAliases: 100 };

/** Explicit tags that still yield plain data; others (!!binary, !!set, !!timestamp) would not. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'merge'].map((t) => `tag:yaml.org,2002:${t}`));
const MAX_SYNTAX_ISSUES = 20;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** UTF-8 length of `text`, giving up as soon as it passes `limit`: no 10 MB buffer just to count. */
function utf8LengthUpTo(text: string, limit: number): number {
  if (text.length > limit) return limit + 1;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}

/** Line/col of an offset before any LineCounter exists (pre-parse checks only). */
function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  return { line, col: offset - lineStart + 1 };
}

function binaryMessage(ch: string): string {
  if (ch === '\u0000') return 'contains a NUL byte; this looks like a binary file, not YAML or JSON text';
  if (ch === '\uFFFD') return 'contains bytes that are not valid UTF-8 (shown as U+FFFD); save the file as UTF-8 text';
  return `contains the control character U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}; scenario files must be plain text`;
}

/**
 * Offset of the first collection nested deeper than `maxDepth`, or -1. An
 * explicit stack, because the inputs this guards against (10,000 nested
 * brackets, `- - - …`) are exactly the ones that overflow recursive walkers –
 * and yaml's composer runs out of memory on deep block sequences.
 */
function tooDeepAt(tokens: readonly CST.Token[], maxDepth: number): number {
  const stack: Array<[CST.Token, number]> = tokens.map((t) => [t, 0]);
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [tok, depth] = top;
    if (tok.type === 'document') {
      if (tok.value) stack.push([tok.value, depth]);
    } else if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection') {
      if (depth + 1 > maxDepth) return tok.offset;
      for (const item of tok.items) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return -1;
}

/** Mirrors yaml's own test: a plain `<<` key (a string under `stringKeys`, a symbol otherwise). */
function isMergeKey(pair: Pair): boolean {
  const k = pair.key;
  if (!isScalar(k) || (k.type !== undefined && k.type !== 'PLAIN')) return false;
  return k.value === '<<' || (typeof k.value === 'symbol' && k.value.description === '<<');
}

/** The text of the mapping key starting at `offset` (yaml's DUPLICATE_KEY error spans only its first character). */
function keyAt(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      found = String(pair.key.value);
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Parses one scenario document with positions. Refuses, with a positioned
 * ScenarioError: oversized text, NUL bytes / invalid UTF-8 / control
 * characters, nesting beyond `maxDepth`, syntax errors, duplicate keys,
 * several documents, non-plain tags, and alias expansion beyond `maxAliases`.
 * `.nan`, `.inf` and overflowing numbers come through as numbers: whether a
 * field may be non-finite is the schema's call, and it can say which field.
 */
export function parseSource(text: string, file: string, opts: SourceLimits = {}): ParsedSource {
  const limits = { ...DEFAULT_SOURCE_LIMITS, ...opts };
  const fail = (pos: SourcePosition, message: string): never => {
    throw new ScenarioError([{ file, ...pos, path: '', message }]);
  };
  if (utf8LengthUpTo(text, limits.maxBytes) > limits.maxBytes) {
    fail({ line: 1, col: 1 }, `file is larger than the ${limits.maxBytes}-byte limit (maxBytes); scenario files are a few kilobytes`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM would shift every column on line 1
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/.exec(text);
  if (bad) fail(positionAt(text, bad.index), binaryMessage(bad[0]));

  const lines = new LineCounter();
  const at = (offset: number): SourcePosition => lines.linePos(offset);
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const deep = tooDeepAt(tokens, limits.maxDepth);
  if (deep >= 0) fail(at(deep), `nested more than ${limits.maxDepth} levels deep (maxDepth); is this file generated or corrupted?`);

  const composer = new Composer({ prettyErrors: false, uniqueKeys: true, stringKeys: true, merge: true, schema: 'core' });
  const docs = Array.from(composer.compose(tokens, true, text.length));
  if (docs.length > 1) fail(at(docs[1].range[0]), 'a scenario file holds one YAML document; remove this "---" and what follows, or split the file');
  const doc = docs[0];

  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    const issues = problems.slice(0, MAX_SYNTAX_ISSUES).map((e): ScenarioIssue => {
      const message = e.code === 'DUPLICATE_KEY'
        ? `duplicate key ${JSON.stringify(keyAt(doc, e.pos[0]) ?? text.slice(e.pos[0], e.pos[1]))}; a key may appear only once in a mapping`
        : e.message.replace(/\s+/g, ' ').trim();
      return { file, ...at(e.pos[0]), path: '', message };
    });
    if (problems.length > MAX_SYNTAX_ISSUES) {
      const next = problems[MAX_SYNTAX_ISSUES];
      issues.push({ file, ...at(next.pos[0]), path: '', message: `${problems.length - MAX_SYNTAX_ISSUES} more syntax errors not shown` });
    }
    throw new ScenarioError(issues);
  }

  // One pre-order pass (document order, the order anchors bind in): refuse circular aliases,
  // which would hand recursive schemas and every later consumer an infinite structure.
  let firstAlias = -1;
  const anchors = new Map<string, YamlNode>();
  visit(doc, {
    Node(_key, node, ancestors) {
      if (node.anchor !== undefined) anchors.set(node.anchor, node);
      if (isAlias(node)) {
        if (firstAlias < 0) firstAlias = node.range?.[0] ?? 0;
        const target = anchors.get(node.source);
        if (target !== undefined && ancestors.includes(target)) {
          fail(at(node.range?.[0] ?? 0), `alias *${node.source} points back into the node it is part of; scenario data cannot be circular`);
        }
      }
      if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
        fail(at(node.range?.[0] ?? 0), `tag ${node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported in scenario files; write a plain value`);
      }
    },
  });

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliases });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const message = /alias count/i.test(detail)
      ? `aliases expand to too many values (maxAliases = ${limits.maxAliases}); this looks like an alias bomb – write the values out instead`
      : detail.replace(/\s+/g, ' ');
    fail(at(Math.max(firstAlias, 0)), message);
  }
  return { file, data, locate: (path, target = 'value') => locateIn(doc, at, path, target) };
}

/** The pair or item for one path segment, following aliases and `<<` merges (explicit keys win, as in toJS). */
function childOf(doc: Document.Parsed, node: unknown, seg: string | number): { key?: YamlNode; value: unknown } | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isSeq(target)) return typeof seg === 'number' && seg < target.items.length ? { value: target.items[seg] } : undefined;
  if (!isMap(target)) return undefined;
  for (const pair of target.items) {
    if (isPair(pair) && isScalar(pair.key) && !isMergeKey(pair) && String(pair.key.value) === String(seg)) {
      return { key: pair.key, value: pair.value };
    }
  }
  for (const pair of target.items) {
    if (!isPair(pair) || !isMergeKey(pair)) continue;
    const source = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    const sources: unknown[] = isSeq(source) ? source.items : [source];
    for (const s of sources) {
      const found = childOf(doc, s, seg);
      if (found) return found;
    }
  }
  return undefined;
}

function startOf(doc: Document.Parsed, node: unknown): number | undefined {
  const target = isAlias(node) ? node.resolve(doc) ?? node : node;
  return isScalar(target) || isMap(target) || isSeq(target) || isAlias(target) ? target.range?.[0] : undefined;
}

function locateIn(
  doc: Document.Parsed,
  at: (offset: number) => SourcePosition,
  path: readonly (string | number)[],
  target: 'value' | 'key',
): SourcePosition {
  let node: unknown = doc.contents;
  let offset = startOf(doc, node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const found = childOf(doc, node, path[i]);
    if (!found) break;
    const keyStart = found.key ? startOf(doc, found.key) : undefined;
    if (target === 'key' && i === path.length - 1 && keyStart !== undefined) return at(keyStart);
    node = found.value;
    offset = startOf(doc, node) ?? keyStart ?? offset;
  }
  return at(offset);
}

/** `['stages', 2, 'faults', 'error']` → `stages[2].faults.error`; odd keys are quoted: `a["x.y"]`. */
export function pathToString(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Validates parsed data; returns the schema's output or throws a ScenarioError
 * listing every issue once, in file order, each at the value it is about (an
 * unknown key at the key itself, a missing key at its enclosing mapping), in
 * plain words rather than zod's defaults. Messages a schema sets itself win.
 */
export function validateSource<S extends z.ZodType>(src: ParsedSource, schema: S): z.output<S> {
  const result = schema.safeParse(src.data, { error: plainWords });
  if (result.success) return result.data;
  const seen = new Set<string>();
  const issues: ScenarioIssue[] = [];
  for (const { path, message, target } of flattenIssues(result.error.issues)) {
    const issue = { file: src.file, ...src.locate(path, target), path: pathToString(path), message };
    const id = formatIssue(issue);
    if (!seen.has(id)) { seen.add(id); issues.push(issue); }
  }
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  throw new ScenarioError(issues);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Applies one `--set a.b.c=value` to plain scenario data, in place, and
 * returns the data (containers along the path are replaced by copies). `valueText` is read as YAML, so `0.1`, `true`, `2s` and
 * `[a, b]` mean what they would in the file. A list element is addressed by
 * index (`stages.2`) or by its `id` / `name` (`stages.retrieval`). Every
 * segment but the last must exist; the last may add a key the file left out
 * (an optional field) – a misspelt one is then caught by validation with a
 * suggestion. Errors are reported against the pseudo-file `--set`.
 */
export function setOverride(data: unknown, dottedPath: string, valueText: string): unknown {
  const fail = (message: string): never => {
    throw new ScenarioError([{ file: '--set', line: 1, col: 1, path: dottedPath, message }]);
  };
  const segments = dottedPath.split('.');
  if (segments.some((s) => s === '')) fail('expected a dotted path such as stages.retrieval.faults.error');
  const value = parseSource(valueText, '--set').data;
  let node = data;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    const where = segments.slice(0, i).join('.') || 'the scenario';
    if (FORBIDDEN_SEGMENTS.has(seg)) fail(`"${seg}" cannot be set`);
    if (Array.isArray(node)) {
      const list: unknown[] = node;
      const byIndex = /^\d+$/.test(seg);
      const names = list.map((el) => (isRecord(el) ? el.id ?? el.name : undefined)).filter((n): n is string => typeof n === 'string');
      const index = byIndex ? Number(seg) : list.findIndex((el) => isRecord(el) && (el.id === seg || el.name === seg));
      if (index < 0 || index >= list.length) {
        if (byIndex) fail(`index ${seg} is out of range; ${where} has ${list.length} elements`);
        fail(withGuess(`${where} has no element with id or name "${seg}"`, seg, names, `have: ${names.join(', ') || 'no named elements'}`));
      }
      if (last) list[index] = value;
      else node = list[index] = unshared(list[index]);
    } else if (isRecord(node)) {
      if (last) node[seg] = value;
      else if (!Object.hasOwn(node, seg)) fail(withGuess(`${where} has no key "${seg}"`, seg, Object.keys(node)));
      else node = node[seg] = unshared(node[seg]);
    } else {
      fail(`${where} is ${describeValue(node)}, not a mapping or a list, so "${segments.slice(i).join('.')}" cannot be set inside it`);
    }
  }
  return data;
}

/**
 * A shallow copy of a container. yaml's toJS gives every use of an alias the
 * same object, so without copying the path, `--set stages.0.x` would also
 * change a `stages[1]` that came from the same `*anchor`.
 */
function unshared(v: unknown): unknown {
  return Array.isArray(v) ? [...v] : isRecord(v) ? { ...v } : v;
}

/** `head; did you mean "x"? tail` when a candidate is close, else `head; tail`. */
function withGuess(head: string, word: string, candidates: readonly string[], tail = ''): string {
  const guess = didYouMean(word, candidates);
  const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
  if (tail === '') return head + hint;
  return guess === undefined ? `${head}; ${tail}` : `${head}${hint} ${tail}`;
}

// ------------------------------------------------ zod issues in plain words
// (a candidate for its own file, sim/scenario/issues.ts, if this one grows)

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  number: 'a number', int: 'a whole number', string: 'a string', boolean: 'true or false',
  object: 'a mapping (key: value)', array: 'a list', null: 'null',
};
const noun = (expected: string): string => TYPE_NOUNS[expected] ?? expected;
const got = (v: unknown): string => (v === null ? 'an empty value (null)' : describeValue(v));

/** Zod's default messages, rewritten for someone editing a file; per-parse, so a schema's own message still wins. */
function plainWords(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const key = issue.path?.at(-1);
      if (issue.input === undefined && key !== undefined) return `missing required key "${String(key)}" (${noun(issue.expected)})`;
      return `expected ${noun(issue.expected)}; got ${got(issue.input)}`;
    }
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
 * holds one line per key), and a union nobody rewrote is replaced by the
 * issues of its closest branch – the one that failed deepest, fewest times,
 * without a type mismatch at its root – with their paths made absolute.
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], base: readonly (string | number)[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split('\n');
      issue.keys.forEach((k, i) => out.push({ path: [...path, k], message: lines.length === issue.keys.length ? lines[i] : `unknown key "${k}"`, target: 'key' }));
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0 && issue.message === 'Invalid input') {
      const score = (branch: readonly z.core.$ZodIssue[]): number[] => [
        branch.some((i) => i.path.length === 0 && i.code === 'invalid_type') ? 1 : 0,
        -Math.max(0, ...branch.map((i) => i.path.length)),
        branch.length,
      ];
      const better = (a: number[], b: number[]): boolean => a[0] - b[0] < 0 || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));
      const best = issue.errors.reduce((a, b) => (better(score(b), score(a)) ? b : a));
      out.push(...flattenIssues(best, path));
    } else {
      out.push({ path, message: issue.message, target: issue.code === 'invalid_key' ? 'key' : 'value' });
    }
  }
  return out;
}
