/**
 * Latency distributions as scenario files spell them (`mean: 20ms`), mapped to
 * the samplers' spelling (`meanMs: 20`). Parameters are checked by building
 * the sampler, so every rule lives in one place (dist.ts) and each error
 * lands on the field it is about.
 */
import { z } from 'zod';
import { DistParamError, makeSampler, type DistSpec } from '../dist.js';
import { durationMs, probability, strictObject } from './units.js';

const lognormalInput = strictObject({
  dist: z.literal('lognormal'),
  mu: z.number().finite().optional().describe('mean of ln(latency in ms)'),
  sigma: z.number().finite().optional().describe('standard deviation of ln(latency in ms)'),
  median: durationMs.optional(),
  p99: durationMs.optional(),
});

const empiricalInput = strictObject({
  dist: z.literal('empirical'),
  quantiles: z.array(strictObject({ p: probability, value: durationMs })).optional(),
  samples: z.array(durationMs).optional(),
});

export interface MixtureInput {
  dist: 'mixture';
  components: { weight: number; of: DistInput }[];
}

export type DistInput =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; sd: number }
  | z.output<typeof lognormalInput>
  | { dist: 'gamma' | 'weibull' | 'pareto'; shape: number; scale: number }
  | z.output<typeof empiricalInput>
  | MixtureInput;

const distObject: z.ZodType<DistInput> = z.lazy(() =>
  z.discriminatedUnion('dist', [
    strictObject({ dist: z.literal('constant'), value: durationMs }),
    strictObject({ dist: z.literal('uniform'), min: durationMs, max: durationMs }),
    strictObject({ dist: z.literal('exponential'), mean: durationMs }),
    strictObject({ dist: z.literal('normal'), mean: durationMs, sd: durationMs }).describe('normal truncated at 0'),
    lognormalInput,
    strictObject({ dist: z.literal('gamma'), shape: z.number(), scale: durationMs }),
    strictObject({ dist: z.literal('weibull'), shape: z.number(), scale: durationMs }),
    strictObject({ dist: z.literal('pareto'), shape: z.number(), scale: durationMs }).describe('Pareto type I; scale is the minimum'),
    empiricalInput,
    strictObject({
      dist: z.literal('mixture'),
      components: z.array(strictObject({ weight: z.number(), of: distObject })).min(1),
    }),
  ]),
);

/** Turns the file's spelling (`mean: 20ms`) into the sampler's (`meanMs: 20`). */
export function toDistSpec(d: DistInput): DistSpec {
  switch (d.dist) {
    case 'constant':
      return { dist: 'constant', valueMs: d.value };
    case 'uniform':
      return { dist: 'uniform', minMs: d.min, maxMs: d.max };
    case 'exponential':
      return { dist: 'exponential', meanMs: d.mean };
    case 'normal':
      return { dist: 'normal', meanMs: d.mean, sdMs: d.sd };
    case 'lognormal':
      if (d.mu !== undefined || d.sigma !== undefined) return { dist: 'lognormal', mu: d.mu ?? NaN, sigma: d.sigma ?? NaN };
      return { dist: 'lognormal', medianMs: d.median ?? NaN, p99Ms: d.p99 ?? NaN };
    case 'gamma':
    case 'weibull':
    case 'pareto':
      return { dist: d.dist, shape: d.shape, scaleMs: d.scale };
    case 'empirical':
      if (d.quantiles !== undefined) return { dist: 'empirical', quantiles: d.quantiles.map((q) => ({ p: q.p, valueMs: q.value })) };
      return { dist: 'empirical', samplesMs: d.samples ?? [] };
    case 'mixture':
      return { dist: 'mixture', components: d.components.map((c) => ({ weight: c.weight, of: toDistSpec(c.of) })) };
  }
}

/** Maps a sampler field (`components[1].of.sdMs`) back to the file's path. */
function filePath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([A-Za-z]+?)(?:Ms)?(?:\[(\d+)\])?$/.exec(part);
    if (!m) continue;
    path.push(m[1] === 'samplesMs' ? 'samples' : m[1].replace(/Ms$/, ''));
    if (m[2] !== undefined) path.push(Number(m[2]));
  }
  return path;
}

/**
 * A latency: a duration (a constant) or a distribution object. Parameters are
 * checked by building the sampler, so every rule lives in one place (dist.ts).
 */
const distLatencySchema = z
  .union([durationMs.transform((value): DistInput => ({ dist: 'constant', value })), distObject])
  .superRefine((d, ctx) => {
    if (d.dist === 'lognormal') {
      const logForm = d.mu !== undefined || d.sigma !== undefined;
      const quantileForm = d.median !== undefined || d.p99 !== undefined;
      if (logForm === quantileForm) {
        ctx.addIssue({ code: 'custom', message: 'lognormal takes either mu and sigma, or median and p99' });
        return;
      }
    }
    if (d.dist === 'empirical' && (d.quantiles === undefined) === (d.samples === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'empirical takes either quantiles or samples' });
      return;
    }
    try {
      makeSampler(toDistSpec(d));
    } catch (e) {
      if (!(e instanceof DistParamError)) throw e;
      ctx.addIssue({ code: 'custom', path: filePath(e.field), message: e.message });
    }
  })
  .transform((d) => toDistSpec(d));

/**
 * A service time measured by the CPU benchmark: `calls` calls of a kernel
 * from the hardware profile plus a fixed overhead. Resolved when the scenario
 * is compiled against a hardware config (its profile, or the baseline's).
 */
export interface KernelLatencySpec {
  dist: 'kernel';
  kernel: string;
  calls: number;
  overheadMs: number;
}

export type LatencySpec = DistSpec | KernelLatencySpec;

const kernelLatencySchema = strictObject({
  kernel: z
    .string()
    .regex(/^[a-z]+\.[A-Za-z0-9._-]+$/, 'must be a kernel id from a hardware profile, such as retrieval.exact-wasm-384-100k')
    .describe('kernel id in the hardware profile (coordgap bench lists them)'),
  calls: z.number().finite().positive('must be > 0').default(1).describe('kernel calls per attempt'),
  overhead: durationMs.default(0).describe('fixed time added to every attempt'),
}).transform((k): KernelLatencySpec => ({ dist: 'kernel', kernel: k.kernel, calls: k.calls, overheadMs: k.overhead }));

/** A latency: a duration, a distribution, or a measured kernel ({ kernel, calls, overhead }). */
export const latencySchema = z.union([distLatencySchema, kernelLatencySchema]);
