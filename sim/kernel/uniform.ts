/**
 * A source of uniform draws in [0, 1): what every sampler consumes and every
 * random stream (rng.ts: seeded; keyed.ts: keyed by purpose and request, for
 * common random numbers) provides. One definition, so the two kinds of
 * stream and the distributions cannot drift apart.
 */
export type Uniform01 = () => number;
