import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_GRID_POINTS, gridPoints, parseSetValues, sweepSchema } from './sweep-spec.js';

describe('parseSetValues: lists', () => {
  it.each([
    ['p=0.1', [0.1]],
    ['p=0.01,0.05,0.1', [0.01, 0.05, 0.1]],
    ['p=true,false', [true, false]],
    ['p=250ms, 2s', ['250ms', '2s']],
    ['p="a,b",c', ['a,b', 'c']],
    ["p='it''s, fine',x", ["it's, fine", 'x']],
    ['p=[1, 2],[3]', [[1, 2], [3]]],
    ['p={a: 1, b: 2}', [{ a: 1, b: 2 }]],
    ['p=null,~', [null, null]],
    ['p=1.0..x', ['1.0..x']], // not a range: a string the schema will judge
  ])('%s', (arg, values) => {
    expect(parseSetValues(arg)).toEqual({ path: 'p', values });
  });

  it('keeps the dotted path as written', () => {
    expect(parseSetValues('stages.retrieval.faults.error=0.01,0.05')).toEqual({ path: 'stages.retrieval.faults.error', values: [0.01, 0.05] });
  });

  it.each([
    ['stages.retrieval', '--set stages.retrieval: expected path=v1,v2,… or path=a..b:n, such as stages.retrieval.faults.error=0.01,0.05 or arrivals.rate=10..50:5'],
    ['=1,2', '--set =1,2: expected a dotted path before "=", such as stages.retrieval.faults.error; got ""'],
    ['a..b=1', '--set a..b=1: expected a dotted path before "=", such as stages.retrieval.faults.error; got "a..b"'],
    ['p=', '--set p=: a value is empty; write path=v1,v2,… with a value between every pair of commas'],
    ['p=1,,2', '--set p=1,,2: a value is empty; write path=v1,v2,… with a value between every pair of commas'],
    ['p="a,b', '--set p="a,b: a quote or bracket is not closed; quote a value holding commas like "a,b"'],
    ['p=[1,2', '--set p=[1,2: a quote or bracket is not closed; quote a value holding commas like "a,b"'],
    ['p=1..3,5', '--set p=1..3,5: 1..3 looks like a range inside a list; give either a list or one range (a range is a..b:n (n ≥ 2 evenly spaced values, ends included, such as 0.9..0.999:5) or a..b for whole numbers (step 1, such as 1..12))'],
    ['p=!!binary aGk=', '--set p=!!binary aGk=: "!!binary aGk=" is not a valid YAML value: tag !!binary is not supported in scenario files; write a plain value'],
  ])('refuses %j, naming the argument', (arg, message) => {
    expect(() => parseSetValues(arg)).toThrow(new Error(message));
  });
});

describe('parseSetValues: ranges', () => {
  it('a..b:n gives n values a + i·(b − a)/(n − 1), rounded to 12 significant digits', () => {
    // 0.9 + i·0.02475 for i = 0…4, worked by hand; unrounded, i = 3 is 0.9742500000000001 in doubles.
    expect(parseSetValues('p=0.9..0.999:5').values).toEqual([0.9, 0.92475, 0.9495, 0.97425, 0.999]);
    expect(parseSetValues('p=0.1..0.3:3').values).toEqual([0.1, 0.2, 0.3]);
    expect(parseSetValues('p=0..1:11').values).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(parseSetValues('arrivals.rate=10..50:5')).toEqual({ path: 'arrivals.rate', values: [10, 20, 30, 40, 50] });
  });

  it('runs downwards and across zero; whitespace is allowed', () => {
    expect(parseSetValues('p=1..0:3').values).toEqual([1, 0.5, 0]);
    expect(parseSetValues('p= -1 .. 1 : 5').values).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('a..b of whole numbers steps by 1, either way', () => {
    expect(parseSetValues('stages.count=1..12').values).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(parseSetValues('p=3..1').values).toEqual([3, 2, 1]);
  });

  it.each([
    ['p=0.9..0.999', '--set p=0.9..0.999: 0.9..0.999 has fractional ends, so it needs a number of points; write 0.9..0.999:5 for 5 evenly spaced values'],
    ['p=1..5:1', '--set p=1..5:1: the range 1..5:1 asks for 1 point; n must be at least 2 (both ends)'],
    ['p=1..5:0', '--set p=1..5:0: the range 1..5:0 asks for 0 points; n must be at least 2 (both ends)'],
    ['p=2..2', '--set p=2..2: the range 2..2 has equal ends; write the single value 2 instead'],
    ['p=1..100000', '--set p=1..100000: the range 1..100000 has 100000 values; at most 10000 are allowed'],
    ['p=0..1:20000', '--set p=0..1:20000: the range 0..1:20000 asks for 20000 points; at most 10000 are allowed'],
    ['p=1e400..2:3', '--set p=1e400..2:3: range ends must be finite numbers; got "1e400..2:3"'],
  ])('refuses %j', (arg, message) => {
    expect(() => parseSetValues(arg)).toThrow(new Error(message));
  });
});

describe('sweepSchema', () => {
  it('takes lists and range strings, in the order written', () => {
    const block = { parameters: { 'stages.retrieval.faults.error': [0.01, 0.05, 0.1], 'arrivals.rate': '10..50:5' } };
    expect(sweepSchema.parse(block)).toEqual({
      parameters: [
        { path: 'stages.retrieval.faults.error', values: [0.01, 0.05, 0.1] },
        { path: 'arrivals.rate', values: [10, 20, 30, 40, 50] },
      ],
    });
  });

  const messages = (block: unknown): { path: PropertyKey[]; message: string }[] => {
    const r = sweepSchema.safeParse(block);
    return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
  };

  it('says what is valid for a bad entry', () => {
    expect(messages({ parameters: { a: 0.5, b: [], c: '40/s', d: '0.1..0.2', 'e..f': [1] } })).toEqual([
      { path: ['parameters', 'a'], message: 'expected a list of values such as [0.01, 0.05, 0.1] or a range string such as "10..50:5"; got 0.5' },
      { path: ['parameters', 'b'], message: 'an empty list sweeps nothing; give at least one value' },
      { path: ['parameters', 'c'], message: 'expected a list of values such as [0.01, 0.05, 0.1] or a range string such as "10..50:5"; got "40/s"' },
      { path: ['parameters', 'd'], message: '0.1..0.2 has fractional ends, so it needs a number of points; write 0.1..0.2:5 for 5 evenly spaced values' },
      { path: ['parameters', 'e..f'], message: 'expected a dotted scenario path such as stages.retrieval.faults.error; got "e..f"' },
    ]);
  });

  it('refuses a value that is not finite where it was written: no scenario field takes one', () => {
    expect(messages({ parameters: { a: [0.1, NaN], b: [{ x: [1, -Infinity] }] } })).toEqual([
      { path: ['parameters', 'a', 1], message: 'a swept value must be a finite number; got NaN' },
      { path: ['parameters', 'b', 0, 'x', 1], message: 'a swept value must be a finite number; got -Infinity' },
    ]);
  });

  it('needs at least one parameter, and suggests the key it knows', () => {
    expect(messages({ parameters: {} })).toEqual([
      { path: ['parameters'], message: 'give at least one parameter to sweep, such as arrivals.rate: "10..50:5"' },
    ]);
    expect(messages({ parameter: { a: [1] } }).map((i) => i.message)).toContain('unknown key "parameter"; did you mean "parameters"?');
  });
});

describe('gridPoints', () => {
  it('is the cartesian product, first parameter varying slowest', () => {
    expect(gridPoints([
      { path: 'a', values: [1, 2] },
      { path: 'b', values: ['x', 'y', 'z'] },
    ])).toEqual([
      { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' },
      { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' },
    ]);
  });

  it('the 0.97^n study grid: 5 reliabilities × 12 step counts = 60 points, keys in parameter order', () => {
    const points = gridPoints([parseSetValues('p=0.9..0.999:5'), parseSetValues('n=1..12')]);
    expect(points).toHaveLength(60);
    expect(points[13]).toEqual({ p: 0.92475, n: 2 });
    expect(Object.keys(points[59])).toEqual(['p', 'n']);
    expect(points[59]).toEqual({ p: 0.999, n: 12 });
  });

  it('no parameters is one point (the scenario as written); one parameter is its values', () => {
    expect(gridPoints([])).toEqual([{}]);
    expect(gridPoints([{ path: 'a', values: [3, 4] }])).toEqual([{ a: 3 }, { a: 4 }]);
  });

  it('a "__proto__" path is a plain key, not a prototype', () => {
    const [point] = gridPoints([{ path: '__proto__', values: [{ polluted: true }] }]);
    expect(Object.keys(point)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(point)).toBe(Object.prototype);
  });

  it('refuses more points than the limit, naming the count and its factors', () => {
    const many = [{ path: 'a', values: Array.from({ length: 100 }, (_, i) => i) }, { path: 'b', values: Array.from({ length: 101 }, (_, i) => i) }];
    expect(DEFAULT_MAX_GRID_POINTS).toBe(10_000);
    expect(() => gridPoints(many)).toThrow(new Error('the sweep has 10100 points (100 a × 101 b); at most 10000 are allowed – use fewer values or raise maxPoints'));
    expect(gridPoints(many, { maxPoints: 10_100 })).toHaveLength(10_100);
    expect(() => gridPoints([{ path: 'a', values: [1, 2, 3] }], { maxPoints: 2 })).toThrow('the sweep has 3 points (3 a); at most 2 are allowed');
  });

  it('refuses a repeated path, an empty value list and a bad limit', () => {
    expect(() => gridPoints([{ path: 'a', values: [1] }, { path: 'a', values: [2] }])).toThrow('sweep parameter "a" is given twice');
    expect(() => gridPoints([{ path: 'a', values: [] }])).toThrow('sweep parameter "a" has no values');
    expect(() => gridPoints([], { maxPoints: 0 })).toThrow('options.maxPoints must be a positive integer; got 0');
  });
});
