/**
 * Attempt tokens and draw keys stay exact however many attempts a request
 * makes (issue 12.3). Tokens used to be packed into int32 payloads with shifts
 * – `(token << 9) | pool << 3 | result` – so from a request's 2^23rd attempt
 * on its completions looked stale and it never ended; and the hand-off draw
 * key `(definition << 20) | serial` repeated after 2^20 attempts of one
 * definition. Now a token is a 32-bit word of its own and the event limit
 * keeps it from wrapping (request-table.ts MAX_EVENTS_PER_RUN). Each limit is
 * tested just below and at it.
 */
import { describe, expect, it } from 'vitest';
import { PipelineSimulation } from './composites.js';
import { doneKind } from './request-path.js';
import { simulateModel } from './simulate.js';
import { attemptKeyOf, outputKeyOf, requestKey } from '../kernel/index.js';
import { MAX_EVENTS_PER_RUN } from './request-table.js';
import { modelOf, singleStage } from '../test-support.js';
import { OUTCOMES } from './outcomes.js';
import { parseSource, validateSource, ScenarioError } from '../scenario/index.js';
import { scenarioSchema } from '../scenario/index.js';
import { MAX_ATTEMPTS } from '../policies/index.js';
import type { ScenarioInput } from '../scenario/index.js';

/** A run whose requests' tokens start at `first` (stored as int32) instead of 0: the tokens a very long request reaches. */
class TokensFrom extends PipelineSimulation {
  private readonly seeded = new Set<number>();
  constructor(input: ScenarioInput, private readonly first: number) {
    super(modelOf(input));
  }
  protected override requestServer(slot: number): void {
    const index = this.table.index[slot];
    if (!this.seeded.has(index)) {
      this.seeded.add(index);
      this.table.token[slot] = this.first;
    }
    super.requestServer(slot);
  }
}

function outcomesFrom(input: ScenarioInput, first: number): { outcomes: Record<string, number>; attempts: number } {
  const c = new TokensFrom(input, first).run();
  const outcomes: Record<string, number> = {};
  OUTCOMES.forEach((name, i) => {
    if (c.outcomes[i] > 0) outcomes[name] = c.outcomes[i];
  });
  return { outcomes, attempts: c.defAttempts.reduce((a, b) => a + b, 0) };
}

/** Always fails, five attempts, no backoff: each request ends `failed` after exactly five attempts. */
const failing = singleStage(
  { faults: { error: 1 }, retry: { maxAttempts: 5, backoff: { base: 0, jitter: 'none' } } },
  { requests: 2, arrivals: { kind: 'fixed', interval: 0 } },
);

describe('attempt tokens', () => {
  it('a completion carries its definition and result in the event kind, so the payload holds the whole token', () => {
    for (const [def, result] of [[0, 0], [255, 15], [5, 3], [7, 10]]) {
      const kind = doneKind(def, result);
      expect([kind & 7, (kind >>> 3) & 15, kind >>> 7]).toEqual([1, result, def]); // 1: EV_ATTEMPT_DONE
    }
  });

  it('the event limit is the last count a 32-bit token or serial holds', () => {
    expect(MAX_EVENTS_PER_RUN).toBe(2 ** 32 - 1);
  });

  it('requests whose tokens cross 2^23 (the old payload), 2^24 (the old queue tag), 2^31 (int32 sign) and 2^32 (the limit) still end', () => {
    for (const first of [0, 2 ** 23 - 3, 2 ** 24 - 3, 2 ** 31 - 3, 2 ** 32 - 3]) {
      // Two requests on one server: the second queues, so its queue entry crosses too.
      expect(outcomesFrom(failing, first)).toEqual({ outcomes: { failed: 2 }, attempts: 10 });
    }
  });

  it('issue 12.3: a request with more than 2^23 attempts ends (maxAttempts 2^23 + 2, every attempt fails)', { timeout: 600_000 }, () => {
    const attempts = 2 ** 23 + 2;
    const r = simulateModel(
      modelOf(singleStage({ faults: { error: 1 }, retry: { maxAttempts: attempts, backoff: { base: 0, jitter: 'none' } } }, { requests: 1 })),
    );
    expect(r.requests).toBe(1);
    expect(r.outcomes.failed).toBe(1);
    expect(r.stability?.truncated).toBe(false);
    expect(r.stages[0].attempts).toBe(attempts);
  });

  it('an attempt shed at admission arms no time limit: tokens change only at events', () => {
    // One server, no queue: r0 runs 0–10 ms with a 100 ms limit, r1 (also at 0) is shed.
    // Events: 2 arrivals, r0's completion at 10, r0's limit at 100 (stale by then) – and
    // no limit for r1, which used to be armed before the shed and fire at 100 as a dead event.
    const r = simulateModel(
      modelOf(singleStage({ latency: 10, timeout: 100 }, { requests: 2, arrivals: { kind: 'fixed', interval: 0 }, pools: { cpu: { servers: 1, queueCapacity: 0 } } })),
    );
    expect(r.outcomes).toMatchObject({ success: 1, rejected: 1 });
    expect(r.events).toBe(4);
  });
});

describe('draw keys', () => {
  const rk = requestKey(12345);

  it('an output key is the old packed key below 2^20 attempts (seeded results unchanged)', () => {
    for (const d of [0, 1, 7, 255]) for (const serial of [0, 1, 999, 2 ** 20 - 1]) expect(outputKeyOf(rk, d, serial)).toBe(attemptKeyOf(rk, (d << 20) | serial));
  });

  it('output keys stay distinct past 2^20 attempts of one definition (the packed key met the next definition there)', () => {
    expect((2 << 20) | 2 ** 20).toBe(3 << 20); // the old collision: (2, 2^20) and (3, 0) drew the same
    expect(outputKeyOf(rk, 2, 2 ** 20)).not.toBe(outputKeyOf(rk, 3, 0));
    const keys = new Set<number>();
    let count = 0;
    for (const d of [0, 1, 2, 3, 255])
      for (const serial of [0, 1, 2, 2 ** 20 - 1, 2 ** 20, 2 ** 20 + 1, 2 ** 21, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1]) {
        keys.add(outputKeyOf(rk, d, serial));
        count++;
      }
    expect(keys.size).toBe(count);
  });

  it('attempt keys of every serial a run reaches (below 2^32) are distinct, read signed or unsigned', () => {
    const counters = [0, 1, 2, 3, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 3, 2 ** 32 - 2];
    expect(new Set(counters.map((c) => attemptKeyOf(rk, c))).size).toBe(counters.length);
    // An Int32Array serial past 2^31 − 1 reads negative: the same key.
    for (const c of counters) expect(attemptKeyOf(rk, c | 0)).toBe(attemptKeyOf(rk, c));
  });
});

describe('the schema bounds what a run counts', () => {
  const head = 'name: x\narrivals: { kind: poisson, rate: 1 }\npools: { cpu: { servers: 1 } }\n';
  const errors = (text: string): string[] => {
    try {
      validateSource(parseSource(text, 'x.yaml'), scenarioSchema);
      return [];
    } catch (e) {
      if (e instanceof ScenarioError) return e.message.split('\n');
      throw e;
    }
  };
  const retry = (r: string) => `${head}stages:\n  - id: a\n    pool: cpu\n    latency: 1\n    retry: { ${r} }\n`;

  it(`maxAttempts: ${MAX_ATTEMPTS} (2^31 − 1) is accepted, one more is refused where it is written`, () => {
    expect(MAX_ATTEMPTS).toBe(2 ** 31 - 1);
    expect(errors(retry(`maxAttempts: ${MAX_ATTEMPTS}`))).toEqual([]);
    expect(errors(retry(`maxAttempts: ${MAX_ATTEMPTS + 1}`))).toEqual([
      'x.yaml:8:27 stages[0].retry.maxAttempts: must be at most 2147483647 (attempts are counted in 32 bits)',
    ]);
    expect(errors(retry(`maxRetries: ${MAX_ATTEMPTS - 1}`))).toEqual([]);
    expect(errors(retry(`maxRetries: ${MAX_ATTEMPTS}`))).toEqual([
      'x.yaml:8:26 stages[0].retry.maxRetries: must be at most 2147483646 (maxAttempts = maxRetries + 1 is counted in 32 bits)',
    ]);
  });

  it('limits.maxEvents: 2^32 − 1 is accepted, one more is refused where it is written', () => {
    const text = (n: number) => `${head}limits: { maxEvents: ${n} }\nstages: [{ id: a, pool: cpu, latency: 1 }]\n`;
    expect(errors(text(2 ** 32 - 1))).toEqual([]);
    expect(errors(text(2 ** 32))).toEqual([
      'x.yaml:4:22 limits.maxEvents: must be at most 4294967295 (2^32 − 1, about twenty minutes of one core: a request\'s attempts are counted in 32 bits) – split more work into replications',
    ]);
  });
});
