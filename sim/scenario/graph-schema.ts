/**
 * The `graph:` and `subgraphs:` sections of the scenario language: routing,
 * agent loops, fan-out/fan-in and sub-graphs over the stages (README "Agent
 * graphs"). The cross-references – unknown and unreachable nodes, routing
 * shares that do not sum to 1, cycles outside a loop – are checked in
 * graph-build.ts and the files it runs, where the whole scenario is in view.
 */
import { z } from 'zod';
import { identifier } from './identifier.js';
import { nonNegativeInt, positiveInt, probability, strictObject, unknownKeyMessage } from './units.js';
import { MAX_POISSON_MEAN } from '../kernel/count-dist.js';

/**
 * LangGraph's default `recursion_limit`: super-steps (node runs) one
 * invocation may take before GraphRecursionError – 10007 since langgraph
 * 1.1.4 (libs/langgraph/langgraph/_internal/_config.py:
 * `DEFAULT_RECURSION_LIMIT = int(getenv("LANGGRAPH_DEFAULT_RECURSION_LIMIT",
 * "10007"))`); 25 until PR #6676 (langgraph 1.0.7, 2026-01) raised it to
 * 10000, and PR #7355 made it 10007 so that an explicit 10000 is told apart.
 * A loop without a `limit` gets as many iterations as that allows: ⌊10007 /
 * the nodes its body runs per iteration⌋ (graph-composites.ts) – an agent that
 * never meets its stop condition runs, and pays for, thousands of steps.
 */
export const LANGGRAPH_RECURSION_LIMIT = 10007;

/**
 * A `join:` written anywhere but on its fork node: the join belongs to the
 * parallel or map node that forks (there is no separate join node, so a join
 * without its fork cannot be written), and the unknown-key error says so.
 */
const JOIN_HINT = 'a join is declared on the node that forks: graph.nodes.<id>.parallel.join or graph.nodes.<id>.map.join';

/** unknownKeyMessage, plus where a misplaced `join` goes. */
function graphKeyMessage(key: string, validKeys: readonly string[]): string {
  return key === 'join' ? `unknown key "join" here; ${JOIN_HINT}` : unknownKeyMessage(key, validKeys);
}

/** units.strictObject, with graphKeyMessage for unknown keys. */
function graphObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const validKeys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((k) => graphKeyMessage(k, validKeys)).join('\n') : undefined),
  });
}

/** A count: a whole number, or a distribution over counts (kernel/count-dist.ts). */
export const countSchema = z.union([
  nonNegativeInt,
  strictObject({ dist: z.literal('poisson'), mean: z.number().finite().min(0, 'must be at least 0').max(MAX_POISSON_MEAN, `must be at most ${MAX_POISSON_MEAN}`) }),
  strictObject({ dist: z.literal('uniform'), min: nonNegativeInt, max: nonNegativeInt }),
  strictObject({ dist: z.literal('geometric'), mean: z.number().finite().min(1, 'must be at least 1 (a geometric count on 1, 2, …)') }),
  strictObject({
    dist: z.literal('empirical'),
    counts: z
      .array(z.tuple([nonNegativeInt, z.number().finite().min(0, 'a weight must be at least 0')]))
      .min(1, 'needs at least one [count, weight] pair')
      .describe('[count, weight] pairs; weights need not sum to 1'),
  }),
]);

/** A sub-path: a chain of node ids, or the name of a sub-graph. */
export const bodySchema = z.union([identifier, z.array(identifier).min(1, 'needs at least one node')]);

export const joinSchema = z.union([
  z.enum(['all', 'any', 'vote']),
  strictObject({ quorum: positiveInt.describe('successful branches the join waits for') }),
]);

export const loopSchema = graphObject({
  body: bodySchema.describe('the iteration: a chain of nodes (plan → tool → observe) or a sub-graph name'),
  iterations: z
    .union([strictObject({ stop: probability.describe('after each iteration the agent stops with this probability (geometric)') }), countSchema])
    .describe('how many iterations the agent wants: { stop: p } (geometric, mean 1/p) or a count distribution'),
  limit: positiveInt
    .max(1_000_000, 'must be at most 1,000,000 iterations')
    .optional()
    .describe(
      `step limit in iterations (CrewAI max_iter, default 25 in crewai's agent.py); default: as many as LangGraph's recursion_limit (${LANGGRAPH_RECURSION_LIMIT} super-steps) allows, ⌊${LANGGRAPH_RECURSION_LIMIT} / nodes per iteration⌋`,
    ),
  atLimit: z.enum(['fail', 'escalate']).default('fail').describe('what happens at the step limit: the request fails, or goes to the escalation human'),
  observeErrors: probability
    .default(0)
    .describe('probability that a failed iteration is observed by the agent, which goes on with the next one instead of failing the request'),
});

export const mapSchema = strictObject({
  items: countSchema.describe('branches per request: a whole number or a count distribution (documents retrieved)'),
  body: bodySchema.describe('what runs per item'),
  join: joinSchema.default('all'),
});

export const parallelSchema = strictObject({
  branches: z.array(bodySchema).min(1, 'needs at least one branch').describe('each branch a chain of nodes or a sub-graph name'),
  join: joinSchema.default('all'),
});

export const compositeSchema = graphObject({
  description: z.string().optional(),
  loop: loopSchema.optional(),
  map: mapSchema.optional(),
  parallel: parallelSchema.optional(),
  subgraph: identifier.optional().describe('a node that is a whole sub-graph, defined once under subgraphs: and reused'),
});

const ROUTE_SHAPE = { route: z.record(identifier, probability).optional().describe('successor → probability; the shares sum to 1') };

/**
 * `{ route: … }`. `route` is required by the refinement rather than the
 * shape, so that a mapping holding a stray key (`{ join: all }`) gets one
 * message – the unknown key – instead of that plus "missing route".
 */
const routeSchema = graphObject(ROUTE_SHAPE)
  .refine((o) => o.route !== undefined, {
    path: ['route'],
    message: 'missing required key "route": next: takes a node id, end, or { route: { <node>: <share>, … } }',
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ required: ['route'] });

/** Where a node's output goes: a node id, `end`, or a router's shares. */
export const nextSchema = z.union([identifier, routeSchema]);

/** A graph or a sub-graph: start, composite nodes, edges, failure routes. */
export const flowGraphSchema = graphObject({
  description: z.string().optional(),
  start: identifier.optional().describe('the first node (default: the first stage of the graph, or of the sub-graph\'s next:)'),
  nodes: z.record(identifier, compositeSchema).optional().describe('composite nodes: loop, map, parallel, subgraph'),
  next: z.record(identifier, nextSchema).optional().describe('node → the node its good output goes to (or end, or { route: { a: 0.7, b: 0.3 } }); a node not listed ends its flow'),
  onFailure: z
    .record(identifier, identifier)
    .optional()
    .describe('node → where a detected failure goes once the node\'s own recovery (retries, fallback) is exhausted, instead of failing the request'),
});

export type FlowGraphInput = z.output<typeof flowGraphSchema>;
export type CompositeInput = z.output<typeof compositeSchema>;
export type CountInput = z.output<typeof countSchema>;
export type BodyInput = z.output<typeof bodySchema>;
export type JoinInput = z.output<typeof joinSchema>;
