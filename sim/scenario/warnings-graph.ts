/**
 * Likely mistakes in a graph: section (warnings.ts places and prints them).
 * Each can be deliberate – a scenario that shows what an unlimited agent
 * costs, a map that really fans out widely – so each is a warning, not an
 * error:
 *
 * - a loop without `limit`: it gets LangGraph's default, ⌊10007 / nodes per
 *   iteration⌋ iterations (graph-schema.ts LANGGRAPH_RECURSION_LIMIT), so an
 *   agent that never meets its stop condition runs – and pays for – that
 *   many; with `observeErrors` above 0 a tool that keeps failing is retried
 *   by the agent up to that many times, said instead when the default is
 *   large (LARGE_DEFAULT_LIMIT);
 * - a map whose mean item count exceeds MANY_ITEMS;
 * - a route share of exactly 0: a branch no request takes.
 *
 * Pure: reads the data as written (which fields were given, and where) and
 * the compiled model (the limit each loop got).
 */
import type { Model } from '../path/model.js';
import type { CompositeModel } from '../path/graph.js';
import { makeCountSampler } from '../kernel/count-dist.js';
import { LANGGRAPH_RECURSION_LIMIT } from './graph-schema.js';

export type GraphWarningCode = 'loop-default-limit' | 'loop-observes-errors-without-limit' | 'map-many-items' | 'route-share-zero';

export interface GraphWarning {
  code: GraphWarningCode;
  path: (string | number)[];
  message: string;
}

/**
 * A default limit at or above this many iterations is "large" for an agent
 * that retries what it observes: four times CrewAI's max_iter default of 25
 * (crewai agent.py), ten times the OpenAI Agents SDK's max_turns of 10. A
 * judgement, stated here and in the message.
 */
export const LARGE_DEFAULT_LIMIT = 100;

/**
 * Mean items per map above which the fan-out is likely a mistake: map-reduce
 * RAG fans out over the top-k retrieved documents, and LangChain's
 * similarity_search returns k = 4 by default; a thousand branches per
 * request is a batch job, not a request path. A judgement.
 */
export const MANY_ITEMS = 1000;

type Path = (string | number)[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The graph sections as written: the main graph and each sub-graph, with their paths. */
function sections(input: unknown): [Record<string, unknown>, Path][] {
  if (!isRecord(input)) return [];
  const out: [Record<string, unknown>, Path][] = [];
  if (isRecord(input.graph)) out.push([input.graph, ['graph']]);
  if (isRecord(input.subgraphs)) for (const [k, g] of Object.entries(input.subgraphs)) if (isRecord(g)) out.push([g, ['subgraphs', k]]);
  return out;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** `bodyNodes`: the nodes the body's flow runs per iteration, each a LangGraph super-step (graph-composites.ts sets the default limit from it). */
function loopWarning(c: CompositeModel, written: Record<string, unknown>, path: Path, bodyNodes: number): GraphWarning[] {
  const l = c.loop;
  if (l === null || written.limit !== undefined) return [];
  const origin =
    `no limit: the loop gets LangGraph's default recursion_limit of ${LANGGRAPH_RECURSION_LIMIT} super-steps (langgraph 1.2.11, DEFAULT_RECURSION_LIMIT)` +
    (bodyNodes > 1 ? `, ÷ ${bodyNodes} nodes per iteration = ${plural(l.limit, 'iteration')}` : `, ${plural(l.limit, 'iteration')} of its one node`);
  if (l.observeErrors > 0 && l.limit >= LARGE_DEFAULT_LIMIT)
    return [
      {
        code: 'loop-observes-errors-without-limit',
        path: [...path, 'loop'],
        message:
          `${origin}, and the agent observes ${+(l.observeErrors * 100).toPrecision(3)} % of failed iterations and tries again: a tool that keeps failing is retried ` +
          `up to ${plural(l.limit, 'time')}, each iteration paying its tokens, before the loop gives up – set limit: (CrewAI's max_iter default is 25) unless the scenario is about that cost`,
      },
    ];
  return [
    {
      code: 'loop-default-limit',
      path: [...path, 'loop'],
      message: `${origin}; an agent that never meets its stop condition runs, and pays for, all ${plural(l.limit, 'iteration')} – set limit: to choose (CrewAI's max_iter default is 25)`,
    },
  ];
}

function mapWarning(c: CompositeModel, path: Path): GraphWarning[] {
  if (c.kind !== 'map' || c.itemsSpec === null) return [];
  const mean = makeCountSampler(c.itemsSpec).mean;
  if (!(mean > MANY_ITEMS)) return [];
  return [
    {
      code: 'map-many-items',
      path: [...path, 'map', 'items'],
      message:
        `a mean of ${plural(+mean.toPrecision(3), 'item')} per request: each item is a branch of its own, so one request fans out into that many sub-paths – ` +
        `likely a mistake (a map-reduce over retrieved documents has a handful: LangChain's similarity_search returns k = 4 by default); if meant, expect a slow, memory-heavy run`,
    },
  ];
}

function routeWarnings(section: Record<string, unknown>, path: Path): GraphWarning[] {
  const out: GraphWarning[] = [];
  if (!isRecord(section.next)) return out;
  for (const [from, spec] of Object.entries(section.next)) {
    if (!isRecord(spec) || !isRecord(spec.route)) continue;
    for (const [to, share] of Object.entries(spec.route))
      if (share === 0)
        out.push({
          code: 'route-share-zero',
          path: [...path, 'next', from, 'route', to],
          message: `share 0: no request goes from ${from} to ${to} – a dead branch; give it a share if it is meant to be taken, or remove it`,
        });
  }
  return out;
}

/** The graph warnings of one arm, in file order of sections and nodes. */
export function graphWarnings(input: unknown, model: Model): GraphWarning[] {
  const g = model.graph;
  const composites = new Map((g?.composites ?? []).map((c) => [c.id, c]));
  const nodesIn = (flow: number) => g?.nodeFlow.filter((f) => f === flow).length ?? 0;
  const out: GraphWarning[] = [];
  for (const [section, path] of sections(input)) {
    if (isRecord(section.nodes))
      for (const [id, node] of Object.entries(section.nodes)) {
        const c = composites.get(id);
        if (c === undefined || !isRecord(node)) continue;
        const nodePath = [...path, 'nodes', id];
        if (isRecord(node.loop)) out.push(...loopWarning(c, node.loop, nodePath, nodesIn(c.flows[0])));
        out.push(...mapWarning(c, nodePath));
      }
    out.push(...routeWarnings(section, path));
  }
  return out;
}
