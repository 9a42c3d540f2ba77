/**
 * The resume state outlives the simulations until the command's files are
 * written (issue 12.6, "delete the state only after every file is written"):
 * output that fails to write after every task finished – here a directory
 * made where an output file goes, as a full disk or a directory changed under
 * the run would – leaves every finished task on disk, and `--resume` writes
 * the files from the state without simulating again (its worker throws if
 * asked to run anything). A report keeps one state per step (comparison,
 * sensitivity ranking, study), all read back on resume – also after Ctrl-C
 * in a later step, where the one shared state used to be the later step's,
 * and `report --resume` refused it as "a different run".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { STATE_FILE, stepStateFile } from '../experiments/checkpoint.js';
import { compiledModuleUrl } from '../bench/compiled-path.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
const FINTECH = join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml');
const WORKER = compiledModuleUrl(import.meta.url, './test-fixtures/output-blocking-worker.js');

afterEach(() => {
  delete process.env.COORDGAP_TEST_BLOCK;
  delete process.env.COORDGAP_TEST_REFUSE;
});

/** Tasks saved in a state, and how many the experiment had. */
function saved(path: string): { done: number; tasks: number } {
  const state = JSON.parse(readFileSync(path, 'utf8')) as { done: object; tasks: number };
  return { done: Object.keys(state.done).length, tasks: state.tasks };
}

const stateFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.coordgap-state')).sort();

/** Runs `args` into a fresh --out whose file `blocked` cannot be written once the tasks have run; returns the directory and the exit. */
async function blockedRun(args: readonly string[], blocked: string) {
  const dir = tempDir('coordgap-kept-');
  process.env.COORDGAP_TEST_BLOCK = join(dir, blocked);
  const r = await runCli([...args, '--out', dir], PACKAGE_ROOT, WORKER);
  delete process.env.COORDGAP_TEST_BLOCK;
  rmSync(join(dir, blocked), { recursive: true });
  return { dir, ...r };
}

/** `args --out dir --resume` with a worker that refuses to simulate. */
async function resumeWithoutSimulating(args: readonly string[], dir: string) {
  process.env.COORDGAP_TEST_REFUSE = '1';
  return runCli([...args, '--out', dir, '--resume'], PACKAGE_ROOT, WORKER);
}

describe('the resume state is removed only after the files are written', () => {
  it('run: results.json fails to write after the last task → the complete state is kept; --resume writes it without simulating', async () => {
    const args = ['run', SIX_STEP, '--requests', '2000', '--replications', '3', '--threads', '1'];
    const whole = tempDir('coordgap-whole-');
    expect((await runCli([...args, '--out', whole], PACKAGE_ROOT)).code).toBe(0);
    expect(stateFiles(whole)).toEqual([]);

    const failed = await blockedRun(args, 'results.json');
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(join(failed.dir, 'results.json'));
    expect(failed.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(join(failed.dir, 'results.json'))).toBe(false);
    expect(saved(join(failed.dir, STATE_FILE))).toEqual({ done: 3, tasks: 3 });

    const resumed = await resumeWithoutSimulating(args, failed.dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(readFileSync(join(failed.dir, 'results.json'), 'utf8')).toBe(readFileSync(join(whole, 'results.json'), 'utf8'));
    expect(readFileSync(join(failed.dir, 'results.csv'), 'utf8')).toBe(readFileSync(join(whole, 'results.csv'), 'utf8'));
    expect(stateFiles(failed.dir)).toEqual([]);
  }, 120_000);

  it('report: the report fails to write after every step → each step keeps its complete state; --resume builds it without simulating', async () => {
    const args = ['report', FINTECH, '--requests', '1000', '--replications', '2', '--threads', '1'];
    const whole = tempDir('coordgap-whole-');
    expect((await runCli([...args, '--out', whole], PACKAGE_ROOT)).code).toBe(0);
    expect(stateFiles(whole)).toEqual([]);

    // report.md is written after results.json and results.csv.
    const failed = await blockedRun(args, 'report.md');
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(join(failed.dir, 'report.md'));
    expect(failed.stderr).not.toMatch(/internal error|\n\s+at /);
    const comparison = join(failed.dir, STATE_FILE);
    const steps = [comparison, stepStateFile(comparison, 'sensitivity'), stepStateFile(comparison, 'study')];
    expect(stateFiles(failed.dir)).toEqual(steps.map((p) => p.slice(failed.dir.length + 1)).sort());
    for (const path of steps) {
      const { done, tasks } = saved(path);
      expect(tasks).toBeGreaterThan(0);
      expect(done).toBe(tasks);
    }

    const resumed = await resumeWithoutSimulating(args, failed.dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    for (const file of ['results.json', 'results.csv', 'report.md'])
      expect(readFileSync(join(failed.dir, file), 'utf8'), file).toBe(readFileSync(join(whole, file), 'utf8'));
    expect(existsSync(join(failed.dir, 'index.html'))).toBe(true);
    expect(stateFiles(failed.dir)).toEqual([]);
  }, 180_000);
});

describe('a report interrupted in a later step resumes', () => {
  it("SIGINT during the sensitivity ranking: the comparison's state is kept complete beside the ranking's; --resume completes, byte-identical", async () => {
    const bin = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');
    const args = ['report', FINTECH, '--requests', '20000', '--replications', '2', '--threads', '1'];
    const whole = tempDir('coordgap-whole-');
    expect((await runCli([...args, '--out', whole], PACKAGE_ROOT)).code).toBe(0);

    const dir = tempDir('coordgap-report-int-');
    const comparison = join(dir, STATE_FILE);
    const ranking = stepStateFile(comparison, 'sensitivity');
    const child = spawn(process.execPath, [bin, ...args, '--out', dir], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let running = true;
    void exited.then(() => (running = false));
    // The ranking's first finished task is saved at once (CheckpointWriter): then it is under way.
    const deadline = Date.now() + 120_000;
    while (running && !existsSync(ranking) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(running, 'the report finished before its ranking could be interrupted').toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const c = saved(comparison);
    expect(c.done).toBe(c.tasks);
    const r = saved(ranking);
    expect(r.done).toBeGreaterThanOrEqual(1);
    expect(r.done).toBeLessThan(r.tasks);

    const resumed = await runCli([...args, '--out', dir, '--resume'], PACKAGE_ROOT);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    for (const file of ['results.json', 'results.csv', 'report.md'])
      expect(readFileSync(join(dir, file), 'utf8'), file).toBe(readFileSync(join(whole, file), 'utf8'));
    expect(stateFiles(dir)).toEqual([]);
  }, 300_000);
});
