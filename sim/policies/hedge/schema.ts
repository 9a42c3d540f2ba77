/** Hedged requests as scenario files spell them (`hedge:`). */
import { durationMs, strictObject } from '../../scenario/units.js';

export const hedgeSchema = strictObject({
  delay: durationMs.describe('start a second attempt when the first has run this long'),
});
