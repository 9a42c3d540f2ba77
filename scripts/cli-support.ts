/**
 * What every long-running command shares: a progress bar with ETA on a
 * terminal (stderr, silent otherwise), Ctrl-C that stops cleanly, and the
 * files written with --out.
 */
import cliProgress from 'cli-progress';
import { setMaxListeners } from 'node:events';
import type { TaskFailure, ExperimentStatus } from '../experiments/experiments.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(stderr: NodeJS.WritableStream, enabled: boolean, what: string): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: stderr,
      format: `${what} {bar} {percentage}% | {value}/{total} runs | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** An AbortController that SIGINT/SIGTERM trip once; `dispose` removes the handlers. */
export function interruptible(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  // Every queued worker task listens on the signal; there may be thousands.
  setMaxListeners(0, controller.signal);
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

export function describeFailures(failures: readonly TaskFailure[]): string {
  return failures.map((f) => `  ${f.label}, replication ${f.replication}: ${f.error}\n`).join('');
}

/**
 * Exit code after an experiment: 3 when a task failed (named on stderr),
 * 130 when interrupted (what finished was kept), else the given code.
 */
export function experimentExitCode(status: ExperimentStatus, writeErr: (s: string) => void, otherwise: number): number {
  if (status.failures.length > 0) {
    writeErr(`coordgap: ${status.failures.length} run(s) failed; the rest completed:\n${describeFailures(status.failures)}`);
    return 3;
  }
  if (status.interrupted) {
    writeErr('coordgap: interrupted; results above cover the runs that finished\n');
    return 130;
  }
  return otherwise;
}
