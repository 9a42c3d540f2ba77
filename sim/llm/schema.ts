/**
 * LLM calls and their providers as scenario files spell them: a `providers:`
 * section (rate limits, quotas, outages, per-model TTFT/TPOT and prices) and
 * an `llm:` block on a stage or fallback that names its provider and model
 * and says how many tokens go in and come out. Sources for every default are
 * in the README ("LLM calls and providers") and in the doc comments here.
 */
import { z } from 'zod';
import { durationMs, positiveInt, probability, strictObject, describeValue } from '../scenario/units.js';
import { distLatencySchema } from '../scenario/schema-dist.js';
import { countSchema } from '../scenario/graph-schema.js';
import { identifier } from '../scenario/identifier.js';
import { servingOrderProblems } from './serving.js';

const positiveNumber = (what: string) =>
  z.number({ error: (i) => `must be a number > 0 (${what}); got ${describeValue(i.input)}` }).finite().gt(0, {
    error: (i) => `must be > 0 (${what}); got ${describeValue(i.input)}`,
  });
const usdPerMTok = z
  .number({ error: (i) => `must be a price in USD per million tokens (a number ≥ 0); got ${describeValue(i.input)}` })
  .finite()
  .min(0, { error: (i) => `must be a price ≥ 0 in USD per million tokens; got ${describeValue(i.input)}` });

const [wholeCount, ...countDists] = countSchema.options;

/**
 * A token count: a whole number, a count distribution (graph-schema.ts
 * countSchema: poisson, uniform, geometric, empirical [count, weight] pairs),
 * a lognormal rounded to whole tokens, or a Zipf law truncated below `max`
 * – the generator BurstGPT ships for response lengths
 * (HPMLL/BurstGPT example/profile_server/server.py: np.random.zipf(a=1.1),
 * redrawn at or above 1024).
 */
export const tokenCountSchema = z.union([
  wholeCount,
  // Tagged by dist, so an unknown dist is reported as such with the valid ones, not as the last branch's literal.
  z.discriminatedUnion('dist', [
    ...countDists,
    strictObject({
      dist: z.literal('lognormal'),
      median: positiveNumber('tokens'),
      p99: positiveNumber('tokens'),
    })
      .superRefine((o, ctx) => {
        // A p99 below the median has no lognormal; tokens.ts would silently make it a constant.
        if (o.p99 < o.median) ctx.addIssue({ code: 'custom', path: ['p99'], input: o.p99, message: `must be at least the median (${o.median} tokens); got ${o.p99}` });
      })
      .describe('lognormal rounded to whole tokens, through its median and p99'),
    strictObject({
      dist: z.literal('zipf'),
      exponent: z
        .number({ error: (i) => `must be a number > 1; got ${describeValue(i.input)}` })
        .finite()
        .gt(1, { error: (i) => `must be > 1 (P(n) ∝ n^−exponent sums to a finite total only above 1; BurstGPT uses 1.1); got ${describeValue(i.input)}` })
        .default(1.1),
      max: positiveInt.max(131_072, 'must be at most 131072 tokens (128k: past the longest answer any model writes)').default(1024).describe('counts at or above this are redrawn (BurstGPT: 1024)'),
    }).describe('Zipf law on 1, 2, … truncated below max: P(n) ∝ n^−exponent (BurstGPT generator: exponent 1.1, max 1024)'),
  ]),
]);

/** Per-model figures at a provider. */
export const providerModelSchema = strictObject({
  ttft: distLatencySchema
    .optional()
    .describe('time to first token, e.g. an empirical quantile table: { dist: empirical, quantiles: [{ p: 0, value: 150ms }, …] }; a model self-hosted on a pool with a serving table takes it from the table'),
  tpot: distLatencySchema
    .optional()
    .describe('time per output token after the first (inter-token latency), drawn once per call; a model self-hosted on a pool with a serving table takes it from the table'),
  inputPerMTokUsd: usdPerMTok.default(0).describe('USD per million uncached input tokens'),
  cachedInputPerMTokUsd: usdPerMTok.optional().describe('USD per million input tokens read from the prompt cache (default: the input price; Anthropic 0.1×, OpenAI 0.5× for gpt-4o)'),
  outputPerMTokUsd: usdPerMTok.default(0).describe('USD per million output tokens'),
});

/** A provider-wide incident: every call to the provider inside the window is affected at once. */
export const providerIncidentSchema = strictObject({
  from: durationMs.describe('start of the window (simulated time)'),
  to: durationMs.describe('end of the window'),
  errorRate: probability
    .default(1)
    .describe('share of calls that fail at once with a 5xx inside the window: 1 is a full outage, 0.45 a brown-out'),
  latencyFactor: z
    .number({ error: (i) => `must be a number ≥ 1; got ${describeValue(i.input)}` })
    .finite()
    .min(1, { error: (i) => `must be at least 1 (a factor that slows calls down: 2 doubles TTFT and TPOT); got ${describeValue(i.input)}` }).default(1).describe('multiplies TTFT and TPOT inside the window'),
  extraLatency: durationMs.default(0).describe('added to the time to first token inside the window (a stall, as on 2024-12-04)'),
  models: z.array(identifier).optional().describe('only these models are hit (default: every model of the provider)'),
});

export const quotaSchema = strictObject({
  tokens: positiveNumber('tokens per window').optional().describe('tokens (input + output) the organisation may use per window'),
  spendUsd: positiveNumber('USD per window').optional().describe('money the organisation may spend per window'),
  per: durationMs.default(86_400_000).describe('the window (fixed, from time 0): 24h for a daily quota, 720h for a 30-day spend limit'),
});

export const providerSchema = strictObject({
  description: z.string().optional(),
  limits: strictObject({
    rpm: positiveNumber('requests per minute').optional().describe('requests per minute: a token bucket of that size refilled continuously at rpm/60 per second'),
    tpm: positiveNumber('tokens per minute').optional().describe('tokens per minute (input plus max_tokens, or the drawn output without a cap): a bucket like rpm'),
    concurrency: positiveInt.optional().describe('calls in flight at the provider at once; one more gets a 429 without Retry-After'),
  })
    .optional()
    .describe("the organisation's rate limits, shared by every call to this provider from any node"),
  overload: probability.default(0).describe('per-call probability of a 529/503 "overloaded" answer outside incidents (the provider is busy for everyone)'),
  quota: quotaSchema.optional().describe('daily or monthly token or spend cap; past it every call fails until the window ends (a persistent fault, no Retry-After)'),
  incidents: z.array(providerIncidentSchema).optional().describe('outages and brown-outs: windows in which every call to this provider is hit'),
  models: z
    .record(identifier, providerModelSchema)
    .refine((m) => Object.keys(m).length > 0, 'needs at least one model, e.g. models: { gpt-4o: { ttft: { dist: lognormal, median: 400ms, p99: 2s }, tpot: 12ms } }'),
});

/**
 * A GPU pool serving a self-hosted model (serving.ts): on a scenario pool or
 * a hardware config's pool.
 */
export const servingSchema = strictObject({
  sequencesPerGpu: positiveInt.describe('concurrent sequences one GPU serves (continuous batching; vLLM max_num_seqs); the pool then has servers × this many slots'),
  load: z
    .array(
      strictObject({
        sequences: positiveInt.describe('concurrent sequences per GPU'),
        ttft: durationMs.describe('time to first token at that load'),
        tpot: durationMs.describe('time per output token at that load'),
      }),
    )
    .min(1, 'needs at least one row: { sequences, ttft, tpot }')
    .describe('TTFT and TPOT at increasing numbers of concurrent sequences per GPU, interpolated linearly between rows'),
}).superRefine((s, ctx) => {
  for (const [i, message] of servingOrderProblems(s)) ctx.addIssue({ code: 'custom', path: ['load', i, 'sequences'], message });
});


/** The `llm:` block of a stage or fallback: which model it calls and the tokens of one call. */
export const llmCallSchema = strictObject({
  provider: z.string().describe('a provider id under providers:'),
  model: z.string().describe("a model id under the provider's models:"),
  inputTokens: tokenCountSchema.default(0).describe('prompt tokens per call'),
  outputTokens: tokenCountSchema.describe('output tokens the model wants to write per call (heavy-tailed: BurstGPT)'),
  maxTokens: positiveInt.optional().describe('max_tokens: output is cut here (finish_reason "length"), and the provider counts it against TPM'),
  cachedInputShare: probability.default(0).describe('share of input tokens read from the prompt cache (priced apart, not counted against TPM)'),
  firstTokenTimeout: durationMs.optional().describe('a streaming client gives up when no first token came within this time'),
  fallbackOn: z
    .array(z.enum(['rateLimited', 'overloaded', 'quota']))
    .optional()
    .describe("provider refusals that go to the stage's fallback at once, without retries (LiteLLM and OpenRouter fall over on 429 and 5xx)"),
  route: strictObject({
    to: z.string().describe('a fallbacks: entry – a cheaper model, a smaller provider – that takes the routed requests'),
    share: probability.describe('share of requests the router sends there (RouteLLM calibrates e.g. 80 % to the weak model); its faults are what it shows on those requests'),
  })
    .optional()
    .describe('model routing: send a share of requests (the ones a router judges easy) to another definition; each request is routed the same way on every visit'),
});

export type ProviderInput = z.output<typeof providerSchema>;
export type ServingInput = z.output<typeof servingSchema>;
export type LlmCallInput = z.output<typeof llmCallSchema>;
export type TokenCountInput = z.output<typeof tokenCountSchema>;
