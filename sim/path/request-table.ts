/**
 * Engine events one run may take, at most: limits.maxEvents is refused above
 * it, and a run is cut there whatever it is given. It is what keeps a
 * request's counters exact in 32 bits, the width the inner loop works in:
 *
 * - the attempt token grows by one when an attempt ends – its completion or
 *   its time limit, each an event – and at no other time, so a request never
 *   has more than 2^32 − 1 tokens and no two of its pending events can carry
 *   tokens that are equal as int32 but different;
 * - an attempt serial grows by one per attempt a request starts on one
 *   definition, and each start answers an event of that request (a call,
 *   retry, fallback or hedge – a queued start answers the event that queued
 *   it), so serials stay below 2^32 and every attempt has a key of its own
 *   (keyed.ts).
 *
 * 2^32 − 1 ≈ 4.3 × 10^9 events is about twenty minutes of one core at the
 * reference model's 4 million events/s; more work is for replications.
 * Tokens used to share an int32 with other fields and wrapped after 2^23
 * attempts: a request's completions then looked stale and it never ended.
 */
export const MAX_EVENTS_PER_RUN = 2 ** 32 - 1;

/** Bytes the graph tokens' arrays add per slot: 16 Int32 and a Uint8 (rounded up). */
export const GRAPH_BYTES_PER_SLOT = 65;
/** Bytes the LLM arrays add per slot: Retry-After and tokens (Float64), calls (Int32). */
export const LLM_BYTES_PER_SLOT = 20;

/**
 * Per-request state in struct-of-arrays form, indexed by a recycled slot.
 * Memory follows the requests in flight, never the requests simulated.
 *
 * A slot is freed when its request has an outcome *and* nothing refers to it
 * any more (`refs`: pending events and queue entries). So an event can never
 * reach a reused slot; the deadline event, which outlives requests on purpose,
 * carries the request index to tell.
 */
export class RequestTable {
  /**
   * Bytes one slot takes in the arrays below: 69 per slot (a Uint8, 13
   * Int32, 2 Float64), 4 in the free list, 14 per definition (2 Uint8,
   * Float64, Int32) and 8 per nested position (attemptAt, defAt).
   * analysis/run-limits.ts sizes memory with it.
   */
  static bytesPerSlot(definitions: number, positions = 0, graph = false, llm = false): number {
    return 73 + 14 * definitions + 8 * positions + (graph ? GRAPH_BYTES_PER_SLOT : 0) + (llm ? LLM_BYTES_PER_SLOT : 0);
  }

  capacity = 0;
  private free = new Int32Array(0);
  private freeCount = 0;

  done = new Uint8Array(0);
  refs = new Int32Array(0);
  index = new Int32Array(0);
  /** requestKey(index): the per-request half of every keyed draw (keyed.ts). */
  key = new Int32Array(0);
  arrivalMs = new Float64Array(0);
  user = new Int32Array(0);
  /** Stage position on the request path (stages.length while with a human). */
  position = new Int32Array(0);
  /** Definition running at that position (stage, fallback or the human step). */
  def = new Int32Array(0);
  attempt = new Int32Array(0);
  previousBackoffMs = new Float64Array(0);
  /** Origin code of the corruption the request carries, −1 when clean. */
  corruptOrigin = new Int32Array(0);
  /** Origin code of the request's first fault, −1 when none. */
  firstFault = new Int32Array(0);
  /**
   * Attempt token: completions carrying an older token are stale (hedge
   * losers, attempts whose time limit ran out). An int32 of its own in every
   * event and queue entry, compared as 32 bits: MAX_EVENTS_PER_RUN keeps it
   * from wrapping onto a pending one.
   */
  token = new Int32Array(0);
  /** Where a scheduled recovery restarts (stage position). */
  restartAt = new Int32Array(0);
  /** The failing position whose attempt count a restart resumes (−1: none). */
  resumePosition = new Int32Array(0);
  resumeAttempt = new Int32Array(0);
  /** Per (slot, definition): a persistent fault's attempt result + 1, 0 when none. */
  persistent = new Uint8Array(0);
  /** Per (slot, definition): the request's drawn pass probability, NaN until drawn. */
  passProbability = new Float64Array(0);
  /**
   * Per (slot, definition): attempts started so far – the counter that keys
   * each attempt's draws. Below 2^32 (MAX_EVENTS_PER_RUN); past 2^31 − 1 the
   * int32 reads negative, so readers that need its value take `>>> 0`.
   */
  attemptSerial = new Int32Array(0);
  /**
   * Per (slot, definition): 1 when the call's last paid retry repeated a
   * timeout, else 0 – what a retry budget refunds when the call succeeds
   * (RetryBudget.onSuccess). Read only for a call past its first attempt,
   * which wrote it, so it needs no reset.
   */
  retryAfterTimeout = new Uint8Array(0);
  /** Per (slot, stage position): the attempt a caller is on while its callee runs (nested retries). */
  attemptAt = new Int32Array(0);
  /** Per (slot, stage position): the definition a caller was running (its fallback, once it fell back). */
  defAt = new Int32Array(0);

  // ---- graph tokens (composites.ts): sized only when the model is a graph.
  // A fan-out's branches, a loop's iteration and a sub-graph's run are
  // tokens of their own in slots of their own (children), linked to the
  // token waiting at the composite node (their parent).
  /** The parent token (−1: a request's own token, the root). */
  parent = new Int32Array(0);
  /** The request's own token: where its outcome and first fault are kept. */
  root = new Int32Array(0);
  firstChild = new Int32Array(0);
  nextSibling = new Int32Array(0);
  previousSibling = new Int32Array(0);
  /** Children still running. */
  live = new Int32Array(0);
  /** At a fan-out: branches launched; at any composite: branches returned good, returned clean (uncorrupted), failed. */
  launched = new Int32Array(0);
  good = new Int32Array(0);
  clean = new Int32Array(0);
  bad = new Int32Array(0);
  /** 1 while the token waits at a composite for its children. */
  waiting = new Uint8Array(0);
  /** At a loop: iterations completed; the count drawn at entry (empirical iterations). */
  iteration = new Int32Array(0);
  iterationTarget = new Int32Array(0);
  /** The first corruption origin among the outputs a join counted (−1: none). */
  joinCorrupt = new Int32Array(0);
  /** The node whose output a strict receiver refused (recovery.ts restarts there); written at the refusal. */
  sender = new Int32Array(0);
  /** Composite entries so far: each entry's draws and branches are keyed apart, so a redo draws afresh. */
  compositeEntries = new Int32Array(0);
  /** The key of the current composite entry: attemptKeyOf(key, entries before it). */
  entryKey = new Int32Array(0);

  // LLM calls (a model whose definitions call a provider; sim/llm).
  /** The Retry-After of the request's last 429, ms (NaN: none sent). */
  retryAfterMs = new Float64Array(0);
  /** LLM calls the request (a root token: its branches' too) has made. */
  llmCalls = new Int32Array(0);
  /** Tokens in and out of those calls. */
  llmTokens = new Float64Array(0);

  /**
   * `definitions`: the runtime's definitions (per-request state is kept for
   * each); `positions`: stages whose attempt counts nested retries keep (0
   * when no stage propagates); `maxCapacity`: slots the table may ever hold –
   * it doubles up to that and no further (the caller stops admitting first).
   */
  constructor(
    readonly definitions: number,
    readonly positions = 0,
    initialCapacity = 64,
    readonly maxCapacity = 2 ** 31 - 1,
    /** Keep the graph tokens' arrays (a model with a graph). */
    readonly graph = false,
    /** Keep the LLM arrays (a model with LLM calls). */
    readonly llm = false,
  ) {
    this.grow(Math.max(1, Math.min(initialCapacity, maxCapacity)));
  }

  /** Slots holding a request: in flight, or ended with work still pending. */
  get inUse(): number {
    return this.capacity - this.freeCount;
  }

  allocate(): number {
    if (this.freeCount === 0) {
      if (this.capacity >= this.maxCapacity) throw new RangeError(`request table full: ${this.capacity} slots (its maximum)`);
      this.grow(Math.min(this.capacity * 2, this.maxCapacity));
    }
    const slot = this.free[--this.freeCount];
    this.done[slot] = 0;
    this.refs[slot] = 0;
    this.corruptOrigin[slot] = -1;
    this.firstFault[slot] = -1;
    this.resumePosition[slot] = -1;
    // No event can still carry an old token: the slot was freed only when
    // nothing referred to it.
    this.token[slot] = 0;
    if (this.graph) {
      this.parent[slot] = -1;
      this.root[slot] = slot;
      this.firstChild[slot] = -1;
      this.live[slot] = 0;
      this.waiting[slot] = 0;
      this.sender[slot] = -1;
      this.compositeEntries[slot] = 0;
    }
    if (this.llm) {
      this.llmCalls[slot] = 0;
      this.llmTokens[slot] = 0;
    }
    const d = this.definitions;
    for (let i = slot * d, end = i + d; i < end; i++) {
      this.persistent[i] = 0;
      this.passProbability[i] = NaN;
      this.attemptSerial[i] = 0;
    }
    return slot;
  }

  /** Drops one reference; frees the slot when the request is done and unreferenced. */
  release(slot: number): void {
    if (--this.refs[slot] === 0 && this.done[slot] === 1) this.free[this.freeCount++] = slot;
  }

  /** Marks the outcome recorded; frees the slot at once if nothing refers to it. */
  finish(slot: number): void {
    this.done[slot] = 1;
    if (this.refs[slot] === 0) this.free[this.freeCount++] = slot;
  }

  private grow(n: number): void {
    const old = this.capacity;
    const d = this.definitions;
    this.done = grow(this.done, new Uint8Array(n));
    this.refs = grow(this.refs, new Int32Array(n));
    this.index = grow(this.index, new Int32Array(n));
    this.key = grow(this.key, new Int32Array(n));
    this.arrivalMs = grow(this.arrivalMs, new Float64Array(n));
    this.user = grow(this.user, new Int32Array(n));
    this.position = grow(this.position, new Int32Array(n));
    this.def = grow(this.def, new Int32Array(n));
    this.attempt = grow(this.attempt, new Int32Array(n));
    this.previousBackoffMs = grow(this.previousBackoffMs, new Float64Array(n));
    this.corruptOrigin = grow(this.corruptOrigin, new Int32Array(n));
    this.firstFault = grow(this.firstFault, new Int32Array(n));
    this.token = grow(this.token, new Int32Array(n));
    this.restartAt = grow(this.restartAt, new Int32Array(n));
    this.resumePosition = grow(this.resumePosition, new Int32Array(n));
    this.resumeAttempt = grow(this.resumeAttempt, new Int32Array(n));
    this.persistent = grow(this.persistent, new Uint8Array(n * d));
    this.passProbability = grow(this.passProbability, new Float64Array(n * d));
    this.attemptSerial = grow(this.attemptSerial, new Int32Array(n * d));
    this.retryAfterTimeout = grow(this.retryAfterTimeout, new Uint8Array(n * d));
    this.attemptAt = grow(this.attemptAt, new Int32Array(n * this.positions));
    this.defAt = grow(this.defAt, new Int32Array(n * this.positions));
    if (this.graph) {
      this.parent = grow(this.parent, new Int32Array(n));
      this.root = grow(this.root, new Int32Array(n));
      this.firstChild = grow(this.firstChild, new Int32Array(n));
      this.nextSibling = grow(this.nextSibling, new Int32Array(n));
      this.previousSibling = grow(this.previousSibling, new Int32Array(n));
      this.live = grow(this.live, new Int32Array(n));
      this.launched = grow(this.launched, new Int32Array(n));
      this.good = grow(this.good, new Int32Array(n));
      this.clean = grow(this.clean, new Int32Array(n));
      this.bad = grow(this.bad, new Int32Array(n));
      this.waiting = grow(this.waiting, new Uint8Array(n));
      this.iteration = grow(this.iteration, new Int32Array(n));
      this.iterationTarget = grow(this.iterationTarget, new Int32Array(n));
      this.joinCorrupt = grow(this.joinCorrupt, new Int32Array(n));
      this.sender = grow(this.sender, new Int32Array(n));
      this.compositeEntries = grow(this.compositeEntries, new Int32Array(n));
      this.entryKey = grow(this.entryKey, new Int32Array(n));
    }
    if (this.llm) {
      this.retryAfterMs = grow(this.retryAfterMs, new Float64Array(n));
      this.llmCalls = grow(this.llmCalls, new Int32Array(n));
      this.llmTokens = grow(this.llmTokens, new Float64Array(n));
    }
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.freeCount));
    let count = this.freeCount;
    for (let i = n - 1; i >= old; i--) free[count++] = i;
    this.free = free;
    this.freeCount = count;
    this.capacity = n;
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(old: T, fresh: T): T {
  fresh.set(old as never);
  return fresh;
}
