import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { applyOverrides, setOverride } from './overrides.js';
import { parseSource, validateSource } from './index.js';
import { durationMs, probability, strictObject } from './units.js';
import { errorsOf, GOOD } from './test-fixtures.js';



// A stand-in for the lead's schema, loose about distributions: only the fields --set reaches here.
const latency = strictObject({ dist: z.string(), value: durationMs.optional(), min: durationMs.optional(), max: durationMs.optional() });
const faults = strictObject({ error: probability, timeout: probability.optional() });
const stage = strictObject({ id: z.string(), latency, retries: z.int().min(0).optional(), faults: faults.optional() });
const scenario = strictObject({ name: z.string(), stages: z.array(stage).min(1) });

describe('setOverride', () => {
  const data = () => parseSource(GOOD, 's.yaml').data;

  it('sets by index and by element id, parsing the value as YAML', () => {
    const d = data();
    expect(setOverride(d, 'stages.0.faults.error', '0.25')).toBe(d);
    setOverride(d, 'stages.generate.retries', '3');
    setOverride(d, 'stages.retrieval.latency.value', '2s');
    setOverride(d, 'name', 'true');
    expect(d).toMatchObject({
      name: true,
      stages: [{ faults: { error: 0.25 }, latency: { value: '2s' } }, { id: 'generate', retries: 3 }],
    });
  });

  it('does not leak a change into other uses of the same alias', () => {
    const d = parseSource('base: &s { retries: 1 }\nstages: [*s, *s]\n', 'a.yaml').data;
    setOverride(d, 'stages.0.retries', '3');
    expect(d).toEqual({ base: { retries: 1 }, stages: [{ retries: 3 }, { retries: 1 }] });
  });

  it("adds a mapping the file leaves out, as Helm's --set does (stages.generate.faults.error on a stage without faults)", () => {
    const d = data();
    setOverride(d, 'stages.generate.faults.error', '0.2');
    expect(d).toMatchObject({ stages: [{ faults: { error: 0.1 } }, { id: 'generate', faults: { error: 0.2 } }] });
  });

  it('throws a --set ScenarioError for a path that does not exist', () => {
    expect(errorsOf(() => setOverride(data(), 'stages.retrival.faults.error', '0.1'))).toEqual([
      '--set:1:1 stages.retrival.faults.error: stages has no element with id or name "retrival"; did you mean "retrieval"? have: retrieval, generate',
    ]);
    expect(errorsOf(() => setOverride(data(), 'stages.7.retries', '1'))).toEqual([
      '--set:1:1 stages.7.retries: index 7 is out of range; stages has 2 elements',
    ]);
    expect(errorsOf(() => setOverride(data(), 'stagez.0.id', 'x'))).toEqual([
      '--set:1:1 stagez.0.id: the scenario has no key "stagez"; did you mean "stages"?',
    ]);
    expect(errorsOf(() => setOverride(data(), 'name.first', 'x'))).toEqual([
      '--set:1:1 name.first: name is "demo", not a mapping or a list, so "first" cannot be set inside it',
    ]);
    expect(errorsOf(() => setOverride(data(), '__proto__.polluted', '1'))[0]).toMatch(/"__proto__" cannot be set/);
    expect(errorsOf(() => setOverride(data(), 'stages..id', '1'))[0]).toMatch(/expected a dotted path/);
  });
});

describe('applyOverrides', () => {
  const src = () => parseSource(GOOD, 's.yaml');
  const check = (sets: string[], text = GOOD) => errorsOf(() => validateSource(applyOverrides(parseSource(text, 's.yaml'), sets), scenario));

  it('applies every path=value in order and leaves the parsed source alone', () => {
    const before = src();
    const after = applyOverrides(before, ['stages.generate.retries=2', 'stages.0.faults.error=0.5', 'stages.0.faults.error=0.25']);
    expect(validateSource(after, scenario).stages.map((s) => [s.retries, s.faults?.error])).toEqual([[undefined, 0.25], [2, undefined]]);
    expect(after.overrides).toEqual([
      { path: ['stages', 1, 'retries'], text: 'stages.generate.retries=2' },
      { path: ['stages', 0, 'faults', 'error'], text: 'stages.0.faults.error=0.5' },
      { path: ['stages', 0, 'faults', 'error'], text: 'stages.0.faults.error=0.25' },
    ]);
    expect(before.data).toEqual(src().data);
    expect(before.overrides).toBeUndefined();
    expect(after.locate(['stages', 0, 'faults', 'error'])).toEqual({ line: 6, col: 14 }); // locate stays about the file
  });

  it('reports a bad value against --set, quoting the argument, not at the text it replaced', () => {
    expect(check(['stages.retrieval.faults.error=1.5'])).toEqual([
      '--set:1:1 stages[0].faults.error: must be a probability in [0, 1]; got 1.5 (from --set stages.retrieval.faults.error=1.5)',
    ]);
  });

  it('covers everything inside an overridden value, including keys it adds', () => {
    expect(check(['stages.0.faults.eror=0.1', 'stages.generate.latency={ dist: constant, value: -1 }'])).toEqual([
      '--set:1:1 stages[0].faults.eror: unknown key "eror"; did you mean "error"? (from --set stages.0.faults.eror=0.1)',
      "--set:1:1 stages[1].latency.value: a duration can't be negative; got -1 (from --set stages.generate.latency={ dist: constant, value: -1 })",
    ]);
  });

  it('covers a mapping an override added, and what is misspelt inside or under it', () => {
    expect(check(['stages.generate.faultz.error=0.2'])).toEqual([
      '--set:1:1 stages[1].faultz: unknown key "faultz"; did you mean "faults"? (from --set stages.generate.faultz.error=0.2)',
    ]);
    expect(check(['stages.generate.faults.eror=0.2'])).toEqual([
      '--set:1:1 stages[1].faults.error: missing required key "error" (from --set stages.generate.faults.eror=0.2)',
      '--set:1:1 stages[1].faults.eror: unknown key "eror"; did you mean "error"? (from --set stages.generate.faults.eror=0.2)',
    ]);
  });

  it('blames the override that wrote the value last', () => {
    expect(check(['stages.0.faults={ error: 3 }', 'stages.0.faults.error=2'])).toEqual([
      '--set:1:1 stages[0].faults.error: must be a probability in [0, 1]; got 2 (from --set stages.0.faults.error=2)',
    ]);
    expect(check(['stages.0.faults.error=2', 'stages.0.faults={ error: 3 }'])).toEqual([
      '--set:1:1 stages[0].faults.error: must be a probability in [0, 1]; got 3 (from --set stages.0.faults={ error: 3 })',
    ]);
  });

  it('lists file issues in file order first, then --set issues in the order given', () => {
    const text = GOOD.replace('name: demo', 'name: 5');
    expect(check(['stages.1.retries=-1', 'stages.0.retries=x'], text)).toEqual([
      's.yaml:1:7 name: expected a string; got 5',
      '--set:1:1 stages[1].retries: must be at least 0; got -1 (from --set stages.1.retries=-1)',
      '--set:1:1 stages[0].retries: expected a number; got "x" (from --set stages.0.retries=x)',
    ]);
  });

  it('refuses an argument without "=" against --set', () => {
    expect(errorsOf(() => applyOverrides(src(), ['stages.0.retries']))).toEqual([
      '--set:1:1 expected path=value such as stages.retrieval.faults.error=0.1; got "stages.0.retries"',
    ]);
  });
});
