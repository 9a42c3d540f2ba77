import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { formatIssue, parseSource, validateSource } from './index.js';
import { durationMs, probability, strictObject } from './units.js';
import { errorsOf, GOOD } from './test-fixtures.js';



describe('formatIssue', () => {
  it('leaves out the path separator at the root', () => {
    const issue = { file: 'f.yaml', line: 3, col: 5, path: '', message: 'boom' };
    expect(formatIssue(issue)).toBe('f.yaml:3:5 boom');
    expect(formatIssue({ ...issue, path: 'a[1]' })).toBe('f.yaml:3:5 a[1]: boom');
  });
});

describe('parseSource', () => {
  it('returns plain data', () => {
    expect(parseSource(GOOD, 's.yaml').data).toEqual({
      name: 'demo',
      stages: [
        { id: 'retrieval', latency: { dist: 'constant', value: '20ms' }, faults: { error: 0.1 } },
        { id: 'generate', latency: { dist: 'uniform', min: '1s', max: '2s' } },
      ],
    });
  });

  it('locates values, keys, and the deepest existing ancestor of a missing path', () => {
    const src = parseSource(GOOD, 's.yaml');
    expect(src.locate([])).toEqual({ line: 1, col: 1 });
    expect(src.locate(['stages', 0, 'faults', 'error'])).toEqual({ line: 6, col: 14 });
    expect(src.locate(['stages', 0, 'faults', 'error'], 'key')).toEqual({ line: 6, col: 7 });
    expect(src.locate(['stages', 1, 'latency', 'max'])).toEqual({ line: 8, col: 45 });
    expect(src.locate(['stages', 1, 'latency', 'max'], 'key')).toEqual({ line: 8, col: 40 });
    expect(src.locate(['stages', 1, 'faults', 'error'])).toEqual({ line: 7, col: 5 }); // the stage mapping
    expect(src.locate(['stages', 9])).toEqual({ line: 3, col: 3 }); // the sequence
  });

  it('reports a syntax error at the parser position, on one line', () => {
    // Line 2 col 4 is the "1" that line 3's deeper indentation turns into an (illegal) nested mapping key.
    expect(errorsOf(() => parseSource('name: x\na: 1\n  b: 2\n', 's.yaml'))).toEqual([
      's.yaml:2:4 Nested mappings are not allowed in compact mappings',
      's.yaml:2:4 Implicit keys need to be on a single line',
    ]);
    // "a: b: c": the second ": " starts a mapping inside a one-line mapping, at the "b" (col 4).
    expect(errorsOf(() => parseSource('a: b: c\n', 's.yaml'))).toEqual(['s.yaml:1:4 Nested mappings are not allowed in compact mappings']);
    // An unclosed flow sequence: yaml gives up at the start of the next line.
    expect(errorsOf(() => parseSource('a: [1, 2\nb: 3\n', 's.yaml'))).toEqual([
      's.yaml:2:1 Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('refuses duplicate keys', () => {
    expect(errorsOf(() => parseSource('name: a\nstages: []\nname: b\n', 's.yaml'))).toEqual([
      's.yaml:3:1 duplicate key "name"; a key may appear only once in a mapping',
    ]);
  });

  it('refuses a second document', () => {
    expect(errorsOf(() => parseSource('name: a\n---\nname: b\n', 's.yaml'))).toEqual([
      's.yaml:2:1 a scenario file holds one YAML document; remove this "---" and what follows, or split the file',
    ]);
  });

  it('passes .nan, .inf and overflowing numbers to the schema as numbers', () => {
    const src = parseSource('a: .nan\nb: -.inf\nc: 1e999\n', 'n.yaml');
    expect(src.data).toEqual({ a: NaN, b: -Infinity, c: Infinity });
    const schema = strictObject({ a: z.number(), b: z.number(), c: probability });
    expect(errorsOf(() => validateSource(src, schema))).toEqual([
      'n.yaml:1:4 a: expected a number; got NaN',
      'n.yaml:2:4 b: expected a number; got -Infinity',
      'n.yaml:3:4 c: must be a probability in [0, 1]; got Infinity',
    ]);
  });

  it('refuses tags that would produce non-plain data, pointing at the tagged value', () => {
    expect(errorsOf(() => parseSource('a: !!binary aGVsbG8=\n', 't.yaml'))).toEqual([
      't.yaml:1:13 tag !!binary is not supported in scenario files; write a plain value',
    ]);
    expect(parseSource('a: !!str 5\n', 't.yaml').data).toEqual({ a: '5' });
  });

  it('follows aliases and << merges, placing values at their definition', () => {
    const text = 'defaults: &d { error: 0.1, timeout: 2 }\nstage:\n  <<: *d\n  timeout: 0.3\n';
    const src = parseSource(text, 'm.yaml');
    expect(src.data).toEqual({ defaults: { error: 0.1, timeout: 2 }, stage: { error: 0.1, timeout: 0.3 } });
    expect(src.locate(['stage', 'error'])).toEqual({ line: 1, col: 23 });
    expect(src.locate(['stage', 'timeout'])).toEqual({ line: 4, col: 12 });
    const faults = strictObject({ error: probability, timeout: probability });
    expect(errorsOf(() => validateSource(src, strictObject({ defaults: faults, stage: faults })))).toEqual([
      'm.yaml:1:37 defaults.timeout: must be a probability in [0, 1]; got 2',
    ]);
  });

  it('reads JSON with exact positions', () => {
    const json = '{\n  "name": "demo",\n  "stages": [\n    {"id": "a", "latency": {"dist": "constant", "value": -5}}\n  ]\n}\n';
    const src = parseSource(json, 's.json');
    expect(src.data).toEqual({ name: 'demo', stages: [{ id: 'a', latency: { dist: 'constant', value: -5 } }] });
    const latency = strictObject({ dist: z.literal('constant'), value: durationMs });
    const schema = strictObject({ name: z.string(), stages: z.array(strictObject({ id: z.string(), latency })) });
    expect(errorsOf(() => validateSource(src, schema))).toEqual([
      "s.json:4:58 stages[0].latency.value: a duration can't be negative; got -5",
    ]);
    expect(parseSource('{\n\t"a": [1,\t2]\n}', 'tabs.json').data).toEqual({ a: [1, 2] });
  });
});

describe('hostile input', () => {
  it('refuses a billion-laughs alias bomb quickly', () => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 8; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const started = performance.now();
    const errors = errorsOf(() => parseSource(lines.join('\n'), 'bomb.yaml'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(errors).toEqual([
      'bomb.yaml:2:10 aliases expand to too many values (maxAliases = 100); this looks like an alias bomb – write the values out instead',
    ]);
  });

  it('refuses circular aliases, which would hand recursive schemas an infinite structure', () => {
    expect(errorsOf(() => parseSource('a: &a { b: *a }\n', 'loop.yaml'))).toEqual([
      'loop.yaml:1:12 alias *a points back into the node it is part of; scenario data cannot be circular',
    ]);
  });

  it('refuses 10,000 nested flow sequences without overflowing the stack', () => {
    const text = `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(errorsOf(() => parseSource(text, 'deep.yaml'))).toEqual([
      'deep.yaml:1:67 nested more than 64 levels deep (maxDepth); is this file generated or corrupted?',
    ]);
  });

  it('refuses deep compact block sequences before yaml composes them', () => {
    // yaml's composer exhausts memory on this one; the depth check runs on the token tree first.
    const errors = errorsOf(() => parseSource(`${'- '.repeat(10_000)}x\n`, 'deep.yaml', { maxDepth: 10 }));
    expect(errors).toEqual(['deep.yaml:1:21 nested more than 10 levels deep (maxDepth); is this file generated or corrupted?']);
  });

  it('refuses a 1.1 MiB file by size, before parsing', () => {
    const text = `a: "${'x'.repeat(1.1 * 1024 * 1024)}`; // unterminated: parsing would fail differently
    expect(errorsOf(() => parseSource(text, 'big.yaml'))).toEqual([
      'big.yaml:1:1 file is larger than the 1048576-byte limit (maxBytes); scenario files are a few kilobytes – put long lists of arrival times in a trace file (arrivals.file, one per line)',
    ]);
    expect(errorsOf(() => parseSource('a: é', 'small.yaml', { maxBytes: 4 }))[0]).toMatch(/4-byte limit/);
    expect(parseSource('a: é', 'small.yaml', { maxBytes: 5 }).data).toEqual({ a: 'é' });
  });

  it('refuses NUL bytes, invalid UTF-8 and control characters with their position', () => {
    expect(errorsOf(() => parseSource('a: 1\nb: "x\u0000y"\n', 'bin.yaml'))).toEqual([
      'bin.yaml:2:6 contains a NUL byte; this looks like a binary file, not YAML or JSON text',
    ]);
    expect(errorsOf(() => parseSource('a: caf\uFFFD\n', 'latin1.yaml'))).toEqual([
      'latin1.yaml:1:7 contains bytes that are not valid UTF-8 (shown as U+FFFD); save the file as UTF-8 text',
    ]);
    expect(errorsOf(() => parseSource('a: \u0007\n', 'bell.yaml'))[0]).toBe(
      'bell.yaml:1:4 contains the control character U+0007; scenario files must be plain text',
    );
  });

  it('ignores a byte-order mark so columns match the editor', () => {
    const src = parseSource('\uFEFFa: [1]\n', 'bom.yaml');
    expect(src.locate(['a'])).toEqual({ line: 1, col: 4 });
  });
});
