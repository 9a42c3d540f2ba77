import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { agentState, handoffPayload, handoffSchema } from './kernels/agent-state.js';
import { assembleResponse } from './kernels/assembly.js';
import { signRequest, verifyRequest } from './kernels/ingress.js';
import type { AgentState } from './kernels/agent-state.js';
import { type NodeName, applyUpdate, graphStep } from './kernels/state-graph.js';

describe('orchestration fixtures', () => {
  it('builds a ~20 KB agent state and a ~2 KB hand-off payload that passes its schema', () => {
    const stateBytes = JSON.stringify(agentState(1)).length;
    expect(stateBytes).toBeGreaterThanOrEqual(20_000);
    expect(stateBytes).toBeLessThan(22_000);
    const payload = handoffPayload(1);
    const payloadBytes = JSON.stringify(payload).length;
    expect(payloadBytes).toBeGreaterThan(1_500);
    expect(payloadBytes).toBeLessThan(3_000);
    const validate = new Ajv().compile(handoffSchema);
    expect(validate(payload)).toBe(true);
    expect(validate({ ...payload, attempt: 0 })).toBe(false);
    expect(validate({ ...payload, context: { ...payload.context, documents: [] } })).toBe(false);
  });

  it('is deterministic per seed', () => {
    expect(agentState(3)).toEqual(agentState(3));
    expect(JSON.stringify(agentState(3))).not.toBe(JSON.stringify(agentState(4)));
  });
});

describe('state graph step', () => {
  it('merges through reducers without touching the input state', () => {
    const state = agentState(1);
    const before = JSON.stringify(state);
    const next = applyUpdate(state, { messages: [{ role: 'tool', content: 'x' }], counters: { toolCalls: 2 }, facts: { extra: { value: 'v', confidence: 1, source: 's' } } });
    expect(JSON.stringify(state)).toBe(before);
    expect(next.step).toBe(state.step + 1);
    expect(next.counters.toolCalls).toBe(state.counters.toolCalls + 2);
    expect(next.facts.extra.value).toBe('v');
    expect(next.messages.length).toBeLessThanOrEqual(40);
    expect(next.messages[0]).toBe(state.messages[0]); // the system prompt survives truncation
  });

  function walk(start: AgentState): { trace: string[]; state: AgentState } {
    let state = start;
    let node: NodeName | 'end' = 'retrieve';
    const trace: string[] = [];
    while (node !== 'end' && trace.length < 40) {
      trace.push(node);
      const out = graphStep(state, node);
      state = out.state;
      node = out.next;
    }
    return { trace, state };
  }

  it('retries retrieval on low confidence, at most three times', () => {
    const base = agentState(1);
    const doubtful = { ...base, counters: { ...base.counters, retries: 0 }, retrieved: base.retrieved.map((d) => ({ ...d, score: d.score * 0.5 })) };
    const { trace, state } = walk(doubtful);
    expect(trace.slice(0, 8)).toEqual(['retrieve', 'analyze', 'retrieve', 'analyze', 'retrieve', 'analyze', 'retrieve', 'analyze']);
    expect(state.counters.retries).toBe(3);
    expect(state.status).toBe('done');
  });

  it('follows the conditional routes until the end', () => {
    const { trace, state } = walk(agentState(1));
    expect(trace).toMatchInlineSnapshot(`
      [
        "retrieve",
        "analyze",
        "tool",
        "analyze",
        "tool",
        "analyze",
        "tool",
        "analyze",
        "tool",
        "analyze",
        "tool",
        "analyze",
        "tool",
        "analyze",
        "respond",
      ]
    `);
    expect(state.status).toBe('done');
  });
});

describe('ingress and assembly', () => {
  it('verifies a valid signature and rejects a tampered body', () => {
    const secret = Buffer.from('whsec_test');
    const request = signRequest(secret, '1735732800', '{"a":1}');
    expect(verifyRequest(secret, request)).toBe(true);
    expect(verifyRequest(secret, { ...request, body: '{"a":2}' })).toBe(false);
    expect(verifyRequest(Buffer.from('other'), request)).toBe(false);
  });

  it('assembles a JSON envelope with numbered citations', () => {
    const envelope = JSON.parse(assembleResponse(agentState(1), 'req-1')) as { id: string; citations: { n: number }[]; answer: string };
    expect(envelope.id).toBe('req-1');
    expect(envelope.citations.map((c) => c.n)).toEqual([1, 2, 3, 4, 5]);
    expect(envelope.answer).toContain('### Sources\n[1] ');
  });
});
