/**
 * Retry budget as a token bucket, the AWS SDKs' "standard" retry mode
 * (AWS SDKs and Tools Reference Guide, "Retry behavior"; botocore
 * `retries/standard.py`): the bucket starts full at `capacity` (500); a retry
 * costs `retryCost` (5), or `timeoutRetryCost` (10) after a timeout; a
 * successful call puts `successRefund` (1) back, up to the capacity. When the
 * bucket cannot pay for a retry, the call fails instead of retrying – which is
 * what keeps retries from multiplying load during an outage.
 */

export interface RetryBudgetSpec {
  capacity: number;
  retryCost: number;
  timeoutRetryCost: number;
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

  onSuccess(): void {
    this.tokens = Math.min(this.spec.capacity, this.tokens + this.spec.successRefund);
  }
}
