/**
 * Reading back a results file with `coordgap report --from`: the check that
 * it is one – same tool version, every field the report reads present and
 * one the tool could have written. The schema lists exactly those fields (zod
 * v4, loose objects: fields it does not read pass through untouched), so a
 * result with extra fields from a later minor change still renders. The
 * report's own figures are derived from what is read here again
 * (experiments/report-input.ts), never read from the file.
 */
import { z } from 'zod';
import { parseProfile } from '../bench/profile.js';
import type { ReportResults } from '../reports/index.js';
import type { WhatIfPage } from '../reports/what-if.js';
import { OBJECTIVES, UNCERTAIN_METRICS } from '../sim/experiment/index.js';
import { MAX_UNCERTAINTY_DRAWS } from '../experiments/uncertainty.js';

import { count, estimate, label, MAX_FIGURE, num, rateEstimate, dollars } from './read-figures.js';
import { portfolio } from './read-portfolio.js';

const latency = z.looseObject({ mean: num, p50: num, p90: num, p95: num, p99: num, p999: num, max: num, count });
/** Spend or the assumed penalty (sim/metrics cost): the report shows them apart. */
const costShare = z.looseObject({ total: num, perRequest: num, perSuccess: z.number().nullable() });

const runResult = z.looseObject({
  scenario: label,
  seed: z.union([z.number(), z.string()]),
  requests: count,
  replications: count,
  outcomes: z.looseObject({ success: count, silentFailure: count, failed: count, escalated: count, timedOut: count, rejected: count }),
  successRate: rateEstimate,
  silentFailureRate: rateEstimate,
  latencyMs: latency,
  throughputPerSec: num,
  goodputPerSec: num,
  escalation: z.looseObject({ count }),
  attribution: z.array(z.looseObject({ origin: z.string(), count })),
  costUsd: z.looseObject({
    total: num,
    perRequest: num,
    perSuccess: z.number().nullable(),
    breakdown: z.looseObject({ tokens: num, compute: num, human: num, silentFailure: num, escalation: num }),
    spend: costShare,
    assumedPenalty: costShare.extend({ perSilentFailure: num }),
  }),
  meta: z.looseObject({ version: z.string(), scenarioHash: z.string() }),
}).superRefine((r, ctx) => {
  const o = r.outcomes;
  const total = o.success + o.silentFailure + o.failed + o.escalated + o.timedOut + o.rejected;
  if (total !== r.requests)
    ctx.addIssue({ code: 'custom', path: ['outcomes'], message: `the outcomes add up to ${total} requests, but requests is ${r.requests}` });
});

const delta = z.looseObject({
  successRate: estimate,
  silentFailureRate: estimate,
  p95Ms: estimate,
  costPerSuccessUsd: estimate,
  spendPerSuccessUsd: estimate,
  assumedPenaltyPerSuccessUsd: estimate,
  spendPerRequestUsd: estimate.optional(),
});

const comparison = z.looseObject({
  baseline: runResult,
  variants: z.array(
    z.looseObject({ name: label, kind: z.enum(['compute', 'coordination', 'mixed']), description: z.string().optional(), result: runResult, delta }),
  ),
});

const sensitivityRow = z.looseObject({ name: label, kind: z.string(), delta, result: runResult, patch: z.record(z.string(), z.unknown()) });

const sensitivity = z.looseObject({
  scenario: z.string(),
  // Results saved before objectives existed were ranked by Δ task success.
  objective: z.enum(OBJECTIVES).default('success'),
  baseline: runResult,
  options: z.array(sensitivityRow),
  whatIf: z.array(sensitivityRow),
  skipped: z.array(z.looseObject({ name: z.string(), reason: z.string() })),
});

const sweep = z.looseObject({
  scenario: z.string(),
  study: z.string().optional(),
  parameters: z.array(label),
  points: z.array(
    z.looseObject({
      values: z.record(z.string(), z.unknown()),
      result: runResult,
      closedFormSuccess: z.number().optional(),
      closedFormInside: z.boolean().optional(),
    }),
  ),
});

/**
 * Most nodes a topology read back may have: the picture lays out every one
 * (ELK, reports/graph/layout.ts) – 2,000 took ~20 s on one core – and no
 * agent graph comes near it.
 */
export const MAX_TOPOLOGY_NODES = 2000;

/**
 * The scenario's path (sim/path pathTopology), drawn as the pipeline picture:
 * names are labels, kinds the ones the tool writes, and every reference – an
 * edge's ends, a node's or group's group – to something the document holds,
 * with no group inside itself.
 */
const topology = z
  .looseObject({
    nodes: z
      .array(z.looseObject({ id: label, kind: z.enum(['stage', 'loop', 'map', 'parallel', 'subgraph', 'start', 'end', 'human']), group: label.optional() }))
      .min(1, 'must hold at least one node')
      .max(MAX_TOPOLOGY_NODES, `must hold at most ${MAX_TOPOLOGY_NODES} nodes`),
    edges: z
      .array(
        z.looseObject({
          id: label,
          from: label,
          to: label,
          kind: z.enum(['next', 'route', 'onFailure', 'branch', 'loop', 'return']),
          probability: z.number().min(0, 'must be a share in [0, 1]').max(1, 'must be a share in [0, 1]').optional(),
          handoff: label.optional(),
        }),
      )
      .max(4 * MAX_TOPOLOGY_NODES, `must hold at most ${4 * MAX_TOPOLOGY_NODES} edges`),
    groups: z
      .array(z.looseObject({ id: label, label, kind: z.enum(['subgraph', 'loop', 'map', 'parallel', 'branch']), parent: label.optional() }))
      .max(MAX_TOPOLOGY_NODES, `must hold at most ${MAX_TOPOLOGY_NODES} groups`),
  })
  .superRefine((t, ctx) => {
    const unique = (list: readonly { id: string }[], what: 'nodes' | 'edges' | 'groups') => {
      const seen = new Set<string>();
      list.forEach((x, i) => {
        if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: [what, i, 'id'], message: `"${x.id}" is the id of an earlier one of the ${what}` });
        seen.add(x.id);
      });
      return seen;
    };
    const nodes = unique(t.nodes, 'nodes');
    unique(t.edges, 'edges');
    const groups = unique(t.groups, 'groups');
    const known = (ids: Set<string>, value: string | undefined, path: (string | number)[], what: string) => {
      if (value !== undefined && !ids.has(value)) ctx.addIssue({ code: 'custom', path, message: `"${value}" is not one of the topology's ${what}` });
    };
    t.nodes.forEach((n, i) => known(groups, n.group, ['nodes', i, 'group'], 'groups'));
    t.edges.forEach((e, i) => {
      known(nodes, e.from, ['edges', i, 'from'], 'nodes');
      known(nodes, e.to, ['edges', i, 'to'], 'nodes');
    });
    const parentOf = new Map(t.groups.map((g) => [g.id, g.parent]));
    t.groups.forEach((g, i) => {
      known(groups, g.parent, ['groups', i, 'parent'], 'groups');
      const seen = new Set([g.id]);
      for (let p = g.parent; p !== undefined && groups.has(p); p = parentOf.get(p)) {
        if (seen.has(p)) {
          ctx.addIssue({ code: 'custom', path: ['groups', i, 'parent'], message: `group "${g.id}" sits inside itself (through "${p}")` });
          break;
        }
        seen.add(p);
      }
    });
  });

/** A share that may be unknown (null), kept as null: P(better) and the parameters' share of variance. */
const shareOrNull = z.number().min(0, 'must be a share in [0, 1]').max(1, 'must be a share in [0, 1]').nullable();
/** A difference of two rates: within [−1, 1]; null (no number) is NaN again. */
const rateDelta = z.union([z.number().min(-1, 'must be a difference of rates in [−1, 1]').max(1, 'must be a difference of rates in [−1, 1]'), z.null()]).transform((v) => v ?? NaN);

/** One variant's delta on one metric with and without parameter uncertainty (sim/experiment UncertainDelta). */
function uncertainDelta(value: typeof num | typeof rateDelta) {
  return z
    .looseObject({
      point: z.looseObject({ estimate: value, ci95: z.tuple([value, value]) }),
      totalCi95: z.tuple([value, value]),
      pBetter: shareOrNull,
      pWorse: shareOrNull,
      parameterShare: shareOrNull,
      draws: count,
    })
    .superRefine((d, ctx) => {
      if (d.pBetter !== null && d.pWorse !== null && d.pBetter + d.pWorse > 1 + 1e-12)
        ctx.addIssue({ code: 'custom', path: ['pBetter'], message: `P(better) ${d.pBetter} and P(worse) ${d.pWorse} add up to more than 1` });
      if (d.totalCi95[0] > d.totalCi95[1]) ctx.addIssue({ code: 'custom', path: ['totalCi95'], message: 'the interval ends are in the wrong order' });
    });
}

/**
 * `report --uncertainty N` (sim/experiment UncertaintyResult): the draws'
 * count within what the command allows, each metric's delta present, no
 * metric counting more draws than were run.
 */
const uncertainty = z
  .looseObject({
    draws: count.min(2, 'must be at least 2 (draws run)').max(MAX_UNCERTAINTY_DRAWS, `must be at most ${MAX_UNCERTAINTY_DRAWS}`),
    parameters: z.array(label).min(1, 'must name at least one parameter'),
    variants: z.array(
      z.looseObject({
        name: label,
        deltas: z.looseObject(
          Object.fromEntries(UNCERTAIN_METRICS.map(({ key }) => [key, uncertainDelta(key === 'successRate' || key === 'silentFailureRate' ? rateDelta : num)])),
        ),
      }),
    ),
  })
  .superRefine((u, ctx) => {
    u.variants.forEach((v, i) => {
      for (const [key, d] of Object.entries(v.deltas as Record<string, { draws: number }>))
        if (d.draws > u.draws) ctx.addIssue({ code: 'custom', path: ['variants', i, 'deltas', key, 'draws'], message: `counts ${d.draws} draws, more than the ${u.draws} run` });
    });
  });


/**
 * What the memo prices the options with (sim/experiment DecisionInputs): a
 * traffic above 0 and where it came from, the assumed silent-failure cost,
 * the amortisation months and a price per variant – every one named after a
 * variant of the comparison (checked below).
 */
const decisionInputs = z.looseObject({
  requestsPerMonth: z.number().gt(0, 'must be more than 0 requests').max(MAX_FIGURE, `must be at most ${MAX_FIGURE}`),
  trafficSource: z.enum(['scenario', 'arrival rate', 'simulated throughput']),
  silentFailureUsd: dollars,
  amortizationMonths: z.number().gt(0, 'must be more than 0 months').max(MAX_FIGURE, `must be at most ${MAX_FIGURE}`),
  prices: z.record(label, z.looseObject({ oneOffUsd: dollars, monthlyUsd: dollars, note: z.string().nullable(), unpriced: z.boolean() })),
});

const reportInput = z.looseObject({
  comparison,
  sensitivity: sensitivity.optional(),
  sweep: sweep.optional(),
  profiles: z.array(z.unknown()).max(2, 'at most two hardware profiles').optional(),
  scenarioFile: z.string().optional(),
  scenario: z
    .looseObject({
      description: z.string().optional(),
      stages: z.array(z.looseObject({ id: label, pool: label, description: z.string().optional() })),
    })
    .optional(),
  thresholds: z
    .looseObject({
      gate: z.string(),
      pass: z.boolean(),
      arms: z.array(
        z.looseObject({
          arm: label,
          pass: z.boolean(),
          checks: z.array(z.looseObject({ metric: z.string(), op: z.string(), value: z.number(), expression: z.string(), actual: z.number().nullable(), pass: z.boolean() })),
        }),
      ),
    })
    .optional(),
  topology: topology.optional(),
  uncertainty: uncertainty.optional(),
  decisionInputs: decisionInputs.optional(),
  portfolio: portfolio.optional(),
}).superRefine((r, ctx) => {
  const names = (r.comparison?.variants ?? []).map((v) => v.name);
  // The memo prices the comparison's variants by name: a price for another is not this comparison's.
  for (const name of Object.keys(r.decisionInputs?.prices ?? {}))
    if (!names.includes(name))
      ctx.addIssue({
        code: 'custom',
        path: ['decisionInputs', 'prices', name],
        message: `prices a variant the comparison does not hold; its variants are ${names.map((n) => JSON.stringify(n)).join(', ') || '(none)'}`,
      });
  // The uncertainty section pairs its variants with the comparison's by position.
  if (!r.uncertainty) return;
  const drawn = r.uncertainty.variants.map((v) => v.name);
  if (drawn.length !== names.length || drawn.some((n, i) => n !== names[i]))
    ctx.addIssue({
      code: 'custom',
      path: ['uncertainty', 'variants'],
      message: `lists the variants ${drawn.map((n) => JSON.stringify(n)).join(', ') || '(none)'}, but the comparison's are ${names.map((n) => JSON.stringify(n)).join(', ') || '(none)'}, in that order`,
    });
});

/** `comparison.variants[0].delta.p95Ms` style path. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(the document)';
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let v = json;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describe(json: unknown, issue: z.core.$ZodIssue): string {
  const at = formatPath(issue.path);
  if (issue.code === 'invalid_type' && valueAt(json, issue.path) === undefined) return `missing field ${at}`;
  return `field ${at}: ${issue.message}`;
}

/** The version a results document says it was written by, if it says. */
function versionOf(json: unknown, path: readonly string[]): unknown {
  return valueAt(json, [...path, 'meta', 'version']);
}

/**
 * Checks a results JSON read back with `--from`: the tool version it was
 * written by and every field the report reads. Accepts what `buildReport`
 * wrote as results.json, and also a bare `coordgap compare --json` result
 * (then there is no sensitivity, sweep or profile section).
 * @param file shown at the start of every error message
 * @param expectedVersion this tool's version; results from any other version are refused
 * @throws Error "<file>: written by coordgap 0.0.9; this is coordgap 0.1.0 …" or
 *   "<file>: not a coordgap results file: missing field comparison.baseline.latencyMs (and 2 more problems)"
 */
export function parseReportResults(json: unknown, file: string, expectedVersion: string): ReportResults {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Error(`${file}: not a coordgap results file: expected a JSON object, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}`);
  // A bare `compare --json` document carries its thresholds beside the arms.
  const doc = 'comparison' in json || !('baseline' in json && 'variants' in json) ? json : { comparison: json, ...('thresholds' in json ? { thresholds: json.thresholds } : {}) };
  for (const path of [['comparison', 'baseline'], ['sensitivity', 'baseline']]) {
    const version = versionOf(doc, path);
    if (typeof version === 'string' && version !== expectedVersion)
      throw new Error(
        `${file}: written by coordgap ${version || '(unknown version)'} (field ${path.join('.')}.meta.version); this is coordgap ${expectedVersion}, which reads only its own results – run the scenario again to regenerate them`,
      );
  }
  const parsed = reportInput.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more problem${issues.length === 4 ? '' : 's'})` : '';
    throw new Error(`${file}: not a coordgap results file: ${issues.slice(0, 3).map((i) => describe(doc, i)).join('; ')}${more}`);
  }
  const data = parsed.data;
  const profiles = data.profiles?.map((p, i) => parseProfile(p, `${file}: profiles[${i}]`));
  // The schema checked every field the report reads; the rest passed through as written.
  return { ...(data as unknown as ReportResults), ...(profiles ? { profiles } : {}) };
}

const whatIfControl = z.strictObject({
  path: z.string(),
  group: z.string(),
  label: z.string(),
  unit: z.string(),
  value: z.number().finite(),
  min: z.number().finite(),
  max: z.number().finite(),
  step: z.number().finite().positive(),
});

const whatIfPage = z.strictObject({
  scenario: z.strictObject({
    file: z.string(),
    data: z.record(z.string(), z.unknown()),
    hardware: z.unknown().optional(),
    traceTimestampsMs: z.array(z.number().finite()).optional(),
    version: z.string(),
  }),
  reportSets: z.array(z.string()),
  seed: z.union([z.number().int(), z.string().min(1)]),
  requestChoices: z.array(z.number().int().positive()).min(1),
  controls: z.array(whatIfControl),
});

/**
 * what-if.json, written beside results.json by `report FILE`: the what-if
 * page's scenario and controls, so `report --from` draws the same page. The
 * page's worker validates the scenario again before it runs it.
 */
export function parseWhatIfPage(json: unknown, file: string): WhatIfPage {
  const r = whatIfPage.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || '(top)'}: ${issue.message} – not a what-if.json written by coordgap report`);
  }
  return r.data as WhatIfPage;
}
