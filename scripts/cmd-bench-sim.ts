/**
 * `coordgap bench-sim`: the simulator's speed on the reference model
 * (bench-sim.ts), in-process or as parallel replications.
 */
import { Option, type Command } from 'commander';
import { defaultThreads } from '../experiments/session.js';
import { runBenchSim, benchSimParallel, type BenchModel } from './bench-sim.js';
import { json, jsonHelp, positiveInteger, threadCount, type CommandContext } from './command-options.js';

export function registerBenchSim(program: Command, ctx: CommandContext): void {
  program
    .command('bench-sim')
    .description('simulator speed on the reference model (six M/M/c stations with retries) or the reference graph (--model graph)')
    .addOption(new Option('--model <name>', 'chain: six M/M/c stations in series; graph: a router, a map fan-out and an agent loop; llm: that graph with LLM calls to a rate-limited provider with failover').choices(['chain', 'graph', 'llm']).default('chain'))
    .option('--requests <n>', 'requests to simulate', positiveInteger('--requests'), 200_000)
    .option('--runs <n>', 'repeat and report the median', positiveInteger('--runs'), 1)
    .option('--no-warmup', 'skip the untimed warm-up runs (measure a cold process)')
    .option('--replications <r>', 'run R replications on worker threads instead (parallel speedup)', positiveInteger('--replications'))
    .option('--threads <t>', 'worker threads for --replications', threadCount, defaultThreads())
    .option('--json', jsonHelp())
    .action(async (opts: { requests: number; runs: number; json?: boolean; replications?: number; threads: number; warmup: boolean; model: BenchModel }) => {
      if (opts.replications !== undefined) {
        const r = await benchSimParallel(opts.requests, opts.replications, opts.threads);
        ctx.write(opts.json ? json(r) : `${r.replications} × ${r.requests} requests on ${r.threads} thread(s): ${r.wallMs} ms, ${r.requestsPerSec} requests/s\n`);
        return;
      }
      ctx.write(runBenchSim(opts.requests, opts.runs, opts.json === true, opts.warmup, opts.model));
    });
}
