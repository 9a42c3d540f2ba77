import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { didYouMean, durationMs, nonNegativeInt, osaDistance, positiveInt, probability, ratePerSec, strictObject } from './units.js';

/** The single message zod reports for `value`, or undefined when it parses. */
function messageOf(schema: z.ZodType, value: unknown): string | undefined {
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error.issues.map((i) => i.message).join(' | ');
}

describe('durationMs', () => {
  it.each([
    [250, 250],
    [0, 0],
    [1.5, 1.5],
    ['0', 0],
    ['500us', 0.5],
    ['500µs', 0.5],
    ['250ms', 250],
    ['2s', 2000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['250 ms', 250],
  ])('%j → %d ms', (input, ms) => {
    expect(durationMs.parse(input)).toBe(ms);
  });

  it.each([
    ['2 sec', 'expected a duration such as 250ms, 2s or 5m; got "2 sec"'],
    ['250', 'expected a duration such as 250ms, 2s or 5m; got "250"'],
    ['-5ms', 'expected a duration such as 250ms, 2s or 5m; got "-5ms"'],
    ['', 'expected a duration such as 250ms, 2s or 5m; got ""'],
    [-1, "a duration can't be negative; got -1"],
    [NaN, 'a duration must be a finite number of milliseconds; got NaN'],
    [Infinity, 'a duration must be a finite number of milliseconds; got Infinity'],
    [true, 'expected a duration: milliseconds as a number, or a string such as 250ms, 2s or 5m; got true'],
    [null, 'expected a duration: milliseconds as a number, or a string such as 250ms, 2s or 5m; got null'],
  ])('refuses %s', (input, message) => {
    expect(messageOf(durationMs, input)).toBe(message);
  });
});

describe('ratePerSec', () => {
  it.each([
    [40, 40],
    [0.5, 0.5],
    ['40/s', 40],
    ['40/sec', 40],
    ['2400/min', 40],
    ['100/h', 100 / 3600],
    ['1.5 / s', 1.5],
  ])('%j → %d per second', (input, perSec) => {
    expect(ratePerSec.parse(input)).toBeCloseTo(perSec, 12);
  });

  it.each([
    ['40 per second', 'expected a rate such as 40/s, 2400/min or 100/h; got "40 per second"'],
    ['40/day', 'expected a rate such as 40/s, 2400/min or 100/h; got "40/day"'],
    ['0/s', 'a rate must be positive; got "0/s"'],
    [0, 'a rate must be a positive finite number per second; got 0'],
    [-3, 'a rate must be a positive finite number per second; got -3'],
    [Infinity, 'a rate must be a positive finite number per second; got Infinity'],
    [[], 'expected a rate: a number per second, or a string such as 40/s, 2400/min or 100/h; got a list'],
  ])('refuses %s', (input, message) => {
    expect(messageOf(ratePerSec, input)).toBe(message);
  });
});

describe('probability and integers', () => {
  it('accepts the closed interval [0, 1]', () => {
    expect([0, 0.25, 1].map((p) => probability.parse(p))).toEqual([0, 0.25, 1]);
  });

  it.each([
    [1.2, 'must be a probability in [0, 1]; got 1.2'],
    [-0.1, 'must be a probability in [0, 1]; got -0.1'],
    [NaN, 'must be a probability in [0, 1]; got NaN'],
    [Infinity, 'must be a probability in [0, 1]; got Infinity'],
    ['0.1', 'must be a probability in [0, 1]; got "0.1"'],
  ])('probability refuses %s', (input, message) => {
    expect(messageOf(probability, input)).toBe(message);
  });

  it('positiveInt and nonNegativeInt name the rule and the value', () => {
    expect(positiveInt.parse(3)).toBe(3);
    expect(nonNegativeInt.parse(0)).toBe(0);
    expect(messageOf(positiveInt, 0)).toBe('must be a whole number of at least 1; got 0');
    expect(messageOf(positiveInt, 2.5)).toBe('must be a whole number of at least 1; got 2.5');
    expect(messageOf(nonNegativeInt, -1)).toBe('must be a whole number of at least 0; got -1');
    expect(messageOf(nonNegativeInt, '3')).toBe('must be a whole number of at least 0; got "3"');
  });
});

describe('didYouMean', () => {
  const keys = ['retries', 'timeout', 'backoff', 'retryBudget', 'id'];

  it('measures a transposition as one edit (optimal string alignment)', () => {
    expect(osaDistance('retires', 'retries')).toBe(1);
    expect(osaDistance('ca', 'abc')).toBe(3); // OSA, not full Damerau–Levenshtein (which gives 2)
    expect(osaDistance('', 'abc')).toBe(3);
  });

  it.each([
    ['retires', 'retries'],
    ['timeuot', 'timeout'],
    ['Timeout', 'timeout'],
    ['backof', 'backoff'],
    ['retryBudg', 'retryBudget'],
    ['retryBudgetPerSecond', 'retryBudget'],
  ])('%s → %s', (word, expected) => {
    expect(didYouMean(word, keys)).toBe(expected);
  });

  it.each([['zzz'], ['x'], ['seed'], ['ab']])('%s → nothing close', (word) => {
    expect(didYouMean(word, keys)).toBeUndefined();
  });

  it('breaks ties by candidate order', () => {
    expect(didYouMean('ab', ['ax', 'xb'])).toBe('ax');
    expect(didYouMean('abc', ['abx', 'xbc'])).toBe('abx');
  });
});

describe('strictObject', () => {
  const schema = strictObject({ retries: z.number(), timeout: z.number(), backoff: z.number() });

  it('suggests the key that was meant and keeps the offending keys on the issue', () => {
    const r = schema.safeParse({ retires: 1, timeout: 2, backoff: 3, retries: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      { code: 'unrecognized_keys', keys: ['retires'], path: [], message: 'unknown key "retires"; did you mean "retries"?' },
    ]);
  });

  it('lists the valid keys when nothing is close, one line per key', () => {
    const r = schema.safeParse({ retries: 1, timeout: 2, backoff: 3, zzz: 0, timeuot: 1 });
    expect(r.error?.issues[0].message).toBe('unknown key "zzz"; valid keys: retries, timeout, backoff\nunknown key "timeuot"; did you mean "timeout"?');
  });

  it('stays representable as JSON Schema for editors', () => {
    const json = z.toJSONSchema(strictObject({ wait: durationMs, p: probability }), { target: 'draft-7', io: 'input' });
    expect(json).toMatchObject({ type: 'object', additionalProperties: false, required: ['wait', 'p'] });
    expect(json.properties?.p).toEqual({ type: 'number', minimum: 0, maximum: 1 });
    expect(JSON.stringify(json.properties?.wait)).toContain('"anyOf"');
  });
});
