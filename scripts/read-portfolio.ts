/**
 * The portfolio of a results.json read back with `report --from`
 * (`report --budget USD`; sim/experiment PortfolioResult, or the budget and
 * why none was run): every field the "Portfolio" section and its chart read,
 * a figure the tool could have written (read-figures.ts), and every name the
 * frontier, the recommended set, the first step and the cheaper alike set
 * refer to one of the simulated combinations (or keeping as is) – the
 * renderers look them up and would fail on one that is not there.
 */
import { z } from 'zod';
import { count, dollars, estimate, label, MAX_FIGURE, num, rateEstimate, setName } from './read-figures.js';

/** How the output names keeping as is (sim/experiment KEEP_AS_IS). */
const KEEP = 'keep as is';

const combination = z.looseObject({
  name: setName,
  options: z.array(label).min(1, 'must name at least one option'),
  price: z.looseObject({ oneOffUsd: dollars, monthlyUsd: dollars, unpriced: z.array(label) }),
  extraCostMonthlyUsd: num,
  spendChangeMonthlyUsd: estimate,
  successRate: rateEstimate,
  successDelta: estimate,
  silentFailureDelta: estimate,
  silentFailuresMonthly: estimate,
  p95Ms: num,
  p95DeltaMs: estimate,
  p95Change: z.looseObject({ estimateMs: num, halfMs: num, resolutionLimited: z.boolean(), relative: num }),
  netMonthlyUsd: num,
  worse: z.boolean(),
  withinBudget: z.boolean(),
  onFrontier: z.boolean(),
  scenarioHash: z.string(),
});

const result = z
  .looseObject({
    scenario: label,
    seed: z.union([z.number(), z.string()]),
    requests: count,
    replications: count,
    inputs: z.looseObject({
      requestsPerMonth: z.number().gt(0, 'must be more than 0 requests').max(MAX_FIGURE, `must be at most ${MAX_FIGURE}`),
      trafficSource: z.enum(['scenario', 'arrival rate', 'simulated throughput']),
      silentFailureUsd: dollars,
      amortizationMonths: z.number().gt(0, 'must be more than 0 months').max(MAX_FIGURE, `must be at most ${MAX_FIGURE}`),
    }),
    budgetMonthlyUsd: dollars.nullable(),
    options: z.array(
      z.looseObject({
        name: label,
        kind: z.enum(['compute', 'coordination', 'mixed']),
        price: z.looseObject({ oneOffUsd: dollars, monthlyUsd: dollars, note: z.string().nullable(), unpriced: z.boolean() }),
      }),
    ),
    conflicts: z.array(z.looseObject({ a: label, b: label, path: z.string(), reason: z.string() })),
    search: z.looseObject({ method: z.enum(['exhaustive', 'bounded']), simulated: count, combinations: z.number().min(0).max(MAX_FIGURE), limit: count.nullable() }),
    baseline: z.looseObject({ successRate: rateEstimate, silentFailureRate: rateEstimate, p95Ms: num, spendPerRequestUsd: num }),
    combinations: z.array(combination),
    frontier: z.array(setName).min(1, 'must hold at least one set (keeping as is is always on it or beaten)'),
    frontierLine: z.array(setName),
    recommended: setName,
    cheaperAlike: z.looseObject({ name: setName, successDifference: estimate, savingMonthlyUsd: num }).nullable(),
    firstStep: z.union([z.looseObject({ option: label, successPerThousandUsd: num.nullable() }), z.looseObject({ option: z.null(), reason: z.string() })]),
    skipped: z.array(z.looseObject({ name: setName, reason: z.string() })),
  })
  .superRefine((p, ctx) => {
    const names = new Set(p.combinations.map((c) => c.name));
    const known = (name: string, path: (string | number)[]) => {
      if (name !== KEEP && !names.has(name)) ctx.addIssue({ code: 'custom', path, message: `"${name}" is not one of the simulated combinations (nor "${KEEP}")` });
    };
    p.frontier.forEach((n, i) => known(n, ['frontier', i]));
    p.frontierLine.forEach((n, i) => known(n, ['frontierLine', i]));
    known(p.recommended, ['recommended']);
    if (p.cheaperAlike !== null) known(p.cheaperAlike.name, ['cheaperAlike', 'name']);
    if (p.firstStep.option !== null && !names.has(p.firstStep.option))
      ctx.addIssue({ code: 'custom', path: ['firstStep', 'option'], message: `"${p.firstStep.option}" is not one of the simulated combinations` });
    if (p.search.simulated !== p.combinations.length)
      ctx.addIssue({ code: 'custom', path: ['search', 'simulated'], message: `says ${p.search.simulated} combinations were simulated, but ${p.combinations.length} are listed` });
  });

/** `report --budget` of a scenario with fewer than two options: the budget, and why there is no portfolio. */
const notRun = z.strictObject({ budgetMonthlyUsd: dollars, notRun: z.string().max(2000, 'must be at most 2000 characters') });

/**
 * A portfolio, or the note that none was run (it holds `notRun`), each
 * checked against its own schema so an error names the field at fault rather
 * than "matches neither".
 */
export const portfolio = z.unknown().transform((v, ctx) => {
  const schema = v !== null && typeof v === 'object' && 'notRun' in v ? notRun : result;
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue });
  return z.NEVER;
});
