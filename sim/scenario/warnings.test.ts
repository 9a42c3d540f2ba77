import { describe, expect, it } from 'vitest';
import { applyOverrides, parseSource, validateSource } from './index.js';
import { scenarioSchema } from './schema.js';
import { compileScenario } from './compile.js';
import { variantInput } from './variants.js';
import { scenarioWarnings } from './warning-locate.js';
import { formatWarning, quantileMs, pathMedianMs, durationText, growthText } from './warnings.js';
import { makeSampler } from '../kernel/index.js';

/** Loads text the way the CLI does (parse, --set, validate, compile, variants) and returns the formatted warnings. */
function warningsOf(text: string, sets: string[] = []): string[] {
  const src = applyOverrides(parseSource(text, 's.yaml'), sets);
  const scenario = validateSource(src, scenarioSchema);
  const model = compileScenario(scenario);
  const variants = (scenario.variants ?? []).map((v) => {
    const input = variantInput(src.data as Record<string, unknown>, v.patch);
    return { name: v.name, patch: v.patch, input, model: compileScenario(scenarioSchema.parse(input)) };
  });
  return scenarioWarnings(src, { input: src.data, model }, variants).map(formatWarning);
}

/** Two constant stages of 600 ms each: the path's median latency is 1.2 s. */
const twoStages = (head: string, stageExtra = '') => `name: w
${head}
arrivals: { kind: poisson, rate: 1/s }
pools:
  cpu: { servers: 4 }
stages:
  - { id: plan, pool: cpu, latency: 600ms${stageExtra} }
  - { id: act, pool: cpu, latency: 600ms }
`;

describe('scenario warnings', () => {
  it('a clean scenario has none', () => {
    expect(warningsOf(twoStages('deadline: 30s', ', timeout: 2s'))).toEqual([]);
  });

  it('deadline: 30 – a bare number shorter than the path is 30 ms, and says what was meant', () => {
    expect(warningsOf(twoStages('deadline: 30'))).toEqual([
      "s.yaml:2:11 warning: deadline: 30 is 30 ms (a bare number is milliseconds), shorter than the path's median latency of about 1.2 s " +
        "(the sum of its stages' median service times, before any queueing or retry): about half the requests or more will time out; " +
        'write 30s if seconds were meant, or 30ms to keep it',
    ]);
  });

  it('a deadline with a unit but shorter than the path median', () => {
    expect(warningsOf(twoStages('deadline: 800ms'))).toEqual([
      "s.yaml:2:11 warning: deadline: shorter than the path's median latency of about 1.2 s (the sum of its stages' median service times, before any queueing or retry): " +
        'about half the requests or more will time out',
    ]);
  });

  it('a bare deadline under 1 s that the path fits in is still flagged; with a unit it is not', () => {
    const fast = (d: string) => twoStages(`deadline: ${d}`).replace(/600ms/g, '1ms');
    expect(warningsOf(fast('500'))).toEqual([
      's.yaml:2:11 warning: deadline: 500 is 500 ms: a bare number is milliseconds, implausibly short for a request deadline; write 500s if seconds were meant, or 500ms to keep it',
    ]);
    expect(warningsOf(fast('500ms'))).toEqual([]);
    expect(warningsOf(fast('1500'))).toEqual([]); // 1.5 s: plausible as written
  });

  it('an attempt time limit below the stage median: the share of attempts that outlast it, P(service > limit)', () => {
    // Exponential service, mean 600 ms, limit 100 ms: P(S > 100) = e^(−1/6) = 0.846…
    const text = twoStages('deadline: 30s').replace('latency: 600ms }', 'latency: { dist: exponential, mean: 600ms }, timeout: 100 }');
    expect(warningsOf(text)).toEqual([
      "s.yaml:7:82 warning: stages[0].timeout: 100 is 100 ms (a bare number is milliseconds), shorter than plan's median service time of 416 ms: " +
        'at least 84 % of its attempts outlast the limit (service time alone; queueing adds to it); write 100s if seconds were meant, or 100ms to keep it',
    ]);
  });

  it('bare backoff intervals copied from LangGraph (seconds there) and a bare breaker open time', () => {
    const text = twoStages(
      'deadline: 30s',
      ', retry: { maxAttempts: 3, backoff: { base: 0.5, max: 128 } }, breaker: { kind: consecutive, failures: 5, openFor: 30 }',
    );
    expect(warningsOf(text)).toEqual([
      "s.yaml:7:86 warning: stages[0].retry.backoff.base: 0.5 is 0.5 ms: a bare number is milliseconds, implausibly short for a backoff base (LangGraph initial_interval is in seconds); write 0.5s if seconds were meant, or 0.5ms to keep it",
      "s.yaml:7:96 warning: stages[0].retry.backoff.max: 128 is 128 ms: a bare number is milliseconds, implausibly short for a backoff cap (LangGraph max_interval is in seconds); write 128s if seconds were meant, or 128ms to keep it",
      "s.yaml:7:157 warning: stages[0].breaker.openFor: 30 is 30 ms: a bare number is milliseconds, implausibly short for a breaker's open time; write 30s if seconds were meant, or 30ms to keep it",
    ]);
  });

  const escalating = (deadline: string, handlingTime: string) => `name: e
deadline: ${deadline}
arrivals: { kind: poisson, rate: 1/s }
pools:
  cpu: { servers: 4 }
  human: { servers: 50 }
escalation: { pool: human, handlingTime: ${handlingTime} }
stages:
  - { id: answer, pool: cpu, latency: 100ms, faults: { error: 0.1 }, escalate: true }
`;

  it('an escalation handling time of 6 min against a 20 s deadline: every escalation ends timed out', () => {
    expect(warningsOf(escalating('20s', '6m'))).toEqual([
      's.yaml:7:42 warning: escalation.handlingTime: median 6.0 min is longer than the request deadline of 20 s: every escalation outlasts it and ends as timed out, not escalated ' +
        '(raise the deadline, or shorten the handling time if the human answers sooner)',
    ]);
    // Lognormal, median 6 min, p99 20 min: P(H > 20 s) = 1 − Φ(ln(1/18)/σ), σ = ln(20/6)/2.326 → 1 − 1.2e-8: at least 99.9 %.
    expect(warningsOf(escalating('20s', '{ dist: lognormal, median: 6m, p99: 20m }'))[0]).toMatch(/at least 99\.9 % of escalations outlast it/);
    expect(warningsOf(escalating('20m', '6m'))).toEqual([]);
  });

  it('a bare handling time reads as milliseconds: a person does not answer in 8 ms', () => {
    expect(warningsOf(escalating('1h', '{ dist: lognormal, median: 8, p99: 40 }'))).toEqual([
      's.yaml:7:69 warning: escalation.handlingTime.median: 8 is 8 ms: bare numbers are milliseconds, and a person handling an escalation in a median 8 ms is implausible; write 8m if minutes were meant, or 8ms to keep it',
    ]);
  });

  it('a pool offered 8.6× its capacity, bounded or not', () => {
    const text = (queue: string) => `name: o
arrivals: { kind: poisson, rate: 4/s }
pools:
  gpu: { servers: 1${queue} }
stages:
  - { id: infer, pool: gpu, latency: 2150ms }
`;
    expect(warningsOf(text(', queueCapacity: 50'))).toEqual([
      's.yaml:4:8 warning: pools.gpu: overloaded 8.6×: 4 requests/s × 2.15 s of server time each (expected attempts included) on 1 server; ' +
        'at least 88 % of its work will be refused at admission (queueCapacity 50) – add servers or lower the arrival rate',
    ]);
    expect(warningsOf(text(''))).toEqual([
      's.yaml:4:8 warning: pools.gpu: overloaded 8.6×: 4 requests/s × 2.15 s of server time each (expected attempts included) on 1 server; ' +
        'its queue grows by ~4 requests/s for as long as requests arrive – add servers or lower the arrival rate',
    ]);
  });

  it('a value from --set is placed at --set and quotes the argument', () => {
    expect(warningsOf(twoStages('deadline: 30s').replace(/600ms/g, '1ms'), ['deadline=30'])).toEqual([
      '--set:1:1 warning: deadline: 30 is 30 ms: a bare number is milliseconds, implausibly short for a request deadline; write 30s if seconds were meant, or 30ms to keep it (from --set deadline=30)',
    ]);
  });

  it("a variant's warnings point into its patch, or at the baseline line it inherited; one the baseline already has is not repeated", () => {
    const text = `${twoStages('deadline: 800ms')}variants:
  - name: tight
    kind: coordination
    patch: { deadline: 25, stages: { act: { timeout: 10 } } }
  - name: same
    kind: coordination
    patch: { stages: { plan: { faults: { error: 0.01 } } } }
`;
    const w = warningsOf(text);
    expect(w).toHaveLength(3);
    expect(w[0]).toMatch(/^s\.yaml:2:11 warning: deadline: shorter than the path's median latency/);
    expect(w[1]).toMatch(/^s\.yaml:12:24 warning: variants\[0\] \(tight\): deadline: 25 is 25 ms \(a bare number is milliseconds\), shorter than/);
    expect(w[2]).toMatch(/^s\.yaml:12:54 warning: variants\[0\] \(tight\): stages\[1\]\.timeout: 10 is 10 ms .*shorter than act's median service time of 600 ms: at least 100\.0 % of its attempts/);
  });
});

describe('the figures warnings quote', () => {
  it('quantileMs inverts the CDF: the exponential median is mean·ln 2, the lognormal median its median', () => {
    expect(quantileMs(makeSampler({ dist: 'exponential', meanMs: 600 }), 0.5)).toBeCloseTo(600 * Math.LN2, 6);
    expect(quantileMs(makeSampler({ dist: 'lognormal', medianMs: 240, p99Ms: 520 }), 0.5)).toBeCloseTo(240, 6);
    expect(quantileMs(makeSampler({ dist: 'constant', valueMs: 0 }), 0.5)).toBe(0);
  });

  it('the path median is the sum of the stage medians, scaled by the hardware speed', () => {
    const model = compileScenario(scenarioSchema.parse(parseSource(twoStages('deadline: 30s'), 's.yaml').data));
    expect(pathMedianMs(model)).toBeCloseTo(1200, 6);
  });

  it('durations are written as a person reads them', () => {
    expect([30, 1234, 20_000, 360_000, 7_200_000].map(durationText)).toEqual(['30 ms', '1.23 s', '20 s', '6.0 min', '2.0 h']);
  });

  it('a queue\'s growth reads as growth at any rate: per second, per minute or per hour', () => {
    // 0.2 requests/s at 1.5× overload: λ − c/D = 0.2 − 0.2/1.5 ≈ 0.067/s = 4 per minute.
    expect([4.4, 1, 0.2 - 0.2 / 1.5, 0.0001].map(growthText)).toEqual(['4 requests/s', '1 requests/s', '4 requests/min', '0.36 requests/h']);
  });
});
