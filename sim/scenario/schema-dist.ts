/**
 * Latency distributions as scenario files spell them (`mean: 20ms`), mapped to
 * the samplers' spelling (`meanMs: 20`). Parameters are checked by building
 * the sampler, so every rule lives in one place (dist.ts) and each error
 * lands on the field it is about.
 */
import { z } from 'zod';
import { DistParamError, makeSampler, type DistSpec } from '../kernel/dist.js';
import { describeValue, didYouMean, durationMs, probability, strictObject } from './units.js';

/**
 * The kinds whose parameters come in alternative sets, each set complete on
 * its own. A partial set must not reach the sampler: it would be built with
 * NaN for the missing parameter and report `p99Ms … got NaN` about a key the
 * user never wrote.
 */
const FORMS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  lognormal: [['mu', 'sigma'], ['median', 'p99']],
  empirical: [['quantiles'], ['samples']],
};

/** What a key of each parameter takes, for "add p99: <duration>". */
const PLACEHOLDER: Readonly<Record<string, string>> = {
  mu: '<number>', sigma: '<number>', median: '<duration>', p99: '<duration>',
  quantiles: '[{ p: 0, value: <duration> }, …, { p: 1, value: <duration> }]', samples: '[<duration>, …]',
};

/** One parameter set in words: `{mu, sigma}`; a set of one key is just the key. */
const setText = (keys: readonly string[]): string => (keys.length === 1 ? keys[0] : `{${keys.join(', ')}}`);
const listText = (keys: readonly string[]): string => (keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}`);
const article = (kind: string): string => (/^[aeio]/.test(kind) ? 'an' : 'a');
const written = (keys: readonly string[]): string => keys.map((k) => `${k}: ${PLACEHOLDER[k]}`).join(' and ');

/**
 * Why a kind with alternative parameter sets cannot be built from the keys
 * given, saying what to write; undefined when exactly one set is complete.
 */
export function formProblem(kind: string, given: Readonly<Record<string, unknown>>): string | undefined {
  const forms = FORMS[kind];
  if (forms === undefined) return undefined;
  const has = (k: string) => given[k] !== undefined;
  const started = forms.filter((f) => f.some(has));
  const head = `${article(kind)} ${kind} needs either ${forms.map(setText).join(' or ')}`;
  if (started.length === 0) return `${head}; got neither – add ${forms.map(written).join(', or ')}`;
  if (started.length > 1) return `${head}, not both; got ${listText(started.flatMap((f) => f.filter(has)))} – keep one and remove the rest`;
  const form = started[0];
  const missing = form.filter((k) => !has(k));
  return missing.length === 0 ? undefined : `${head}; got ${listText(form.filter(has))} only – add ${written(missing)}`;
}

/**
 * A distribution kind as a strict mapping whose unknown-key message says the
 * key is not a parameter of this kind and which keys are: `"p95" is not a
 * lognormal parameter; did you mean "p99"? valid keys: dist, mu, sigma,
 * median, p99 – give {mu, sigma} or {median, p99}`. One line per key, as
 * validateSource expects.
 */
function distShape<T extends z.core.$ZodLooseShape>(kind: string, shape: T) {
  const keys = Object.keys(shape);
  const forms = FORMS[kind];
  const give = forms ? ` – give ${forms.map(setText).join(' or ')}` : '';
  const line = (k: string): string => {
    const guess = didYouMean(k, keys);
    return `"${k}" is not ${article(kind)} ${kind} parameter; ${guess === undefined ? '' : `did you mean "${guess}"? `}valid keys: ${keys.join(', ')}${give}`;
  };
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map(line).join('\n') : undefined) });
}

/** Refuses a kind whose parameter sets are incomplete or mixed, at the mapping, saying what to write. */
function oneCompleteForm(d: { dist: string } & Record<string, unknown>, ctx: z.RefinementCtx): void {
  const problem = formProblem(d.dist, d);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
}

const lognormalInput = distShape('lognormal', {
  dist: z.literal('lognormal'),
  mu: z.number().finite().optional().describe('mean of ln(latency in ms)'),
  sigma: z.number().finite().optional().describe('standard deviation of ln(latency in ms)'),
  median: durationMs.optional(),
  p99: durationMs.optional(),
}).superRefine(oneCompleteForm);

const empiricalInput = distShape('empirical', {
  dist: z.literal('empirical'),
  quantiles: z.array(strictObject({ p: probability, value: durationMs })).optional(),
  samples: z.array(durationMs).optional(),
}).superRefine(oneCompleteForm);

/** True when every kind with alternative parameter sets, nested ones included, has exactly one complete set. */
function formsComplete(d: DistInput): boolean {
  if (d.dist === 'mixture') return d.components.every((c) => formsComplete(c.of));
  return formProblem(d.dist, d as unknown as Record<string, unknown>) === undefined;
}

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
    distShape('constant', { dist: z.literal('constant'), value: durationMs }),
    distShape('uniform', { dist: z.literal('uniform'), min: durationMs, max: durationMs }),
    distShape('exponential', { dist: z.literal('exponential'), mean: durationMs }),
    distShape('normal', { dist: z.literal('normal'), mean: durationMs, sd: durationMs }).describe('normal truncated at 0'),
    lognormalInput,
    distShape('gamma', { dist: z.literal('gamma'), shape: z.number(), scale: durationMs }),
    distShape('weibull', { dist: z.literal('weibull'), shape: z.number(), scale: durationMs }),
    distShape('pareto', { dist: z.literal('pareto'), shape: z.number(), scale: durationMs }).describe('Pareto type I; scale is the minimum'),
    empiricalInput,
    distShape('mixture', {
      dist: z.literal('mixture'),
      components: z.array(strictObject({ weight: z.number(), of: distObject })).min(1),
    }),
  ]),
);

/**
 * Turns the file's spelling (`mean: 20ms`) into the sampler's (`meanMs: 20`).
 * Expects one complete parameter set per kind (formsComplete).
 */
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
      if (d.mu !== undefined && d.sigma !== undefined) return { dist: 'lognormal', mu: d.mu, sigma: d.sigma };
      if (d.median !== undefined && d.p99 !== undefined) return { dist: 'lognormal', medianMs: d.median, p99Ms: d.p99 };
      throw new Error(`toDistSpec: ${formProblem('lognormal', d)}`);
    case 'gamma':
    case 'weibull':
    case 'pareto':
      return { dist: d.dist, shape: d.shape, scaleMs: d.scale };
    case 'empirical':
      if (d.quantiles !== undefined) return { dist: 'empirical', quantiles: d.quantiles.map((q) => ({ p: q.p, valueMs: q.value })) };
      if (d.samples !== undefined) return { dist: 'empirical', samplesMs: d.samples };
      throw new Error(`toDistSpec: ${formProblem('empirical', d)}`);
    case 'mixture':
      return { dist: 'mixture', components: d.components.map((c) => ({ weight: c.weight, of: toDistSpec(c.of) })) };
  }
}

/** A sampler field name in the file's spelling: `p99Ms` → `p99`, `samplesMs` → `samples`. */
const fileName = (samplerName: string): string => samplerName.replace(/Ms$/, '');

/** Maps a sampler field (`components[1].of.sdMs`, `p99Ms`) back to the file's path. */
function filePath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([A-Za-z][A-Za-z0-9]*)(?:\[(\d+)\])?$/.exec(part);
    if (!m) continue;
    path.push(fileName(m[1]));
    if (m[2] !== undefined) path.push(Number(m[2]));
  }
  return path;
}

/** The value at a file path inside a distribution as written. */
function valueAt(d: unknown, path: readonly (string | number)[]): unknown {
  let v = d;
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

/**
 * A sampler's parameter error in the file's words: the rule without the
 * sampler's field names (`> medianMs (3)` → `> median (3)`), and the value as
 * written – the path in front of the message already names the field.
 */
function fileMessage(e: DistParamError, d: DistInput): string {
  const got = valueAt(d, filePath(e.field));
  const shown = Array.isArray(got) ? `${got.length} item${got.length === 1 ? '' : 's'}` : describeValue(got);
  return `must be ${e.rule.replace(/\b([a-z][A-Za-z0-9]*)Ms\b/g, '$1').replace(/\ban array\b/g, 'a list').replace(/\barray\b/g, 'list')}; got ${shown}`;
}

/**
 * A latency: a duration (a constant) or a distribution object. Parameters are
 * checked by building the sampler, so every rule lives in one place (dist.ts).
 */
export const distLatencySchema = z
  .union([durationMs.transform((value): DistInput => ({ dist: 'constant', value })), distObject])
  .superRefine((d, ctx) => {
    // An incomplete parameter set was reported where it was written; building the sampler would only restate it as NaN.
    if (!formsComplete(d)) return;
    try {
      makeSampler(toDistSpec(d));
    } catch (e) {
      if (!(e instanceof DistParamError)) throw e;
      ctx.addIssue({ code: 'custom', path: filePath(e.field), message: fileMessage(e, d) });
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
