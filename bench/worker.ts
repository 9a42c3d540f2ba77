/**
 * Piscina worker handlers. Each handler is a named export selected with
 * Piscina's `name` option. Runs compiled (dist/bench/worker.js).
 */
import { threadId } from 'node:worker_threads';
import { Bench, type Fn } from 'tinybench';
import type {
  FixtureOptions,
  KernelMeasurement,
  MeasureResult,
  MeasureTask,
  PrepareResult,
  PrepareTask,
  ServeTask,
  ThroughputResult,
  ThroughputTask,
  WarmResult,
  WarmTask,
} from './protocol.js';
import { type KernelInstance, type SuiteFixture, loadSuite } from './suites/index.js';

/** Everything kernels return is folded in here and handed back: no result is dead code. */
let sink = 0;
const consume = (value: number): void => {
  sink = (sink + (Number.isFinite(value) ? value : 0)) % 1e9;
};

async function buildFixture(options: FixtureOptions, kernels: readonly string[]): Promise<SuiteFixture> {
  const setup = await loadSuite(options.suite);
  return setup(options, kernels);
}

/** Mean ms per call over at least `minMs` (and at least 3 calls). */
async function timeCalls(kernel: KernelInstance, minMs: number): Promise<number> {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (calls < 3 || elapsed < minMs) {
    kernel.beforeEach?.();
    consume(kernel.async ? await kernel.run() : (kernel.run() as number));
    calls++;
    elapsed = performance.now() - start;
  }
  return elapsed / calls;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Batch size so that one sample lasts at least `minSampleMs` (1 when a per-call hook exists). */
function batchSize(kernel: KernelInstance, perCallMs: number, minSampleMs: number): number {
  if (kernel.beforeEach || perCallMs >= minSampleMs) return 1;
  return Math.min(100_000, Math.ceil(minSampleMs / Math.max(perCallMs, 1e-6)));
}

function taskFunction(kernel: KernelInstance, batch: number): Fn {
  if (batch === 1) {
    return kernel.async
      ? async () => {
          consume(await kernel.run());
        }
      : () => {
          consume(kernel.run() as number);
        };
  }
  // Batched: time the whole batch ourselves, report the per-call mean as the sample.
  return kernel.async
    ? async () => {
        const start = performance.now();
        for (let i = 0; i < batch; i++) consume(await kernel.run());
        const elapsed = performance.now() - start;
        return { overriddenDuration: elapsed / batch, overriddenIterationCost: elapsed };
      }
    : () => {
        const start = performance.now();
        for (let i = 0; i < batch; i++) consume(kernel.run() as number);
        const elapsed = performance.now() - start;
        return { overriddenDuration: elapsed / batch, overriddenIterationCost: elapsed };
      };
}

/** Measures kernels of one suite with tinybench in this isolate. */
export async function measure(task: MeasureTask): Promise<MeasureResult> {
  const setupStart = performance.now();
  const fixture = await buildFixture(task, task.kernels);
  const setupMs = performance.now() - setupStart;
  const measurements: KernelMeasurement[] = [];
  try {
    for (const id of rotate(task.kernels, task.run)) {
      const kernel = fixture.kernels.get(id);
      if (!kernel) throw new Error(`suite ${task.suite} did not provide ${id}`);
      const perCallMs = await timeCalls(kernel, Math.min(20, task.warmupMs));
      const batch = batchSize(kernel, perCallMs, task.minSampleMs);
      const bench = new Bench({
        time: task.timeMs,
        iterations: task.minIterations,
        warmupTime: task.warmupMs,
        warmupIterations: task.warmupIterations,
        retainSamples: true,
        throws: true,
      });
      const hooks = kernel.beforeEach ? { beforeEach: kernel.beforeEach } : {};
      bench.add(id, taskFunction(kernel, batch), { async: kernel.async, ...hooks });
      await bench.run();
      const result = bench.tasks[0].result;
      if (result.state !== 'completed') {
        throw new Error(`tinybench task ${id} ended ${result.state}${result.state === 'errored' ? `: ${result.error.message}` : ''}`);
      }
      const rme = result.latency.rme;
      measurements.push({
        id,
        samplesMs: Array.from(result.latency.samples ?? []),
        batch,
        tinybenchRmePct: Number.isFinite(rme) ? rme : null,
        work: kernel.work,
        quality: kernel.quality ?? {},
      });
    }
  } finally {
    await fixture.dispose();
  }
  return { threadId, setupMs, measurements, checksum: sink };
}

function awaitBarrier(barrier: SharedArrayBuffer, parties: number): void {
  const cell = new Int32Array(barrier);
  Atomics.add(cell, 0, 1);
  Atomics.notify(cell, 0);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const arrived = Atomics.load(cell, 0);
    if (arrived >= parties) return;
    if (Date.now() > deadline) throw new Error(`barrier timed out with ${arrived}/${parties} workers`);
    Atomics.wait(cell, 0, arrived, 50);
  }
}

/** Closed-loop calls for `durationMs` after a barrier shared by all threads of the run. */
export async function throughput(task: ThroughputTask): Promise<ThroughputResult> {
  const fixture = await buildFixture(task, [task.kernel]);
  try {
    const kernel = fixture.kernels.get(task.kernel)!;
    await timeCalls(kernel, task.warmupMs);
    awaitBarrier(task.barrier, task.parties);
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < task.durationMs) {
      consume(kernel.async ? await kernel.run() : (kernel.run() as number));
      calls++;
      elapsed = performance.now() - start;
    }
    return { calls, elapsedMs: elapsed, checksum: sink };
  } finally {
    await fixture.dispose();
  }
}

/** Fixtures kept alive for server mode, one per suite and kernel. */
const served = new Map<string, Promise<SuiteFixture>>();

function servedFixture(task: FixtureOptions & { kernel: string }): Promise<SuiteFixture> {
  const key = `${task.suite}/${task.kernel}/${task.seed}`;
  let fixture = served.get(key);
  if (!fixture) {
    fixture = buildFixture(task, [task.kernel]);
    served.set(key, fixture);
  }
  return fixture;
}

/** Builds and warms the server-mode fixture, then waits for the other workers. */
export async function warm(task: WarmTask): Promise<WarmResult> {
  const fixture = await servedFixture(task);
  const meanMs = await timeCalls(fixture.kernels.get(task.kernel)!, task.warmupMs);
  awaitBarrier(task.barrier, task.parties);
  return { meanMs };
}

/** One server-mode query. */
export async function serve(task: ServeTask): Promise<number> {
  const kernel = (await servedFixture(task)).kernels.get(task.kernel)!;
  const value = kernel.async ? await kernel.run() : (kernel.run() as number);
  consume(value);
  return value;
}

/** The far end of the Piscina round-trip kernel. */
export function echo<T>(payload: T): T {
  return payload;
}

/** Build-once artefacts (the HNSW index) before the measuring isolates start. */
export async function prepare(task: PrepareTask): Promise<PrepareResult> {
  const start = performance.now();
  let built = false;
  if (task.suite === 'hnsw-384') built = await (await import('./suites/hnsw.js')).ensureIndex(task);
  return { built, ms: performance.now() - start };
}
