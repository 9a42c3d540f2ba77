/**
 * Hardware configs (scenarios/hardware/*.yaml): what a machine offers each
 * kind of resource – servers, a speed factor, a price – and optionally the
 * hardware profile `coordgap bench` measured on it. A compute variant is a
 * switch of hardware config; stages whose latency names a kernel then take
 * their service times from the measured profile. A config applies to the
 * scenario's pools of the kinds it names, never to a pool of kind `other`
 * (scenario/pools.ts).
 */
import { z } from 'zod';
import { positiveInt, strictObject } from './units.js';
import { servingSchema } from '../llm/schema.js';

const poolKind = z.enum(['cpu', 'gpu', 'external', 'human']);

/**
 * A speed factor is a ratio of machine speeds: a million either way is past
 * any real pair of machines, and keeps 1 / speedFactor – what service times
 * are multiplied by – a finite number (`speedFactor: 5e-324` made it Infinity,
 * and a run crashed with no field named). The compiler still checks that the
 * scaled service times stay within their bound (compile.ts).
 */
export const MIN_SPEED_FACTOR = 1e-6;
export const MAX_SPEED_FACTOR = 1e6;

export const hardwareConfigSchema = strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  profile: z.string().optional().describe('hardware profile JSON measured on this machine, relative to this file'),
  pools: z
    .partialRecord(
      poolKind,
      strictObject({
        servers: positiveInt.optional().describe('servers of every scenario pool of this kind (a scenario that declares others is warned)'),
        speedFactor: z
          .number()
          .finite()
          .min(MIN_SPEED_FACTOR, `must be between ${MIN_SPEED_FACTOR} and ${MAX_SPEED_FACTOR} (a ratio of machine speeds)`)
          .max(MAX_SPEED_FACTOR, `must be between ${MIN_SPEED_FACTOR} and ${MAX_SPEED_FACTOR} (a ratio of machine speeds)`)
          .default(1)
          .describe('service times on pools of this kind are divided by it (between 1e-6 and 1e6)'),
        serving: servingSchema
          .optional()
          .describe('GPUs serving a self-hosted model: sequences per GPU and TTFT/TPOT at load (README "LLM calls and providers"); the pool then has servers × sequencesPerGpu slots'),
      }),
    )
    .default({}),
  pricePerHourUsd: z.partialRecord(poolKind, z.number().finite().min(0)).default({}).describe('USD per server and hour, for every scenario pool of the kind'),
});

export type HardwareConfig = z.output<typeof hardwareConfigSchema>;
export type PoolKindName = z.output<typeof poolKind>;

/** One call of a kernel as a quantile table (p from 0 to 1, ms non-decreasing). */
export type KernelQuantileTable = { p: number; valueMs: number }[];

/**
 * What the loader resolved for a scenario's `hardware:` – plain data, so it
 * crosses to worker threads (sim reads no files).
 */
export interface ResolvedHardware {
  config: HardwareConfig;
  /** Kernel timings by id, from this config's profile or from the baseline's when it has none. */
  kernels?: Record<string, KernelQuantileTable>;
  /** The profile `kernels` came from, for messages. */
  kernelSource?: string;
}
