/**
 * The reference model of the speed benchmark (`coordgap bench-sim`): Poisson
 * arrivals at 100/s into six M/M/c stations in series with c = 2, 8, 4, 32,
 * 16, 2. Each attempt fails with p = 0.03 and is retried after a full-jitter
 * backoff U(0, 10 ms · 2^(k−1)), at most 3 attempts. Service means
 * 0.7·c/(100·(1 + p + p²)) s put every station at 70 % utilisation including
 * retries (each request makes 1 + p + p² attempts on average).
 *
 * Closed forms: success (1 − p³)^6 ≈ 0.99984; mean latency of successful
 * requests ≈ 0.496 s (Erlang C waits plus service and backoff per station).
 */
import type { ScenarioInput } from '../scenario/schema.js';

export const REFERENCE_SERVERS = [2, 8, 4, 32, 16, 2] as const;
export const REFERENCE_RATE_PER_SEC = 100;
export const REFERENCE_FAULT_PROBABILITY = 0.03;
export const REFERENCE_UTILIZATION = 0.7;

export function referenceModelScenario(requests = 200_000, seed: number | string = 1): ScenarioInput {
  const p = REFERENCE_FAULT_PROBABILITY;
  const attemptsPerRequest = 1 + p + p * p;
  return {
    name: 'reference-model',
    description: 'Speed benchmark: six M/M/c stations at 70 % utilisation with full-jitter retries.',
    seed,
    requests,
    arrivals: { kind: 'poisson', rate: REFERENCE_RATE_PER_SEC },
    pools: Object.fromEntries(REFERENCE_SERVERS.map((c, i) => [`station${i + 1}`, { servers: c }])),
    stages: REFERENCE_SERVERS.map((c, i) => ({
      id: `stage${i + 1}`,
      pool: `station${i + 1}`,
      latency: {
        dist: 'exponential' as const,
        mean: (REFERENCE_UTILIZATION * c * 1000) / (REFERENCE_RATE_PER_SEC * attemptsPerRequest),
      },
      faults: { error: p },
      retry: {
        maxAttempts: 3,
        retryOn: ['error' as const],
        backoff: { kind: 'exponential' as const, base: 10, factor: 2, max: 1e9, jitter: 'full' as const },
      },
    })),
  };
}

/**
 * The reference graph of the speed benchmark (`coordgap bench-sim --model
 * graph`): the same arrivals and fault law on a graph with every composite
 * kind the engine has – a router (70 % to a RAG branch, 30 % to an agent
 * loop), a map over Poisson(3) documents joined `all`, a ReAct loop (plan →
 * tool, stop 0.4 after a good iteration, limit 10, tool errors observed half
 * the time) and a final answer stage. Exponential services on pools sized to
 * run near 50 % utilisation, so queues form but stay stable. Its events/s are
 * compared with the chain's: the graph's bookkeeping (child tokens, joins)
 * must not cost more than the issue allows (70 % of the chain's speed).
 */
export function referenceGraphScenario(requests = 200_000, seed: number | string = 1): ScenarioInput {
  const p = REFERENCE_FAULT_PROBABILITY;
  const retry = {
    maxAttempts: 3,
    retryOn: ['error' as const],
    backoff: { kind: 'exponential' as const, base: 10, factor: 2, max: 1e9, jitter: 'full' as const },
  };
  const stage = (id: string, pool: string, meanMs: number) => ({
    id,
    pool,
    latency: { dist: 'exponential' as const, mean: meanMs },
    faults: { error: p },
    retry,
  });
  return {
    name: 'reference-graph',
    description: 'Speed benchmark: a router, a map fan-out and an agent loop on M/M/c pools.',
    seed,
    requests,
    arrivals: { kind: 'poisson', rate: REFERENCE_RATE_PER_SEC },
    pools: { router: { servers: 4 }, search: { servers: 16 }, llm: { servers: 64 }, tools: { servers: 16 } },
    stages: [
      stage('route', 'router', 10),
      stage('retrieve', 'search', 50),
      stage('summarise', 'llm', 100),
      stage('plan', 'llm', 100),
      stage('tool', 'tools', 50),
      stage('answer', 'llm', 100),
    ],
    graph: {
      start: 'route',
      nodes: {
        docs: { map: { items: { dist: 'poisson', mean: 3 }, body: ['summarise'], join: 'all' } },
        react: { loop: { body: ['plan', 'tool'], iterations: { stop: 0.4 }, limit: 10, observeErrors: 0.5 } },
      },
      next: { route: { route: { retrieve: 0.7, react: 0.3 } }, retrieve: 'docs', docs: 'answer', react: 'answer' },
    },
  };
}

/**
 * The provider-heavy reference (`coordgap bench-sim --model llm`): the
 * reference graph with its three model stages (summarise, plan, answer) as
 * LLM calls to one hosted provider whose RPM and TPM buckets run near 85 %
 * of their limits (≈ 3.85 calls per request at 100 requests/s), with 1 %
 * overload, a brown-out window (30 % errors, latency × 2) and a fallback to
 * a second provider on 529s. Measures what the provider bookkeeping –
 * token draws, bucket refills, per-request LLM counts – costs per event.
 */
export function referenceLlmScenario(requests = 200_000, seed: number | string = 1): ScenarioInput {
  const graph = referenceGraphScenario(requests, seed);
  const llm = (model: string) => ({
    provider: 'hosted',
    model,
    inputTokens: 1000,
    outputTokens: { dist: 'lognormal' as const, median: 150, p99: 1000 },
    maxTokens: 512,
    fallbackOn: ['overloaded' as const],
  });
  const calls = new Set(['summarise', 'plan', 'answer']);
  const stages = graph.stages.map((s) => {
    if (!calls.has(s.id)) return s;
    const { latency: _latency, ...rest } = s;
    return { ...rest, llm: llm(s.id === 'plan' ? 'large' : 'small'), fallback: `${s.id}-backup` };
  });
  const model = { ttft: { dist: 'lognormal' as const, median: 400, p99: 2000 }, tpot: 10, inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 };
  return {
    ...graph,
    name: 'reference-llm',
    description: 'Speed benchmark: the reference graph with LLM calls to a rate-limited hosted provider, a brown-out and failover.',
    pools: { ...graph.pools, llm: { servers: 2000 } },
    stages,
    fallbacks: [...calls].map((id) => ({ id: `${id}-backup`, pool: 'llm', llm: { ...llm('backup'), provider: 'backup', fallbackOn: undefined } })),
    providers: {
      hosted: {
        limits: { rpm: 27_000, tpm: 40_000_000 },
        overload: 0.01,
        incidents: [{ from: 600_000, to: 900_000, errorRate: 0.3, latencyFactor: 2 }],
        models: { small: model, large: model },
      },
      backup: { models: { backup: { ...model, ttft: { dist: 'lognormal' as const, median: 800, p99: 3000 } } } },
    },
  };
}
