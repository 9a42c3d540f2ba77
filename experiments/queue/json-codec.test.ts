/** The queue's JSON form of a task: what plain JSON loses comes back exactly; what is not data is refused. */
import { describe, expect, it } from 'vitest';
import { fromJsonSafe, toJsonSafe } from './json-codec.js';
import { OutcomeGatherer } from './outcome-gatherer.js';

const roundTrip = (v: unknown) => fromJsonSafe(JSON.parse(JSON.stringify(toJsonSafe(v))));

describe('json-codec', () => {
  it('keeps Infinity, −Infinity, NaN, −0, undefined fields and typed arrays through JSON.stringify', () => {
    const value = { deadlineMs: Infinity, low: -Infinity, nan: NaN, zero: -0, gone: undefined, times: new Float64Array([0.5, -0, Infinity]), ints: new Int32Array([1, -2]), list: [1, 'a', null, { x: true }] };
    const back = roundTrip(value) as typeof value;
    expect(back).toStrictEqual(value);
    expect(Object.is(back.zero, -0)).toBe(true);
    expect(Object.is(back.times[1], -0)).toBe(true);
    expect('gone' in back).toBe(true);
  });

  it('refuses what is not plain data, naming the field', () => {
    expect(() => toJsonSafe({ a: { f: () => 1 } })).toThrow('field a.f is a function: only data can go on the queue');
    expect(() => toJsonSafe({ a: [new Map()] })).toThrow('field a[0] is a Map: only plain data can go on the queue');
    expect(() => toJsonSafe({ a: { $coordgapJson: 'x' } })).toThrow('field a has a key named $coordgapJson');
    expect(() => fromJsonSafe({ a: { $coordgapJson: 'Date' } })).toThrow('field a: unknown encoded value "Date"');
    expect(() => fromJsonSafe(JSON.parse('{"a":{"__proto__":{"polluted":1}}}'))).toThrow('field a has a key named __proto__');
  });
});

describe('OutcomeGatherer', () => {
  it('counts a task once when its end is heard twice, and reports results in task order', async () => {
    const heard: [number, number][] = [];
    const g = new OutcomeGatherer(3, { onResult: (i) => heard.push([i, -1]), onProgress: (d, t) => heard.push([d, t]) });
    expect(g.settle(2, { ok: false, error: 'x' })).toBe(true);
    expect(g.settle(2, { ok: false, error: 'again' })).toBe(false);
    expect(g.pending()).toEqual([0, 1]);
    g.settle(0, { ok: false, error: 'a' });
    g.settle(1, { ok: false, error: 'b' });
    await g.finished;
    expect(heard).toEqual([[2, -1], [1, 3], [0, -1], [2, 3], [1, -1], [3, 3]]);
    expect(g.results().map((o) => (o.ok ? '' : o.error))).toEqual(['a', 'b', 'x']);
  });
});
