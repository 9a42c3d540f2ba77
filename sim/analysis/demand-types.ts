/** What the demand estimates (demand.ts for a chain, graph-demand.ts for a graph) return. */

export interface DefinitionDemand {
  id: string;
  poolIndex: number;
  /** Runs of attempts started afresh per request (stage entries, fallbacks, re-runs). */
  visits: number;
  /** Attempts per request, hedges excluded. */
  attempts: number;
  /** Retries per request: each is one backoff timer. */
  retries: number;
  /** Hedge timers per request; each may start one extra attempt on an idle server. */
  hedges: number;
  /** Mean time one attempt holds its server, ms (validation included; a hung call holds it to the time limit). */
  holdMs: number;
  /** Each attempt arms a time-limit event. */
  timed: boolean;
}

export interface Demand {
  /** Indexed like the runtime's definitions: [stages…, fallbacks…, human]. */
  defs: DefinitionDemand[];
  /** Busy time per request on each pool, ms. Hedges are left out: they only ever take an idle server. */
  poolBusyMs: number[];
  /** Attempts per request on each pool, hedges left out. */
  poolAttempts: number[];
  /** Time per request spent waiting to retry, ms (holding memory, no server). */
  backoffMs: number;
  /** A graph's expected visits per request, per node (graph-flow.ts); absent for a chain. */
  nodeVisits?: number[];
}

