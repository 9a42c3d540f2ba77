/**
 * `coordgap worker --queue URL`: serve an experiment queue (BullMQ on Redis,
 * experiments/queue/) – take the tasks that `compare|sweep|sensitivity|report|run
 * FILE --queue URL` enqueue, run each on a worker thread, hand back the
 * result. Prints one line when ready; with --verbose, one per task. SIGINT or
 * SIGTERM stops taking jobs and finishes the running ones; a second signal
 * leaves at once (the running jobs go back to the queue after the stall
 * timeout and run elsewhere).
 */
import type { Command } from 'commander';
import { DEFAULT_QUEUE_NAME, DEFAULT_STALL_TIMEOUT_MS } from '../experiments/queue/defaults.js';
import type { JobEvent } from '../experiments/queue/index.js';
import { durationText } from '../sim/scenario/index.js';
import { UsageError } from '../experiments/usage-error.js';
import { atLeastOne, positiveDuration, threadCount, type CommandContext } from './command-options.js';

interface WorkerOptions {
  queue?: string;
  queueName: string;
  concurrency?: number;
  stallTimeout: number;
  maxEvents?: number;
  taskTimeout?: number;
  verbose?: boolean;
}

export function registerWorker(program: Command, ctx: CommandContext): void {
  program
    .command('worker')
    .description('run the tasks other coordgap commands put on a job queue (--queue): BullMQ on Redis, any number of workers on any machines')
    .option('--queue <url>', 'the Redis to serve: redis://[user:password@]host:port[/db], rediss:// for TLS; the password can come from REDISCLI_AUTH instead')
    .option('--queue-name <name>', 'the queue on that Redis', DEFAULT_QUEUE_NAME)
    .option('--concurrency <n>', 'tasks run at once, each on a worker thread (default: the cores)', threadCount)
    .option(
      '--stall-timeout <duration>',
      `a task whose worker stops renewing its lock this long (killed, machine lost) goes back to the queue and runs elsewhere (default: ${DEFAULT_STALL_TIMEOUT_MS / 1000}s, BullMQ's)`,
      positiveDuration('--stall-timeout'),
      DEFAULT_STALL_TIMEOUT_MS,
    )
    .option('--max-events <n>', 'events one task may take; a task allowing more is refused (default: 2e9, as the other commands)', atLeastOne('--max-events'))
    .option('--task-timeout <duration>', 'wall-clock time one task may take before its thread is ended and the task failed as hung (default: 1h)', positiveDuration('--task-timeout'))
    .option('--verbose', 'print one line per finished task')
    .action(async (opts: WorkerOptions) => {
      if (opts.queue === undefined) throw new UsageError('worker needs --queue redis://host:port (the Redis the coordinating command enqueues on)');
      // BullMQ is loaded only here (it adds about 0.2 s to every start of the CLI).
      const { serveTaskQueue } = await import('../experiments/queue/index.js');
      const worker = await serveTaskQueue(opts.queue, {
        queueName: opts.queueName,
        stallTimeoutMs: opts.stallTimeout,
        ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
        ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
        ...(opts.taskTimeout !== undefined ? { taskTimeoutMs: opts.taskTimeout } : {}),
        ...(opts.verbose ? { onJob: (e: JobEvent) => ctx.writeErr(jobLine(e)), onError: (e: Error) => ctx.writeErr(`coordgap worker: ${e.message}\n`) } : {}),
      });
      ctx.write(
        `coordgap worker: serving queue ${worker.queueName} on ${worker.display} (${worker.concurrency} thread${worker.concurrency === 1 ? '' : 's'}; worker ${worker.name})\n`,
      );
      await untilStopped(worker, ctx);
    });
}

function jobLine(e: JobEvent): string {
  const what = e.replication >= 0 ? `${e.label}, replication ${e.replication}` : `job ${e.jobId}`;
  return `${what}: ${e.ok ? 'done' : `failed – ${e.error}`} (${durationText(e.runMs)})\n`;
}

/** Waits for SIGINT or SIGTERM, then closes: the first signal finishes the running tasks, a second leaves at once. */
async function untilStopped(worker: { close(force?: boolean): Promise<void> }, ctx: CommandContext): Promise<void> {
  let onSignal: () => void = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      let signals = 0;
      onSignal = () => {
        if (++signals === 1) {
          ctx.writeErr('coordgap worker: stopping – finishing the running tasks (signal again to leave now; they then run elsewhere)\n');
          worker.close().then(resolve, reject);
        } else worker.close(true).then(resolve, reject);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
