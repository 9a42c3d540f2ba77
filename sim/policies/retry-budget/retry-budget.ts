/**
 * Retry budget as a token bucket: the AWS SDKs' "standard" retry mode.
 *
 * The bucket starts full at `capacity` (500). A retry costs `retryCost` (5),
 * or `timeoutRetryCost` (10) when the attempt it repeats timed out; when the
 * bucket cannot pay, the call fails instead of retrying – which is what keeps
 * retries from multiplying load during an outage. What a successful call puts
 * back depends on whether it was retried:
 *
 * - a call that succeeds on its first try puts back `successRefund` (1,
 *   NO_RETRY_INCREMENT);
 * - a call that succeeds after retries puts back what its last retry cost
 *   (5, or 10 after a timeout) – so a retry that works is free, and only
 *   retries that fail drain the bucket;
 * - a call that fails puts back nothing;
 *
 * and never past the capacity. Sources: botocore `botocore/retries/standard.py`
 * (`RetryQuotaChecker`: `_RETRY_COST = 5`, `_TIMEOUT_RETRY_REQUEST = 10`,
 * `_NO_RETRY_INCREMENT = 1`; `acquire_retry_quota` stores the amount taken in
 * the request context, and `release_retry_quota` on a 2xx response releases
 * that amount, or `_NO_RETRY_INCREMENT` when nothing was taken) and
 * `botocore/retries/quota.py` (`RetryQuota`: 500, release truncated at the
 * maximum); aws-sdk-js-v3 `packages/middleware-retry/src/defaultRetryQuota.ts`
 * (`releaseRetryTokens(amount ?? NO_RETRY_INCREMENT)`, capped at the initial
 * 500), called by `StandardRetryStrategy` with the amount of its last
 * `retrieveRetryTokens`, and `packages/util-retry/src/constants.ts`
 * (`RETRY_COST = 5`, `TIMEOUT_RETRY_COST = 10`, `NO_RETRY_INCREMENT = 1`,
 * `INITIAL_RETRY_TOKENS = 500`). (botocore also carries a version "2.1" of
 * the mode, off unless an internal module switches it on, that charges 14 per
 * retry and 5 per throttling retry; the values here are the default ones.)
 *
 * A "call" here is one visit of a request to a stage definition: its attempt
 * count, first call included (for a stage that calls a nested chain, the
 * whole chain below it).
 */

export interface RetryBudgetSpec {
  capacity: number;
  /** Tokens a retry takes (AWS RETRY_COST). */
  retryCost: number;
  /** Tokens a retry after a timeout takes (AWS TIMEOUT_RETRY_COST). */
  timeoutRetryCost: number;
  /** Tokens a call that succeeds on its first try puts back (AWS NO_RETRY_INCREMENT). */
  successRefund: number;
}

/** The AWS SDK standard-mode values. */
export const AWS_STANDARD_RETRY_BUDGET: RetryBudgetSpec = {
  capacity: 500,
  retryCost: 5,
  timeoutRetryCost: 10,
  successRefund: 1,
};

export class RetryBudget {
  tokens: number;
  denied = 0;

  constructor(readonly spec: RetryBudgetSpec) {
    this.tokens = spec.capacity;
  }

  /** Pays for one retry; false (and nothing taken) when the bucket is short. */
  tryRetry(afterTimeout: boolean): boolean {
    const cost = afterTimeout ? this.spec.timeoutRetryCost : this.spec.retryCost;
    if (this.tokens < cost) {
      this.denied++;
      return false;
    }
    this.tokens -= cost;
    return true;
  }

  /**
   * A call succeeded. `retried`: it took at least one paid retry;
   * `lastRetryAfterTimeout`: its last retry repeated a timed-out attempt (so
   * it cost `timeoutRetryCost`). Ignored unless `retried`.
   */
  onSuccess(retried: boolean, lastRetryAfterTimeout: boolean): void {
    const s = this.spec;
    const refund = !retried ? s.successRefund : lastRetryAfterTimeout ? s.timeoutRetryCost : s.retryCost;
    this.tokens = Math.min(s.capacity, this.tokens + refund);
  }
}
