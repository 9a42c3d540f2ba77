/**
 * Where a request goes between stages: the one home of "which node runs
 * next" and of the two ways back (the sender of a hand-off, the caller of a
 * nested call). The request path today is a straight chain, so each is one
 * step along it; the agent-graph issue replaces these with the graph's
 * successors (routing, fan-out, loops) without touching the movement code
 * (request-path.ts passOn, recovery.ts) that calls them.
 */

/** What nextPosition returns when the request has passed its last stage. */
export const PATH_END = -1;

/** The stage a good-looking output at `position` goes to next, or PATH_END. */
export function nextPosition(position: number, stageCount: number): number {
  const next = position + 1;
  return next === stageCount ? PATH_END : next;
}

/** The stage whose output a hand-off into `position` carries: a strict receiver's refusal sends the request back there. */
export function senderOf(position: number): number {
  return position - 1;
}

/** The stage whose call wraps `position` when it propagates its failure (nested retries); −1 for the first stage. */
export function callerOf(position: number): number {
  return position - 1;
}
