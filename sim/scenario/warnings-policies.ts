/**
 * Likely mistakes in what a scenario asks the run to do (warnings.ts places
 * and prints them): a timeline so fine it will be coarsened, a retry of
 * caught corruption where nothing catches any. Each can be deliberate – a
 * fine timeline for a short run, a baseline whose variant adds the
 * validation – so each is a warning, not an error. Pure: reads the compiled
 * model only.
 */
import type { Model, StageModel } from '../path/model.js';
import { Timeline } from '../metrics/collector.js';
import { RETRY_ON_CAUGHT } from '../policies/retry/retry.js';
import { durationText } from './units.js';

export type PolicyWarningCode = 'timeline-coarsened' | 'retry-on-caught-without-validate';

export interface PolicyWarning {
  code: PolicyWarningCode;
  path: (string | number)[];
  message: string;
}

/**
 * When the last arrival comes, ms – a lower bound on how long the run lasts
 * (requests still finish after it): the expected last Poisson arrival, the
 * last fixed or traced one, or for closed users at least their think times
 * one after another. 0 when nothing says.
 */
export function lastArrivalMs(model: Model): number {
  const a = model.arrivals;
  const n = model.requests;
  switch (a.kind) {
    case 'poisson':
      return (n / a.ratePerSec) * 1000;
    case 'fixed':
      return Math.max(0, n - 1) * a.intervalMs;
    case 'trace':
      return a.timestampsMs[Math.min(n, a.timestampsMs.length) - 1] ?? 0;
    case 'closed':
      return Math.max(0, Math.ceil(n / a.users) - 1) * a.thinkTime.meanMs;
  }
}

/** The smallest 1, 2 or 5 × 10^k at or above x. */
function niceAtLeast(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return Number((m * p).toPrecision(1));
  return 10 * p;
}

/** `timeline:` as a file writes it: 200ms, 1s, 5m. */
function timelineText(ms: number): string {
  if (ms < 1) return `${Number((ms * 1000).toPrecision(3))}us`;
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  return `${Math.ceil(ms / 60_000)}m`;
}

/**
 * A timeline keeps Timeline.MAX_BUCKETS buckets and, when time runs past
 * the last, merges neighbours and doubles the width (collector.ts) – so
 * `timeline: 1us` on a run of minutes ended up in buckets of a quarter
 * second, and said nothing. Warned when the arrivals alone (a lower bound
 * on the run) fill more than the buckets: the width it will reach at least,
 * and a width to write instead.
 */
function timelineCoarsened(model: Model): PolicyWarning[] {
  const bucketMs = model.timelineBucketMs;
  const spanMs = lastArrivalMs(model);
  const buckets = Timeline.MAX_BUCKETS;
  if (!(bucketMs > 0) || !(spanMs / bucketMs >= buckets)) return [];
  let widthMs = bucketMs;
  while (spanMs / widthMs >= buckets) widthMs *= 2;
  return [
    {
      code: 'timeline-coarsened',
      path: ['timeline'],
      message:
        `${buckets} buckets of ${durationText(bucketMs)} cover ${durationText(buckets * bucketMs)}, and the arrivals alone take about ${durationText(spanMs)}: ` +
        `neighbouring buckets will merge as the run goes, to ${durationText(widthMs)} or wider – write timeline: ${timelineText(niceAtLeast(spanMs / (buckets - 1)))} or wider to choose the width`,
    },
  ];
}

/**
 * Caught corruption is retried only where validation catches it: a
 * definition without `validate` never produces a caught fault, so listing
 * `caught` in its retryOn does nothing – and with nothing else listed, the
 * retry policy never acts.
 */
function caughtWithoutValidate(model: Model): PolicyWarning[] {
  const out: PolicyWarning[] = [];
  const check = (s: StageModel, list: 'stages' | 'fallbacks', i: number) => {
    if (s.guard !== null || (s.retry.retryOnMask & RETRY_ON_CAUGHT) === 0 || s.retry.maxAttempts <= 1) return;
    const only = s.retry.retryOnMask === RETRY_ON_CAUGHT;
    out.push({
      code: 'retry-on-caught-without-validate',
      path: [list, i, 'retry', 'retryOn'],
      message:
        `retries caught corruption, but ${s.id} has no validate block, so nothing is caught here${only ? ' and this retry policy never acts' : ''}: ` +
        `add validate: { catchRate: … } to ${s.id}, or take caught out of retryOn`,
    });
  };
  model.stages.forEach((s, i) => check(s, 'stages', i));
  model.fallbacks.forEach((s, i) => check(s, 'fallbacks', i));
  return out;
}

/** The policy warnings of one arm, in a fixed order. */
export function policyWarnings(model: Model): PolicyWarning[] {
  return [...timelineCoarsened(model), ...caughtWithoutValidate(model)];
}
