/**
 * The discrete-event kernel: a future-event list and a clock, nothing else.
 *
 * Events are plain integers – a kind and two payload words – so the inner loop
 * allocates nothing; the model that owns the engine decides what they mean. The
 * heap key is (time, insertion sequence), as in SimPy's `(time, priority, eid)`:
 * two events at the same time run in the order they were scheduled, so a run is
 * a pure function of its inputs.
 *
 * Storage is struct-of-arrays in typed arrays that double when full, and an
 * event slot is recycled as soon as its event runs, so memory follows the
 * number of *pending* events, not the number ever scheduled.
 */

/** Called for every event the engine dispatches, before the model handles it. */
export type EventObserver = (timeMs: number, kind: number, a: number, b: number) => void;

/** What the model does with an event. */
export interface EventHandler {
  handle(kind: number, a: number, b: number): void;
}

export interface RunLimits {
  /** Stop before the first event later than this simulated time. */
  horizonMs?: number;
  /** Stop after this many events (a guard, not a model feature). */
  maxEvents?: number;
}

/**
 * Asked every CANCEL_CHECK_EVENTS events whether the run should end now (the
 * user pressed Ctrl-C): a run of millions of events would otherwise hold its
 * thread to the end. Reads a flag another thread sets; must be cheap.
 */
export type CancelCheck = () => boolean;

/**
 * Events between two cancellation checks: 65,536 events take a few
 * milliseconds, so a cancelled run ends at once, and the check – outside the
 * per-event loop – costs nothing measurable.
 */
export const CANCEL_CHECK_EVENTS = 65_536;

/** Thrown by `Engine.run` when its cancellation check says so: the run is incomplete and has no result. */
export class RunCancelledError extends Error {
  constructor(readonly eventsDone: number) {
    super(`run cancelled after ${eventsDone} events`);
    this.name = 'RunCancelledError';
  }
}

export class Engine {
  /** Bytes per event: its time in the heap and its sequence (Float64), kind, two payload words, heap and free-list entries (Int32). */
  static readonly BYTES_PER_EVENT = 36;

  /** Simulated time in milliseconds; never decreases. */
  nowMs = 0;
  /** Events dispatched so far. */
  eventCount = 0;
  /** Optional trace hook; `null` costs one comparison per event. */
  observer: EventObserver | null = null;
  /** Optional cancellation check, asked between slices of CANCEL_CHECK_EVENTS events; `null` runs in one slice. */
  isCancelled: CancelCheck | null = null;

  private seqs: Float64Array;
  private kinds: Int32Array;
  private payloadA: Int32Array;
  private payloadB: Int32Array;
  /** Binary min-heap of slot indices. */
  private heap: Int32Array;
  /**
   * The event time of each heap position, kept beside the heap rather than
   * per slot: sifting compares entries of one array instead of chasing each
   * slot into another – the comparisons are most of a pop.
   */
  private heapTimes: Float64Array;
  private heapSize = 0;
  private freeSlots: Int32Array;
  private freeCount: number;
  private nextSeq = 0;
  private stopRequested = false;

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity | 0);
    this.seqs = new Float64Array(n);
    this.kinds = new Int32Array(n);
    this.payloadA = new Int32Array(n);
    this.payloadB = new Int32Array(n);
    this.heap = new Int32Array(n);
    this.heapTimes = new Float64Array(n);
    this.freeSlots = new Int32Array(n);
    for (let i = 0; i < n; i++) this.freeSlots[i] = n - 1 - i;
    this.freeCount = n;
  }

  /** Number of events waiting to run. */
  get pending(): number {
    return this.heapSize;
  }

  /** Slots allocated for pending events (grows by doubling, never shrinks). */
  get capacity(): number {
    return this.heap.length;
  }

  /**
   * Schedules an event `delayMs` from now. A negative or NaN delay is a model
   * bug and throws: the clock must never go backwards.
   */
  schedule(delayMs: number, kind: number, a = 0, b = 0): void {
    if (!(delayMs >= 0)) throw new RangeError(`event delay must be >= 0 ms; got ${delayMs}`);
    this.push(this.nowMs + delayMs, kind, a, b);
  }

  /** Schedules an event at an absolute time, which must not be in the past. */
  scheduleAt(timeMs: number, kind: number, a = 0, b = 0): void {
    if (!(timeMs >= this.nowMs)) throw new RangeError(`event time ${timeMs} ms is before now (${this.nowMs} ms)`);
    this.push(timeMs, kind, a, b);
  }

  /**
   * Visits every pending event, in no particular order – for the books of a
   * run cut short (which attempts are still in service, and until when), not
   * for the inner loop.
   */
  forEachPending(visit: (timeMs: number, kind: number, a: number, b: number) => void): void {
    for (let i = 0; i < this.heapSize; i++) {
      const slot = this.heap[i];
      visit(this.heapTimes[i], this.kinds[slot], this.payloadA[slot], this.payloadB[slot]);
    }
  }

  /** Ends `run` after the current event, keeping the pending events. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Dispatches events in (time, sequence) order until none is left, the
   * horizon or the event limit is reached, or `stop()` is called.
   * Returns the number of events dispatched by this call.
   *
   * @throws RunCancelledError when `isCancelled` answers true; it is asked
   * after every CANCEL_CHECK_EVENTS events, so the per-event loop is unchanged.
   */
  run(handler: EventHandler, limits: RunLimits = {}): number {
    const horizonMs = limits.horizonMs ?? Infinity;
    const maxEvents = limits.maxEvents ?? Infinity;
    const isCancelled = this.isCancelled;
    const start = this.eventCount;
    this.stopRequested = false;
    // Events run in slices ending at `sliceEnd`; without a cancellation check
    // the first slice is the whole run.
    let sliceEnd = isCancelled === null ? maxEvents : Math.min(maxEvents, CANCEL_CHECK_EVENTS);
    for (;;) {
      while (this.heapSize > 0 && !this.stopRequested && this.eventCount - start < sliceEnd) {
        const slot = this.heap[0];
        const t = this.heapTimes[0];
        if (t > horizonMs) break;
        const kind = this.kinds[slot];
        const a = this.payloadA[slot];
        const b = this.payloadB[slot];
        this.popRoot();
        this.freeSlots[this.freeCount++] = slot;
        this.nowMs = t;
        this.eventCount++;
        if (this.observer !== null) this.observer(t, kind, a, b);
        handler.handle(kind, a, b);
      }
      // The run is over (no events left, the horizon, stop()) or that was its last slice.
      if (this.eventCount - start < sliceEnd || this.heapSize === 0 || this.stopRequested || isCancelled === null || sliceEnd >= maxEvents) break;
      if (isCancelled()) throw new RunCancelledError(this.eventCount - start);
      sliceEnd = Math.min(maxEvents, sliceEnd + CANCEL_CHECK_EVENTS);
    }
    return this.eventCount - start;
  }

  private push(timeMs: number, kind: number, a: number, b: number): void {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount];
    this.seqs[slot] = this.nextSeq++;
    this.kinds[slot] = kind;
    this.payloadA[slot] = a;
    this.payloadB[slot] = b;
    // Sift up.
    const heap = this.heap;
    const heapTimes = this.heapTimes;
    const seqs = this.seqs;
    const seq = seqs[slot];
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = heapTimes[parent];
      if (pt < timeMs || (pt === timeMs && seqs[heap[parent]] < seq)) break;
      heap[i] = heap[parent];
      heapTimes[i] = pt;
      i = parent;
    }
    heap[i] = slot;
    heapTimes[i] = timeMs;
  }

  private popRoot(): void {
    const heap = this.heap;
    const heapTimes = this.heapTimes;
    const n = --this.heapSize;
    if (n === 0) return;
    const last = heap[n];
    const lt = heapTimes[n];
    const seqs = this.seqs;
    const ls = seqs[last];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ct = heapTimes[child];
      const right = child + 1;
      if (right < n) {
        const rt = heapTimes[right];
        if (rt < ct || (rt === ct && seqs[heap[right]] < seqs[heap[child]])) {
          child = right;
          ct = rt;
        }
      }
      if (lt < ct || (lt === ct && ls < seqs[heap[child]])) break;
      heap[i] = heap[child];
      heapTimes[i] = ct;
      i = child;
    }
    heap[i] = last;
    heapTimes[i] = lt;
  }

  private grow(): void {
    const old = this.heap.length;
    const n = old * 2;
    this.seqs = growF64(this.seqs, n);
    this.kinds = growI32(this.kinds, n);
    this.payloadA = growI32(this.payloadA, n);
    this.payloadB = growI32(this.payloadB, n);
    this.heap = growI32(this.heap, n);
    this.heapTimes = growF64(this.heapTimes, n);
    const free = new Int32Array(n);
    // All old slots are in use (free list was empty); hand out the new ones.
    for (let i = 0; i < n - old; i++) free[i] = n - 1 - i;
    this.freeSlots = free;
    this.freeCount = n - old;
  }
}

function growF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function growI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
