import { describe, expect, it } from 'vitest';
import { checkArm, checkGate, describeVerdict, gateVerdict, type ArmThresholds } from './threshold-gate.js';
import { thresholdsSchema } from './thresholds.js';
import { wilson } from './intervals.js';
import type { RunResult } from './result.js';

/** A result with only what the thresholds below read: 10,000 requests, `success` of them successful. */
function result(success: number): RunResult {
  return { requests: 10_000, successRate: wilson(success, 10_000), latencyMs: { p99: 1500, count: success } } as unknown as RunResult;
}

const criteria = thresholdsSchema.parse({ successRate: '>= 95%', 'latencyMs.p99': '< 2s' });
const arm = (name: string, pass: boolean, checks = 1): ArmThresholds => ({ arm: name, pass, checks: Array.from({ length: checks }, () => ({ metric: 'successRate', op: '>=', value: 0.95, expression: '>= 0.95', actual: 0.9, pass })) });

describe('checkArm', () => {
  it('every criterion with its operator, value in the metric’s unit, actual and verdict', () => {
    expect(checkArm('baseline', criteria, result(6570))).toEqual({
      arm: 'baseline',
      pass: false,
      checks: [
        { metric: 'successRate', op: '>=', value: 0.95, expression: '>= 95%', actual: 0.657, pass: false },
        { metric: 'latencyMs.p99', op: '<', value: 2000, expression: '< 2s', actual: 1500, pass: true },
      ],
    });
    expect(checkArm('fix', criteria, result(9740)).pass).toBe(true);
    expect(checkArm('none', undefined, result(1))).toEqual({ arm: 'none', pass: true, checks: [] });
  });

  it('an unmeasured metric fails and says why', () => {
    const c = checkArm('dead', criteria, result(0)).checks[1];
    expect(c).toEqual({ metric: 'latencyMs.p99', op: '<', value: 2000, expression: '< 2s', actual: null, pass: false, note: 'no request succeeded' });
  });
});

describe('gateVerdict: which arm sets the exit code', () => {
  const arms = [arm('baseline', false), arm('recovery-layer', true), arm('faster-gpu', false)];
  const names = arms.map((a) => a.arm);

  it('any (compare, report, demo by default): passes when at least one arm passes all its thresholds', () => {
    expect(gateVerdict('any', arms, names).pass).toBe(true);
    expect(gateVerdict('any', [arm('baseline', false), arm('faster-gpu', false)]).pass).toBe(false);
    // An arm whose patch removed its thresholds passes nothing.
    expect(gateVerdict('any', [arm('baseline', false), arm('no-bar', true, 0)]).pass).toBe(false);
  });

  it('a named arm decides alone; all needs every arm, including one whose runs failed', () => {
    expect(gateVerdict('baseline', arms, names).pass).toBe(false);
    expect(gateVerdict('recovery-layer', arms, names).pass).toBe(true);
    expect(gateVerdict('all', arms, names).pass).toBe(false);
    expect(gateVerdict('all', [arm('baseline', true)], ['baseline', 'lost-variant']).pass).toBe(false);
    expect(gateVerdict('lost-variant', [arm('baseline', true)], ['baseline', 'lost-variant']).pass).toBe(false);
  });

  it('with no threshold anywhere there is nothing to fail, whatever the gate', () => {
    expect(gateVerdict('baseline', [arm('baseline', true, 0)]).pass).toBe(true);
    expect(describeVerdict(gateVerdict('any', [arm('baseline', true, 0)]))).toBe('');
  });

  it('an unknown arm is refused with the names it could be', () => {
    expect(() => checkGate('recovery', names)).toThrow('--gate: no arm "recovery"; use any, all, baseline, recovery-layer, faster-gpu');
    expect(() => gateVerdict('recovery', arms, names)).toThrow(/no arm "recovery"/);
  });

  it('says what decided, in one line', () => {
    expect(describeVerdict(gateVerdict('any', arms, names))).toBe(
      'thresholds (gate any: at least one arm must pass every threshold): PASS – passing: recovery-layer; failing: baseline fails 1 of 1; faster-gpu fails 1 of 1',
    );
    expect(describeVerdict(gateVerdict('baseline', arms, names))).toMatch(/^thresholds \(gate baseline: baseline must pass every threshold\): FAIL – /);
  });
});
