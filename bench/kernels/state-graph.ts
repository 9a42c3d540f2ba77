/**
 * One step of a LangGraph-style state graph: run the current node, merge its
 * partial update into the state through per-channel reducers, then pick the
 * next node by conditional routing. Channels and reducers follow LangGraph's
 * model (a reducer per key; `messages` appends, other keys overwrite or merge);
 * the state is treated as immutable, so each step copies what it changes.
 */
import type { AgentState, StateMessage } from './agent-state.js';

/** A node's partial update. */
export type StateUpdate = {
  messages?: StateMessage[];
  facts?: AgentState['facts'];
  counters?: Partial<AgentState['counters']>;
  status?: AgentState['status'];
  retrieved?: AgentState['retrieved'];
};

/** The graph's nodes. */
export type NodeName = 'retrieve' | 'analyze' | 'tool' | 'respond';

/** Keeps the message history bounded, as summarising agents do. */
const MAX_MESSAGES = 40;

/** Per-channel reducers: append, shallow merge, sum, overwrite. */
export function applyUpdate(state: AgentState, update: StateUpdate): AgentState {
  const next: AgentState = { ...state, step: state.step + 1 };
  if (update.messages) {
    const merged = state.messages.concat(update.messages);
    next.messages = merged.length > MAX_MESSAGES ? [merged[0], ...merged.slice(merged.length - MAX_MESSAGES + 1)] : merged;
  }
  if (update.facts) next.facts = { ...state.facts, ...update.facts };
  if (update.counters) {
    const c = { ...state.counters };
    for (const key of Object.keys(update.counters) as (keyof AgentState['counters'])[]) c[key] += update.counters[key] ?? 0;
    next.counters = c;
  }
  if (update.retrieved) next.retrieved = update.retrieved;
  if (update.status) next.status = update.status;
  return next;
}

/** Node functions: cheap, deterministic stand-ins for the real work. */
const NODES: Record<NodeName, (state: AgentState) => StateUpdate> = {
  retrieve: (state) => ({
    retrieved: [...state.retrieved].sort((a, b) => b.score - a.score).slice(0, 8),
    // A second visit is a retry of the retrieval step.
    counters: { toolCalls: 1, retries: Object.keys(state.facts).some((k) => k.startsWith('finding_')) ? 1 : 0 },
  }),
  analyze: (state) => {
    const top = state.retrieved[0];
    const confidence = top ? top.score : 0;
    return {
      messages: [{ role: 'assistant', content: `Analysis at step ${state.step}: confidence ${confidence.toFixed(2)}` }],
      facts: { [`finding_${state.step % 16}`]: { value: top ? top.title : 'none', confidence, source: top ? top.docId : 'none' } },
      counters: { tokensIn: 850, tokensOut: 120 },
    };
  },
  tool: (state) => ({
    messages: [{ role: 'tool', name: 'lookup_policy', content: `result for step ${state.step}` }],
    counters: { toolCalls: 1 },
  }),
  respond: () => ({ status: 'done', counters: { tokensOut: 300 } }),
};

/**
 * Conditional routing after `node`: low confidence loops back to retrieval
 * (bounded by a retry count), pending tool calls go to the tool node.
 */
export function route(node: NodeName, state: AgentState): NodeName | 'end' {
  switch (node) {
    case 'retrieve':
      return 'analyze';
    case 'analyze': {
      const lastFinding = state.facts[`finding_${(state.step - 1) % 16}`];
      if (lastFinding && lastFinding.confidence < 0.6 && state.counters.retries < 3) return 'retrieve';
      const pendingTool = state.messages.some((m) => m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0);
      return pendingTool && state.counters.toolCalls < 12 ? 'tool' : 'respond';
    }
    case 'tool':
      return 'analyze';
    case 'respond':
      return 'end';
  }
}

/** Runs `node`, merges its update, routes. Returns the new state and the next node. */
export function graphStep(state: AgentState, node: NodeName): { state: AgentState; next: NodeName | 'end' } {
  const updated = applyUpdate(state, NODES[node](state));
  return { state: updated, next: route(node, updated) };
}
