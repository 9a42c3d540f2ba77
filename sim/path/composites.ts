/**
 * A graph's composite nodes: agent loops, fan-out/fan-in (a fixed list of
 * branches, or a map over n items) and sub-graphs – and the simulation class
 * to run, PipelineSimulation.
 *
 * A token that reaches a composite waits there; its branches run as tokens
 * of their own (children, in request-table slots of their own, keyed by the
 * composite entry and the branch index or iteration – keyed.ts branchKeyOf)
 * through the body's flow.
 * A child that reaches its flow's end returns its output (clean or
 * corrupted) to the parent; one whose recovery is exhausted fails to it. The
 * join decides:
 *
 * - `all`: every branch must return; the first failure fails the join (the
 *   rest are abandoned); one corrupted input corrupts the output. Latency is
 *   the slowest branch.
 * - `any`: the first good return wins; the rest are abandoned (their running
 *   work goes on and is counted wasted, as a losing hedge's is).
 * - `quorum: k`: k good returns (corrupted if any of them is); fails once
 *   fewer than k can still return.
 * - `vote`: all return; among the outputs that came back, clean when the
 *   clean ones outnumber the corrupted ones – self-consistency (Wang et al.,
 *   2022), assuming wrong answers agree with each other (a tie is lost),
 *   which understates what voting gains; no output at all fails the join.
 *
 * A loop runs its body once per iteration, as a child each time: after a
 * good iteration the agent stops with the loop's stop probability (or when
 * the good iterations reach the count drawn at entry – an observed failure
 * is an iteration spent on top of them); at the step limit the request fails
 * or is escalated. A failed iteration is observed by the agent with
 * probability observeErrors – it goes on with the next iteration – else the
 * loop fails. Corruption carries from one iteration into the next: the agent
 * builds on its own earlier output.
 *
 * A composite that fails takes its onFailure route if it has one, else ends
 * its token: a request's own token ends with the outcome, a branch fails to
 * its parent.
 */
import { RecoveryPath, faultOfOutcome, outcomeOfFault } from './recovery.js';
import { attemptKeyOf, branchKeyOf, outputKeyOf } from '../kernel/keyed.js';
import { MAX_DEFINITIONS } from './model.js';
import { stageOrigin } from './origins.js';
import { FAILED } from './outcomes.js';
import { ATTEMPT_ERROR } from './attempt.js';
import { LOOP_HISTOGRAM_BUCKETS } from '../metrics/collector.js';
import type { CompositeModel } from './graph.js';

export { type TraceEvent, type TraceKind, type SimulateOptions } from './request-path.js';

/** Draw serials of a composite's own keyed draws (outputKeyOf's serial word): its exit is 0 (request-path.ts outputKey). */
const DRAW_ENTRY = 1;
const DRAW_STOP = 2;
const DRAW_OBSERVE = 3;

export class PipelineSimulation extends RecoveryPath {
  private compositeOf(node: number): CompositeModel {
    return this.graph.composites[node - this.stageCount];
  }

  /** A composite's own draw: which one (DRAW_*), at which iteration. */
  private compositeDraw(slot: number, node: number, purpose: number, iteration: number): number {
    const key = outputKeyOf(this.table.entryKey[slot], MAX_DEFINITIONS + node - this.stageCount, purpose + 4 * iteration);
    return this.rt.composite.first(key);
  }

  protected enterComposite(slot: number, node: number): void {
    const t = this.table;
    const c = this.compositeOf(node);
    const ci = node - this.stageCount;
    t.position[slot] = node;
    // Each entry keys its draws and branches apart: a composite redone (a restart, a refused hand-off) draws afresh.
    t.entryKey[slot] = attemptKeyOf(t.key[slot], t.compositeEntries[slot]++);
    this.collector.nodeVisits[node]++;
    t.good[slot] = 0;
    t.clean[slot] = 0;
    t.bad[slot] = 0;
    t.iteration[slot] = 0;
    t.joinCorrupt[slot] = -1;
    t.waiting[slot] = 1;
    switch (c.kind) {
      case 'loop': {
        const loop = c.loop!;
        t.iterationTarget[slot] = loop.iterationsSpec === null ? 0 : this.rt.compositeCounts[ci]!.fromUniform(this.compositeDraw(slot, node, DRAW_ENTRY, 0));
        this.spawn(slot, node, c.flows[0], 0);
        return;
      }
      case 'map': {
        const n = this.rt.compositeCounts[ci]!.fromUniform(this.compositeDraw(slot, node, DRAW_ENTRY, 0));
        t.launched[slot] = n;
        if (n === 0) {
          // Nothing to map over: the input passes through unchanged.
          this.complete(slot, t.corruptOrigin[slot]);
          return;
        }
        if (c.join === 'quorum' && n < c.quorum) {
          this.joinFailed(slot, ci, ATTEMPT_ERROR);
          return;
        }
        for (let b = 0; b < n && t.waiting[slot] === 1; b++) this.spawn(slot, node, c.flows[0], b);
        return;
      }
      case 'parallel':
        t.launched[slot] = c.flows.length;
        for (let b = 0; b < c.flows.length && t.waiting[slot] === 1; b++) this.spawn(slot, node, c.flows[b], b);
        return;
      case 'subgraph':
        this.spawn(slot, node, c.flows[0], 0);
        return;
    }
  }

  /**
   * Starts branch `index` of the token waiting at `node`, running `flow`: a
   * child token with its own key, carrying the parent's input (and any
   * corruption in it) over the flow's entry hand-off.
   */
  private spawn(parent: number, node: number, flow: number, index: number): void {
    const t = this.table;
    if (t.inUse >= this.maxInFlight) {
      // Branches take slots like requests: past the in-flight cap the run stops (request-path.ts arrive).
      this.cutByMemory = true;
      this.engine.stop();
      t.waiting[parent] = 0;
      return;
    }
    const child = t.allocate();
    t.index[child] = t.index[parent];
    t.key[child] = branchKeyOf(t.entryKey[parent], node, index);
    // The entry hand-off carries the branch's own input: keyed by the branch (request-path.ts outputKey).
    t.entryKey[child] = t.key[child];
    t.arrivalMs[child] = this.engine.nowMs;
    t.user[child] = -1;
    t.parent[child] = parent;
    t.root[child] = t.root[parent];
    t.corruptOrigin[child] = t.corruptOrigin[parent];
    t.position[child] = node;
    t.def[child] = 0;
    // Linked first in the parent's list of children.
    const head = t.firstChild[parent];
    t.nextSibling[child] = head;
    t.previousSibling[child] = -1;
    if (head >= 0) t.previousSibling[head] = child;
    t.firstChild[parent] = child;
    t.live[parent]++;
    t.refs[parent]++;
    this.collector.compositeBranches[node - this.stageCount]++;
    if (this.onTrace !== null) this.trace(child, 'branch', index);
    const f = this.graph.flows[flow];
    this.handOff(child, node, f.start, f.entryEdge);
  }

  /** Unlinks a child from its parent and ends its token (its pending work, if any, runs on, wasted). */
  private detach(child: number): void {
    const t = this.table;
    const parent = t.parent[child];
    const prev = t.previousSibling[child];
    const next = t.nextSibling[child];
    if (prev >= 0) t.nextSibling[prev] = next;
    else t.firstChild[parent] = next;
    if (next >= 0) t.previousSibling[next] = prev;
    t.live[parent]--;
    t.finish(child);
    t.release(parent);
  }

  protected abandonChildren(slot: number): void {
    const t = this.table;
    const ci = t.position[slot] - this.stageCount;
    while (t.firstChild[slot] >= 0) {
      const child = t.firstChild[slot];
      if (t.live[child] > 0) this.abandonChildren(child);
      t.waiting[child] = 0;
      if (ci >= 0 && ci < this.graph.composites.length) this.collector.compositeAbandoned[ci]++;
      this.detach(child);
    }
  }

  protected branchReturned(child: number): void {
    const t = this.table;
    const parent = t.parent[child];
    const corrupt = t.corruptOrigin[child];
    this.detach(child);
    if (t.waiting[parent] === 0) return;
    const node = t.position[parent];
    const c = this.compositeOf(node);
    t.good[parent]++;
    if (corrupt < 0) t.clean[parent]++;
    else if (t.joinCorrupt[parent] < 0) t.joinCorrupt[parent] = corrupt;
    if (c.kind === 'loop') {
      // The agent builds on its own output: corruption carries into the next iteration.
      t.corruptOrigin[parent] = corrupt;
      this.iterationDone(parent, node, c, true);
      return;
    }
    if (c.kind === 'subgraph') {
      this.complete(parent, corrupt);
      return;
    }
    switch (c.join) {
      case 'all':
        if (t.live[parent] === 0) this.complete(parent, t.joinCorrupt[parent]);
        return;
      case 'any':
        this.complete(parent, corrupt);
        return;
      case 'quorum':
        if (t.good[parent] >= c.quorum) this.complete(parent, t.joinCorrupt[parent]);
        return;
      case 'vote':
        if (t.live[parent] === 0) this.decideVote(parent, node);
        return;
    }
  }

  protected branchFailed(child: number, outcome: number): void {
    const t = this.table;
    const parent = t.parent[child];
    this.detach(child);
    if (t.waiting[parent] === 0) return;
    const node = t.position[parent];
    const c = this.compositeOf(node);
    const ci = node - this.stageCount;
    const fault = faultOfOutcome(outcome);
    t.bad[parent]++;
    if (c.kind === 'loop') {
      const loop = c.loop!;
      if (loop.observeErrors > 0 && this.compositeDraw(parent, node, DRAW_OBSERVE, t.iteration[parent]) < loop.observeErrors) {
        // The agent sees the tool's error in its context and tries again: an iteration spent, not a failure.
        this.collector.compositeObservedErrors[ci]++;
        if (this.onTrace !== null) this.trace(parent, 'observed', t.iteration[parent] + 1);
        this.iterationDone(parent, node, c, false);
        return;
      }
      this.exitLoop(parent, ci);
      this.joinFailed(parent, ci, fault);
      return;
    }
    if (c.kind === 'subgraph') {
      this.joinFailed(parent, ci, fault);
      return;
    }
    const launched = t.launched[parent];
    switch (c.join) {
      case 'all':
        this.joinFailed(parent, ci, fault);
        return;
      case 'any':
        if (t.bad[parent] === launched) this.joinFailed(parent, ci, fault);
        return;
      case 'quorum':
        if (launched - t.bad[parent] < c.quorum) this.joinFailed(parent, ci, fault);
        return;
      case 'vote':
        if (t.live[parent] === 0) this.decideVote(parent, node);
        return;
    }
  }

  /**
   * Every vote is in: the vote is among the outputs that came back – clean
   * when the clean ones outnumber the corrupted ones (a tie goes to the
   * corrupted: wrong answers are taken to agree); no output at all fails.
   */
  private decideVote(parent: number, node: number): void {
    const t = this.table;
    const good = t.good[parent];
    if (good === 0) this.joinFailed(parent, node - this.stageCount, ATTEMPT_ERROR);
    else if (2 * t.clean[parent] > good) this.complete(parent, -1);
    else this.complete(parent, t.joinCorrupt[parent]);
  }

  /** One iteration of a loop is over: stop, go round again, or meet the step limit. */
  private iterationDone(parent: number, node: number, c: CompositeModel, ok: boolean): void {
    const t = this.table;
    const loop = c.loop!;
    const ci = node - this.stageCount;
    const done = ++t.iteration[parent];
    if (ok) {
      const stop =
        loop.iterationsSpec === null ? this.compositeDraw(parent, node, DRAW_STOP, done) < loop.stopProbability : t.good[parent] >= t.iterationTarget[parent];
      if (stop) {
        this.exitLoop(parent, ci);
        this.complete(parent, t.corruptOrigin[parent]);
        return;
      }
    }
    if (done >= loop.limit) {
      this.exitLoop(parent, ci);
      this.collector.compositeLimitHits[ci]++;
      this.recordFault(parent, stageOrigin(node));
      if (this.onTrace !== null) this.trace(parent, 'loopLimit', done);
      t.waiting[parent] = 0;
      if (this.routeFailure(parent, ATTEMPT_ERROR)) return;
      if (loop.escalateAtLimit && this.model.escalation !== null) this.escalate(parent);
      else this.finish(parent, FAILED);
      return;
    }
    this.spawn(parent, node, c.flows[0], done);
  }

  private exitLoop(parent: number, ci: number): void {
    const done = this.table.iteration[parent];
    this.collector.compositeExits[ci]++;
    this.collector.compositeIterations[ci] += done;
    this.collector.loopIterationCounts[ci * LOOP_HISTOGRAM_BUCKETS + Math.min(done, LOOP_HISTOGRAM_BUCKETS - 1)]++;
  }

  /** The join is met: the token leaves the composite with this output and goes on. */
  private complete(parent: number, corruptOrigin: number): void {
    const t = this.table;
    t.waiting[parent] = 0;
    if (t.live[parent] > 0) this.abandonChildren(parent);
    t.corruptOrigin[parent] = corruptOrigin;
    if (this.onTrace !== null) this.trace(parent, 'join');
    this.passOn(parent);
  }

  private joinFailed(parent: number, ci: number, fault: number): void {
    this.collector.compositeFailures[ci]++;
    if (this.onTrace !== null) this.trace(parent, 'joinFailed');
    this.compositeFailed(parent, fault);
  }

  /** The composite failed: its onFailure route, else the token ends (a branch fails to its parent). */
  private compositeFailed(parent: number, fault: number): void {
    const t = this.table;
    t.waiting[parent] = 0;
    if (t.live[parent] > 0) this.abandonChildren(parent);
    if (this.routeFailure(parent, fault)) return;
    this.finish(parent, outcomeOfFault(fault));
  }
}
