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
 *
 * This file is the loader's public surface; validation lives in issues.ts and
 * `--set` in overrides.ts. Both import ScenarioError from here, a cycle that is
 * safe because no module uses another's exports while loading.
 */
import { Composer, LineCounter, Parser, isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { CST, Document, Node as YamlNode, Pair } from 'yaml';

/** A `--set path=value` applied to a scenario, kept so errors can name it instead of a file line. */
export interface AppliedOverride {
  path: readonly (string | number)[];
  /** The argument as the user typed it, `stages.retrieval.faults.error=0.1`. */
  text: string;
}

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
   * Where the value at `path` was written in `file`; a path that does not
   * exist gives its deepest existing ancestor. `target: 'key'` gives the
   * position of the key of the last segment instead of its value (unknown-key
   * errors). Values reached through an alias are placed at the anchored
   * definition, since that is where an edit has to happen.
   */
  locate(path: readonly (string | number)[], target?: 'value' | 'key'): SourcePosition;
  /** Values that came from `--set` instead of `file`, in the order applied (applyOverrides). */
  overrides?: readonly AppliedOverride[];
}

/** Limits for untrusted input; each default is far above what a hand-written scenario needs. */
export interface SourceLimits {
  /**
   * UTF-8 size, checked before parsing. Default 1 MiB: the largest bundled
   * scenario is a few kilobytes, and the YAML parser's syntax tree takes ~100
   * bytes of memory per byte of input (an 8.5 MB file of timestamps: 6 s and
   * 850 MB to validate), so long lists belong in a trace file.
   */
  maxBytes?: number;
  /** Collection nesting, checked on the token tree without recursion. Default 64. */
  maxDepth?: number;
  /** yaml's `maxAliasCount`: how far aliases may multiply the data. Default 100. */
  maxAliases?: number;
}

export const DEFAULT_SOURCE_LIMITS: Readonly<Required<SourceLimits>> = { maxBytes: 1024 * 1024, maxDepth: 64, maxAliases: 100 };

/** Explicit tags that still yield plain data; others (!!binary, !!set, !!timestamp) would not. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'merge'].map((t) => `tag:yaml.org,2002:${t}`));
const MAX_SYNTAX_ISSUES = 20;

/** UTF-8 length of `text`, giving up as soon as it passes `limit`: no copy of a large text just to count. */
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
    fail({ line: 1, col: 1 }, `file is larger than the ${limits.maxBytes}-byte limit (maxBytes); scenario files are a few kilobytes – put long lists of arrival times in a trace file (arrivals.file, one per line)`);
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
