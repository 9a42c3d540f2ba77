/**
 * Probability sums over 1 that come from two places (issue 12.19) are
 * refused like the one-place ones, naming both places, instead of being
 * clipped at run time: a stage's faults plus the stale reads its scenario's
 * fragmented state gives it; a hand-off's context loss plus a format
 * mismatch from another block or raised by the protocol layer.
 */
import { describe, expect, it } from 'vitest';
import { validationErrors as errors } from './test-fixtures.js';
import { parseSource, validateSource } from './index.js';
import { scenarioSchema } from './schema.js';
import { compileScenario } from './compile.js';


const head = 'name: x\narrivals: { kind: poisson, rate: 1 }\npools: { cpu: { servers: 1 } }\n';

describe('faults plus stale reads from the state layer', () => {
  const text = (faults: string, staleRead: number, extra = '') =>
    `${head}state: { kind: fragmented, staleRead: ${staleRead} }\nstages:\n  - id: a\n    pool: cpu\n    latency: 1\n    faults: { ${faults} }\n${extra}`;

  it('are refused at the faults, naming state.staleRead', () => {
    expect(errors(text('error: 0.5, corruption: 0.3', 0.3))).toEqual([
      's.yaml:9:13 stages[0].faults: fault probabilities of one attempt (error + timeout + corruption = 0.8) and the stale-read probability state.staleRead gives every stage (0.3) sum to 1.1; they must sum to at most 1 – lower them, or give "a" a staleRead of its own',
    ]);
  });

  it('a sum of exactly 1 is accepted, and a stage with its own staleRead is judged by the one-place rule', () => {
    expect(errors(text('error: 0.5, corruption: 0.2', 0.3))).toEqual([]);
    expect(errors(text('error: 0.5, corruption: 0.3', 0.3, '    staleRead: 0.2\n'))).toEqual([]);
    const model = compileScenario(validateSource(parseSource(text('error: 0.5, corruption: 0.2', 0.3), 's.yaml'), scenarioSchema));
    expect(model.stages[0].staleReadProbability).toBe(0.3);
  });
});

describe('a hand-off\'s context loss plus a mismatch from another place', () => {
  const stages = (bHandoff: string) =>
    `stages:\n  - { id: a, pool: cpu, latency: 1 }\n  - id: b\n    pool: cpu\n    latency: 1\n    tool: true\n${bHandoff}`;

  it('the protocol layer\'s mismatch raising a hand-off past 1: refused at the hand-off, with the combination spelt out', () => {
    expect(errors(`${head}protocol: { kind: bespoke, toolMismatch: 0.5 }\n${stages('    handoff: { contextLoss: 0.3, formatMismatch: 0.5 }\n')}`)).toEqual([
      's.yaml:11:14 stages[1].handoff: the hand-off into b: contextLoss 0.3 (stages[1].handoff.contextLoss) and a format mismatch of 0.75 ' +
        '(stages[1].handoff.formatMismatch 0.5 combined with protocol.toolMismatch 0.5: 1 − (1 − 0.5)(1 − 0.5)) sum to 1.05; they must sum to at most 1',
    ]);
  });

  it('the defaults\' context loss and a stage\'s format mismatch, and MCP\'s scaled rate', () => {
    expect(errors(`${head}handoffs: { contextLoss: 0.7 }\n${stages('    handoff: { formatMismatch: 0.5 }\n')}`)).toEqual([
      's.yaml:11:14 stages[1].handoff: the hand-off into b: contextLoss 0.7 (handoffs.contextLoss) and a format mismatch of 0.5 (stages[1].handoff.formatMismatch 0.5) sum to 1.2; they must sum to at most 1',
    ]);
    expect(errors(`${head}handoffs: { contextLoss: 0.9 }\nprotocol: { kind: mcp, toolMismatch: 0.8, mcpFactor: 0.25 }\n${stages('')}`)).toEqual([
      's.yaml:8:5 stages[1]: the hand-off into b: contextLoss 0.9 (handoffs.contextLoss) and a format mismatch of 0.2 ' +
        '(no formatMismatch combined with protocol.toolMismatch × protocol.mcpFactor 0.2: 1 − (1 − 0)(1 − 0.2)) sum to 1.1; they must sum to at most 1',
    ]);
  });

  it('exactly 1 is accepted; one block over 1 keeps its own single message', () => {
    expect(errors(`${head}protocol: { kind: bespoke, toolMismatch: 0.5 }\n${stages('    handoff: { contextLoss: 0.5 }\n')}`)).toEqual([]);
    expect(errors(`${head}${stages('    handoff: { contextLoss: 0.6, formatMismatch: 0.6 }\n')}`)).toEqual([
      's.yaml:10:14 stages[1].handoff: contextLoss + formatMismatch must be at most 1',
    ]);
  });
});
