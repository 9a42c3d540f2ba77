/**
 * The six ways a request can end (README, "Model semantics"). Every
 * simulated request ends in exactly one, so the counts sum to the requests.
 */
export const OUTCOMES = ['success', 'silentFailure', 'failed', 'escalated', 'timedOut', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SUCCESS = 0;
export const SILENT_FAILURE = 1;
export const FAILED = 2;
export const ESCALATED = 3;
export const TIMED_OUT = 4;
export const REJECTED = 5;

export type OutcomeCounts = Record<Outcome, number>;

export function outcomeCounts(counts: ArrayLike<number>): OutcomeCounts {
  return {
    success: counts[SUCCESS],
    silentFailure: counts[SILENT_FAILURE],
    failed: counts[FAILED],
    escalated: counts[ESCALATED],
    timedOut: counts[TIMED_OUT],
    rejected: counts[REJECTED],
  };
}
