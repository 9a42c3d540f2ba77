/**
 * What a run cost, in two kinds that are never blended into one figure
 * without saying so:
 *
 * - **spend** – money the system actually pays: model tokens (retries, hedges
 *   and fallbacks pay again), pool busy time × hourly price (compute, and
 *   human pools as `human`) – except a GPU pool serving a self-hosted model
 *   (a serving table), which is rented whole: its GPUs × the simulated span
 *   × the GPU price, busy or idle, so "buy more GPUs" costs more even when
 *   the extra GPUs wait – and the scenario's handling cost per escalation
 *   (a ticket beyond the underwriter's time: paid whether or not anything
 *   goes wrong downstream);
 * - **assumed penalty** – the scenario's business cost per silent failure
 *   (`costs.silentFailureUsd`: remediation, a lost customer). It is an
 *   assumption the scenario states, not money the run spent, and on a
 *   pipeline that fails silently it dwarfs the spend (on the bundled
 *   fintech-underwriting scenario, 99.9 % of the baseline's cost per success).
 *
 * `total` (and `perRequest`, `perSuccess`) stays the sum of the two – the
 * result contract's fields – and every display shows it as that sum.
 */
import type { Model } from '../path/model.js';
import type { RunCollector } from './collector.js';
import { SILENT_FAILURE, SUCCESS } from '../path/outcomes.js';

/** One kind of cost over the run, per finished request and per successful request (null when nothing succeeded). */
export interface CostShare {
  total: number;
  perRequest: number;
  perSuccess: number | null;
}

export interface CostUsd extends CostShare {
  breakdown: { tokens: number; compute: number; human: number; silentFailure: number; escalation: number };
  /** Tokens + compute + human + escalation handling: money actually spent. */
  spend: CostShare;
  /** Silent failures × the scenario's assumed cost of one (`perSilentFailure`). */
  assumedPenalty: CostShare & { perSilentFailure: number };
}

function share(total: number, requests: number, successes: number): CostShare {
  return { total, perRequest: requests > 0 ? total / requests : 0, perSuccess: successes > 0 ? total / successes : null };
}

/** The costs of the requests a collector finished, under the model's prices. */
export function costOf(model: Model, c: RunCollector): CostUsd {
  let compute = 0;
  let human = 0;
  model.pools.forEach((p, i) => {
    // A serving pool's servers are its sequence slots, each priced at the GPU price / sequencesPerGpu: slots × span = GPUs × span.
    const usd = ((p.serving === undefined ? c.poolBusyMs[i] : p.servers * c.spanMs) / 3_600_000) * p.pricePerHourUsd;
    if (p.kind === 'human') human += usd;
    else compute += usd;
  });
  const silentFailure = c.outcomes[SILENT_FAILURE] * model.silentFailureCostUsd;
  const escalation = c.escalations * model.escalationCostUsd;
  const breakdown = { tokens: c.tokenCostUsd, compute, human, silentFailure, escalation };
  const spend = breakdown.tokens + breakdown.compute + breakdown.human + breakdown.escalation;
  const n = c.requestsFinished;
  const successes = c.outcomes[SUCCESS];
  return {
    ...share(spend + silentFailure, n, successes),
    breakdown,
    spend: share(spend, n, successes),
    assumedPenalty: { ...share(silentFailure, n, successes), perSilentFailure: model.silentFailureCostUsd },
  };
}
