/** The bulkhead as scenario files spell it (`bulkhead:` on a stage). */
import { positiveInt, strictObject } from '../../scenario/units.js';
import { RESILIENCE4J_MAX_CONCURRENT_CALLS } from './bulkhead.js';

export const bulkheadSchema = strictObject({
  maxConcurrent: positiveInt
    .default(RESILIENCE4J_MAX_CONCURRENT_CALLS)
    .describe(`calls of this stage in progress at once (waiting or served); more are refused at once (resilience4j maxConcurrentCalls: ${RESILIENCE4J_MAX_CONCURRENT_CALLS})`),
});
