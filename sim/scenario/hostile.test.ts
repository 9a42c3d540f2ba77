/**
 * Hostile scenario text through the loader's steps: each is refused with a
 * clear, positioned error in bounded time and memory. Time and memory are
 * measured (`figures`), not asserted – CI machines differ; what is asserted is
 * that the expensive work is not done at all (no parse of an oversized file,
 * no alias expansion) and a loose bound on memory.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Parser } from 'yaml';
import { parseSource, validateSource, ScenarioError, type ScenarioIssue } from './index.js';
import { scenarioSchema } from './schema.js';
import { compileScenario } from './compile.js';

const MiB = 1024 * 1024;

/** What refusing each input cost: wall time and growth of the process's resident set. */
const figures: Record<string, { ms: number; rssGrowthMiB: number }> = {};

function measure<T>(label: string, run: () => T): T {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  try {
    return run();
  } finally {
    figures[label] = { ms: performance.now() - started, rssGrowthMiB: (process.memoryUsage().rss - rss) / MiB };
  }
}

/** The loader's steps; returns the issues of the ScenarioError it must end in. */
function refusal(text: string, file = 'hostile.yaml', label?: string): ScenarioIssue[] {
  const load = () => compileScenario(validateSource(parseSource(text, file), scenarioSchema));
  try {
    if (label === undefined) load();
    else measure(label, load);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    for (const i of e.issues) {
      expect(i.file).toBe(file);
      expect(i.line).toBeGreaterThanOrEqual(1);
      expect(i.col).toBeGreaterThanOrEqual(1);
      expect(i.message.trim()).not.toBe('');
    }
    return e.issues;
  }
  throw new Error('expected the input to be refused');
}
const messages = (issues: readonly ScenarioIssue[]) => issues.map((i) => `${i.line}:${i.col} ${i.path ? `${i.path}: ` : ''}${i.message}`);

const VALID = `name: ok
arrivals: { kind: poisson, rate: 10/s }
pools: { cpu: { servers: 2 } }
stages:
  - { id: a, pool: cpu, latency: 5ms }
`;

describe('hostile scenario text', () => {
  afterAll(() => {
    // No refusal may have needed the memory its input pretends to hold (a loose bound: RSS is noisy).
    for (const [label, f] of Object.entries(figures)) if (!label.startsWith('building')) expect(f.rssGrowthMiB, label).toBeLessThan(512);
  });

  it('a billion-laughs alias bomb (9 levels of 9 aliases, 9^9 ≈ 387 million values) is refused without expanding it', () => {
    const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    lines.push('stages: *l9');
    expect(messages(refusal(lines.join('\n'), 'hostile.yaml', 'alias bomb'))).toEqual([
      '2:10 aliases expand to too many values (maxAliases = 100); this looks like an alias bomb – write the values out instead',
    ]);
  });

  it('a 100 MB file is refused by its size before the YAML parser sees it', () => {
    // Decoded from a buffer, as readFile gives it: one flat 100 MB string ('x'.repeat would be a lazy rope).
    const text = measure('building the 100 MB string', () => Buffer.alloc(100 * MiB, 'name: big\ndescription: x\n').toString('utf8'));
    expect(text.length).toBe(100 * MiB);
    const parse = vi.spyOn(Parser.prototype, 'parse');
    try {
      expect(messages(refusal(text, 'hostile.yaml', '100 MB file'))).toEqual([
        '1:1 file is larger than the 1048576-byte limit (maxBytes); scenario files are a few kilobytes – put long lists of arrival times in a trace file (arrivals.file, one per line)',
      ]);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('the size limit counts UTF-8 bytes, not UTF-16 code units', () => {
    // 0.6 Mi "é" is 0.6 Mi code units – under 1 MiB – but 1.2 MiB of UTF-8.
    const text = `description: ${'é'.repeat(0.6 * MiB)}`;
    expect(text.length).toBeLessThan(MiB);
    expect(messages(refusal(text, 'hostile.yaml', '1.2 MiB of UTF-8 in 0.6 Mi code units'))[0]).toMatch(/^1:1 file is larger than the 1048576-byte limit/);
    // At the boundary: 3 + 2·n bytes of "a: é…", emoji 4 bytes for 2 code units.
    expect(parseSource(`a: ${'é'.repeat(498)}`, 's.yaml', { maxBytes: 999 }).data).toEqual({ a: 'é'.repeat(498) });
    expect(() => parseSource(`a: ${'é'.repeat(499)}`, 's.yaml', { maxBytes: 999 })).toThrow(/999-byte limit/);
    expect(parseSource(`a: ${'😀'.repeat(249)}`, 's.yaml', { maxBytes: 999 }).data).toEqual({ a: '😀'.repeat(249) });
    expect(() => parseSource(`a: ${'😀'.repeat(250)}`, 's.yaml', { maxBytes: 999 })).toThrow(/999-byte limit/);
  });

  it.each([
    ['flow sequences', `name: x\nstages: ${'['.repeat(500)}${']'.repeat(500)}\n`, '2:72'],
    ['flow mappings', `name: x\nstages: ${'{a: '.repeat(500)}1${'}'.repeat(500)}\n`, '2:261'],
    ['JSON objects', `{"name": "x", "stages": ${'{"a": '.repeat(500)}1${'}'.repeat(500)}}`, '1:403'],
    ['block mappings', `name: x\nstages:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} 1\n`, '66:65'],
    ['block sequences', `name: x\nstages:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}-`).join('\n')} 1\n`, '66:65'],
    ['compact sequences', `name: x\nstages:\n  ${'- '.repeat(300)}1\n`, '3:129'],
  ])('nesting a few hundred levels deep (%s) is refused at the level past the limit', (_, text, at) => {
    expect(messages(refusal(text, 'hostile.yaml', `deep nesting: ${_}`))).toEqual([
      `${at} nested more than 64 levels deep (maxDepth); is this file generated or corrupted?`,
    ]);
  });

  it('huge numbers, NaN and infinities are refused at the field, never run as Infinity', () => {
    expect(compileScenario(validateSource(parseSource(VALID, 'ok.yaml'), scenarioSchema)).stages).toHaveLength(1);
    const nines = '9'.repeat(400);
    const cases: [string, string][] = [
      [VALID.replace('name: ok', 'name: ok\nrequests: 1e400'), 'requests'],
      [VALID.replace('servers: 2', 'servers: 99999999999999999999999'), 'pools.cpu.servers'],
      [VALID.replace('latency: 5ms', `latency: ${nines}ms`), 'stages[0].latency'],
      [VALID.replace('rate: 10/s', `rate: ${nines}/s`), 'arrivals.rate'],
      [VALID.replace('name: ok', `name: ok\ndeadline: ${nines}s`), 'deadline'],
      [VALID.replace('latency: 5ms', 'latency: 5ms, timeout: .inf'), 'stages[0].timeout'],
      [VALID.replace('latency: 5ms', 'latency: 5ms, faults: { error: .nan }'), 'stages[0].faults.error'],
      [VALID.replace('rate: 10/s', 'rate: -.inf'), 'arrivals.rate'],
      [VALID.replace('latency: 5ms', 'latency: { dist: exponential, mean: .nan }'), 'stages[0].latency.mean'],
    ];
    for (const [text, field] of cases) {
      const issues = refusal(text);
      expect(issues.map((i) => i.path), text.slice(0, 200)).toContain(field);
      expect(issues.every((i) => /finite|number|NaN|Infinity|whole number|probability|duration|rate/.test(i.message))).toBe(true);
    }
  });

  it('duplicate keys are refused at the second occurrence, in block, flow and JSON style', () => {
    expect(messages(refusal(`${VALID}name: again\n`))).toEqual(['6:1 duplicate key "name"; a key may appear only once in a mapping']);
    expect(messages(refusal(VALID.replace('servers: 2', 'servers: 2, servers: 3')))).toEqual([
      '3:29 duplicate key "servers"; a key may appear only once in a mapping',
    ]);
    expect(messages(refusal('{"name": "a", "requests": 5, "name": "b"}'))).toEqual(['1:30 duplicate key "name"; a key may appear only once in a mapping']);
  });

  it('binary garbage is refused as not being text, at the first bad byte', () => {
    let x = 42;
    const bytes = Uint8Array.from({ length: 4096 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24));
    const garbage = new TextDecoder('utf-8').decode(bytes); // invalid sequences become U+FFFD, as readFile(…, 'utf8') does
    expect(messages(refusal(garbage))[0]).toMatch(/^\d+:\d+ contains (a NUL byte|bytes that are not valid UTF-8|the control character U\+00[01][0-9A-F])/);
    const png = new TextDecoder('utf-8').decode(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect(messages(refusal(png))).toEqual(['1:1 contains bytes that are not valid UTF-8 (shown as U+FFFD); save the file as UTF-8 text']);
    const utf16 = new TextDecoder('utf-8').decode(new Uint8Array(Buffer.from(VALID, 'utf16le')));
    expect(messages(refusal(utf16))).toEqual(['1:2 contains a NUL byte; this looks like a binary file, not YAML or JSON text']);
  });

  it('one unknown key of 1 MB (just under the size limit) is refused without an edit-distance table of the key × every valid key (4 MB took minutes and 2 GB)', () => {
    const key = 'k'.repeat(1_000_000);
    const issues = refusal(`${VALID}? ${key}\n: 1\n`, 'hostile.yaml', '1 MB unknown key');
    expect(issues).toHaveLength(1);
    expect(issues[0].line).toBe(6);
    expect(issues[0].message.startsWith('unknown key "kkk')).toBe(true);
  });

  it('thousands of chained fallbacks are refused by count before their cycle check (it was cubic)', () => {
    const n = 5000;
    const fallbacks = Array.from({ length: n }, (_, i) => `  - { id: f${i}, pool: cpu, latency: 1${i + 1 < n ? `, fallback: f${i + 1}` : ''} }`).join('\n');
    const text = VALID.replace('latency: 5ms }', 'latency: 5ms, fallback: f0 }') + `fallbacks:\n${fallbacks}\n`;
    expect(messages(refusal(text, 'hostile.yaml', '5,000 chained fallbacks'))).toEqual([
      '7:3 fallbacks: at most 255 stages and fallbacks are supported; the scenario has 5001',
    ]);
    const pools = Array.from({ length: 65 }, (_, i) => `  p${i}: { servers: 1 }`).join('\n');
    expect(messages(refusal(`name: x\narrivals: { kind: fixed, interval: 1 }\npools:\n${pools}\nstages: [{ id: a, pool: p0, latency: 1 }]\n`))).toEqual([
      '4:3 pools: at most 64 pools are supported; the scenario has 65',
    ]);
  });
});
