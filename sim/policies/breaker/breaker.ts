/**
 * Circuit breaker: stops calling a failing dependency for a while.
 *
 * States: closed → open when the failure condition holds; open → half-open on
 * the first call after `openMs` has passed (lazily, as resilience4j with
 * `automaticTransitionFromOpenToHalfOpenEnabled=false`, Polly's
 * `BreakDuration` and cockatiel's `halfOpenAfter` do); half-open lets
 * `halfOpenCalls` trial calls through – any failure reopens it, all
 * succeeding closes it. Calls beyond the trials while half-open are rejected.
 *
 * Failure conditions:
 * - `consecutive`: `failureThreshold` failures in a row (cockatiel
 *   ConsecutiveBreaker);
 * - `rate`: failure share ≥ `failureRate` over the last `windowCalls` calls,
 *   once at least `minCalls` were seen (resilience4j COUNT_BASED window with
 *   `minimumNumberOfCalls`).
 */

export type BreakerSpec =
  | { kind: 'consecutive'; failureThreshold: number; openMs: number; halfOpenCalls: number }
  | { kind: 'rate'; failureRate: number; windowCalls: number; minCalls: number; openMs: number; halfOpenCalls: number };

/**
 * resilience4j CircuitBreakerConfig defaults (failureRateThreshold 50 %,
 * slidingWindowSize 100, minimumNumberOfCalls 100, waitDurationInOpenState
 * 60 s, permittedNumberOfCallsInHalfOpenState 10): what `breaker: { kind: rate }` means.
 */
export const RESILIENCE4J_BREAKER = { kind: 'rate', failureRate: 0.5, windowCalls: 100, minCalls: 100, openMs: 60_000, halfOpenCalls: 10 } as const satisfies BreakerSpec;

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export class CircuitBreaker {
  state: BreakerState = 'closed';
  /** Times the breaker opened. */
  opened = 0;
  rejected = 0;
  private openUntilMs = 0;
  private consecutiveFailures = 0;
  private trialsStarted = 0;
  private trialsSucceeded = 0;
  private readonly window: Uint8Array;
  private windowNext = 0;
  private windowCount = 0;
  private windowFailures = 0;

  constructor(readonly spec: BreakerSpec) {
    this.window = new Uint8Array(spec.kind === 'rate' ? spec.windowCalls : 0);
  }

  /** Asks to make a call at `nowMs`; false means the breaker rejects it. */
  tryAcquire(nowMs: number): boolean {
    if (this.state === 'open') {
      if (nowMs < this.openUntilMs) {
        this.rejected++;
        return false;
      }
      this.state = 'halfOpen';
      this.trialsStarted = 0;
      this.trialsSucceeded = 0;
    }
    if (this.state === 'halfOpen') {
      if (this.trialsStarted >= this.spec.halfOpenCalls) {
        this.rejected++;
        return false;
      }
      this.trialsStarted++;
    }
    return true;
  }

  /** Reports the result of a call that `tryAcquire` allowed. */
  record(success: boolean, nowMs: number): void {
    if (this.state === 'halfOpen') {
      if (!success) this.trip(nowMs);
      else if (++this.trialsSucceeded >= this.spec.halfOpenCalls) this.close();
      return;
    }
    if (this.state === 'open') return; // a call started before the breaker opened
    if (this.spec.kind === 'consecutive') {
      this.consecutiveFailures = success ? 0 : this.consecutiveFailures + 1;
      if (this.consecutiveFailures >= this.spec.failureThreshold) this.trip(nowMs);
      return;
    }
    const w = this.window;
    if (this.windowCount === w.length) this.windowFailures -= w[this.windowNext];
    else this.windowCount++;
    w[this.windowNext] = success ? 0 : 1;
    this.windowFailures += w[this.windowNext];
    this.windowNext = (this.windowNext + 1) % w.length;
    if (this.windowCount >= this.spec.minCalls && this.windowFailures / this.windowCount >= this.spec.failureRate) this.trip(nowMs);
  }

  private trip(nowMs: number): void {
    this.state = 'open';
    this.opened++;
    this.openUntilMs = nowMs + this.spec.openMs;
  }

  private close(): void {
    this.state = 'closed';
    this.consecutiveFailures = 0;
    this.windowCount = 0;
    this.windowFailures = 0;
    this.windowNext = 0;
  }
}
