/**
 * A resource pool: `servers` identical servers and one FIFO queue, shared by
 * every stage that names the pool – so stages on the same CPU pool compete for
 * its cores. The queue is a growable ring buffer (O(1) enqueue and dequeue;
 * no O(n) removal: entries whose request has ended are skipped by the caller).
 */
export class ResourcePool {
  /** Bytes per queue entry: slot and tag (Int32), enqueue time (Float64). */
  static readonly BYTES_PER_ENTRY = 16;

  busy = 0;
  /** Enqueue time of the entry returned by the last `dequeue()`. */
  lastDequeuedEnqueueMs = 0;
  /** Tag of the entry returned by the last `dequeue()` (the attempt token). */
  lastDequeuedTag = 0;
  /** Longest queue seen. */
  maxQueueLength = 0;
  private slots: Int32Array;
  private tags: Int32Array;
  private enqueuedAtMs: Float64Array;
  private head = 0;
  private length = 0;

  constructor(
    readonly id: string,
    readonly servers: number,
    readonly queueCapacity: number,
  ) {
    this.slots = new Int32Array(64);
    this.tags = new Int32Array(64);
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

  /** Queues a request with a tag; false when the queue is at capacity (the caller rejects it). */
  enqueue(slot: number, nowMs: number, tag: number): boolean {
    if (this.length >= this.queueCapacity) return false;
    if (this.length === this.slots.length) this.growQueue();
    const i = (this.head + this.length) % this.slots.length;
    this.slots[i] = slot;
    this.tags[i] = tag;
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
    this.lastDequeuedTag = this.tags[this.head];
    this.head = this.head + 1 === this.slots.length ? 0 : this.head + 1;
    this.length--;
    return slot;
  }

  private growQueue(): void {
    const n = this.slots.length * 2;
    const slots = new Int32Array(n);
    const tags = new Int32Array(n);
    const times = new Float64Array(n);
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) % this.slots.length;
      slots[k] = this.slots[i];
      tags[k] = this.tags[i];
      times[k] = this.enqueuedAtMs[i];
    }
    this.slots = slots;
    this.tags = tags;
    this.enqueuedAtMs = times;
    this.head = 0;
  }
}
