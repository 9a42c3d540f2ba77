/** Validation of a step's input as scenario files spell it (`validate:`). */
import { probability, strictObject } from '../../scenario/units.js';
import { latencySchema } from '../../scenario/schema-dist.js';

export const validateSchema = strictObject({
  catchRate: probability.describe('share of corrupted input this check catches'),
  latency: latencySchema.optional().describe('time the check adds to every attempt'),
});
