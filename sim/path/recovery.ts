/**
 * The recovery layer on top of the request path: what a detected fault leads
 * to, and the policies that decide it.
 *
 * Policies compose in one order, outermost first – the order of
 * policies/registry.ts POLICIES (Polly v8's recommended pipeline order):
 *
 *   escalation ⊃ fallback ⊃ hedging ⊃ request deadline ⊃ retry (+ budget)
 *     ⊃ circuit breaker ⊃ attempt timeout ⊃ input validation
 *
 * so a retry's every attempt passes the breaker, a breaker rejection is not
 * retried but goes to the fallback (or ends `rejected`), and only when
 * retries and fallback are exhausted is a human asked.
 */
import { RequestPath, EV_RETRY } from './request-path.js';
import { attemptKeyOf } from '../kernel/keyed.js';
import { backoffDelayMs } from '../policies/backoff/backoff.js';
import { RETRY_ON_CAUGHT, RETRY_ON_ERROR, RETRY_ON_TIMEOUT, RETRY_ON_RATE_LIMITED, RETRY_ON_OVERLOADED, RETRY_ON_QUOTA } from '../policies/retry/retry.js';
import { FAILED, TIMED_OUT, REJECTED } from './outcomes.js';
import { noFaultOrigin, stageOrigin } from './origins.js';
import { FLOW_END } from './graph.js';
import { callerOf, flowStartOf, redoNodeOf, restartClears, senderOf } from './routing.js';
import {
  ATTEMPT_ERROR, ATTEMPT_TIMEOUT, ATTEMPT_CAUGHT, FAULT_MISMATCH, FAULT_REJECTED, ATTEMPT_RATE_LIMITED, ATTEMPT_OVERLOADED, ATTEMPT_QUOTA,
} from './attempt.js';

export { type TraceEvent, type TraceKind, type SimulateOptions } from './request-path.js';

/** The recovery decisions; composites.ts adds the graph's composite nodes and is the class to run (PipelineSimulation). */
export abstract class RecoveryPath extends RequestPath {
  /** The caller's time limit for the current attempt ran out before its result. */
  protected attemptTimedOut(slot: number, token: number): void {
    const t = this.table;
    const live = t.done[slot] === 0 && t.token[slot] === token;
    t.release(slot);
    if (!live) return;
    t.token[slot]++;
    const d = t.def[slot];
    const st = this.defs[d];
    this.collector.defTimeouts[d]++;
    if (st.breaker !== null) st.breaker.record(false, this.engine.nowMs);
    this.recordFault(slot, stageOrigin(Math.min(t.position[slot], this.stageCount - 1)));
    if (this.onTrace !== null) this.trace(slot, 'timeout');
    this.recover(slot, ATTEMPT_TIMEOUT);
  }

  /**
   * A hedge fires while the first attempt is still running: a second attempt
   * starts if the pool has an idle server (hedges never queue, so they never
   * delay other requests – Dean & Barroso, "The Tail at Scale", 2013, hedge
   * only with spare capacity). The first completion wins.
   */
  protected hedgeDue(slot: number, token: number): void {
    const t = this.table;
    const live = t.done[slot] === 0 && t.token[slot] === token;
    if (live) {
      const st = this.defs[t.def[slot]];
      // A hedge is a call of its own: it needs a bulkhead permit as well as an idle server.
      if (st.bulkhead === null || st.bulkhead.tryAcquire()) {
        if (st.pool.tryAcquire()) {
          this.collector.defHedges[t.def[slot]]++;
          this.startAttempt(slot, false, token, t.def[slot], true);
        } else if (st.bulkhead !== null) st.bulkhead.release();
      }
    }
    t.release(slot);
  }

  /**
   * A detected fault at the current stage: retry (with budget), else fallback,
   * else escalation, else the request ends. Caught corruption and rejected
   * input are redone from the stage that produced them; with checkpoints the
   * redo starts there, without them from the first stage.
   */
  protected recover(slot: number, fault: number): void {
    const t = this.table;
    const d = t.def[slot];
    const st = this.defs[d];
    const position = t.position[slot];
    const attempt = t.attempt[slot];
    const bit = retryBitOf(fault);
    // An LLM call told to fall over on this refusal goes to its fallback at once (llm.fallbackOn).
    if (st.llm !== null && (st.llm.fallbackOnMask & bit) !== 0 && st.fallbackDef >= 0) {
      this.exhausted(slot, fault);
      return;
    }
    let restart = position;
    if (fault === ATTEMPT_CAUGHT) restart = redoNodeOf(this.graph, this.edgeCount, position, t.corruptOrigin[slot]);
    else if (fault === FAULT_MISMATCH) restart = senderOf(this.graph, position, this.isGraph ? t.sender[slot] : position - 1);
    if (!this.model.checkpointResume) restart = flowStartOf(this.graph, position);
    // Corruption made outside this flow – before a loop, fan-out or sub-graph was entered – is not redone by
    // any retry inside it: a retry in place would meet the same input, be caught again or let it through
    // silently. The branch gives up, and its composite's failure takes the node's onFailure route or ends the request.
    const repairable = fault !== ATTEMPT_CAUGHT || restartClears(this.graph, this.edgeCount, restart, t.corruptOrigin[slot]);
    if (
      repairable &&
      attempt < st.maxAttempts &&
      (st.retryOnMask & bit) !== 0 &&
      (st.budget === null || this.payRetry(slot, d, fault === ATTEMPT_TIMEOUT))
    ) {
      let delayMs = backoffDelayMs(
        st.backoff,
        attempt,
        t.previousBackoffMs[slot],
        st.backoffStream.draws(attemptKeyOf(t.key[slot], t.attemptSerial[slot * this.defCount + d])),
      );
      if (fault === ATTEMPT_RATE_LIMITED || fault === ATTEMPT_QUOTA) {
        // openai-python and the anthropic SDK wait what Retry-After says when 0 < it ≤ 60 s, else their own backoff.
        const retryAfterMs = fault === ATTEMPT_RATE_LIMITED ? t.retryAfterMs[slot] : NaN;
        if (st.honourRetryAfter && retryAfterMs > 0 && retryAfterMs <= st.maxRetryAfterMs) delayMs = retryAfterMs;
        this.collector.defRateLimitWaitMs[d] += delayMs;
      }
      if (this.onTrace !== null) this.trace(slot, 'retry', delayMs);
      t.previousBackoffMs[slot] = delayMs;
      this.collector.defRetries[d]++;
      if (restart === position) {
        // Retry in place: same definition (stage or fallback), next attempt.
        t.attempt[slot] = attempt + 1;
        if (this.nested && position < this.stageCount) t.attemptAt[slot * this.stageCount + position] = attempt + 1;
        t.restartAt[slot] = -1;
      } else {
        if (t.corruptOrigin[slot] >= 0 && restartClears(this.graph, this.edgeCount, restart, t.corruptOrigin[slot])) t.corruptOrigin[slot] = -1;
        t.resumePosition[slot] = position;
        t.resumeAttempt[slot] = attempt + 1;
        t.restartAt[slot] = restart;
      }
      t.refs[slot]++;
      this.engine.schedule(delayMs, EV_RETRY, slot);
      return;
    }
    this.exhausted(slot, fault);
  }

  /**
   * Pays definition `d`'s retry budget for one retry, and notes what it paid:
   * when the call succeeds, the budget gets that cost back (AWS standard
   * mode, policies/retry-budget.ts).
   */
  private payRetry(slot: number, d: number, afterTimeout: boolean): boolean {
    if (!this.defs[d].budget!.tryRetry(afterTimeout)) return false;
    this.table.retryAfterTimeout[slot * this.defCount + d] = afterTimeout ? 1 : 0;
    return true;
  }

  protected retryDue(slot: number): void {
    const t = this.table;
    const live = t.done[slot] === 0;
    t.release(slot);
    if (!live) return;
    const restart = t.restartAt[slot];
    if (restart < 0) this.beginAttempt(slot);
    else this.enterStage(slot, restart);
  }

  protected exhausted(slot: number, fault: number): void {
    const t = this.table;
    const st = this.defs[t.def[slot]];
    if (st.fallbackDef >= 0) {
      t.def[slot] = st.fallbackDef;
      t.attempt[slot] = 1;
      t.resumePosition[slot] = -1;
      t.previousBackoffMs[slot] = this.defs[st.fallbackDef].backoff.baseMs;
      this.collector.defFallbacks[st.fallbackDef]++;
      const position = t.position[slot];
      if (this.nested && position < this.stageCount) {
        // A caller that fell back stays on its fallback when a callee's failure
        // comes back to it – otherwise fallback → callee → caller would loop.
        t.defAt[slot * this.stageCount + position] = st.fallbackDef;
        t.attemptAt[slot * this.stageCount + position] = 1;
      }
      if (this.onTrace !== null) this.trace(slot, 'fallback', this.defs[st.fallbackDef].model.id);
      this.beginAttempt(slot);
      return;
    }
    const position = t.position[slot];
    const caller = position < this.stageCount ? callerOf(this.graph, position) : -1;
    if (st.model.propagate && caller >= 0) {
      // The caller sees its call fail and applies its own recovery.
      t.position[slot] = caller;
      t.def[slot] = t.defAt[slot * this.stageCount + caller];
      t.attempt[slot] = t.attemptAt[slot * this.stageCount + caller];
      const callerDef = this.defs[t.def[slot]];
      if (callerDef.breaker !== null) callerDef.breaker.record(false, this.engine.nowMs);
      t.previousBackoffMs[slot] = callerDef.backoff.baseMs;
      if (this.onTrace !== null) this.trace(slot, 'error');
      this.recover(slot, ATTEMPT_ERROR);
      return;
    }
    if (position < this.stageCount && this.routeFailure(slot, fault)) return;
    if (st.model.escalate && this.model.escalation !== null) {
      this.escalate(slot);
      return;
    }
    this.finish(slot, outcomeOfFault(fault));
  }

  /**
   * A failure the node's own recovery could not absorb takes the node's
   * onFailure route (graph.ts), if it has one: the request goes on at a
   * repair node – its fault recorded. What it carries: after a loud failure,
   * the request as it was (corruption from upstream stays: the repair node
   * builds on the same input); after caught corruption, nothing corrupt –
   * the corruption was found, and the route is where it is dealt with
   * (a human review, a redo from the source), as LangGraph's error-state
   * pattern hands "INSUFFICIENT DATA" on. False: no route.
   */
  protected routeFailure(slot: number, fault: number): boolean {
    const node = this.table.position[slot];
    const to = this.graph.onFailure[node];
    if (to === FLOW_END) return false;
    if (fault === ATTEMPT_CAUGHT) this.table.corruptOrigin[slot] = -1;
    if (this.onTrace !== null) this.trace(slot, 'onFailure', this.graph.nodeIds[to]);
    this.handOff(slot, node, to, this.graph.onFailureEdge[node]);
    return true;
  }

  /** Hands the request to the escalation human: the last resort. */
  protected escalate(slot: number): void {
    const t = this.table;
    if (this.onTrace !== null) this.trace(slot, 'escalate');
    t.position[slot] = this.humanPosition;
    t.def[slot] = this.rt.humanDef;
    this.collector.escalations++;
    this.requestServer(slot);
  }

  protected deadline(slot: number, index: number): void {
    const t = this.table;
    if (t.done[slot] === 1 || t.index[slot] !== index) return;
    if (t.firstFault[slot] < 0) t.firstFault[slot] = noFaultOrigin(this.nodeCount, this.edgeCount);
    this.finish(slot, TIMED_OUT);
  }

  /**
   * Whether definition `d` is a caller whose call only succeeds when the
   * nested chain below it does (a stage it calls propagates its failures).
   */
  protected callsNested(d: number): boolean {
    return this.nested && d < this.stageCount && this.callers[d] === 1;
  }

  /** Per stage: 1 when a stage whose caller it is propagates (callsNested). */
  private readonly callers: Uint8Array = (() => {
    const marks = new Uint8Array(this.stageCount);
    this.model.stages.forEach((st, i) => {
      const caller = callerOf(this.graph, i);
      if (st.propagate && caller >= 0) marks[caller] = 1;
    });
    return marks;
  })();
}

/** The fault kind a branch's outcome stands for, to its composite (the inverse of outcomeOfFault). */
export function faultOfOutcome(outcome: number): number {
  return outcome === TIMED_OUT ? ATTEMPT_TIMEOUT : outcome === REJECTED ? FAULT_REJECTED : ATTEMPT_ERROR;
}

/**
 * The outcome of a request that ends on a fault of this kind: a provider's
 * 429 or quota refusal sheds it at admission (`rejected`, as a breaker's
 * refusal does); a 529/503 is a loud failure.
 */
export function outcomeOfFault(fault: number): number {
  return fault === ATTEMPT_TIMEOUT
    ? TIMED_OUT
    : fault === FAULT_REJECTED || fault === ATTEMPT_RATE_LIMITED || fault === ATTEMPT_QUOTA
      ? REJECTED
      : FAILED;
}

/** The retry policy's flag for a fault (policies/retry/retry.ts RETRY_ON_*); a refused hand-off counts as an error. */
function retryBitOf(fault: number): number {
  switch (fault) {
    case ATTEMPT_TIMEOUT:
      return RETRY_ON_TIMEOUT;
    case ATTEMPT_CAUGHT:
      return RETRY_ON_CAUGHT;
    case ATTEMPT_RATE_LIMITED:
      return RETRY_ON_RATE_LIMITED;
    case ATTEMPT_OVERLOADED:
      return RETRY_ON_OVERLOADED;
    case ATTEMPT_QUOTA:
      return RETRY_ON_QUOTA;
    default:
      return RETRY_ON_ERROR;
  }
}
