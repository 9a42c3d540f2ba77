/**
 * One experiment per --out at a time (issue 12.12): two runs sharing a --out
 * used to overwrite each other's resume state. Real lock files in a temp dir;
 * a real dead pid (a child that has exited) for the stale case.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockOutDir, LOCK_FILE } from './out-lock.js';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
const RUN = (out: string) => ['run', SIX_STEP, '--requests', '2000', '--replications', '2', '--threads', '1', '--out', out];

function out(): string {
  return mkdtempSync(join(tmpdir(), 'coordgap-lock-'));
}

function lockAs(dir: string, owner: Record<string, unknown>): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ startedAt: '2026-01-01T00:00:00.000Z', command: 'coordgap run other.yaml', nonce: 'x', ...owner }));
}

describe('one experiment per --out', () => {
  it('two runs started together on one --out: one runs, the other is refused naming it', async () => {
    const dir = out();
    const [a, b] = await Promise.all([runCli(RUN(dir), PACKAGE_ROOT), runCli(RUN(dir), PACKAGE_ROOT)]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const refused = a.code === 2 ? a : b;
    expect(refused.stderr).toMatch(
      new RegExp(`^coordgap: --out ${dir} is in use by another coordgap run: pid ${process.pid} on ${hostname()}, started \\S+ \\(".*"\\)\\. Two runs sharing one --out would overwrite each other's resume state: wait for it to finish or choose another --out\\n$`),
    );
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // released by the run that held it
  });

  it('a lock held by a live run refuses before anything is simulated; once released, the run goes ahead', async () => {
    const dir = out();
    const held = await lockOutDir(dir);
    const refused = await runCli(RUN(dir), PACKAGE_ROOT);
    expect(refused.code).toBe(2);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    await held.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const r = await runCli(RUN(dir), PACKAGE_ROOT);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'results.json'))).toBe(true);
  });

  it('a stale lock (its pid no longer runs) is taken over with a note', async () => {
    const dir = out();
    const gone = spawnSync('true').pid!;
    lockAs(dir, { pid: gone, host: hostname() });
    const r = await runCli(RUN(dir), PACKAGE_ROOT);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`coordgap: took over the lock of --out ${dir} left by pid ${gone} (pid ${gone} no longer runs)\n`);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it.runIf(existsSync('/proc/self/stat'))('a lock whose pid now belongs to a later process (pid reuse) is stale', async () => {
    const dir = out();
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    lockAs(dir, { pid: process.pid, host: hostname(), startTicks: ticks - 1 });
    const lock = await lockOutDir(dir);
    expect(lock.tookOver).toBe(`coordgap: took over the lock of --out ${dir} left by pid ${process.pid} (pid ${process.pid} is now another process)`);
    await lock.release();
  });

  it('a lock from another host cannot be checked: refused, with how to remove it', async () => {
    const dir = out();
    lockAs(dir, { pid: 1, host: 'build-agent-7' });
    const r = await runCli(RUN(dir), PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`pid 1 on build-agent-7, started 2026-01-01T00:00:00.000Z ("coordgap run other.yaml")`);
    expect(r.stderr).toContain(`; if that run is gone, remove ${join(dir, LOCK_FILE)}\n`);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('a file at the lock\'s name that coordgap did not write is left alone and refused', async () => {
    const dir = out();
    writeFileSync(join(dir, LOCK_FILE), 'not json');
    const r = await runCli(RUN(dir), PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('which is not a lock coordgap wrote');
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe('not json');
  });
});
