import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { pathToString, validateSource } from './issues.js';
import { parseSource } from './index.js';
import { durationMs, probability, strictObject } from './units.js';
import { errorsOf, GOOD } from './test-fixtures.js';


// A small stand-in for the lead's scenario schema: strict objects, a discriminated union, units.
const dist = z.discriminatedUnion('dist', [
  strictObject({ dist: z.literal('constant'), value: durationMs }),
  strictObject({ dist: z.literal('uniform'), min: durationMs, max: durationMs }),
  strictObject({ dist: z.literal('gamma'), shape: z.number(), scale: durationMs }),
]);
const stage = strictObject({
  id: z.string(),
  latency: dist,
  retries: z.int().min(0).optional(),
  faults: strictObject({ error: probability, timeout: probability.optional() }).optional(),
});
const scenario = strictObject({ name: z.string(), mode: z.enum(['open', 'closed']).optional(), stages: z.array(stage).min(1) });


const check = (text: string, file = 's.yaml') => errorsOf(() => validateSource(parseSource(text, file), scenario));

describe('pathToString', () => {
  it('prints paths the way users write them', () => {
    expect(pathToString(['stages', 2, 'faults', 'error'])).toBe('stages[2].faults.error');
    expect(pathToString([])).toBe('');
    expect(pathToString([0, 'a.b', 'ok-key'])).toBe('[0]["a.b"].ok-key');
  });
});

describe('validateSource', () => {
  it('returns the schema output for a valid file', () => {
    const out = validateSource(parseSource(GOOD, 's.yaml'), scenario);
    expect(out.stages[0].latency).toEqual({ dist: 'constant', value: 20 });
    expect(out.stages[1].latency).toEqual({ dist: 'uniform', min: 1000, max: 2000 });
  });

  it('points an unknown key at the key itself, with a suggestion', () => {
    const text = GOOD.replace('      error: 0.1', '      error: 0.1\n      timeuot: 0.2');
    expect(check(text)).toEqual(['s.yaml:7:7 stages[0].faults.timeuot: unknown key "timeuot"; did you mean "timeout"?']);
  });

  it('splits several unknown keys into one issue per key', () => {
    const text = `name: x\nstagez: []\nzzz: 1\nstages:\n  - id: a\n    latency: { dist: constant, value: 1 }\n`;
    expect(check(text)).toEqual([
      's.yaml:2:1 stagez: unknown key "stagez"; did you mean "stages"?',
      's.yaml:3:1 zzz: unknown key "zzz"; valid keys: name, mode, stages',
    ]);
  });

  it('says what type was expected and what was found', () => {
    const text = GOOD.replace('name: demo', 'name: [demo]').replace('error: 0.1', 'error: high');
    expect(check(text)).toEqual([
      's.yaml:1:7 name: expected a string; got a list',
      's.yaml:6:14 stages[0].faults.error: must be a probability in [0, 1]; got "high"',
    ]);
  });

  it('names the discriminator, the unknown tag and the valid ones', () => {
    const text = GOOD.replace('dist: constant', 'dist: gama');
    expect(check(text)).toEqual(['s.yaml:4:22 stages[0].latency.dist: unknown dist "gama"; did you mean "gamma"? valid: constant, uniform, gamma']);
    const untagged = GOOD.replace('dist: constant, ', '');
    expect(check(untagged)).toEqual(['s.yaml:4:14 stages[0].latency.dist: missing required key "dist" (one of constant, uniform, gamma)']);
  });

  it('suggests an enum value and keeps units messages', () => {
    expect(check(`${GOOD}mode: opne\n`)).toEqual(['s.yaml:9:7 mode: unknown value "opne"; did you mean "open"? valid: open, closed']);
    const text = GOOD.replace('value: 20ms', 'value: 2 sec');
    expect(check(text)).toEqual(['s.yaml:4:39 stages[0].latency.value: expected a duration such as 250ms, 2s or 5m; got "2 sec"']);
  });

  it('rewrites ranges and reports the closest branch of a plain union', () => {
    const schema = strictObject({
      n: z.number().min(3),
      list: z.array(z.number()).min(1),
      pick: z.union([z.number(), strictObject({ a: z.number() })]),
      either: z.union([z.number(), z.string()]),
    });
    const src = parseSource('n: 1\nlist: []\npick: { a: x }\neither: true\n', 'u.yaml');
    expect(errorsOf(() => validateSource(src, schema))).toEqual([
      'u.yaml:1:4 n: must be at least 3; got 1',
      'u.yaml:2:7 list: must have at least 1 item; got 0',
      'u.yaml:3:12 pick.a: expected a number; got "x"',
      'u.yaml:4:9 either: expected a number or a string; got true',
    ]);
  });

  it('keeps one message per field: the first, more specific one', () => {
    // Like schema.ts's latency: the field's own check, then a refinement of the object re-checking the value.
    const normal = strictObject({ mean: durationMs, sd: durationMs }).superRefine((d, ctx) => {
      if (!(d.sd > 0)) ctx.addIssue({ code: 'custom', path: ['sd'], message: `sdMs must be a finite number > 0 (got ${d.sd})` });
    });
    const schema = strictObject({ latency: normal });
    const src = parseSource('latency: { mean: 5ms, sd: -1 }\n', 'n.yaml');
    expect(schema.safeParse(src.data).error?.issues.map((i) => i.path.join('.'))).toEqual(['latency.sd', 'latency.sd']);
    expect(errorsOf(() => validateSource(src, schema))).toEqual(["n.yaml:1:27 latency.sd: a duration can't be negative; got -1"]);
  });
});

describe('missing keys', () => {
  it('reads the same whatever the key\'s schema, at the mapping that lacks the key', () => {
    const stageOf = strictObject({
      id: z.string(),
      latency: z.union([durationMs, dist]), // a union whose branches set their own messages
      next: z.lazy(() => dist),
      arrivals: z.discriminatedUnion('kind', [strictObject({ kind: z.literal('poisson'), rate: z.number() })]),
      faults: strictObject({ error: probability }),
      timeout: durationMs,
      mode: z.enum(['open', 'closed']),
      tags: z.array(z.string()),
    });
    const src = parseSource('stages:\n  - id: a\n  - 7\n', 's.yaml');
    expect(errorsOf(() => validateSource(src, strictObject({ stages: z.array(stageOf) })))).toEqual([
      's.yaml:2:5 stages[0].latency: missing required key "latency"',
      's.yaml:2:5 stages[0].next: missing required key "next"',
      's.yaml:2:5 stages[0].arrivals: missing required key "arrivals"',
      's.yaml:2:5 stages[0].faults: missing required key "faults"',
      's.yaml:2:5 stages[0].timeout: missing required key "timeout"',
      's.yaml:2:5 stages[0].mode: missing required key "mode"',
      's.yaml:2:5 stages[0].tags: missing required key "tags"',
      's.yaml:3:5 stages[1]: expected a mapping (key: value); got 7', // a wrong value, not a missing key
    ]);
  });

  it('puts a missing key of a list element at that element', () => {
    const text = GOOD.replace('  - id: generate\n', '  - \n');
    expect(check(text)).toEqual(['s.yaml:8:5 stages[1].id: missing required key "id"']);
  });

  it('keeps a refinement\'s own message about an absent key', () => {
    const schema = strictObject({ timeout: durationMs.optional(), retries: z.number().optional() }).superRefine((v, ctx) => {
      if (v.retries !== undefined && v.timeout === undefined) ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'retries need a "timeout"' });
    });
    expect(errorsOf(() => validateSource(parseSource('retries: 2\n', 'r.yaml'), schema))).toEqual(['r.yaml:1:1 timeout: retries need a "timeout"']);
  });
});
