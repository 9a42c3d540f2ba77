/**
 * Plain-language warnings about how far a run's figures can be trusted, from
 * `result.stability`: an unstable or overloaded system, work shed by full
 * queues, work amplified beyond what the fault rates explain (a retry storm),
 * a run cut short to stay in its budget. Shared
 * by the terminal summary and the report, so a figure a budget is decided
 * with never reaches either without its caveat.
 */
import type { RunResult } from '../sim/metrics/index.js';
import { int, ms, pct } from './format.js';

/** A share, to 0.1 % below 10 %, else whole per cent: "0.9 %", "85 %". */
function percent(x: number): string {
  return pct(x, x < 0.1 ? 1 : 0);
}

function load(x: number | null): string {
  return x === null ? '∞' : x.toFixed(x >= 10 ? 1 : 2);
}

/**
 * Plain-language warnings from `r.stability`: an unstable system (offered
 * load ≥ 1 into an unbounded queue) with its growth rate, an overloaded one
 * (offered load ≥ 1 into a bounded queue) with the least share it must shed,
 * a saturated closed loop, attempts shed by full queues in the run, work
 * amplified beyond what the fault rates explain, a run cut short to stay in
 * budget. Empty when there is nothing to say.
 * @param sheddingShare the share of a pool's attempts refused at admission
 *   from which it is named (sim/analysis SHEDDING_SHARE, the mark
 *   `stability.shedding` was set by; the caller passes it: reports read only types from sim/)
 */
export function stabilityWarnings(r: RunResult, sheddingShare: number, label = ''): string[] {
  const s = r.stability;
  if (s === undefined) return [];
  const who = label === '' ? '' : `${label}: `;
  const out: string[] = [];
  if (!s.stable) {
    const growing = s.pools.filter((p) => !p.bounded && p.growthPerSec !== 0);
    const shedding = s.pools.filter((p) => p.bounded && p.offeredLoad !== 0 && !(p.offeredLoad !== null && p.offeredLoad < 1));
    if (growing.length > 0) {
      const pools = growing.map((p) => `${p.id} offered load ${load(p.offeredLoad)}, queue grows ~${p.growthPerSec === null ? '∞' : int(p.growthPerSec)} requests/s`);
      out.push(
        `warning: ${who}unstable system – ${pools.join('; ')}: more arrive than the servers can serve, so the queue grows for as long as requests arrive ` +
          '(add servers, lower the arrival rate, or bound the queue with queueCapacity)',
      );
    }
    if (shedding.length > 0) {
      // Rounded down: "at least" must stay true.
      const pools = shedding.map((p) => `${p.id} offered load ${load(p.offeredLoad)}, at least ${Math.floor(p.shedAtLeast * 100)} % of its work refused`);
      out.push(
        `warning: ${who}overloaded – ${pools.join('; ')}: more arrive than the servers can serve, and the bounded queue sheds the excess at admission ` +
          '(add servers or lower the arrival rate; a bounded queue protects latency, not throughput)',
      );
    }
  } else if (s.arrivals === 'closed') {
    const saturated = s.pools.filter((p) => p.offeredLoad === null || p.offeredLoad >= 1);
    if (saturated.length > 0)
      out.push(
        `note: ${who}closed-loop arrivals are self-limiting, stable by construction; saturated: ${saturated.map((p) => `${p.id} (offered load ${load(p.offeredLoad)})`).join(', ')}`,
      );
  }
  if (s.shedding && s.shed) {
    const pools = s.shed.filter((p) => p.share >= sheddingShare).map((p) => `${p.id} ${percent(p.share)} of its attempts (${int(p.attempts)})`);
    out.push(
      `warning: ${who}full queues refused work at admission – ${pools.join('; ')}: each refusal is a fault (retried, handed to a fallback, or a rejected request); ` +
        'raise queueCapacity or add servers unless shedding is the intent',
    );
  }
  if (s.workAmplified && s.attemptsPerRequest) {
    const { measured, expected } = s.attemptsPerRequest;
    out.push(
      `warning: ${who}${measured.toFixed(1)} attempts per request, ${(measured / expected).toFixed(1)}× the ${expected.toFixed(2)} its fault rates explain: ` +
        'attempts are timing out while queued and being retried (a retry storm), or an incident slowed a stage – the real load is above the offered load estimated ' +
        '(bound the retries with a retry budget or circuit breaker, or add capacity)',
    );
  }
  if (s.truncated) {
    const why =
      s.truncatedBy === 'events'
        ? 'the event limit (limits.maxEvents / --max-events) was reached'
        : `${int(s.inFlightLimit ?? 0)} requests held in memory reached the cap from limits.maxMemoryMb / --max-memory-mb`;
    const runs = s.truncatedRuns !== undefined && r.replications > 1 ? ` in ${s.truncatedRuns} of ${r.replications} replications` : '';
    out.push(
      `warning: ${who}run cut short at ${ms(s.truncatedAtMs ?? 0)} simulated${runs}: ${why}; the ${int(s.truncatedRequests ?? 0)} requests without an outcome are counted as rejected`,
    );
  }
  return out;
}

/** One-word caveats of a run for a table cell ("unstable", "overloaded", "shed 85 %", "cut short", "retry storm 19.6×"); empty when none. */
export function stabilityTags(r: RunResult): string[] {
  const s = r.stability;
  if (s === undefined) return [];
  const tags: string[] = [];
  if (!s.stable) tags.push(s.pools.some((p) => !p.bounded && p.growthPerSec !== 0) ? 'unstable' : 'overloaded');
  if (s.shedding && s.shed) tags.push(`shed ${percent(Math.max(...s.shed.map((p) => p.share)))}`);
  if (s.workAmplified && s.attemptsPerRequest) tags.push(`retry storm ${(s.attemptsPerRequest.measured / s.attemptsPerRequest.expected).toFixed(1)}×`);
  if (s.truncated) tags.push('cut short');
  return tags;
}
