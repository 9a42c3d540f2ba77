/** Incidents as scenario files spell them (`incidents:` at the top). */
import { z } from 'zod';
import { durationMs, probability, strictObject } from '../../scenario/units.js';

export const incidentSchema = strictObject({
  stage: z.string(),
  from: durationMs.describe('start of the window (simulated time)'),
  to: durationMs.describe('end of the window'),
  latencyFactor: z.number().finite().min(0).default(1).describe('multiplies service times inside the window'),
  errorProbability: probability.default(0).describe('extra probability that an attempt inside the window errors'),
});
