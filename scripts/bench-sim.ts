/**
 * `coordgap bench-sim`: simulator speed on the reference model. Wall time
 * covers compile + simulation of one run; peak RSS is the process's maximum
 * resident set so far (getrusage), so run it in a fresh process to measure a
 * request count's memory.
 */
import { median } from 'simple-statistics';
import { referenceModelScenario, referenceGraphScenario, referenceLlmScenario } from '../sim/analysis/index.js';
import { scenarioSchema } from '../sim/scenario/index.js';
import { compileScenario } from '../sim/scenario/index.js';
import { runReplication } from '../sim/path/index.js';
import { SUCCESS } from '../sim/path/index.js';
import { runArms } from '../experiments/experiments.js';

export interface BenchSimRun {
  model: string;
  requests: number;
  wallMs: number;
  requestsPerSec: number;
  eventsPerSec: number;
  peakRssMb: number;
  successRate: number;
  meanSuccessLatencyMs: number;
}

/** The benchmark's models: the chain of six M/M/c stations, or the reference graph (sim/analysis/reference-model.ts). */
export type BenchModel = 'chain' | 'graph';

const BENCH_SCENARIOS = { chain: referenceModelScenario, graph: referenceGraphScenario, llm: referenceLlmScenario } as const;

export function benchSimOnce(requests: number, seed: number | string = 1, which: BenchModel = 'chain'): BenchSimRun {
  const t0 = performance.now();
  const model = compileScenario(scenarioSchema.parse(BENCH_SCENARIOS[which](requests, seed)));
  const c = runReplication(model, 0);
  const wallMs = performance.now() - t0;
  return {
    model: model.name,
    requests,
    wallMs: round(wallMs, 1),
    requestsPerSec: Math.round((requests / wallMs) * 1000),
    eventsPerSec: Math.round((c.events / wallMs) * 1000),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    successRate: c.outcomes[SUCCESS] / c.requestsFinished,
    meanSuccessLatencyMs: round(c.successLatency.meanMs, 3),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Requests of each untimed warm-up run (JIT compilation), as hyperfine's --warmup and tinybench's warmup do. */
export const WARMUP_REQUESTS = 25_000;
/**
 * Two warm-up runs, not one: V8 deoptimizes the hot paths once more when the
 * second simulation of a process builds its objects (their hidden classes are
 * finalised then; `--trace-deopt` shows "code dependencies"), and only from
 * the third on is the code stable.
 */
export const WARMUP_RUNS = 2;

export function runBenchSim(requests: number, runs: number, asJson: boolean, warmup = true, which: BenchModel = 'chain'): string {
  // Untimed runs first, so the figures are the engine's steady state rather
  // than V8's compile time (a cold 200k-request run spends a large share of
  // its time in the JIT).
  const warmupRequests = Math.min(WARMUP_REQUESTS, requests);
  if (warmup) for (let i = 0; i < WARMUP_RUNS; i++) benchSimOnce(warmupRequests, 1000 + i, which);
  const results: BenchSimRun[] = [];
  for (let i = 0; i < runs; i++) results.push(benchSimOnce(requests, i + 1, which));
  const med = {
    wallMs: median(results.map((r) => r.wallMs)),
    requestsPerSec: median(results.map((r) => r.requestsPerSec)),
    eventsPerSec: median(results.map((r) => r.eventsPerSec)),
  };
  const last = results[results.length - 1];
  if (asJson) {
    const doc = runs === 1 ? last : { ...last, ...med, runs: results };
    return JSON.stringify(doc, null, 2) + '\n';
  }
  const lines = results.map(
    (r, i) =>
      `run ${i + 1}: ${r.requests.toLocaleString('en-US')} requests in ${r.wallMs.toFixed(0)} ms → ${r.requestsPerSec.toLocaleString('en-US')} requests/s, ${r.eventsPerSec.toLocaleString('en-US')} events/s · success ${(r.successRate * 100).toFixed(3)} % · mean latency ${r.meanSuccessLatencyMs.toFixed(1)} ms`,
  );
  if (warmup) lines.unshift(`(after ${WARMUP_RUNS} untimed warm-up runs of ${warmupRequests.toLocaleString('en-US')} requests)`);
  if (runs > 1) lines.push(`median of ${runs}: ${med.requestsPerSec.toLocaleString('en-US')} requests/s, ${med.eventsPerSec.toLocaleString('en-US')} events/s`);
  lines.push(`peak RSS ${last.peakRssMb} MB`);
  return lines.join('\n') + '\n';
}

/**
 * The reference model as R replications on T worker threads – the figure for
 * parallel speedup (run once with --threads 1 and once with --threads 2).
 */
export async function benchSimParallel(requests: number, replications: number, threads: number): Promise<Record<string, number | string>> {
  const input = referenceModelScenario(requests, 1);
  const model = compileScenario(scenarioSchema.parse(input));
  const t0 = performance.now();
  const { collectors, status } = await runArms([{ label: 'reference-model', model, scenarioHash: '' }], {
    replications,
    threads,
    version: '',
  });
  const wallMs = performance.now() - t0;
  if (collectors[0] === null) throw new Error(`reference run failed: ${status.failures.map((f) => f.error).join('; ')}`);
  return {
    model: 'reference-model',
    requests,
    replications,
    threads,
    wallMs: round(wallMs, 1),
    requestsPerSec: Math.round(((requests * replications) / wallMs) * 1000),
  };
}
