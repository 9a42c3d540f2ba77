/**
 * A provider's per-minute limit as a token bucket: capacity = the limit,
 * refilled continuously at limit/60 per second. Anthropic's rate-limit page
 * describes exactly this ("token bucket algorithm … your capacity is
 * continuously replenished up to your maximum limit, rather than being reset
 * at fixed intervals"); OpenAI's cookbook throttler
 * (api_request_parallel_processor.py) refills the same way.
 */
export class TokenBucket {
  /** Tokens in the bucket at `lastMs`. */
  private level: number;
  private lastMs = 0;
  private readonly perMs: number;

  constructor(readonly capacity: number) {
    this.level = capacity;
    this.perMs = capacity / 60_000;
  }

  /**
   * Takes `n` at `nowMs` if the bucket holds them and returns 0; otherwise
   * takes nothing and returns how long until it would hold them (Infinity
   * when `n` exceeds the capacity: such a call never fits).
   */
  take(n: number, nowMs: number): number {
    if (nowMs > this.lastMs) {
      this.level = Math.min(this.capacity, this.level + (nowMs - this.lastMs) * this.perMs);
      this.lastMs = nowMs;
    }
    if (n <= this.level) {
      this.level -= n;
      return 0;
    }
    if (n > this.capacity) return Infinity;
    return (n - this.level) / this.perMs;
  }
}
