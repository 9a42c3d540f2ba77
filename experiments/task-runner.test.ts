import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { IN_THREAD_MAX_EVENTS, placement, runTasks } from './task-runner.js';
import { planExperiment, baselineArm } from './experiments.js';
import { loadScenarioFile } from './load-scenario.js';
import { ExperimentSession } from './session.js';
import { PACKAGE_ROOT } from './version.js';
import type { TaskOutcome } from './task-pool.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');

async function tasks(replications: number, requests = 300) {
  const loaded = await loadScenarioFile(SIX_STEP, PACKAGE_ROOT, [`requests=${requests}`]);
  return planExperiment([baselineArm(loaded)], { replications });
}

describe('where tasks run', () => {
  const idle = { max: 2, running: false };
  const signal = new AbortController().signal;
  it('left to choose: this thread for small work, the workers for more or once they run', () => {
    expect(placement({ estimatedEvents: IN_THREAD_MAX_EVENTS / 2, signal }, idle)).toBe(0);
    expect(placement({ estimatedEvents: IN_THREAD_MAX_EVENTS * 2, signal }, idle)).toBe(2);
    expect(placement({ estimatedEvents: IN_THREAD_MAX_EVENTS / 2, signal }, { max: 2, running: true })).toBe(2);
    // No estimate: nothing says it is small.
    expect(placement({ signal }, idle)).toBe(2);
  });

  it('a time limit or a worker module needs workers; threads given are taken as given', () => {
    expect(placement({ estimatedEvents: 1, taskTimeoutMs: 1000 }, idle)).toBe(2);
    expect(placement({ estimatedEvents: 1, workerUrl: new URL('file:///w.js') }, idle)).toBe(2);
    expect(placement({ threads: 1 }, idle)).toBe(0);
    expect(placement({ threads: 1, signal }, idle)).toBe(1);
    expect(placement({ threads: 1, taskTimeoutMs: 1000 }, idle)).toBe(1);
    expect(placement({ threads: 3, estimatedEvents: 1, signal }, idle)).toBe(3);
  });
});

describe('tasks run in this thread', () => {
  it('give the same results as on workers', async () => {
    const { tasks: list, events } = await tasks(3);
    const session = new ExperimentSession(2);
    try {
      const here = await runTasks(list, { estimatedEvents: events.reduce((a, b) => a + b, 0), session });
      expect(session.pool().started).toBe(false);
      const there = await runTasks(list, { threads: 2, signal: new AbortController().signal, session });
      expect(session.pool().started).toBe(true);
      expect(JSON.stringify(here)).toBe(JSON.stringify(there));
    } finally {
      await session.close();
    }
  });

  it('hear a signal between tasks: the rest are called off, what finished is kept', async () => {
    const { tasks: list } = await tasks(6);
    const controller = new AbortController();
    // Stands in for Ctrl-C: a real signal, handled by the event loop like the CLI's SIGINT handler.
    const onSignal = () => controller.abort();
    process.once('SIGUSR2', onSignal);
    const session = new ExperimentSession(2);
    try {
      const outcomes: TaskOutcome[] = await runTasks(list, {
        estimatedEvents: 1,
        signal: controller.signal,
        session,
        onResult: (i) => {
          if (i === 1) process.kill(process.pid, 'SIGUSR2');
        },
      });
      expect(session.pool().started).toBe(false);
      expect(outcomes.map((o) => (o.ok ? 'ok' : 'aborted' in o ? 'interrupted' : 'failed'))).toEqual(['ok', 'ok', 'interrupted', 'interrupted', 'interrupted', 'interrupted']);
    } finally {
      process.removeListener('SIGUSR2', onSignal);
      await session.close();
    }
  });
});
