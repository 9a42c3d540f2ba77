/**
 * A resource pool: `servers` identical servers and one FIFO queue, shared by
 * every stage that names the pool – so stages on the same CPU pool compete for
 * its cores. The queue is a growable ring buffer (O(1) enqueue and dequeue;
 * no O(n) removal: entries whose request has ended are skipped by the caller).
 */
export class ResourcePool {
  /** Bytes per queue entry: slot and attempt token (Int32), definition (Uint8), enqueue time (Float64). */
  static readonly BYTES_PER_ENTRY = 17;

  busy = 0;
  /** Enqueue time of the entry returned by the last `dequeue()`. */
  lastDequeuedEnqueueMs = 0;
  /** Attempt token of the entry returned by the last `dequeue()`. */
  lastDequeuedToken = 0;
  /** Definition (< 256) of the entry returned by the last `dequeue()`. */
  lastDequeuedDef = 0;
  /** Longest queue seen. */
  maxQueueLength = 0;
  private slots: Int32Array;
  private tokens: Int32Array;
  private defs: Uint8Array;
  private enqueuedAtMs: Float64Array;
  private head = 0;
  private length = 0;

  constructor(
    readonly id: string,
    readonly servers: number,
    readonly queueCapacity: number,
  ) {
    this.slots = new Int32Array(64);
    this.tokens = new Int32Array(64);
    this.defs = new Uint8Array(64);
    this.enqueuedAtMs = new Float64Array(64);
  }

  get queueLength(): number {
    return this.length;
  }

  /** Takes a server if one is free. */
  tryAcquire(): boolean {
    if (this.busy < this.servers) {
      this.busy++;
      return true;
    }
    return false;
  }

  /** Gives a server back (call only when no queued request takes it over). */
  release(): void {
    this.busy--;
  }

  /**
   * Queues a request's attempt – its attempt token and definition, each a
   * word of its own (a token packed beside the definition kept 24 bits) –
   * and returns false when the queue is at capacity (the caller rejects it).
   */
  enqueue(slot: number, nowMs: number, token: number, definition: number): boolean {
    if (this.length >= this.queueCapacity) return false;
    if (this.length === this.slots.length) this.growQueue();
    const i = (this.head + this.length) % this.slots.length;
    this.slots[i] = slot;
    this.tokens[i] = token;
    this.defs[i] = definition;
    this.enqueuedAtMs[i] = nowMs;
    this.length++;
    if (this.length > this.maxQueueLength) this.maxQueueLength = this.length;
    return true;
  }

  /** Oldest queued request, or −1 when the queue is empty. */
  dequeue(): number {
    if (this.length === 0) return -1;
    const slot = this.slots[this.head];
    this.lastDequeuedEnqueueMs = this.enqueuedAtMs[this.head];
    this.lastDequeuedToken = this.tokens[this.head];
    this.lastDequeuedDef = this.defs[this.head];
    this.head = this.head + 1 === this.slots.length ? 0 : this.head + 1;
    this.length--;
    return slot;
  }

  private growQueue(): void {
    const n = this.slots.length * 2;
    const slots = new Int32Array(n);
    const tokens = new Int32Array(n);
    const defs = new Uint8Array(n);
    const times = new Float64Array(n);
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) % this.slots.length;
      slots[k] = this.slots[i];
      tokens[k] = this.tokens[i];
      defs[k] = this.defs[i];
      times[k] = this.enqueuedAtMs[i];
    }
    this.slots = slots;
    this.tokens = tokens;
    this.defs = defs;
    this.enqueuedAtMs = times;
    this.head = 0;
  }
}
