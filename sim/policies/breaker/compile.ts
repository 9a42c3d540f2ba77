/** `breaker:` as written → the BreakerSpec a stage runs, or null for none. */
import type { z } from 'zod';
import type { breakerSchema } from './schema.js';
import type { BreakerSpec } from './breaker.js';

export function compileBreaker(b: z.output<typeof breakerSchema> | undefined): BreakerSpec | null {
  if (b === undefined) return null;
  if (b.kind === 'consecutive') return { kind: 'consecutive', failureThreshold: b.failures, openMs: b.openFor, halfOpenCalls: b.halfOpenCalls };
  return { kind: 'rate', failureRate: b.failureRate, windowCalls: b.window, minCalls: b.minCalls, openMs: b.openFor, halfOpenCalls: b.halfOpenCalls };
}
