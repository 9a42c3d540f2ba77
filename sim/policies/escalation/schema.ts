/** The human escalation step as scenario files spell it (`escalation:` at the top; `escalate: true` on a stage). */
import { z } from 'zod';
import { probability, strictObject } from '../../scenario/units.js';
import { latencySchema } from '../../scenario/schema-dist.js';

export const escalationSchema = strictObject({
  pool: z.string().describe('the pool of people on shift (kind human)'),
  handlingTime: latencySchema,
  resolutionRate: probability.default(1).describe('share of escalations the human resolves correctly'),
  costUsd: z.number().finite().min(0).default(0).describe('cost of one escalation beyond the human time (ticket, SLA credit)'),
});
