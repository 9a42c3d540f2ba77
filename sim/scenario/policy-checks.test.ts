/**
 * Smaller wrong outputs from scenario fields (issue 12.20): a timeline of 0
 * that switched it off without a word and one so fine it was coarsened
 * without a word, `retryOn: [caught]` where nothing catches, and a rate
 * breaker that opens at a failure rate of 0.
 */
import { describe, expect, it } from 'vitest';
import { validationErrors as errors } from './test-fixtures.js';
import { scenarioSchema, type ScenarioInput } from './schema.js';
import { compileScenario } from './compile.js';
import { findWarnings } from './warnings.js';


/** The policy warnings of a scenario given as data. */
function warnings(input: ScenarioInput): string[] {
  const model = compileScenario(scenarioSchema.parse(input));
  return findWarnings({ input, model })
    .filter((w) => w.code === 'timeline-coarsened' || w.code === 'retry-on-caught-without-validate')
    .map((w) => `${w.path.join('.')}: ${w.message}`);
}

const head = 'name: x\narrivals: { kind: poisson, rate: 10 }\npools: { cpu: { servers: 1 } }\nstages: [{ id: a, pool: cpu, latency: 1 }]\n';
const base = (extra: Partial<ScenarioInput> = {}, stage: Record<string, unknown> = {}): ScenarioInput => ({
  name: 'x',
  requests: 1000,
  arrivals: { kind: 'poisson', rate: 10 },
  pools: { cpu: { servers: 1 } },
  stages: [{ id: 'a', pool: 'cpu', latency: 1, ...stage }],
  ...extra,
});

describe('timeline', () => {
  it('0, or anything under 1us, is refused where it is written', () => {
    expect(errors(`${head}timeline: 0\n`)).toEqual(['s.yaml:5:11 timeline: must be at least 1us: the width of a timeline bucket (leave timeline out to record none); got 0 ms']);
    expect(errors(`${head}timeline: 0.0009\n`)).toEqual(['s.yaml:5:11 timeline: must be at least 1us: the width of a timeline bucket (leave timeline out to record none); got 0.0009 ms']);
    expect(errors(`${head}timeline: 1us\n`)).toEqual([]);
  });

  it('buckets the arrivals alone overflow are warned about, with the width they will reach and one to write', () => {
    // 1,000 arrivals at 10/s: about 100 s (1.7 min). 512 buckets of 1 µs cover 0.512 ms; doubling reaches 262 ms.
    expect(warnings(base({ timeline: '1us' }))).toEqual([
      'timeline: 512 buckets of 0.001 ms cover 0.512 ms, and the arrivals alone take about 1.7 min: neighbouring buckets will merge as the run goes, to 262 ms or wider – write timeline: 200ms or wider to choose the width',
    ]);
    // 512 buckets of 200 ms cover 102.4 s: enough.
    expect(warnings(base({ timeline: '200ms' }))).toEqual([]);
  });
});

describe('retryOn: [caught] without validate', () => {
  it('is warned about at retryOn; with nothing else listed the policy never acts', () => {
    expect(warnings(base({}, { retry: { maxAttempts: 3, retryOn: ['caught'] } }))).toEqual([
      'stages.0.retry.retryOn: retries caught corruption, but a has no validate block, so nothing is caught here and this retry policy never acts: add validate: { catchRate: … } to a, or take caught out of retryOn',
    ]);
    expect(warnings(base({}, { retry: { maxAttempts: 3, retryOn: ['error', 'caught'] } }))).toEqual([
      'stages.0.retry.retryOn: retries caught corruption, but a has no validate block, so nothing is caught here: add validate: { catchRate: … } to a, or take caught out of retryOn',
    ]);
  });

  it('is quiet with validation, with the default retryOn, or with one attempt', () => {
    expect(warnings(base({}, { retry: { maxAttempts: 3, retryOn: ['caught'] }, validate: { catchRate: 0.5 } }))).toEqual([]);
    expect(warnings(base({}, { retry: { maxAttempts: 3 } }))).toEqual([]);
    expect(warnings(base({}, { retry: { maxAttempts: 1, retryOn: ['caught'] } }))).toEqual([]);
  });
});

describe('a rate breaker', () => {
  const breaker = (rate: string) => `${head.replace('latency: 1 }', `latency: 1, breaker: { kind: rate, failureRate: ${rate} } }`)}`;

  it('with failureRate 0 is refused (resilience4j requires > 0); anything above, up to 1, is accepted', () => {
    expect(errors(breaker('0'))).toEqual([
      "s.yaml:4:78 stages[0].breaker.failureRate: must be above 0 and at most 1 (resilience4j's failureRateThreshold must be > 0: at 0 every call would open the breaker); got 0",
    ]);
    expect(errors(breaker('0.000001'))).toEqual([]);
    expect(errors(breaker('1'))).toEqual([]);
  });
});
