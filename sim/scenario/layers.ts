/**
 * What the state, hand-off and protocol layers give each definition and each
 * hand-off, and where each part was written – one home for the compiler,
 * which folds them into probabilities, and for the checks, which refuse sums
 * over 1 that come from more than one place (a stage's faults plus the stale
 * reads its scenario's state gives it; a hand-off's context loss plus a
 * format mismatch that the protocol layer raised). Such sums used to be
 * clipped at run time without a word (issue 12.19).
 */

interface HandoffFields {
  contextLoss?: number;
  formatMismatch?: number;
  protocol?: boolean;
}

/** The fields these rules read; the validated Scenario has them all. */
export interface LayeredScenario {
  state?: { kind: string; staleRead: number; persistedFactor: number };
  handoffs?: HandoffFields;
  protocol?: { kind: string; toolMismatch: number; mcpFactor?: number };
  stages: { id: string; tool?: boolean; handoff?: HandoffFields }[];
}

/**
 * Stale-read probability of a definition: its own `staleRead`, else the
 * scenario's under fragmented state; persisted state scales its own by
 * persistedFactor. `fromState` says the scenario's state block set it.
 */
export function staleReadOf(s: LayeredScenario, d: { staleRead?: number }): { probability: number; fromState: boolean } {
  const fromState = d.staleRead === undefined && s.state?.kind === 'fragmented';
  const base = d.staleRead ?? (fromState ? s.state!.staleRead : 0);
  return { probability: s.state?.kind === 'persisted' ? base * s.state.persistedFactor : base, fromState };
}

/** The hand-off into a stage, with where each part was written (a field path, or null for "not set"). */
export interface HandoffParts {
  contextLoss: number;
  contextLossFrom: string | null;
  /** The hand-off's own format-mismatch probability. */
  formatMismatch: number;
  formatMismatchFrom: string | null;
  /** The protocol layer's rate on this hand-off (0 when it does not apply). */
  protocolMismatch: number;
  protocolMismatchFrom: string | null;
  /** Both causes of a mismatch, independent: 1 − (1 − formatMismatch)(1 − protocolMismatch). */
  mismatch: number;
}

/**
 * The hand-off into stage i ≥ 1 of a chain, from stage i − 1 (handoffBetween).
 */
export function handoffInto(s: LayeredScenario, i: number): HandoffParts {
  return handoffBetween(s, i - 1, i);
}

/**
 * The hand-off into stage `to` from stage `from` (−1: from a composite node –
 * a loop, fan-out or sub-graph handing its input to a branch): the receiver's
 * own `handoff` fields, else the scenario's `handoffs` defaults; a tool stage
 * on either side (or `handoff.protocol`) adds the protocol layer's mismatch
 * rate, scaled by mcpFactor under MCP, combined as independent causes:
 * 1 − (1 − a)(1 − b). A graph applies it on every edge into a stage.
 */
export function handoffBetween(s: LayeredScenario, from: number, to: number): HandoffParts {
  const receiver = s.stages[to];
  const sender = from >= 0 ? s.stages[from] : undefined;
  const own = receiver.handoff;
  const pick = (key: 'contextLoss' | 'formatMismatch'): [number, string | null] =>
    own?.[key] !== undefined ? [own[key]!, `stages[${to}].handoff.${key}`] : s.handoffs?.[key] !== undefined ? [s.handoffs[key]!, `handoffs.${key}`] : [0, null];
  const [contextLoss, contextLossFrom] = pick('contextLoss');
  const [formatMismatch, formatMismatchFrom] = pick('formatMismatch');
  const p = s.protocol;
  const applies = p !== undefined && (own?.protocol ?? (receiver.tool === true || sender?.tool === true));
  const protocolMismatch = !applies ? 0 : p!.kind === 'mcp' ? p!.toolMismatch * (p!.mcpFactor ?? 1) : p!.toolMismatch;
  const protocolMismatchFrom = !applies ? null : p!.kind === 'mcp' ? 'protocol.toolMismatch × protocol.mcpFactor' : 'protocol.toolMismatch';
  return {
    contextLoss,
    contextLossFrom,
    formatMismatch,
    formatMismatchFrom,
    protocolMismatch,
    protocolMismatchFrom,
    mismatch: 1 - (1 - formatMismatch) * (1 - protocolMismatch),
  };
}
