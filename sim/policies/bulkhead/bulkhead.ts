/**
 * Bulkhead: a limit on a stage's calls in progress. A call that finds
 * `maxConcurrent` calls of its stage already in progress – waiting for a
 * server or being served – is refused at once instead of joining them, so one
 * slow dependency cannot take every caller's capacity with it
 * (resilience4j's semaphore Bulkhead with `maxWaitDuration` 0, its default;
 * Polly v8's concurrency limiter with `QueueLimit` 0, its default). A call
 * keeps its permit until its work ends: a caller that timed out does not
 * free the place, since the work goes on (request-path.ts).
 */

export interface BulkheadSpec {
  /** Calls of the stage allowed in progress at once (resilience4j maxConcurrentCalls). */
  maxConcurrent: number;
}

/** resilience4j BulkheadConfig's default maxConcurrentCalls: what `bulkhead: {}` means. */
export const RESILIENCE4J_MAX_CONCURRENT_CALLS = 25;

export class Bulkhead {
  /** Calls holding a permit. */
  inProgress = 0;

  constructor(readonly spec: BulkheadSpec) {}

  /** Takes a permit if one is free. */
  tryAcquire(): boolean {
    if (this.inProgress >= this.spec.maxConcurrent) return false;
    this.inProgress++;
    return true;
  }

  /** A call's work ended: its permit is free again. */
  release(): void {
    this.inProgress--;
  }
}
