/** Backoff between retries as scenario files spell it; defaults from LangGraph's RetryPolicy (langgraph/types.py). */
import { z } from 'zod';
import { durationMs, strictObject } from '../../scenario/units.js';
import { LANGGRAPH_BACKOFF } from './backoff.js';

export const backoffSchema = strictObject({
  kind: z.enum(['constant', 'linear', 'exponential']).default('exponential'),
  base: durationMs.default(LANGGRAPH_BACKOFF.baseMs).describe('delay before the first retry (LangGraph initial_interval: 0.5 s)'),
  factor: z.number().finite().min(1, 'must be >= 1').default(LANGGRAPH_BACKOFF.factor).describe('growth per retry (LangGraph backoff_factor: 2)'),
  max: durationMs.default(LANGGRAPH_BACKOFF.maxMs).describe('cap on the delay (LangGraph max_interval: 128 s)'),
  jitter: z.enum(['none', 'full', 'equal', 'decorrelated', 'additive']).default(LANGGRAPH_BACKOFF.jitter),
  additive: durationMs.default(LANGGRAPH_BACKOFF.additiveMs).describe('upper bound of additive jitter U(0, additive) (LangGraph: 1 s)'),
});
