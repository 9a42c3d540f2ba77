import { describe, expect, it } from 'vitest';
import { Engine, type EventHandler } from './engine.js';

/** Records (time, kind, a) of every event, scheduling follow-ups from a script. */
function recorder(engine: Engine, followUps: Record<number, [number, number, number][]> = {}) {
  const log: string[] = [];
  const handler: EventHandler = {
    handle(kind, a) {
      log.push(`${engine.nowMs}:${kind}:${a}`);
      for (const [delay, k, pa] of followUps[a] ?? []) engine.schedule(delay, k, pa);
    },
  };
  return { log, handler };
}

describe('Engine', () => {
  it('runs events in time order', () => {
    const e = new Engine();
    const { log, handler } = recorder(e);
    e.schedule(5, 1, 10);
    e.schedule(1, 1, 11);
    e.schedule(3, 1, 12);
    e.run(handler);
    expect(log).toEqual(['1:1:11', '3:1:12', '5:1:10']);
    expect(e.eventCount).toBe(3);
    expect(e.nowMs).toBe(5);
  });

  it('breaks ties by insertion order, including events scheduled while running', () => {
    const e = new Engine();
    // Event 1 at t=2 schedules two zero-delay events (3, then 4); event 2 was
    // already queued for t=2, so it runs before them.
    const { log, handler } = recorder(e, { 1: [[0, 7, 3], [0, 7, 4]] });
    e.schedule(2, 7, 1);
    e.schedule(2, 7, 2);
    e.schedule(0, 7, 0);
    e.run(handler);
    expect(log).toEqual(['0:7:0', '2:7:1', '2:7:2', '2:7:3', '2:7:4']);
  });

  it('keeps insertion order for many equal times across heap growth', () => {
    const e = new Engine(16);
    const { log, handler } = recorder(e);
    for (let i = 0; i < 1000; i++) e.schedule(i % 2 === 0 ? 10 : 5, 0, i);
    e.run(handler);
    const odd = Array.from({ length: 500 }, (_, k) => `5:0:${2 * k + 1}`);
    const even = Array.from({ length: 500 }, (_, k) => `10:0:${2 * k}`);
    expect(log).toEqual([...odd, ...even]);
  });

  it('stops at the horizon and keeps later events pending', () => {
    const e = new Engine();
    const { log, handler } = recorder(e);
    e.schedule(1, 0, 1);
    e.schedule(10, 0, 2);
    expect(e.run(handler, { horizonMs: 5 })).toBe(1);
    expect(log).toEqual(['1:0:1']);
    expect(e.pending).toBe(1);
    e.run(handler);
    expect(log).toEqual(['1:0:1', '10:0:2']);
  });

  it('stops after maxEvents and on stop()', () => {
    const e = new Engine();
    const handler: EventHandler = { handle: (_k, a) => (a === 2 ? e.stop() : undefined) };
    for (let i = 1; i <= 5; i++) e.schedule(i, 0, i);
    expect(e.run(handler, { maxEvents: 1 })).toBe(1);
    expect(e.run(handler)).toBe(1); // event 2 calls stop()
    expect(e.nowMs).toBe(2);
    expect(e.pending).toBe(3);
  });

  it('calls the observer for every event and refuses to go back in time', () => {
    const e = new Engine();
    const seen: number[] = [];
    e.observer = (t) => seen.push(t);
    e.schedule(4, 0);
    e.schedule(2, 0);
    e.run({ handle() {} });
    expect(seen).toEqual([2, 4]);
    expect(() => e.schedule(-1, 0)).toThrow(RangeError);
    expect(() => e.schedule(NaN, 0)).toThrow(RangeError);
    expect(() => e.scheduleAt(3, 0)).toThrow(/before now/);
  });

  it('recycles event slots: capacity follows pending events, not total events', () => {
    const e = new Engine(16);
    let remaining = 100_000;
    const handler: EventHandler = {
      handle() {
        if (--remaining > 0) e.schedule(1, 0);
      },
    };
    for (let i = 0; i < 8; i++) e.schedule(i, 0);
    e.run(handler);
    expect(e.eventCount).toBe(100_007);
    expect(e.capacity).toBe(16);
  });
});
