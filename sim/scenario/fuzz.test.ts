/**
 * Fuzzing the scenario loader: generated text and mutated bundled scenarios go
 * through what experiments/load-scenario.ts does with a file – parseSource,
 * applyOverrides, validateSource, compileScenario, and each variant's patch,
 * validation and compilation – without touching the file system.
 *
 * Every case must end in a compiled model or in a positioned error: a
 * ScenarioError whose issues all have a file, a line and column inside the
 * text and a message, or a CompileError / PatchError, which the loader turns
 * into one at `source.locate(path)` (checked here the same way). Anything else
 * thrown is a loader bug (the CLI would exit 3 with "internal error"), and so
 * is a case that takes more than CASE_LIMIT_MS. Seeded: CI runs the same
 * cases every time.
 *
 * A model must also run: the extreme-parameter cases (d) – heavy tails,
 * huge durations and factors, tiny rates and speed factors, which used to
 * validate and then overflow the clock to Infinity (issue 12.13) – simulate
 * every model they yield, and the run must end (or be refused up front by
 * its budget) with every figure finite.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { applyOverrides, parseSource, validateSource, ScenarioError, type ParsedSource, type ScenarioIssue } from './index.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { compileScenario, CompileError } from './compile.js';
import { variantInput, PatchError } from './variants.js';
import { hardwareConfigSchema, type ResolvedHardware } from './hardware-schema.js';
import { simulateModel } from '../path/index.js';
import { BudgetError } from '../analysis/index.js';

const SEED = 42;
const FILE = 'fuzz.yaml';
const CASE_LIMIT_MS = 2000;
const MIN_CASES = 10_000;

const scenarioDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');
const BUNDLED: readonly string[] = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(join(scenarioDir, f), 'utf8'));
const BUNDLED_PARSED: readonly ParsedSource[] = BUNDLED.map((text) => parseSource(text, FILE));
const BUNDLED_DATA: readonly unknown[] = BUNDLED_PARSED.map((src) => src.data);

/**
 * What the loader has read by the time it compiles: a scenario's hardware
 * config and trace file (their own loaders are not under test here).
 */
const HARDWARE: ResolvedHardware = {
  config: hardwareConfigSchema.parse({ name: 'fuzz', pools: { cpu: { servers: 2 } }, pricePerHourUsd: { cpu: 0.05 } }),
  kernels: { 'retrieval.exact-wasm-384-100k': [{ p: 0, valueMs: 20 }, { p: 0.5, valueMs: 25 }, { p: 1, valueMs: 60 }] },
  kernelSource: 'fuzz-profile.json',
};
const TRACE_MS = [0, 10, 25];

// ------------------------------------------------------------------ the oracle

type Ending = 'valid' | 'error';
const tally = { cases: 0, valid: 0, error: 0, slowestMs: 0 };
/** How the extreme-parameter cases (d) ended: refused where written, refused by the run budget, or simulated to the end. */
const extremes = { cases: 0, error: 0, refused: 0, ran: 0 };

function lineCount(text: string): number {
  return text.split('\n').length;
}

/** Throws unless every issue is positioned inside `text` (or at `--set`) and says something. */
function checkIssues(issues: readonly ScenarioIssue[], text: string, file = FILE): void {
  if (issues.length === 0) throw new Error('a ScenarioError without issues');
  for (const i of issues) {
    const where = `${i.file}:${i.line}:${i.col} ${i.message}`;
    if (i.file !== file && i.file !== '--set') throw new Error(`issue in unexpected file: ${where}`);
    if (!Number.isInteger(i.line) || !Number.isInteger(i.col) || i.line < 1 || i.col < 1) throw new Error(`unpositioned issue: ${where}`);
    if (i.file === file && i.line > lineCount(text)) throw new Error(`issue past the end of the text (${lineCount(text)} lines): ${where}`);
    if (typeof i.message !== 'string' || i.message.trim() === '') throw new Error(`issue without a message at ${where}`);
    if (i.message.includes('[object Object]')) throw new Error(`unreadable message: ${where}`);
  }
}

/** The loader's handling of a CompileError or PatchError: a position from `source.locate`. */
function checkLocated(src: ParsedSource, path: readonly (string | number)[], message: string, text: string): void {
  const pos = src.locate(path);
  checkIssues([{ file: FILE, line: pos.line, col: pos.col, path: '', message }], text);
}

/**
 * A scenario that passed validation holds only finite numbers: an infinite or
 * NaN duration, rate or count that got through would run as a quietly wrong
 * model (or crash the run), never as an error with a position.
 */
function checkFinite(value: unknown, path = ''): void {
  if (/^\.variants\[\d+\]\.patch$/.test(path)) return; // raw data until merged; the merged scenario is checked
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`validated scenario holds ${value} at ${path || 'the root'}`);
  if (Array.isArray(value)) value.forEach((v, i) => checkFinite(v, `${path}[${i}]`));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) checkFinite(v, `${path}.${k}`);
}

/** As the loader compiles: the baseline's trace (it reads no other), and the hardware a scenario names. */
function compile(s: Scenario, baseline: Scenario): void {
  checkFinite(s);
  compileScenario(s, {
    ...(s.hardware !== undefined ? { hardware: HARDWARE } : {}),
    ...(baseline.arrivals.kind === 'trace' && baseline.arrivals.file !== undefined ? { traceTimestampsMs: TRACE_MS } : {}),
  });
}

/**
 * One case through the loader's steps (experiments/load-scenario.ts
 * loadScenarioText). Returns how it ended; throws on a loader bug.
 */
function load(text: string, sets: readonly string[] = [], parsed?: ParsedSource): Ending {
  let src: ParsedSource | undefined;
  try {
    src = applyOverrides(parsed ?? parseSource(text, FILE), sets);
    const baseline = validateSource(src, scenarioSchema);
    compile(baseline, baseline);
    (baseline.variants ?? []).forEach((v, i) => {
      const at = ['variants', i, 'patch'];
      let merged: unknown;
      try {
        merged = variantInput(src!.data as Record<string, unknown>, v.patch);
      } catch (e) {
        if (!(e instanceof PatchError)) throw e;
        checkLocated(src!, [...at, ...e.path], e.message, text);
        throw new ScenarioError([{ file: FILE, line: 1, col: 1, path: '', message: e.message }]);
      }
      const result = scenarioSchema.safeParse(merged);
      if (!result.success) {
        checkLocated(src!, at, result.error.issues[0].message, text);
        throw new ScenarioError([{ file: FILE, line: 1, col: 1, path: '', message: result.error.issues[0].message }]);
      }
      compile(result.data, baseline);
    });
    return 'valid';
  } catch (e) {
    if (e instanceof ScenarioError) {
      checkIssues(e.issues, text);
      return 'error';
    }
    if (e instanceof CompileError && src !== undefined) {
      checkLocated(src, e.path, e.message, text);
      return 'error';
    }
    throw e;
  }
}

/** A property body: one case, timed, tallied. `parsed`: `text` parsed already (a cache, for --set cases). */
function runCase(text: string, sets: readonly string[] = [], parsed?: ParsedSource): void {
  const started = performance.now();
  const ending = load(text, sets, parsed);
  const elapsedMs = performance.now() - started;
  tally.cases++;
  tally[ending]++;
  tally.slowestMs = Math.max(tally.slowestMs, elapsedMs);
  if (elapsedMs > CASE_LIMIT_MS) throw new Error(`case took ${elapsedMs.toFixed(0)} ms (limit ${CASE_LIMIT_MS} ms)`);
}

/**
 * Runs the cases, yielding to the event loop every 50: a test that computes
 * for a minute without a turn makes vitest's worker RPC time out on a busy
 * machine ("Timeout calling onTaskUpdate", vitest-dev/vitest#8164) and fails
 * a run whose every test passed. The same seed draws the same cases.
 */
const fuzz = <T>(arb: fc.Arbitrary<T>, numRuns: number, run: (value: T) => void): Promise<void> => {
  let done = 0;
  return fc.assert(
    fc.asyncProperty(arb, async (value) => {
      run(value);
      if (++done % 50 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }),
    { seed: SEED, numRuns },
  );
};

// ------------------------------------------------------------------ (a) generated strings

const TOKENS = [
  'name: ', 'seed: ', 'requests: ', 'arrivals: ', 'pools: ', 'stages: ', 'variants: ', 'patch: ', 'kind: ', 'rate: ', 'servers: ',
  'id: ', 'pool: ', 'latency: ', 'faults: ', 'error: ', 'retry: ', 'dist: ', 'mean: ', 'poisson', 'fixed', 'exponential', 'cpu',
  '\n', '\n  ', '\n    ', '\n- ', '\n  - ', ' ', '  ', '\t', '\r\n', '- ', ': ', ':', ',', '{', '}', '[', ']', '"', "'", '#', '# c\n',
  '? ', '|', '>-', '---\n', '...\n', '%YAML 1.2\n', '&a ', '*a', '&b ', '*b', '<<: ', '<<: *a', '!!str ', '!!int ', '!!binary ', '!!set ',
  '!foo ', '!<tag:x> ', '.nan', '.NaN', '.inf', '-.inf', '1e999', '-1e999', '1e-400', '-0', '0x1F', '0o17', '1_000', '9'.repeat(400),
  'true', 'null', '~', '250ms', '-5s', '40/s', '0/s', 'a', 'x', 'é', '😀', '\uFEFF', '\u00A0', '\u2028', '\\', '\\u0000', '@', '`', '%',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((ts) => ts.join(''));

/** A bundled text cut at a random point, or a random slice of it. */
const truncation = fc
  .tuple(fc.nat({ max: BUNDLED.length - 1 }), fc.nat(), fc.nat(), fc.boolean())
  .map(([k, a, b, fromStart]) => {
    const t = BUNDLED[k];
    const x = a % (t.length + 1);
    const y = b % (t.length + 1);
    return fromStart ? t.slice(0, x) : t.slice(Math.min(x, y), Math.max(x, y));
  });

const HOSTILE_NUMBERS = ['.nan', '.inf', '-.inf', '1e309', '-1e309', '1e-400', '99999999999999999999999', '9'.repeat(400), '-0', '0x7fffffff', '2e9', '1_000', '+1', '5.', '-1', '1e15'];

/** A number in a bundled text replaced by NaN, an infinity, a huge or odd literal. */
const hostileNumber = fc
  .tuple(fc.nat({ max: BUNDLED.length - 1 }), fc.nat(), fc.constantFrom(...HOSTILE_NUMBERS))
  .map(([k, n, literal]) => {
    const t = BUNDLED[k];
    // Bare numbers and the number in `250ms`, `20/s`.
    const numbers = [...t.matchAll(/(?<![\w.])\d+(?:\.\d+)?(?![\d.])/g)].filter((m) => !t.slice(t.lastIndexOf('\n', m.index) + 1, m.index).includes('#'));
    const m = numbers[n % numbers.length];
    return t.slice(0, m.index) + literal + t.slice(m.index! + m[0].length);
  });

/** Nesting a few hundred levels deep, in each of YAML's collection styles, under a real key. */
const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('flow-seq', 'flow-map', 'block-map', 'block-seq', 'compact-seq'), fc.constantFrom('stages', 'description', 'pools', 'x'))
  .map(([depth, style, key]) => {
    switch (style) {
      case 'flow-seq':
        return `name: n\n${key}: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
      case 'flow-map':
        return `name: n\n${key}: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
      case 'block-map':
        return `name: n\n${key}:\n${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i + 1)}a:`).join('\n')} 1\n`;
      case 'block-seq':
        return `name: n\n${key}:\n${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i + 1)}-`).join('\n')} 1\n`;
      default:
        return `name: n\n${key}: ${'- '.repeat(depth)}1\n`;
    }
  });

/** Anchors and aliases: from a few reused values up to billion-laughs bombs (levels × width). */
const aliases = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.boolean())
  .map(([levels, width, merge]) => {
    const lines = ['a0: &a0 [lol, lol]'];
    for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]`);
    if (merge) lines.push('m: &m { servers: 1 }', 'pools: { cpu: { <<: *m } }');
    lines.push(`stages: *a${levels - 1}`);
    return lines.join('\n');
  });

// ------------------------------------------------------------------ (b) structured mutations

type Json = unknown;
type Container = Record<string, Json> | Json[];

const isRecord = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every (container, key) in the tree, parents before children. */
function entries(root: Json): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) node.forEach((v, i) => { out.push([node, i]); stack.push(v); });
    else if (isRecord(node)) for (const [k, v] of Object.entries(node)) { out.push([node, k]); stack.push(v); }
  }
  return out;
}

const randomValue: fc.Arbitrary<Json> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1, 0.5, 1e308, -1e-308, 2 ** 53 + 2, 2 ** 31, 65),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('250ms', '40/s', '-5s', '1e999ms', '', 'NaN', 'exponential', 'poisson', 'cpu', 'retrieval', 'trace', 'kernel.x', 'hardware/x.yaml'),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.constant(null)), { maxKeys: 3 }),
  fc.constantFrom({}, [], { dist: 'constant', value: 1 }, { kind: 'trace', file: 't.txt' }, { kind: 'trace', file: 't.txt', rate: null, interval: null }, { kind: 'trace', timestamps: [0, 1] }, { kernel: 'retrieval.exact-wasm-384-100k' }),
);

const mutation = fc.record({
  op: fc.constantFrom('delete', 'duplicate', 'retype', 'set', 'rename', 'grow'),
  at: fc.nat(),
  value: randomValue,
  char: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  pos: fc.nat(),
  // Mostly a few copies; now and then past the compiler's limits (64 pools, 255 stages).
  times: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 2, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(64, 65, 255, 256) }),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** The same kind of thing in another JSON type: "5" for 5, [..] for {..}, and so on. */
function retyped(v: Json): Json {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.length;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  if (isRecord(v)) return Object.values(v);
  return {};
}

/** `key` with one character inserted, deleted or replaced. */
function renamed(key: string, m: Mutation): string {
  const i = m.pos % (key.length + 1);
  switch (m.pos % 3) {
    case 0: return key.slice(0, i) + m.char + key.slice(i);
    case 1: return key.length > 0 ? key.slice(0, Math.min(i, key.length - 1)) + key.slice(Math.min(i, key.length - 1) + 1) : m.char;
    default: return key.slice(0, Math.min(i, key.length - 1)) + m.char + key.slice(Math.min(i, key.length - 1) + 1);
  }
}

/** `times` copies of a list element or mapping entry, given fresh ids / keys so they are not mere duplicates. */
function grow(parent: Container, key: string | number, m: Mutation): void {
  const value = (parent as Record<string | number, Json>)[key];
  const copy = (i: number): Json => {
    const c = structuredClone(value);
    if (isRecord(c) && typeof c.id === 'string') c.id = `${c.id}-${i}`;
    if (isRecord(c) && typeof c.name === 'string') c.name = `${c.name}-${i}`;
    return c;
  };
  if (Array.isArray(parent)) for (let i = 0; i < m.times; i++) parent.push(copy(i));
  else for (let i = 0; i < m.times; i++) parent[`${key}${i}`] = copy(i);
}

function mutate(data: Json, m: Mutation): void {
  const all = entries(data);
  if (all.length === 0) return;
  const [parent, key] = all[m.at % all.length];
  const list = Array.isArray(parent);
  const value = (parent as Record<string | number, Json>)[key];
  switch (m.op) {
    case 'delete':
      if (list) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 'duplicate':
      if (list) parent.splice(key as number, 0, structuredClone(value));
      else parent[`${key as string}`.concat(m.char)] = structuredClone(value);
      break;
    case 'retype':
      (parent as Record<string | number, Json>)[key] = retyped(value);
      break;
    case 'set':
      (parent as Record<string | number, Json>)[key] = structuredClone(m.value);
      break;
    case 'rename':
      if (!list) {
        delete parent[key as string];
        parent[renamed(key as string, m)] = value;
      }
      break;
    case 'grow':
      grow(parent, key, m);
      break;
  }
}

/** Flow-style YAML (JSON with .nan/.inf), one line: what a generator or `jq` would write. */
function flow(v: Json): string {
  if (typeof v === 'number') return Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : String(v);
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (isRecord(v)) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${flow(x)}`).join(', ')}}`;
  return JSON.stringify(v) ?? 'null';
}

const structured = fc
  .record({ scenario: fc.nat({ max: BUNDLED.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }), block: fc.nat({ max: 2 }).map((n) => n === 0) })
  .map(({ scenario, mutations, block }) => {
    const data = structuredClone(BUNDLED_DATA[scenario]);
    for (const m of mutations) mutate(data, m);
    return block ? stringify(data) : flow(data);
  });

/** Line-level edits of the bundled text, comments and all: duplicate keys, lost lines, bad indentation, typos. */
const textEdit = fc
  .record({
    scenario: fc.nat({ max: BUNDLED.length - 1 }),
    line: fc.nat(),
    op: fc.constantFrom('duplicate', 'delete', 'swap', 'indent', 'dedent', 'rename', 'insert'),
    char: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
    token: fc.constantFrom(...TOKENS),
    pos: fc.nat(),
  })
  .map(({ scenario, line, op, char, token, pos }) => {
    const lines = BUNDLED[scenario].split('\n');
    const i = line % lines.length;
    const l = lines[i];
    switch (op) {
      case 'duplicate': lines.splice(i, 0, l); break;
      case 'delete': lines.splice(i, 1); break;
      case 'swap': if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]]; break;
      case 'indent': lines[i] = ' '.repeat(1 + (pos % 3)) + l; break;
      case 'dedent': lines[i] = l.replace(/^ {1,3}/, ''); break;
      case 'rename': lines[i] = l.replace(/^(\s*-?\s*)([A-Za-z$][\w$.]*)(?=:)/, (_, lead: string, key: string) => lead + renamed(key, { op: 'rename', at: 0, value: null, char, pos, times: 2 })); break;
      default: { const at = pos % (l.length + 1); lines[i] = l.slice(0, at) + token + l.slice(at); }
    }
    return lines.join('\n');
  });

// ------------------------------------------------------------------ (c) --set overrides

const SET_VALUES = ['0.1', '-1', '0', '2', '.nan', '.inf', '1e999', 'abc', '[1, 2]', '{a: 1}', '~', '', '2s', '40/s', '"x', '&a [*a]', '*b', '!!binary aGk=', '- - x', 'null', '{dist: constant, value: 3}', '[]', '300'];

/** Dotted paths into a scenario as `--set` spells them: list elements by index or by id. */
function dottedPaths(data: Json, prefix = ''): string[] {
  const out: string[] = [];
  const visit = (v: Json, path: string) => {
    if (path !== '') out.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}.${isRecord(x) && typeof x.id === 'string' && i % 2 === 0 ? x.id : i}`.replace(/^\./, '')));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`.replace(/^\./, ''));
  };
  visit(data, prefix);
  return out;
}
const BUNDLED_PATHS = BUNDLED_DATA.map((d) => dottedPaths(d));

const override = fc
  .tuple(fc.nat({ max: BUNDLED.length - 1 }), fc.nat(), fc.oneof(fc.constantFrom(...SET_VALUES), fc.string({ maxLength: 12 })), fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('.x', '.0', '..', '.__proto__', 'x') }))
  .map(([scenario, n, value, suffix]) => {
    const paths = BUNDLED_PATHS[scenario];
    return { scenario, set: `${paths[n % paths.length]}${suffix}=${value}` };
  });

// ------------------------------------------------------------------ (d) extreme parameters, simulated

/** Numbers at and past every bound: denormals, the duration bound (1e12 ms) and either side of it, the largest double. */
const EXTREME = [5e-324, 1e-300, 1e-12, 1e-9, 1e-6, 0.001, 0.01, 0.1, 0.5, 1, 3, 1000, 1e6, 1e9, 1e11, 1e12, 1e12 + 1000, 1e15, 1e100, 1e300, Number.MAX_VALUE];
const extreme = fc.constantFrom(...EXTREME);
/** A field: left at its plain value (twice as likely) or set to an extreme. */
const field = (plain: number) => fc.oneof({ weight: 2, arbitrary: fc.constant(plain) }, { weight: 1, arbitrary: extreme });
const num = (x: number): string => flow(x);

const LATENCY_KINDS = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'lognormal-p99', 'gamma', 'weibull', 'pareto', 'empirical', 'mixture'] as const;
function latencyText(kind: (typeof LATENCY_KINDS)[number], a: number, b: number): string {
  switch (kind) {
    case 'constant': return num(a);
    case 'uniform': return `{ dist: uniform, min: ${num(a)}, max: ${num(a + b)} }`;
    case 'exponential': return `{ dist: exponential, mean: ${num(a)} }`;
    case 'normal': return `{ dist: normal, mean: ${num(a)}, sd: ${num(b)} }`;
    case 'lognormal': return `{ dist: lognormal, mu: ${num(Math.log(a))}, sigma: ${num(b)} }`;
    case 'lognormal-p99': return `{ dist: lognormal, median: ${num(a)}, p99: ${num(a * (1 + b))} }`;
    case 'gamma': return `{ dist: gamma, shape: ${num(b)}, scale: ${num(a)} }`;
    case 'weibull': return `{ dist: weibull, shape: ${num(b)}, scale: ${num(a)} }`;
    case 'pareto': return `{ dist: pareto, shape: ${num(b)}, scale: ${num(a)} }`;
    case 'empirical': return `{ dist: empirical, quantiles: [{ p: 0, value: 0 }, { p: 0.5, value: ${num(a)} }, { p: 1, value: ${num(a + b)} }] }`;
    default: return `{ dist: mixture, components: [{ weight: 1, of: { dist: pareto, shape: ${num(b)}, scale: ${num(a)} } }, { weight: ${num(b)}, of: ${num(a)} }] }`;
  }
}

const extremeCase = fc
  .record({
    kind: fc.constantFrom(...LATENCY_KINDS),
    a: field(10),
    b: field(1.5),
    arrivals: fc.constantFrom('poisson', 'fixed', 'closed'),
    gap: field(100),
    timeout: field(5000),
    deadline: field(60_000),
    base: field(10),
    max: field(1000),
    factor: field(2),
    additive: field(10),
    hedge: field(2000),
    guard: field(1),
    incident: field(3),
    handling: field(60_000),
    speed: field(1),
  })
  .map((c) => {
    const arrivals =
      c.arrivals === 'poisson' ? `{ kind: poisson, rate: ${num(1000 / c.gap)} }` : c.arrivals === 'fixed' ? `{ kind: fixed, interval: ${num(c.gap)} }` : `{ kind: closed, users: 3, thinkTime: ${latencyText('exponential', c.gap, 1)} }`;
    const scenario = [
      'name: extreme',
      'requests: 20',
      `arrivals: ${arrivals}`,
      `deadline: ${num(c.deadline)}`,
      'hardware: hw.yaml',
      'pools: { cpu: { servers: 2 }, human: { servers: 1 } }',
      'escalation: { pool: human, handlingTime: ' + latencyText('lognormal-p99', c.handling, 3) + ' }',
      'stages:',
      '  - id: a',
      '    pool: cpu',
      `    latency: ${latencyText(c.kind, c.a, c.b)}`,
      `    timeout: ${num(c.timeout)}`,
      '    faults: { error: 0.3, timeout: 0.1 }',
      `    validate: { catchRate: 0.5, latency: ${num(c.guard)} }`,
      `    retry: { maxAttempts: 4, backoff: { kind: exponential, base: ${num(c.base)}, max: ${num(c.max)}, factor: ${num(c.factor)}, additive: ${num(c.additive)} } }`,
      `    hedge: { delay: ${num(c.hedge)} }`,
      '    escalate: true',
      '  - { id: b, pool: cpu, latency: 5, faults: { corruption: 0.1 } }',
      `incidents: [{ stage: a, from: 0, to: 1e9, latencyFactor: ${num(c.incident)} }]`,
      '',
    ].join('\n');
    return { scenario, hardware: `name: hw\npools: { cpu: { speedFactor: ${num(c.speed)} } }\n` };
  });

/**
 * Every number in a result is finite – an Infinity or NaN that got through
 * would print as null or crash a report – but the figures of nothing, NaN by
 * design: the estimate of a rate with no trials (Wilson, intervals.ts) and
 * the latency of successes when none succeeded.
 */
function checkFiniteResult(value: unknown, noSuccess: boolean, path = ''): void {
  const ofNothing = path.endsWith('.estimate') || (noSuccess && path.startsWith('.latencyMs.'));
  if (typeof value === 'number' && !Number.isFinite(value) && !(Number.isNaN(value) && ofNothing))
    throw new Error(`a run's result holds ${value} at ${path || 'the root'}`);
  if (Array.isArray(value)) value.forEach((v, i) => checkFiniteResult(v, noSuccess, `${path}[${i}]`));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) checkFiniteResult(v, noSuccess, `${path}.${k}`);
}

/** One extreme case: the hardware file, then the scenario, then a run of the model it yields. */
function runExtreme({ scenario, hardware }: { scenario: string; hardware: string }): void {
  extremes.cases++;
  let config: ResolvedHardware['config'];
  try {
    config = validateSource(parseSource(hardware, 'hw.yaml'), hardwareConfigSchema);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    checkIssues(e.issues, hardware, 'hw.yaml');
    extremes.error++;
    return;
  }
  const src = parseSource(scenario, FILE);
  let model: ReturnType<typeof compileScenario>;
  try {
    const s = validateSource(src, scenarioSchema);
    checkFinite(s);
    model = compileScenario(s, { hardware: { config } });
  } catch (e) {
    if (e instanceof ScenarioError) checkIssues(e.issues, scenario);
    else if (e instanceof CompileError) checkLocated(src, e.path, e.message, scenario);
    else throw e;
    extremes.error++;
    return;
  }
  try {
    const r = simulateModel(model, { maxEvents: 200_000 });
    checkFiniteResult(r, r.outcomes.success === 0);
    extremes.ran++;
  } catch (e) {
    if (!(e instanceof BudgetError)) throw e;
    extremes.refused++;
  }
}

describe('loader fuzzing: every case ends in a model or a positioned error', () => {
  it('random unicode (1,500 cases)', async () => {
    await fuzz(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 })), 1500, (t) => runCase(t));
  });

  it('YAML-ish token soup (2,500 cases)', async () => {
    await fuzz(tokenSoup, 2500, (t) => runCase(t));
  });

  it('truncated bundled scenarios (600 cases)', async () => {
    await fuzz(truncation, 600, (t) => runCase(t));
  });

  it('NaN, infinities and huge numbers in the bundled scenarios (500 cases)', async () => {
    await fuzz(hostileNumber, 500, (t) => runCase(t));
  });

  it('deep nesting up to 400 levels (400 cases)', async () => {
    await fuzz(deepNesting, 400, (t) => runCase(t));
  });

  it('anchors, aliases, merges and alias bombs (500 cases)', async () => {
    await fuzz(aliases, 500, (t) => runCase(t));
  });

  it('bundled scenarios with keys deleted, duplicated, retyped, set to random values, renamed or multiplied (2,500 cases)', async () => {
    await fuzz(structured, 2500, (t) => runCase(t));
  });

  it('bundled scenario texts with lines duplicated, deleted, swapped, re-indented or misspelt (1,000 cases)', async () => {
    await fuzz(textEdit, 1000, (t) => runCase(t));
  });

  it('--set overrides of every kind of value (1,000 cases)', async () => {
    await fuzz(override, 1000, ({ scenario, set }) => runCase(BUNDLED[scenario], [set], BUNDLED_PARSED[scenario]));
  });

  it('extreme distribution parameters, durations, rates and factors, each model simulated (1,500 cases)', async () => {
    await fuzz(extremeCase, 1500, (c) => {
      const started = performance.now();
      runExtreme(c);
      const elapsedMs = performance.now() - started;
      tally.slowestMs = Math.max(tally.slowestMs, elapsedMs);
      if (elapsedMs > CASE_LIMIT_MS) throw new Error(`case took ${elapsedMs.toFixed(0)} ms (limit ${CASE_LIMIT_MS} ms)`);
    });
    // Every ending is exercised: refused where written, and simulated to the end.
    expect(extremes.error).toBeGreaterThan(0);
    expect(extremes.ran).toBeGreaterThan(0);
    expect(extremes.error + extremes.refused + extremes.ran).toBe(extremes.cases);
  });

  it(`ran at least ${MIN_CASES.toLocaleString('en')} cases, each under ${CASE_LIMIT_MS} ms`, () => {
    // The figure the issue asks for (cases per CI run): asserted, not printed. Runs last.
    expect(tally.cases).toBeGreaterThanOrEqual(MIN_CASES);
    expect(tally.valid + tally.error).toBe(tally.cases);
    expect(tally.valid).toBeGreaterThan(0);
    expect(tally.slowestMs).toBeLessThanOrEqual(CASE_LIMIT_MS);
  });
});

describe('what the fuzzer found (fixed in the loader)', () => {
  const head = 'name: x\narrivals: { kind: poisson, rate: 1 }\npools: { cpu: { servers: 1 } }\n';

  it('more stages, fallbacks or pools than the compiler supports: a positioned error, not a RangeError', () => {
    const stages = Array.from({ length: 256 }, (_, i) => `  - { id: s${i}, pool: cpu, latency: 1 }`).join('\n');
    expect(() => validateSource(parseSource(`${head}stages:\n${stages}\n`, FILE), scenarioSchema)).toThrow(
      /^fuzz\.yaml:5:3 stages: at most 255 stages and fallbacks are supported; the scenario has 256$/,
    );
  });

  it('a variant that switches to a trace file (only the baseline\'s is read): a CompileError the loader positions', () => {
    const text = `${head}stages: [{ id: a, pool: cpu, latency: 1 }]\nvariants:\n  - name: v\n    kind: compute\n    patch: { arrivals: { kind: trace, file: t.txt, rate: null } }\n`;
    expect(load(text)).toBe('error');
    const merged = variantInput(parseSource(text, FILE).data as Record<string, unknown>, { arrivals: { kind: 'trace', file: 't.txt', rate: null } });
    expect(() => compileScenario(scenarioSchema.parse(merged))).toThrow(CompileError);
  });

  it('durations and rates that overflow to Infinity ("999…9s", "999…9/s") are refused, not run as Infinity', () => {
    const nines = '9'.repeat(400);
    for (const text of [
      `${head}stages: [{ id: a, pool: cpu, latency: 1, timeout: ${nines}s }]\n`,
      `${head}deadline: ${nines}ms\nstages: [{ id: a, pool: cpu, latency: 1 }]\n`,
      `${head.replace('rate: 1', `rate: ${nines}/s`)}stages: [{ id: a, pool: cpu, latency: 1 }]\n`,
      `${head.replace('kind: poisson, rate: 1', `kind: fixed, interval: ${nines}ms`)}stages: [{ id: a, pool: cpu, latency: 1 }]\n`,
    ])
      expect(() => validateSource(parseSource(text, FILE), scenarioSchema)).toThrow(/must be finite|finite number of milliseconds/);
  });
});
