/**
 * `coordgap fit TRACES`: traces in, a scenario out that reproduces them, and
 * a back-test that says how well. Reads files and runs the simulator; never
 * prints (scripts/cmd-fit.ts does).
 *
 * What is fitted, from the spans (sim/fit/): the request path (structure.ts:
 * order, routing shares, retries, loops, fan-outs), each step's latency law
 * (distributions.ts: maximum likelihood, chosen by AIC, KS distance), its
 * loud-error rate per attempt with its interval and Beta distribution
 * (rates.ts), its mean tokens, the arrival rate (or the trace's own
 * timestamps when they are bursty), and – when spans carry evaluation
 * labels – the silent-failure rate. What traces cannot show is written as a
 * stated assumption, never a silent default.
 */
import { Document, isNode } from 'yaml';
import {
  chooseFit, fitArrivals, fittedRate, perVisitRate, LatencyFitError, inferStructure, structureToScenario, quantileWithInterval, rateRow, quantileRow, meanRow, momentsOf,
  type FitSpan, type InferredLoop, type InferredStage, type InferredStructure, type FittedRate, type BacktestRow,
} from '../sim/fit/index.js';
import type { DistSpec } from '../sim/kernel/index.js';
import { durationText } from '../sim/scenario/index.js';
import { UsageError } from './usage-error.js';
import type { RunResult } from '../sim/metrics/index.js';
import type { UncertaintySpec } from '../sim/experiment/index.js';

/** One line of the fit report: what a parameter is, its value, and whether it was fitted or assumed. */
export interface FitNote {
  path: string;
  value: string;
  how: 'fitted' | 'assumed';
  detail: string;
}

/** A stage's latency as written: the law chooseFit picked, or a constant where no law can be fitted. */
export interface StageLatency {
  use: { family: string; params: unknown; spec: DistSpec };
  note: string;
  warnings: string[];
}

/** The start node fit adds when requests begin at different steps (an id the inference never makes: it has no operation prefix). */
export const START_STAGE = 'requests-start';

/** The shortest duration a scenario can write (1 µs): a zero-length span counts as this. */
const MIN_DURATION_MS = 0.001;

/**
 * A stage's latency law from its spans' durations. Zero-length spans (an
 * instant step, sub-millisecond clocks) count as 1 µs, said in a warning;
 * one span, or spans all of one length, give a constant – no law can be
 * fitted to them, and the note says so.
 */
function fitStageLatency(durationsMs: readonly number[]): StageLatency {
  const zeros = durationsMs.filter((d) => d < MIN_DURATION_MS).length;
  const floored = durationsMs.map((d) => Math.max(d, MIN_DURATION_MS));
  const zeroWarning = zeros > 0 ? [`${zeros} of ${durationsMs.length} spans last under 1 µs and count as 1 µs`] : [];
  try {
    const c = chooseFit(floored);
    return { use: c.use, note: c.note, warnings: [...c.warnings, ...zeroWarning] };
  } catch (e) {
    if (!(e instanceof LatencyFitError)) throw e;
    const value = Number((floored.reduce((a, b) => a + b, 0) / floored.length).toPrecision(6));
    return {
      use: { family: 'constant', params: { dist: 'constant', value }, spec: { dist: 'constant', valueMs: value } },
      note: `a constant ${value} ms, the mean of ${floored.length} span${floored.length === 1 ? '' : 's'}: no law can be fitted (${e.message})`,
      warnings: zeroWarning,
    };
  }
}

export interface FittedStage {
  id: string;
  spans: number;
  latency: StageLatency;
  errors: FittedRate;
  maxAttempts: number;
}

export interface FitOutcome {
  /** The scenario as data (what the YAML holds). */
  scenario: Record<string, unknown>;
  /** Arrival offsets (ms) when the traces' arrivals are replayed from a file. */
  arrivalOffsetsMs: number[] | null;
  structure: InferredStructure;
  stages: FittedStage[];
  /** Silent failures among requests without an error, from evaluation labels; null without labels. */
  silent: FittedRate | null;
  notes: FitNote[];
  warnings: string[];
}

export interface FitOptions {
  /** The scenario's name (default: from the traces file). */
  name: string;
  /** How messages name the traces file. */
  source: string;
  /** Where a bursty trace's arrival offsets are written, relative to the scenario (its `arrivals.file`). */
  arrivalsFile: string;
  /** Requests the fitted scenario simulates (default: 10 × the traces, at least 20,000). */
  requests?: number;
}

/** Pools the fit defines: generous, so the simulation adds no queueing the traces did not show. */
function poolsFor(structure: InferredStructure, names: readonly string[]): Record<string, { kind: 'other'; servers: number }> {
  const peak = peakConcurrency(structure);
  return Object.fromEntries(names.map((n) => [n, { kind: 'other' as const, servers: Math.max(8, 4 * peak) }]));
}

/** Most requests in flight at once in the traces (root spans overlapping): the fit's capacity assumption scales with it. */
function peakConcurrency(structure: InferredStructure): number {
  const events: [number, number][] = [];
  for (const r of structure.requests) events.push([r.startMs, 1], [r.startMs + r.e2eMs, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of events) peak = Math.max(peak, (now += d));
  return peak;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The stage whose visits most often end a request: where a silent failure fitted from labels is placed. */
function lastStage(structure: InferredStructure): string | null {
  const intoEnd = structure.graph.edges.filter((e) => e.to === 'end').sort((a, b) => b.count - a.count || (a.from < b.from ? -1 : 1));
  const ids = new Set(structure.stages.map((s) => s.id));
  const hit = intoEnd.find((e) => ids.has(e.from));
  return hit?.from ?? structure.stages.at(-1)?.id ?? null;
}

/**
 * Time inside a request that no leaf span covers – the orchestrator's own work
 * between steps (framework overhead, queueing in the caller, hand-off
 * serialisation). The scenario language has no delay on a hand-off, so the
 * fitted scenario leaves it out; said as a fitted figure, and as a warning when
 * it is large enough to move the end-to-end back-test (over 2 % of the median).
 */
function betweenStepsNote(structure: InferredStructure, warnings: string[]): FitNote[] {
  const gapsMs = structure.requests.map((r) => Math.max(0, r.e2eMs - r.busyMs)).sort((a, b) => a - b);
  const e2eMs = structure.requests.map((r) => r.e2eMs).sort((a, b) => a - b);
  const median = (xs: readonly number[]) => xs[Math.floor((xs.length - 1) / 2)];
  const share = median(e2eMs) > 0 ? median(gapsMs) / median(e2eMs) : 0;
  if (share > 0.02)
    warnings.push(
      `time between steps: the median request spent ${durationText(median(gapsMs))} (${(100 * share).toFixed(1)} % of its median end-to-end ${durationText(median(e2eMs))}) outside every step's span; the fitted scenario has no such delay, so its end-to-end latency reads short by about that much`,
    );
  return [
    {
      path: 'time between steps',
      value: `${durationText(median(gapsMs))} median per request`,
      how: 'fitted',
      detail: `inside the root span but outside every step's spans (p95 ${durationText(gapsMs[Math.floor(0.95 * (gapsMs.length - 1))])}; the waits before retries count here too, and those the retry backoff models); the rest is not in the fitted scenario – the language has no hand-off delay`,
    },
  ];
}

/** What the fit says of one agent loop: its iterations, the errors the agent went on from, a limit it saw. */
function loopNotes(l: InferredLoop): FitNote[] {
  const at = `graph.nodes.${l.id}.loop`;
  const iterations =
    l.completedRuns === 0
      ? `no run finished: geometric, stop ${l.stop.estimate.toPrecision(3)} a good iteration (95 % CI [${l.stop.ci95[0].toPrecision(3)}, ${l.stop.ci95[1].toPrecision(3)}])`
      : `the product-limit (Kaplan–Meier) estimate over ${l.runs} runs, ${l.censoredRuns} of them cut short by a failure; finished runs took ${l.meanIterations.estimate.toPrecision(3)} good iterations on average` +
        (l.outlasted === null ? '' : `; ${l.outlasted.runs} runs (share ${l.outlasted.share.toPrecision(3)}) went on past every finished one, to ${l.outlasted.longestIterations} iterations – they run until a failure or the limit ends them`);
  const notes: FitNote[] = [{ path: `${at}.iterations`, value: l.completedRuns === 0 ? 'geometric' : 'empirical', how: 'fitted', detail: iterations }];
  if (!Number.isNaN(l.observeErrors.estimate))
    notes.push({ path: `${at}.observeErrors`, value: l.observeErrors.estimate.toPrecision(3), how: 'fitted', detail: `failed iterations the agent went on from, 95 % CI [${l.observeErrors.ci95[0].toPrecision(3)}, ${l.observeErrors.ci95[1].toPrecision(3)}]` });
  if (l.limit !== null) notes.push({ path: `${at}.limit`, value: String(l.limit), how: 'fitted', detail: `runs that failed after a successful last step all stopped at ${l.limit} iterations, the most any run took: a step limit` });
  return notes;
}

export function fitSpans(spans: readonly FitSpan[], options: FitOptions): FitOutcome {
  const structure = inferStructure(spans);
  if (structure.requests.length === 0)
    throw new UsageError(`${options.source}: no usable trace among ${structure.traces.total} (${structure.traces.skipped.slice(0, 3).map((s) => `${s.traceId}: ${s.reason}`).join('; ')})`);
  const notes: FitNote[] = [];
  const warnings = [...structure.warnings];
  const fitted = new Map<string, FittedStage>();
  for (const st of structure.stages) {
    const latency = fitStageLatency(st.durationsMs);
    warnings.push(...latency.warnings.map((w) => `${st.id}: ${w}`));
    // A cancelled span (a parallel branch abandoned when another failed) was neither a success nor an error.
    const errors = fittedRate(st.errors, st.spans - st.cancelled);
    fitted.set(st.id, { id: st.id, spans: st.spans, latency, errors, maxAttempts: st.maxAttempts });
    notes.push({ path: `stages.${st.id}.latency`, value: latency.use.family, how: 'fitted', detail: `${latency.note} · ${st.spans} spans` });
    notes.push({
      path: `stages.${st.id}.faults.error`,
      value: errors.estimate.toPrecision(3),
      how: 'fitted',
      detail: `${st.errors} failed of ${st.spans - st.cancelled} attempts${st.cancelled > 0 ? ` (${st.cancelled} cancelled, left out)` : ''}, 95 % CI [${errors.ci95[0].toPrecision(3)}, ${errors.ci95[1].toPrecision(3)}]${st.errorTypes.length > 0 ? ` (${st.errorTypes.map((e) => `${e.type} ${e.count}`).join(', ')})` : ''}`,
    });
  }

  const labelled = structure.requests.filter((r) => !r.error && r.evaluationPassed !== null);
  const silent = labelled.length > 0 ? fittedRate(labelled.filter((r) => r.evaluationPassed === false).length, labelled.length) : null;
  const silentAt = lastStage(structure);
  // The labels give silent failures per request; the step runs a different number of times in each (a loop's
  // step more than once): per-visit-rate.ts spreads the rate over each labelled request's own visits.
  const silentPerVisit = silent === null || silentAt === null ? null : perVisitRate(silent, labelled.map((r) => r.stageSpans[silentAt] ?? 0));
  const silentPerAttempt = silentPerVisit?.estimate ?? 0;
  if (silentPerVisit?.saturated)
    warnings.push(`${silentAt}: ${silent!.estimate.toPrecision(3)} of the labelled requests failed their evaluation, more than a silent failure on ${silentAt} can explain (too many never run it) – its rate is held at 1`);
  const extraFor = (st: InferredStage) => {
    const f = fitted.get(st.id)!;
    const corruption = silent !== null && st.id === silentAt ? silentPerAttempt : 0;
    const tokens =
      st.inputTokens.length > 0 || st.outputTokens.length > 0
        ? { tokens: { input: st.inputTokens.length > 0 ? Math.round(mean(st.inputTokens)) : 0, output: st.outputTokens.length > 0 ? Math.round(mean(st.outputTokens)) : 0 } }
        : {};
    return { faults: { error: f.errors.estimate, corruption }, ...tokens };
  };
  const fragment = structureToScenario(structure, {
    latencyFor: (id) => fitted.get(id)!.latency.use.params as never,
    extraFor: extraFor as never,
  });
  const starts = structure.graph.starts;
  if (starts.length > 1) {
    // Requests begin at different steps (a router in front, or traces with only a root): a start node routes to
    // each first step with its observed share. It does no work: 1 µs, the least a latency can be, no faults.
    const total = starts.reduce((a, x) => a + x.count, 0);
    const pool = fragment.pools[0] ?? 'other';
    if (fragment.pools.length === 0) fragment.pools.push(pool);
    fragment.stages.unshift({
      id: START_STAGE,
      description: `the requests' first step varies (${starts.map((x) => `${x.node} ${x.count}`).join(', ')}): a router with the observed shares; no work of its own (added by coordgap fit)`,
      pool,
      latency: MIN_DURATION_MS,
    } as never);
    fragment.graph.start = START_STAGE;
    fragment.graph.next = { ...(fragment.graph.next ?? {}), [START_STAGE]: { route: Object.fromEntries(starts.map((x) => [x.node, x.count / total])) } } as never;
    const said = warnings.findIndex((w) => w.startsWith('requests start at'));
    if (said >= 0) warnings.splice(said, 1);
    notes.push({ path: `stages.${START_STAGE}`, value: 'a router', how: 'fitted', detail: `requests began at ${starts.length} different steps: routed there with the observed shares (${starts.map((x) => `${x.node} ${(x.count / total).toFixed(3)}`).join(', ')})` });
  }

  if (silent !== null)
    notes.push({
      path: `stages.${silentAt}.faults.corruption`,
      value: silentPerAttempt.toPrecision(3),
      how: 'fitted',
      detail: `${silent.events} of ${silent.trials} requests without an error failed their evaluation (${silent.estimate.toPrecision(3)}, 95 % CI [${silent.ci95[0].toPrecision(3)}, ${silent.ci95[1].toPrecision(3)}]); placed on the last step, which those requests ran ${silentPerVisit!.meanVisits.toPrecision(3)} times on average – per visit 95 % CI [${silentPerVisit!.ci95[0].toPrecision(3)}, ${silentPerVisit!.ci95[1].toPrecision(3)}] (traces do not say where it arose)`,
    });
  else
    notes.push({ path: 'stages.*.faults.corruption', value: '0', how: 'assumed', detail: 'traces cannot show silent corruption – add evaluation labels (gen_ai.evaluation.result, or "evaluation" in the JSONL format) to fit it' });
  for (const l of structure.loops) notes.push(...loopNotes(l));
  for (const p of structure.parallels)
    notes.push({
      path: `graph.nodes.${p.id}.parallel`,
      value: `${p.branches.length} branches, join all`,
      how: 'fitted',
      detail: `${p.branches.join(', ')} overlapped in time in ${p.traces} of the ${p.tracesWithStages} traces that ran them all (${p.visits} visits, ${p.failedVisits} with a failed branch)`,
    });
  for (const m of structure.maps)
    notes.push({ path: `graph.nodes.${m.id}.map.items`, value: `${m.meanItems.estimate.toPrecision(3)} on average`, how: 'fitted', detail: `the observed items per fan-out over ${m.visits} visits (at most ${m.maxItems}), 95 % CI of the mean [${m.meanItems.ci95[0].toPrecision(3)}, ${m.meanItems.ci95[1].toPrecision(3)}]` });
  notes.push({ path: 'handoffs', value: 'none', how: 'assumed', detail: 'context loss and format mismatch on hand-offs are silent too; without labels they stay out of the fit' });
  const pools = poolsFor(structure, fragment.pools);
  notes.push({ path: 'pools', value: `${Object.values(pools)[0]?.servers ?? 0} servers each`, how: 'assumed', detail: 'capacity is not in traces: four times the peak requests in flight, so the simulation adds no queueing the traces did not show (the observed durations include theirs)' });
  if (structure.stages.some((s) => s.maxAttempts > 1))
    notes.push({ path: 'stages.*.retry.backoff', value: 'LangGraph default', how: 'assumed', detail: 'the waits between retries are not fitted (time between a failed span and its retry); the back-test shows whether the end-to-end latency still matches' });

  notes.push(...betweenStepsNote(structure, warnings));
  const arrivals = fitArrivals(structure.requests.map((r) => r.startMs));
  let arrivalsSpec: Record<string, unknown>;
  let arrivalOffsetsMs: number[] | null = null;
  if (arrivals === null || !Number.isFinite(arrivals.ratePerSec)) {
    arrivalsSpec = { kind: 'fixed', interval: 1000 };
    notes.push({ path: 'arrivals', value: 'one per second', how: 'assumed', detail: 'fewer than two requests, or all at once: no rate to fit' });
  } else if (arrivals.bursty) {
    arrivalOffsetsMs = arrivals.offsetsMs;
    arrivalsSpec = { kind: 'trace', file: options.arrivalsFile };
    notes.push({ path: 'arrivals', value: `the traces' ${arrivals.requests} start times`, how: 'fitted', detail: `bursty: gaps' coefficient of variation ${arrivals.interArrivalCv.toFixed(2)} (Poisson: 1) – replayed from ${options.arrivalsFile}` });
  } else {
    arrivalsSpec = { kind: 'poisson', rate: Number(arrivals.ratePerSec.toPrecision(6)) };
    notes.push({ path: 'arrivals.rate', value: `${arrivals.ratePerSec.toPrecision(4)}/s`, how: 'fitted', detail: `Poisson: gaps' coefficient of variation ${arrivals.interArrivalCv.toFixed(2)}` });
  }

  const uncertainty: UncertaintySpec = {};
  for (const f of fitted.values()) if (f.spans > 0) uncertainty[`stages.${f.id}.faults.error`] = f.errors.uncertainty;
  if (silentPerVisit !== null && !silentPerVisit.saturated) {
    const { alpha, beta } = silentPerVisit.uncertainty;
    uncertainty[`stages.${silentAt}.faults.corruption`] = { dist: 'beta', alpha: Number(alpha.toPrecision(6)), beta: Number(beta.toPrecision(6)) };
  }
  // A stage's fault probabilities must sum to at most 1 with any one of them at its distribution's mean (what
  // load-scenario checks). From a handful of spans a Beta's mean sits far from the count (0 of 1 → 1/3): such
  // a parameter stays at its fitted value, said as a warning.
  for (const st of structure.stages) {
    const faults = { error: fitted.get(st.id)!.errors.estimate, corruption: st.id === silentAt ? silentPerAttempt : 0 };
    for (const kind of ['error', 'corruption'] as const) {
      const path = `stages.${st.id}.faults.${kind}`;
      const u = uncertainty[path];
      if (u?.dist !== 'beta') continue;
      const mean = u.alpha / (u.alpha + u.beta);
      if (faults.error + faults.corruption - faults[kind] + mean > 1) {
        delete uncertainty[path];
        warnings.push(`${path}: too few spans to carry its uncertainty (its Beta's mean ${mean.toPrecision(3)} with the stage's other faults passes 1) – left out of uncertainty:, fixed at ${faults[kind].toPrecision(3)}`);
      }
    }
  }

  const scenario: Record<string, unknown> = {
    name: options.name,
    description: `Fitted by coordgap fit from ${structure.traces.used} traces (${structure.traces.skipped.length} skipped).`,
    seed: 1,
    requests: options.requests ?? Math.max(20_000, 10 * structure.requests.length),
    arrivals: arrivalsSpec,
    pools,
    stages: fragment.stages,
    graph: fragment.graph,
    ...(fragment.subgraphs ? { subgraphs: fragment.subgraphs } : {}),
    uncertainty,
  };
  return { scenario, arrivalOffsetsMs, structure, stages: [...fitted.values()], silent, notes, warnings };
}

/** The fitted scenario as YAML, its notes as comments: what was fitted, and every assumption marked ASSUMED. */
export function fitYaml(fit: FitOutcome, source: string): string {
  const doc = new Document(readable(fit.scenario));
  // Each fitted figure as a comment above what it fitted: a stage's entry, or the top-level key; one with no
  // place in the file (time between steps) goes to the header with the assumptions and warnings.
  const stageIds = (fit.scenario.stages as { id: string }[]).map((s) => s.id);
  const unplaced: string[] = [];
  for (const note of fit.notes.filter((n) => n.how === 'fitted')) {
    const [head, id] = note.path.split('.');
    const node = head === 'stages' ? doc.getIn(['stages', stageIds.indexOf(id)], true) : doc.get(head, true);
    const text = ` fitted ${note.path} = ${note.value}: ${note.detail}`;
    if (isNode(node)) node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${text}` : text;
    else unplaced.push(` FITTED ${note.path} = ${note.value}: ${note.detail}`);
  }
  doc.commentBefore = [
    ` Fitted by coordgap fit from ${source}: ${fit.structure.traces.used} traces used, ${fit.structure.traces.skipped.length} skipped.`,
    ' Every parameter below is FITTED from the spans or ASSUMED (traces cannot show it) – see each comment.',
    ' `uncertainty:` carries the fitted rates as distributions: compare --uncertainty N draws them.',
    ...fit.notes.filter((n) => n.how === 'assumed').map((n) => ` ASSUMED ${n.path} = ${n.value}: ${n.detail}`),
    ...unplaced,
    ...fit.warnings.map((w) => ` WARNING ${w}`),
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Fitted fractions to 6 significant digits, whole numbers as they are: a file people read, not a dump of doubles. */
function readable(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(6));
  if (Array.isArray(value)) return value.map(readable);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readable(v)]));
  return value;
}

/** The back-test: the fitted scenario's run beside the traces, figure by figure. */
export function backtest(fit: FitOutcome, result: RunResult): BacktestRow[] {
  const requests = fit.structure.requests;
  const rows: BacktestRow[] = [];
  const observedOk = requests.filter((r) => !r.error && r.evaluationPassed !== false).length;
  const simulatedOk = fit.silent === null ? result.outcomes.success + result.outcomes.silentFailure : result.outcomes.success;
  rows.push(rateRow(fit.silent === null ? 'requests without an error' : 'successful requests (labels)', [observedOk, requests.length], [simulatedOk, result.requests]));
  for (const st of fit.stages) {
    const sim = result.stages.find((s) => s.id === st.id);
    if (sim !== undefined) rows.push(rateRow(`${st.id}: errors per attempt`, [st.errors.events, st.errors.trials], [sim.errors, sim.attempts]));
  }
  const e2e = requests.map((r) => r.e2eMs).sort((a, b) => a - b);
  for (const [q, label] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const)
    rows.push(quantileRow(`end-to-end ${label}, ms`, quantileWithInterval(e2e, q), result.latencyAllMs[label]));
  // Calls per request: the simulation's mean from its attempts, its variance taken as the traces' (the run reports no per-request spread).
  const calls = momentsOf(requests.map((r) => r.calls));
  // The added start router is no span of the traces.
  const attempts = result.stages.reduce((a, s) => a + (s.id === START_STAGE ? 0 : s.attempts), 0) + result.fallbacks.reduce((a, s) => a + s.attempts, 0);
  rows.push(meanRow('calls per request', calls, { mean: attempts / result.requests, variance: calls.variance, n: result.requests }));
  return rows;
}
