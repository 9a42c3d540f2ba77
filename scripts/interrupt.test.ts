/**
 * Interruption end to end, with real signals to a real `coordgap` process:
 * a sweep stopped by SIGINT or SIGTERM keeps its finished points and a
 * resumable state and exits 130; one killed outright (SIGKILL) still leaves
 * the state saved while it ran; `--resume` then finishes the rest, and the
 * files it writes are byte-identical to those of an uninterrupted sweep. On
 * one thread the signal reaches a simulation in progress, not only the gaps
 * between runs.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { STATE_FILE } from '../experiments/checkpoint.js';

const BIN = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');
const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
/** 8 points × 2 replications = 16 tasks of a few hundred ms each: long enough to interrupt in the middle. */
const POINTS = 8;
const REPLICATIONS = 2;
const SWEEP = ['sweep', SIX_STEP, '--set', `stages.retrieval.faults.error=0..0.14:${POINTS}`, '--requests', '60000', '--replications', String(REPLICATIONS)];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts the sweep in a child process; sends `signal` as soon as its first finished task is saved. */
async function interruptedSweep(outDir: string, threads: number, signal: NodeJS.Signals): Promise<Exit> {
  return interrupted([...SWEEP, '--threads', String(threads)], outDir, signal);
}

/** Starts `coordgap args --out outDir` in a child process; sends `signal` as soon as its first finished task is saved. */
async function interrupted(args: readonly string[], outDir: string, signal: NodeJS.Signals): Promise<Exit> {
  const child = spawn(process.execPath, [BIN, ...args, '--out', outDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig, stderr })));
  const state = join(outDir, STATE_FILE);
  const deadline = Date.now() + 60_000;
  let running = true;
  void exited.then(() => (running = false));
  while (running && !existsSync(state) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(running, 'the sweep finished before it could be interrupted').toBe(true);
  expect(existsSync(state), 'no state file appeared within 60 s').toBe(true);
  child.kill(signal);
  const exit = await exited;
  exit.stderr = stderr;
  return exit;
}

function tasksSaved(outDir: string): number {
  return Object.keys((JSON.parse(readFileSync(join(outDir, STATE_FILE), 'utf8')) as { done: object }).done).length;
}

describe('a sweep interrupted by a signal resumes to byte-identical results', () => {
  let whole: { json: string; csv: string };

  beforeAll(async () => {
    expect(existsSync(BIN), 'run `npm test` (it compiles dist/ first)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-whole-'));
    const r = await runCli([...SWEEP, '--threads', '1', '--out', dir], PACKAGE_ROOT);
    expect(r.code).toBe(0);
    whole = { json: readFileSync(join(dir, 'results.json'), 'utf8'), csv: readFileSync(join(dir, 'results.csv'), 'utf8') };
    expect(JSON.parse(whole.json).points).toHaveLength(POINTS);
  }, 120_000);

  for (const [signal, threads] of [['SIGINT', 1], ['SIGTERM', 2]] as const) {
    it(`${signal} on ${threads} thread${threads > 1 ? 's' : ''}: finished points and state kept, exit 130; --resume completes`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'coordgap-interrupt-'));
      const exit = await interruptedSweep(dir, threads, signal);
      expect(exit.code).toBe(130);
      expect(exit.stderr).toContain('interrupted');
      expect(exit.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const saved = tasksSaved(dir);
      expect(saved).toBeGreaterThanOrEqual(1);
      expect(saved).toBeLessThan(POINTS * REPLICATIONS);
      // The points whose every replication finished are on disk already. On
      // one thread tasks finish in order (point by point), so exactly
      // floor(saved / replications) points are complete.
      const partial = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { points: unknown[] };
      if (threads === 1) expect(partial.points).toHaveLength(Math.floor(saved / REPLICATIONS));
      else expect(partial.points.length).toBeLessThanOrEqual(Math.floor(saved / REPLICATIONS));

      const resumed = await runCli([...SWEEP, '--threads', String(threads), '--out', dir, '--resume'], PACKAGE_ROOT);
      expect(resumed.code).toBe(0);
      expect(existsSync(join(dir, STATE_FILE))).toBe(false);
      expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(whole.json);
      expect(readFileSync(join(dir, 'results.csv'), 'utf8')).toBe(whole.csv);
    }, 120_000);
  }

  it('SIGKILL (no chance to save on the way out): the state saved while running still resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-kill-'));
    const exit = await interruptedSweep(dir, 1, 'SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    expect(tasksSaved(dir)).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    const resumed = await runCli([...SWEEP, '--threads', '1', '--out', dir, '--resume'], PACKAGE_ROOT);
    expect(resumed.code).toBe(0);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(whole.json);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8')).toBe(whole.csv);
  }, 120_000);
});

describe('on one thread a signal reaches the run in progress', () => {
  // Point 1 is quick; point 2 (10M requests) would run for minutes, and the
  // signal arrives while it runs. When the simulation ran on the main thread
  // the handler waited for it to end and the command exited 0.
  const LONG = ['sweep', SIX_STEP, '--set', 'requests=2000,10000000', '--threads', '1'];
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a 10M-request run: exit 130, the finished point saved`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'coordgap-long-'));
      const exit = await interrupted(LONG, dir, signal);
      expect(exit.code).toBe(130);
      expect(exit.stderr).toContain('interrupted');
      expect(exit.stderr).not.toMatch(/\n\s+at /);
      expect(tasksSaved(dir)).toBe(1);
      expect((JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { points: unknown[] }).points).toHaveLength(1);
    }, 120_000);
  }
});
