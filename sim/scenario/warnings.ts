/**
 * Likely mistakes in a valid scenario: values the schema must accept but a
 * person rarely means – a bare number read as milliseconds where seconds were
 * surely meant, a deadline shorter than the path it bounds, an escalation the
 * deadline cuts off, a pool offered more than it can serve. Each warning is
 * positioned like an error (file:line:col, field path) and says what was
 * probably meant; nothing is refused, since each can be deliberate.
 *
 * Bare numbers are milliseconds here, while many tools people copy values
 * from read them as seconds (LangGraph's RetryPolicy intervals, Docker
 * Compose and Kubernetes probe timeouts, most HTTP client timeouts). A bare
 * number is flagged when, read as milliseconds, it is implausibly short for
 * what it sets – the thresholds (BARE_NUMBER_FLOOR_MS) are a judgement, stated
 * here and in the README:
 *   deadline, attempt timeout, breaker openFor, backoff max   below 1 s
 *   backoff base                                               below 10 ms
 *   escalation handlingTime (a person's time), median          below 1 s
 * Writing the unit (`500ms`) says the value is meant and silences it.
 *
 * Pure: takes the validated scenario, the data as written (to tell `30` from
 * `30ms`), the compiled model and a function that places a data path in the
 * file; reads nothing and prints nothing.
 */
import type { Model } from '../path/model.js';
import type { Sampler } from '../kernel/dist.js';
import { stabilityOf } from '../analysis/stability.js';
import type { ScenarioIssue } from './source.js';
import { pathToString } from './issues.js';
import { declaredOverrides } from './pools.js';
import type { Scenario } from './schema.js';
import type { ResolvedHardware } from './hardware-schema.js';
import { durationText } from './units.js';
import { policyWarnings, type PolicyWarningCode } from './warnings-policies.js';
import { graphWarnings, type GraphWarningCode } from './warnings-graph.js';
import { llmWarnings, llmBareDurationFields, type LlmWarningCode } from '../llm/warnings.js';

/** What kind of likely mistake a warning is about (stable names for --json readers). */
export type WarningCode =
  | 'bare-duration'
  | 'deadline-below-median'
  | 'timeout-below-median'
  | 'escalation-outlasts-deadline'
  | 'pool-overloaded'
  | 'hardware-overrides-scenario'
  | PolicyWarningCode
  | GraphWarningCode
  | LlmWarningCode;

/** A likely mistake, placed like a ScenarioIssue. */
export interface ScenarioWarning extends ScenarioIssue {
  code: WarningCode;
}

/** Where a data path was written: the file position, or `--set` with the argument (`from`). */
export interface WarningPosition {
  file: string;
  line: number;
  col: number;
  /** The `--set` argument the value came from, quoted in the message. */
  from?: string;
}

export type WarningLocator = (path: readonly (string | number)[]) => WarningPosition;

/** A warning before it is placed. */
export interface RawWarning {
  code: WarningCode;
  path: (string | number)[];
  message: string;
}

/** Below these, a duration written as a bare number is flagged (see the module comment). */
export const BARE_NUMBER_FLOOR_MS = {
  deadline: 1000,
  timeout: 1000,
  openFor: 1000,
  backoffMax: 1000,
  backoffBase: 10,
  handlingTimeMedian: 1000,
} as const;

/** `file:line:col warning: path: message`, the shape compilers use for warnings. */
export function formatWarning(w: ScenarioWarning): string {
  return `${w.file}:${w.line}:${w.col} warning: ${w.path === '' ? '' : `${w.path}: `}${w.message}`;
}

export { durationText } from './units.js';

/** A share for "at least …": rounded down, so the claim stays true (99.97 % → "99.9 %", never "100 %"). */
function atLeastPercent(x: number): string {
  return x >= 0.99 ? `${(Math.floor(x * 1000) / 10).toFixed(1)} %` : `${Math.floor(x * 100)} %`;
}

/** The p-quantile of a sampler by bisection on its CDF (every sampler has one; few have an inverse). */
export function quantileMs(s: Sampler, p: number): number {
  if (s.cdf(0) >= p) return 0;
  let hi = Math.max(1, Number.isFinite(s.meanMs) ? s.meanMs : 1);
  for (let i = 0; i < 200 && s.cdf(hi) < p; i++) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 100 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (s.cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return hi;
}

function at(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

/** The value at `path` when it was written as a bare number (not "30ms"). */
function bareNumber(input: unknown, path: readonly (string | number)[]): number | undefined {
  const v = at(input, path);
  return typeof v === 'number' && v > 0 ? v : undefined;
}

/** How to say what was probably meant for a bare `n`, in the unit `unit`. */
function meantAs(n: number, unit: string): string {
  return `write ${n}${unit} if ${unit === 'm' ? 'minutes' : 'seconds'} were meant, or ${n}ms to keep it`;
}

/** Duration fields of a latency spec as written, with their paths (bare numbers only). */
function bareLatencyFields(spec: unknown, path: (string | number)[]): { path: (string | number)[]; value: number }[] {
  if (typeof spec === 'number') return spec > 0 ? [{ path, value: spec }] : [];
  if (spec === null || typeof spec !== 'object') return [];
  const out: { path: (string | number)[]; value: number }[] = [];
  const o = spec as Record<string, unknown>;
  for (const k of ['value', 'min', 'max', 'mean', 'sd', 'median', 'p99', 'scale', 'overhead'])
    if (typeof o[k] === 'number' && (o[k] as number) > 0) out.push({ path: [...path, k], value: o[k] as number });
  if (Array.isArray(o.components))
    o.components.forEach((c, i) => out.push(...bareLatencyFields((c as Record<string, unknown> | null)?.of, [...path, 'components', i, 'of'])));
  return out;
}

export interface WarningInput {
  /** The data as written (after --set and the variant's patch): tells `30` from `30ms`. */
  input: unknown;
  model: Model;
  /** The validated scenario and its resolved hardware config: what the config replaced (pools.ts). */
  scenario?: Scenario;
  hardware?: ResolvedHardware;
}

/** Bare-number durations below their floor, except where a sharper warning below covers the field. */
function bareDurations(w: WarningInput, covered: Set<string>): RawWarning[] {
  const out: RawWarning[] = [];
  const check = (path: (string | number)[], floorMs: number, what: string, unit: 's' | 'm' = 's') => {
    const n = bareNumber(w.input, path);
    if (n === undefined || n >= floorMs || covered.has(pathToString(path))) return;
    out.push({ code: 'bare-duration', path, message: `${n} is ${durationText(n)}: a bare number is milliseconds, implausibly short for ${what}; ${meantAs(n, unit)}` });
  };
  check(['deadline'], BARE_NUMBER_FLOOR_MS.deadline, 'a request deadline');
  const input = w.input as { stages?: unknown[]; fallbacks?: unknown[] } | null;
  for (const list of ['stages', 'fallbacks'] as const) {
    const defs = Array.isArray(input?.[list]) ? input![list]! : [];
    defs.forEach((_, i) => {
      check([list, i, 'timeout'], BARE_NUMBER_FLOOR_MS.timeout, 'an attempt time limit');
      check([list, i, 'breaker', 'openFor'], BARE_NUMBER_FLOOR_MS.openFor, "a breaker's open time");
      check([list, i, 'retry', 'backoff', 'base'], BARE_NUMBER_FLOOR_MS.backoffBase, 'a backoff base (LangGraph initial_interval is in seconds)');
      check([list, i, 'retry', 'backoff', 'max'], BARE_NUMBER_FLOOR_MS.backoffMax, 'a backoff cap (LangGraph max_interval is in seconds)');
    });
  }
  for (const f of llmBareDurationFields(w.input)) check(f.path, f.floorMs, f.what, f.unit);
  return out;
}

/** Sum of the stages' median service times (hardware speed applied): the path's latency with no queueing, fault or retry. */
export function pathMedianMs(model: Model): number {
  return model.stages.reduce((sum, s) => sum + quantileMs(s.latency, 0.5) * s.serviceScale, 0);
}

/**
 * Deadline and attempt time limits against what they bound. A deadline below
 * the path's median latency – here the sum of its stages' medians, since no
 * closed form gives the median of a sum of lognormals; for right-skewed
 * stages the sum's median is above it, so "about half or more" is the honest
 * reading – times out most requests; a time limit below a stage's median
 * service time times out most attempts (P(service > limit), exact before
 * queueing, which only adds).
 */
function timeLimits(w: WarningInput, covered: Set<string>): RawWarning[] {
  const out: RawWarning[] = [];
  const m = w.model;
  const bare = (path: (string | number)[]) => {
    const n = bareNumber(w.input, path);
    return n === undefined ? '' : `${n} is ${durationText(n)} (a bare number is milliseconds), `;
  };
  const hint = (path: (string | number)[]) => {
    const n = bareNumber(w.input, path);
    return n === undefined ? '' : `; ${meantAs(n, 's')}`;
  };
  if (m.deadlineMs !== Infinity) {
    const medianMs = pathMedianMs(m);
    if (m.deadlineMs < medianMs) {
      const path = ['deadline'];
      covered.add('deadline');
      out.push({
        code: 'deadline-below-median',
        path,
        message:
          `${bare(path)}shorter than the path's median latency of about ${durationText(medianMs)} (the sum of its stages' median service times, before any queueing or retry): ` +
          `about half the requests or more will time out${hint(path)}`,
      });
    }
  }
  const defs: ['stages' | 'fallbacks', number][] = [...m.stages.map((_, i) => ['stages', i] as ['stages', number]), ...m.fallbacks.map((_, i) => ['fallbacks', i] as ['fallbacks', number])];
  for (const [list, i] of defs) {
    const s = list === 'stages' ? m.stages[i] : m.fallbacks[i];
    if (s.attemptTimeoutMs === Infinity) continue;
    const over = 1 - s.latency.cdf(s.attemptTimeoutMs / s.serviceScale);
    if (over <= 0.5) continue;
    const path = [list, i, 'timeout'];
    covered.add(pathToString(path));
    out.push({
      code: 'timeout-below-median',
      path,
      message:
        `${bare(path)}shorter than ${s.id}'s median service time of ${durationText(quantileMs(s.latency, 0.5) * s.serviceScale)}: ` +
        `at least ${atLeastPercent(over)} of its attempts outlast the limit (service time alone; queueing adds to it)${hint(path)}`,
    });
  }
  return out;
}

/**
 * An escalation whose handling time outlasts the deadline: the request times
 * out while the human works on it, so it is counted as timed out, never as
 * escalated – a table then shows "escalated 0 %". Flagged when at least half
 * the escalations outlast it (median ≥ deadline); the share is a lower bound,
 * since a request reaches escalation with part of its deadline used.
 */
function escalation(w: WarningInput, covered: Set<string>): RawWarning[] {
  const m = w.model;
  const e = m.escalation;
  if (e === null || ![...m.stages, ...m.fallbacks].some((s) => s.escalate)) return [];
  const out: RawWarning[] = [];
  const medianMs = quantileMs(e.handlingTime, 0.5);
  const path = ['escalation', 'handlingTime'];
  if (m.deadlineMs !== Infinity && medianMs >= m.deadlineMs) {
    const over = 1 - e.handlingTime.cdf(m.deadlineMs);
    covered.add(pathToString(path));
    out.push({
      code: 'escalation-outlasts-deadline',
      path,
      message:
        `median ${durationText(medianMs)} is longer than the request deadline of ${durationText(m.deadlineMs)}: ` +
        `${over >= 1 ? 'every escalation outlasts it and ends' : `at least ${atLeastPercent(over)} of escalations outlast it and end`} as timed out, not escalated ` +
        '(raise the deadline, or shorten the handling time if the human answers sooner)',
    });
  }
  const bare = bareLatencyFields(at(w.input, path), path);
  if (bare.length > 0 && medianMs < BARE_NUMBER_FLOOR_MS.handlingTimeMedian) {
    const first = bare[0];
    out.push({
      code: 'bare-duration',
      path: first.path,
      message: `${first.value} is ${durationText(first.value)}: bare numbers are milliseconds, and a person handling an escalation in a median ${durationText(medianMs)} is implausible; ${meantAs(first.value, 'm')}`,
    });
  }
  return out;
}

/** Pools offered at least their capacity (stability.ts), open arrivals only: the run will queue without end or shed. */
function overloadedPools(w: WarningInput): RawWarning[] {
  const m = w.model;
  const s = stabilityOf(m);
  if (s.arrivals === 'closed' || s.arrivalRatePerSec === null) return [];
  const out: RawWarning[] = [];
  s.pools.forEach((p, i) => {
    if (p.offeredLoad === null || p.offeredLoad < 1) return;
    const pool = m.pools[i];
    const busyMs = (p.offeredLoad * pool.servers * 1000) / s.arrivalRatePerSec!;
    const consequence = p.bounded
      ? `at least ${atLeastPercent(p.shedAtLeast)} of its work will be refused at admission (queueCapacity ${pool.queueCapacity})`
      : `its queue grows by ~${growthText(p.growthPerSec ?? 0)} for as long as requests arrive`;
    out.push({
      code: 'pool-overloaded',
      path: ['pools', pool.id],
      message:
        `overloaded ${p.offeredLoad.toFixed(p.offeredLoad >= 10 ? 0 : 1)}×: ${Number(s.arrivalRatePerSec!.toPrecision(3))} requests/s × ${durationText(busyMs)} of server time each (expected attempts included) ` +
        `on ${pool.servers} server${pool.servers === 1 ? '' : 's'}; ${consequence} – add servers or lower the arrival rate`,
    });
  });
  return out;
}

/** The likely mistakes in one arm, unplaced, in a fixed order. */
export function findWarnings(w: WarningInput): RawWarning[] {
  const covered = new Set<string>();
  const sharp = [...timeLimits(w, covered), ...escalation(w, covered)];
  const hardware =
    w.scenario?.hardware === undefined ? [] : declaredOverrides(w.scenario, w.hardware, w.scenario.hardware).map((o): RawWarning => ({ code: 'hardware-overrides-scenario', ...o }));
  return [...bareDurations(w, covered), ...sharp, ...overloadedPools(w), ...hardware, ...policyWarnings(w.model), ...graphWarnings(w.input, w.model), ...llmWarnings(w.input, w.model, quantileMs)];
}

/** Places raw warnings; `label` prefixes the path of a variant's (`variants[1] (fast): deadline`). */
export function placeWarnings(raw: readonly RawWarning[], locate: WarningLocator, label = ''): ScenarioWarning[] {
  return raw.map((r) => {
    const pos = locate(r.path);
    const field = pathToString(r.path);
    return {
      file: pos.file,
      line: pos.line,
      col: pos.col,
      path: label === '' ? field : `${label}: ${field}`,
      message: pos.from === undefined ? r.message : `${r.message} (from --set ${pos.from})`,
      code: r.code,
    };
  });
}

/**
 * A queue's growth as a rate people read: per second from 1/s up, per minute
 * or per hour below – at 0.2 requests/s and 1.5× overload the queue grew
 * "by ~0 requests/s", which reads as no growth.
 */
export function growthText(perSec: number): string {
  const show = (x: number) => Number(x.toPrecision(2)).toLocaleString('en-US');
  if (perSec >= 1) return `${Math.round(perSec).toLocaleString('en-US')} requests/s`;
  if (perSec * 60 >= 1) return `${show(perSec * 60)} requests/min`;
  return `${show(perSec * 3600)} requests/h`;
}
