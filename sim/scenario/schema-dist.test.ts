import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseSource, validateSource } from './index.js';
import { scenarioSchema } from './schema.js';
import { strictObject } from './units.js';
import { errorsOf } from './test-fixtures.js';

/** A one-stage scenario whose latency is `latency` (written on line 7, at column 14). */
const scenario = (latency: string) =>
  `name: x\narrivals: { kind: poisson, rate: 10/s }\npools: { cpu: { servers: 2 } }\nstages:\n  - id: a\n    pool: cpu\n    latency: ${latency}\n`;
const errors = (latency: string) => errorsOf(() => validateSource(parseSource(scenario(latency), 'l.yaml'), scenarioSchema));

const LOGNORMAL_KEYS = 'valid keys: dist, mu, sigma, median, p99 – give {mu, sigma} or {median, p99}';

describe('a distribution missing a parameter says what to write (issue 11.6)', () => {
  it('a lognormal with half a parameter set names the other half, not "p99Ms … got NaN"', () => {
    expect(errors('{ dist: lognormal, median: 200ms }')).toEqual([
      'l.yaml:7:14 stages[0].latency: a lognormal needs either {mu, sigma} or {median, p99}; got median only – add p99: <duration>',
    ]);
    expect(errors('{ dist: lognormal, p99: 1s }')).toEqual([
      'l.yaml:7:14 stages[0].latency: a lognormal needs either {mu, sigma} or {median, p99}; got p99 only – add median: <duration>',
    ]);
    expect(errors('{ dist: lognormal, mu: 1 }')).toEqual([
      'l.yaml:7:14 stages[0].latency: a lognormal needs either {mu, sigma} or {median, p99}; got mu only – add sigma: <number>',
    ]);
  });

  it('neither set, or parts of both', () => {
    expect(errors('{ dist: lognormal }')).toEqual([
      'l.yaml:7:14 stages[0].latency: a lognormal needs either {mu, sigma} or {median, p99}; got neither – add mu: <number> and sigma: <number>, or median: <duration> and p99: <duration>',
    ]);
    expect(errors('{ dist: lognormal, mu: 1, median: 3ms }')).toEqual([
      'l.yaml:7:14 stages[0].latency: a lognormal needs either {mu, sigma} or {median, p99}, not both; got mu and median – keep one and remove the rest',
    ]);
    expect(errors('{ dist: empirical }')).toEqual([
      'l.yaml:7:14 stages[0].latency: an empirical needs either quantiles or samples; got neither – add quantiles: [{ p: 0, value: <duration> }, …, { p: 1, value: <duration> }], or samples: [<duration>, …]',
    ]);
    expect(errors('{ dist: empirical, samples: [1], quantiles: [] }')).toEqual([
      'l.yaml:7:14 stages[0].latency: an empirical needs either quantiles or samples, not both; got quantiles and samples – keep one and remove the rest',
    ]);
  });

  it('inside a mixture too', () => {
    expect(errors('{ dist: mixture, components: [{ weight: 1, of: { dist: lognormal, median: 3ms } }] }')).toEqual([
      'l.yaml:7:61 stages[0].latency.components[0].of: a lognormal needs either {mu, sigma} or {median, p99}; got median only – add p99: <duration>',
    ]);
  });

  it('the kinds with one parameter set name the missing key', () => {
    expect(errors('{ dist: uniform, min: 1ms }')).toEqual(['l.yaml:7:14 stages[0].latency.max: missing required key "max"']);
    expect(errors('{ dist: gamma, shape: 2 }')).toEqual(['l.yaml:7:14 stages[0].latency.scale: missing required key "scale"']);
  });
});

describe('a key that is not a parameter is reported as one, not as another kind of latency (issue 11.6)', () => {
  it('p95 on a lognormal: not a parameter, the valid keys – not "kernel" missing', () => {
    expect(errors('{ dist: lognormal, median: 200ms, p95: 400ms }')).toEqual([
      'l.yaml:7:14 stages[0].latency: a lognormal needs either {mu, sigma} or {median, p99}; got median only – add p99: <duration>',
      `l.yaml:7:48 stages[0].latency.p95: "p95" is not a lognormal parameter; did you mean "p99"? ${LOGNORMAL_KEYS}`,
    ]);
    expect(errors('{ dist: lognormal, median: 200ms, p99: 1s, foo: 2 }')).toEqual([
      `l.yaml:7:57 stages[0].latency.foo: "foo" is not a lognormal parameter; ${LOGNORMAL_KEYS}`,
    ]);
  });

  it('a rate on an exponential: the missing mean and the stray key – not "expected a duration"', () => {
    expect(errors('{ dist: exponential, rate: 5 }')).toEqual([
      'l.yaml:7:14 stages[0].latency.mean: missing required key "mean"',
      'l.yaml:7:35 stages[0].latency.rate: "rate" is not an exponential parameter; valid keys: dist, mean',
    ]);
  });

  it('every kind', () => {
    const cases: [string, string][] = [
      ['{ dist: constant, value: 5ms, mean: 3ms }', 'l.yaml:7:44 stages[0].latency.mean: "mean" is not a constant parameter; valid keys: dist, value'],
      ['{ dist: uniform, min: 1ms, max: 2ms, mean: 2ms }', 'l.yaml:7:51 stages[0].latency.mean: "mean" is not a uniform parameter; did you mean "min"? valid keys: dist, min, max'],
      ['{ dist: normal, mean: 5ms, sd: 1ms, p99: 3ms }', 'l.yaml:7:50 stages[0].latency.p99: "p99" is not a normal parameter; valid keys: dist, mean, sd'],
      ['{ dist: gamma, shape: 2, scale: 1ms, rate: 3 }', 'l.yaml:7:51 stages[0].latency.rate: "rate" is not a gamma parameter; valid keys: dist, shape, scale'],
      ['{ dist: weibull, shape: 2, scale: 1ms, k: 3 }', 'l.yaml:7:53 stages[0].latency.k: "k" is not a weibull parameter; valid keys: dist, shape, scale'],
      ['{ dist: pareto, shape: 2, scale: 1ms, min: 1ms }', 'l.yaml:7:52 stages[0].latency.min: "min" is not a pareto parameter; valid keys: dist, shape, scale'],
      ['{ dist: empirical, samples: [1], p99: 3 }', 'l.yaml:7:47 stages[0].latency.p99: "p99" is not an empirical parameter; valid keys: dist, quantiles, samples – give quantiles or samples'],
      ['{ dist: mixture, components: [{ weight: 1, of: { dist: constant, value: 5ms } }], p: 1 }', 'l.yaml:7:96 stages[0].latency.p: "p" is not a mixture parameter; valid keys: dist, components'],
      [
        '{ dist: mixture, components: [{ weight: 1, of: { dist: exponential, mean: 3ms, sd: 1 } }] }',
        'l.yaml:7:93 stages[0].latency.components[0].of.sd: "sd" is not an exponential parameter; valid keys: dist, mean',
      ],
    ];
    for (const [latency, message] of cases) expect(errors(latency)).toEqual([message]);
  });

  it('a measured kernel latency keeps its own words', () => {
    expect(errors('{ kernel: retrieval.x, calls: 2, foo: 1 }')).toEqual(['l.yaml:7:47 stages[0].latency.foo: unknown key "foo"; valid keys: kernel, calls, overhead']);
    expect(errors('{ calls: 2 }')).toEqual(['l.yaml:7:14 stages[0].latency.kernel: missing required key "kernel"']);
  });
});

describe("a sampler's parameter error reads in the file's words", () => {
  it('names the key as written and places the error on it', () => {
    expect(errors('{ dist: lognormal, median: 3ms, p99: 2ms }')).toEqual(['l.yaml:7:51 stages[0].latency.p99: must be > median (3); got 2']);
    expect(errors('{ dist: uniform, min: 5ms, max: 2ms }')).toEqual(["l.yaml:7:46 stages[0].latency.max: must be > min (5); use 'constant' for a point; got 2"]);
    expect(errors('{ dist: empirical, quantiles: [{p: 0, value: 1}] }')).toEqual([
      'l.yaml:7:44 stages[0].latency.quantiles: must be a list of at least 2 points including p = 0 and p = 1; got 1 item',
    ]);
    expect(errors('{ dist: mixture, components: [{ weight: 0, of: { dist: exponential, mean: 3ms } }] }')).toEqual([
      'l.yaml:7:54 stages[0].latency.components[0].weight: must be a finite number > 0; got 0',
    ]);
  });
});

describe('which branch of a failed union is reported', () => {
  // Two shapes of one field, as a latency is a { kernel } mapping or a distribution; the first listed wins ties.
  const schema = strictObject({
    v: z.union([strictObject({ k: z.string(), c: z.number().optional() }), strictObject({ a: z.number(), b: z.number() })]),
  });
  const check = (text: string) => errorsOf(() => validateSource(parseSource(text, 'u.yaml'), schema));

  it('the branch whose keys fit the input best, even when another failed as deep and as often', () => {
    // The { k } branch knows none of a, b, x and lacks k (4 misfits); the { a, b } branch has one stray key.
    expect(check('v: { a: 1, b: x, x: 3 }\n')).toEqual(['u.yaml:1:15 v.b: expected a number; got "x"', 'u.yaml:1:18 v.x: unknown key "x"; valid keys: a, b']);
    expect(check('v: { k: 1, y: 2 }\n')).toEqual(['u.yaml:1:9 v.k: expected a string; got 1', 'u.yaml:1:12 v.y: unknown key "y"; valid keys: k, c']);
  });
});
