/**
 * Scenarios that validated and then crashed the simulator (exit 3, no field
 * named) because a duration overflowed to Infinity (issue 12.13): each is now
 * a positioned error that says what is valid, and the boundary it names is
 * accepted and runs.
 */
import { describe, expect, it } from 'vitest';
import { parseSource, validateSource, ScenarioError } from './index.js';
import { scenarioSchema } from './schema.js';
import { compileScenario, CompileError } from './compile.js';
import { hardwareConfigSchema, type ResolvedHardware } from './hardware-schema.js';
import { simulateModel } from '../path/index.js';
import { MAX_DURATION_MS } from '../kernel/index.js';
import { makeSampler, type DistSpec } from '../kernel/index.js';
import { pathToString } from './issues.js';

const FILE = 's.yaml';

/** A one-stage scenario; `latency` and `extra` are spliced in as YAML. */
function text(latency: string, extra = '', stage = ''): string {
  return [
    'name: x',
    'requests: 50',
    'arrivals: { kind: poisson, rate: 10 }',
    'pools: { cpu: { servers: 2 } }',
    'stages:',
    '  - id: a',
    '    pool: cpu',
    `    latency: ${latency}`,
    ...(stage === '' ? [] : [`    ${stage}`]),
    extra,
  ].join('\n');
}

/** The loader's steps without files: validate, compile (positioned like load-scenario.ts), and run 50 requests. */
function load(source: string, hardware?: ResolvedHardware): string[] | 'ran' {
  const src = parseSource(source, FILE);
  try {
    const s = validateSource(src, scenarioSchema);
    const model = compileScenario(s, hardware === undefined ? {} : { hardware });
    const r = simulateModel(model);
    expect(r.outcomes.success + r.outcomes.failed + r.outcomes.timedOut + r.outcomes.rejected + r.outcomes.silentFailure + r.outcomes.escalated).toBe(r.requests);
    expect(Number.isFinite(r.latencyMs.mean)).toBe(true);
    return 'ran';
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    if (e instanceof CompileError) {
      const pos = src.locate(e.path);
      return [`${FILE}:${pos.line}:${pos.col} ${pathToString(e.path)}: ${e.message}`];
    }
    throw e;
  }
}

function hardwareOf(speedFactor: number): ResolvedHardware {
  return { config: hardwareConfigSchema.parse({ name: 'slow', pools: { cpu: { speedFactor } } }) };
}

const SUFFIX = 'the largest draw, at the top uniform 1 − 2^-32, must stay within 1e12 ms (about 32 years), and this one reaches';

describe('the issue\'s scenarios: a positioned error that says what is valid', () => {
  it('Pareto shape 0.01', () => {
    expect(load(text('{ dist: pareto, shape: 0.01, scale: 10ms }'))).toEqual([
      `s.yaml:8:37 stages[0].latency.shape: must be at least 0.876 for scale 10 – ${SUFFIX} Infinity ms; got 0.01`,
    ]);
  });

  it('lognormal sigma 1000', () => {
    expect(load(text('{ dist: lognormal, mu: 1, sigma: 1000 }'))).toEqual([
      `s.yaml:8:47 stages[0].latency.sigma: must be at most 4.27 for mu 1 – ${SUFFIX} Infinity ms; got 1000`,
    ]);
  });

  it('normal sd 1e308', () => {
    expect(load(text('{ dist: normal, mean: 10ms, sd: 1e308 }'))).toEqual([
      's.yaml:8:46 stages[0].latency.sd: a duration must be at most 1e12 ms (about 32 years); got 1e+308',
    ]);
    expect(load(text('{ dist: normal, mean: 10ms, sd: 1e12 }'))).toEqual([
      `s.yaml:8:46 stages[0].latency.sd: must be at most 1.57e+11 for mean 10 – ${SUFFIX} 6.34e+12 ms; got 1000000000000`,
    ]);
  });

  it('Weibull shape 0.001', () => {
    expect(load(text('{ dist: weibull, shape: 0.001, scale: 10ms }'))).toEqual([
      `s.yaml:8:38 stages[0].latency.shape: must be at least 0.123 for scale 10 – ${SUFFIX} Infinity ms; got 0.001`,
    ]);
  });

  it('latency 1e308 and backoff base 1e300 with a cap to match', () => {
    expect(load(text('1e308'))).toEqual(['s.yaml:8:14 stages[0].latency: a duration must be at most 1e12 ms (about 32 years); got 1e+308']);
    expect(load(text('10ms', '', 'retry: { maxAttempts: 3, backoff: { base: 1e300, max: 1e308 } }'))).toEqual([
      's.yaml:9:47 stages[0].retry.backoff.base: a duration must be at most 1e12 ms (about 32 years); got 1e+300',
      's.yaml:9:59 stages[0].retry.backoff.max: a duration must be at most 1e12 ms (about 32 years); got 1e+308',
    ]);
  });

  it('incident latency factor 1e308', () => {
    expect(load(text('10ms', 'incidents: [{ stage: a, from: 0, to: 1s, latencyFactor: 1e308 }]'))).toEqual([
      "s.yaml:9:57 incidents[0].latencyFactor: multiplies a's attempts (up to 10 ms) to Infinity ms; an attempt must stay within 1e12 ms (about 32 years) – valid here: at most 1e+11",
    ]);
  });

  it('hardware speedFactor 5e-324 is refused in the hardware file; a legal factor that carries a service time past the bound, at the latency', () => {
    const hw = parseSource('name: slow\npools: { cpu: { speedFactor: 5e-324 } }\n', 'hw.yaml');
    expect(() => validateSource(hw, hardwareConfigSchema)).toThrow(
      'hw.yaml:2:30 pools.cpu.speedFactor: must be between 0.000001 and 1000000 (a ratio of machine speeds)',
    );
    expect(load(text('1e9'), hardwareOf(1e-6))).toEqual([
      's.yaml:8:14 stages[0].latency: service times reach 1e+15 ms once the speed factor 0.000001 from hardware "slow" divides them (largest draw 1e+9 ms); ' +
        'a service time must stay within 1e12 ms (about 32 years) – valid here: a speed factor of at least 0.001, or a shorter latency',
    ]);
  });

  it('durations elsewhere: an attempt limit, a fixed interval, a think time, a Poisson rate', () => {
    expect(load(text('10ms', '', 'timeout: 1e308'))).toEqual(['s.yaml:9:14 stages[0].timeout: a duration must be at most 1e12 ms (about 32 years); got 1e+308']);
    expect(load(text('10ms').replace('kind: poisson, rate: 10', 'kind: fixed, interval: 1e308'))).toEqual([
      's.yaml:3:36 arrivals.interval: a duration must be at most 1e12 ms (about 32 years); got 1e+308',
    ]);
    expect(load(text('10ms').replace('kind: poisson, rate: 10', 'kind: closed, users: 2, thinkTime: "999999999h"'))).toEqual([
      's.yaml:3:48 arrivals.thinkTime: a duration must be at most 1e12 ms (about 32 years); got "999999999h"',
    ]);
    expect(load(text('10ms').replace('rate: 10', 'rate: 1e-300'))).toEqual([
      's.yaml:3:34 arrivals.rate: must be at least 1e-9/s: the mean gap between arrivals must stay within 1e12 ms (about 32 years); got 1e-300/s',
    ]);
  });
});

describe('the bounds are what they say: the valid side runs', () => {
  it('every named bound is accepted and runs 50 requests to the end', () => {
    for (const [latency, stage, extra] of [
      ['{ dist: pareto, shape: 0.876, scale: 10ms }', '', ''],
      ['{ dist: lognormal, mu: 1, sigma: 4.27 }', '', ''],
      ['{ dist: normal, mean: 10ms, sd: 157000000000 }', '', ''],
      ['{ dist: weibull, shape: 0.123, scale: 10ms }', '', ''],
      ['1e12', '', ''],
      ['10ms', 'retry: { maxAttempts: 3, backoff: { base: 1e12, max: 1e12 } }', ''],
      ['10ms', '', 'incidents: [{ stage: a, from: 0, to: 1s, latencyFactor: 100000000000 }]'],
    ])
      expect({ latency, result: load(text(latency, extra, stage)) }).toEqual({ latency, result: 'ran' });
    expect(load(text('1e9'), hardwareOf(0.001))).toBe('ran');
    expect(load(text('10ms').replace('rate: 10', 'rate: 1e-9'))).toBe('ran');
  });

  it('every sampler kind keeps its largest draw within the bound, or refuses', () => {
    for (const spec of [
      { dist: 'exponential', meanMs: 4.5e10 },
      { dist: 'gamma', shape: 1e6, scaleMs: 9e5 },
      { dist: 'lognormal', medianMs: 1000, p99Ms: 2.29e6 },
      { dist: 'mixture', components: [{ weight: 1, of: { dist: 'pareto', shape: 0.876, scaleMs: 10 } }, { weight: 1, of: { dist: 'constant', valueMs: 1e12 } }] },
    ] as DistSpec[])
      expect(makeSampler(spec).maxMs).toBeLessThanOrEqual(MAX_DURATION_MS);
    expect(() => makeSampler({ dist: 'exponential', meanMs: 4.6e10 })).toThrow(/meanMs must be at most 4\.5e\+10 – /);
    expect(() => makeSampler({ dist: 'gamma', shape: 1e6, scaleMs: 1e6 })).toThrow(/scaleMs must be at most 993000 for shape 1000000 – /);
    expect(() => makeSampler({ dist: 'lognormal', medianMs: 1000, p99Ms: 2.3e6 })).toThrow(/p99Ms must be at most 2\.29e\+6 for medianMs 1000 – /);
  });
});
