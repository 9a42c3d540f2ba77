/** The retry budget as scenario files spell it (`retryBudget:`; `{}` is AWS SDK standard mode). */
import { z } from 'zod';
import { strictObject } from '../../scenario/units.js';
import { AWS_STANDARD_RETRY_BUDGET } from './retry-budget.js';

/**
 * AWS SDK standard retry mode: 500 tokens, 5 per retry, 10 per timeout retry;
 * a first-try success puts back `successRefund` (1), a retried one its last
 * retry's cost (retry-budget.ts cites the SDK sources).
 */
export const retryBudgetSchema = strictObject({
  capacity: z.number().finite().positive().default(AWS_STANDARD_RETRY_BUDGET.capacity),
  retryCost: z.number().finite().min(0).default(AWS_STANDARD_RETRY_BUDGET.retryCost),
  timeoutRetryCost: z.number().finite().min(0).default(AWS_STANDARD_RETRY_BUDGET.timeoutRetryCost),
  successRefund: z.number().finite().min(0).default(AWS_STANDARD_RETRY_BUDGET.successRefund),
});
