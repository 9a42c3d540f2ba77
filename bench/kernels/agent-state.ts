/**
 * Synthetic agent state and hand-off payload, shaped like what LangGraph-style
 * orchestrators carry between steps: message history with tool calls,
 * retrieved passages, a plan, counters and checkpoints.
 */
import { paragraph, sentenceSource } from './text.js';

/** One chat message in the state. */
export interface StateMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  name?: string;
  toolCalls?: { id: string; name: string; arguments: string }[];
}

/** The agent state the JSON and structuredClone kernels move around. */
export interface AgentState {
  threadId: string;
  step: number;
  next: string;
  status: 'running' | 'waiting' | 'done';
  plan: { id: number; task: string; done: boolean }[];
  messages: StateMessage[];
  retrieved: { docId: string; score: number; title: string; snippet: string; metadata: Record<string, string | number> }[];
  facts: Record<string, { value: string; confidence: number; source: string }>;
  counters: { tokensIn: number; tokensOut: number; toolCalls: number; retries: number };
  checkpoints: { step: number; at: string; hash: string }[];
}

/** An agent state whose JSON form is at least `targetBytes` long (default ~20 KB). */
export function agentState(seed: number, targetBytes = 20_000): AgentState {
  const { sentence, uniform } = sentenceSource(seed);
  const state: AgentState = {
    threadId: `thread-${seed.toString(16).padStart(8, '0')}`,
    step: 7,
    next: 'analyze',
    status: 'running',
    plan: Array.from({ length: 6 }, (_, i) => ({ id: i, task: sentence(), done: i < 3 })),
    messages: [{ role: 'system', content: paragraph(seed + 1, 400) }],
    retrieved: [],
    facts: {},
    counters: { tokensIn: 18_250, tokensOut: 2_140, toolCalls: 5, retries: 1 },
    checkpoints: Array.from({ length: 4 }, (_, i) => ({ step: i * 2, at: new Date(Date.UTC(2025, 0, 1, 12, i)).toISOString(), hash: (seed * 7919 + i).toString(16) })),
  };
  for (let i = 0; i < 8; i++) {
    state.facts[`fact_${i}`] = { value: sentence(), confidence: Math.round(uniform() * 100) / 100, source: `doc-${i}` };
  }
  let turn = 0;
  while (JSON.stringify(state).length < targetBytes) {
    if (turn % 3 === 2) {
      state.retrieved.push({
        docId: `doc-${turn}`,
        score: Math.round(uniform() * 1000) / 1000,
        title: sentence(),
        snippet: paragraph(seed + turn, 300),
        metadata: { page: turn, section: `s${turn % 7}`, year: 2020 + (turn % 5) },
      });
    } else if (turn % 3 === 1) {
      const id = `call_${turn}`;
      state.messages.push({ role: 'assistant', content: sentence(), toolCalls: [{ id, name: 'lookup_policy', arguments: JSON.stringify({ query: sentence(), topK: 5 }) }] });
      state.messages.push({ role: 'tool', name: 'lookup_policy', content: paragraph(seed + 100 + turn, 250) });
    } else {
      state.messages.push({ role: 'user', content: paragraph(seed + 200 + turn, 200) });
    }
    turn++;
  }
  return state;
}

/** A ~2 KB hand-off payload from one agent to the next. */
export interface HandoffPayload {
  taskId: string;
  from: string;
  to: string;
  intent: 'analyze' | 'verify' | 'summarize' | 'escalate';
  createdAt: string;
  attempt: number;
  context: {
    summary: string;
    facts: { key: string; value: string; confidence: number }[];
    documents: { id: string; score: number; excerpt: string }[];
  };
  constraints: { maxTokens: number; deadlineMs: number; requireCitations: boolean };
}

/** A deterministic hand-off payload of about 2 KB of JSON. */
export function handoffPayload(seed: number): HandoffPayload {
  const { sentence, uniform } = sentenceSource(seed);
  return {
    taskId: `0f8e${(seed & 0xffff).toString(16).padStart(4, '0')}-7c1a-4d2e-9b3f-a1b2c3d4e5f6`,
    from: 'retrieval',
    to: 'analysis',
    intent: 'analyze',
    createdAt: '2025-01-01T12:00:00.000Z',
    attempt: 1,
    context: {
      summary: paragraph(seed, 300),
      facts: Array.from({ length: 6 }, (_, i) => ({ key: `fact_${i}`, value: sentence(), confidence: Math.round(uniform() * 100) / 100 })),
      documents: Array.from({ length: 5 }, (_, i) => ({ id: `doc-${i}`, score: Math.round(uniform() * 1000) / 1000, excerpt: paragraph(seed + i, 180) })),
    },
    constraints: { maxTokens: 1024, deadlineMs: 30_000, requireCitations: true },
  };
}

/** JSON Schema (draft-07) for {@link HandoffPayload}: what a strict receiver checks. */
export const handoffSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'from', 'to', 'intent', 'createdAt', 'attempt', 'context', 'constraints'],
  properties: {
    taskId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
    from: { type: 'string', minLength: 1, maxLength: 64 },
    to: { type: 'string', minLength: 1, maxLength: 64 },
    intent: { enum: ['analyze', 'verify', 'summarize', 'escalate'] },
    createdAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' },
    attempt: { type: 'integer', minimum: 1, maximum: 10 },
    context: {
      type: 'object',
      additionalProperties: false,
      required: ['summary', 'facts', 'documents'],
      properties: {
        summary: { type: 'string', minLength: 1, maxLength: 4000 },
        facts: {
          type: 'array',
          maxItems: 50,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['key', 'value', 'confidence'],
            properties: { key: { type: 'string' }, value: { type: 'string' }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
          },
        },
        documents: {
          type: 'array',
          minItems: 1,
          maxItems: 20,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'score', 'excerpt'],
            properties: { id: { type: 'string' }, score: { type: 'number' }, excerpt: { type: 'string', minLength: 1 } },
          },
        },
      },
    },
    constraints: {
      type: 'object',
      additionalProperties: false,
      required: ['maxTokens', 'deadlineMs', 'requireCitations'],
      properties: { maxTokens: { type: 'integer', minimum: 1 }, deadlineMs: { type: 'integer', minimum: 1 }, requireCitations: { type: 'boolean' } },
    },
  },
} as const;
