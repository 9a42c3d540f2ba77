/**
 * Cancelling a run (Ctrl-C reaching a simulation on a worker thread): the
 * engine asks its check only between slices of CANCEL_CHECK_EVENTS events,
 * stops at a slice boundary with RunCancelledError, and slicing changes
 * nothing about a run that is not cancelled.
 */
import { describe, expect, it } from 'vitest';
import { CANCEL_CHECK_EVENTS, Engine, RunCancelledError, type EventHandler } from '../kernel/index.js';
import { runReplication } from './simulate.js';
import { compileScenario } from '../scenario/index.js';
import { scenarioSchema } from '../scenario/index.js';
import { referenceModelScenario } from '../analysis/index.js';

/** A chain of `total` events, one ms apart: each schedules the next. */
function chain(engine: Engine, total: number): EventHandler {
  let left = total - 1;
  engine.schedule(1, 1);
  return {
    handle() {
      if (left-- > 0) engine.schedule(1, 1);
    },
  };
}

describe('Engine cancellation', () => {
  it('is asked once per slice and ends the run at the slice where it answers true', () => {
    const e = new Engine();
    const handler = chain(e, 10 * CANCEL_CHECK_EVENTS);
    let asked = 0;
    e.isCancelled = () => ++asked === 3;
    expect(() => e.run(handler)).toThrow(RunCancelledError);
    expect(asked).toBe(3);
    expect(e.eventCount).toBe(3 * CANCEL_CHECK_EVENTS);
  });

  it('is never asked by a run shorter than one slice, nor after the last event', () => {
    for (const total of [CANCEL_CHECK_EVENTS - 1, CANCEL_CHECK_EVENTS, 2 * CANCEL_CHECK_EVENTS]) {
      const e = new Engine();
      const handler = chain(e, total);
      let asked = 0;
      e.isCancelled = () => (asked++, false);
      expect(e.run(handler)).toBe(total);
      // Asked at each full slice after which events remain.
      expect(asked).toBe(Math.ceil(total / CANCEL_CHECK_EVENTS) - 1);
    }
  });

  it('keeps the event limit, the horizon and stop() exact across slices', () => {
    const limited = new Engine();
    limited.isCancelled = () => false;
    expect(limited.run(chain(limited, 5 * CANCEL_CHECK_EVENTS), { maxEvents: CANCEL_CHECK_EVENTS + 7 })).toBe(CANCEL_CHECK_EVENTS + 7);
    const horizon = new Engine();
    horizon.isCancelled = () => false;
    expect(horizon.run(chain(horizon, 5 * CANCEL_CHECK_EVENTS), { horizonMs: 2 * CANCEL_CHECK_EVENTS + 3 })).toBe(2 * CANCEL_CHECK_EVENTS + 3);
    // stop() on the last event of a slice: the next slice must not resume the run.
    const stopped = new Engine();
    stopped.isCancelled = () => false;
    const inner = chain(stopped, 5 * CANCEL_CHECK_EVENTS);
    expect(stopped.run({ handle: (k, a, b) => (inner.handle(k, a, b), stopped.eventCount === CANCEL_CHECK_EVENTS && stopped.stop()) })).toBe(CANCEL_CHECK_EVENTS);
  });

  it('a replication that is never cancelled is identical to one run without a check', () => {
    const model = compileScenario(scenarioSchema.parse(referenceModelScenario(20_000, 3)));
    const plain = runReplication(model, 1).toJSON();
    let asked = 0;
    const checked = runReplication(model, 1, { isCancelled: () => (asked++, false) }).toJSON();
    expect(asked).toBeGreaterThan(0);
    expect(checked).toEqual(plain);
  });

  it('a cancelled replication throws instead of returning a partial result', () => {
    const model = compileScenario(scenarioSchema.parse(referenceModelScenario(20_000, 3)));
    expect(() => runReplication(model, 0, { isCancelled: () => true })).toThrow(RunCancelledError);
  });
});
