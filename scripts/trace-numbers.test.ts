/**
 * Trace files hold decimal arrival times (issue 12.20): Number() also reads
 * hexadecimal, binary and octal literals, and a trace with `0x1F` ran as if it
 * said 31 ms. Each is refused at its line; so is a time past the duration
 * bound (sim/kernel/bounds.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../experiments/load-scenario.js';
import { ScenarioError } from '../sim/scenario/index.js';

function refusal(text: string): string {
  try {
    parseTrace(text, 't.txt');
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('trace arrival times', () => {
  it('hex, binary, octal, digit separators, Infinity and times past 1e12 ms are refused at their line', () => {
    for (const bad of ['0x1F', '0X1f', '0b101', '0o17', '1_000', 'Infinity', '+5', '-0', '1e13', ' 12 ms'])
      expect(refusal(`0\n${bad}\n`)).toBe(
        `t.txt:2:1 expected an arrival time in ms: a decimal number such as 12 or 3.5, from 0 to 1e12 ms (about 32 years); got ${JSON.stringify(bad.trim())}`,
      );
  });

  it('decimal times, with a fraction or an exponent, are read as written', () => {
    expect(parseTrace('0\n12\n12.5\n.75e2\n1e3\n1000000000000 # the bound\n', 't.txt')).toEqual([0, 12, 12.5, 75, 1000, 1e12]);
  });
});
