/**
 * Response assembly: fill an answer template with citations, then serialise
 * the response envelope, as the last CPU stage of a RAG request does.
 */
import type { AgentState } from './agent-state.js';

/** The envelope returned to the caller. */
export interface ResponseEnvelope {
  id: string;
  status: 'ok';
  answer: string;
  citations: { n: number; docId: string; title: string; score: number }[];
  usage: AgentState['counters'];
  meta: { step: number; model: string };
}

/** Builds the answer text from a template and serialises the envelope. Returns the JSON. */
export function assembleResponse(state: AgentState, requestId: string): string {
  const citations = state.retrieved.slice(0, 5).map((doc, i) => ({ n: i + 1, docId: doc.docId, title: doc.title, score: doc.score }));
  const findings = Object.entries(state.facts)
    .slice(0, 6)
    .map(([key, fact]) => `- **${key}**: ${fact.value} (confidence ${fact.confidence.toFixed(2)}, [${fact.source}])`)
    .join('\n');
  const answer =
    `## Summary for ${state.threadId}\n\n` +
    `${state.messages[state.messages.length - 1]?.content ?? ''}\n\n` +
    `### Findings\n${findings}\n\n` +
    `### Sources\n${citations.map((c) => `[${c.n}] ${c.title} (${c.docId}, score ${c.score.toFixed(3)})`).join('\n')}\n`;
  const envelope: ResponseEnvelope = {
    id: requestId,
    status: 'ok',
    answer,
    citations,
    usage: state.counters,
    meta: { step: state.step, model: 'gpt-4o-mini' },
  };
  return JSON.stringify(envelope);
}
