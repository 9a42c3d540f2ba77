/**
 * A --out the file system refuses is an environment error: exit 2 with the
 * path and the OS's reason, nothing left behind, and a rerun accepts what the
 * failed run wrote (issue 12.15).
 *
 * Tests run as root here, and root ignores permission bits, so a chmod'ed
 * read-only directory would not fail: the refusals below come from paths
 * even root cannot write (/proc/self), a file used as a directory, a
 * directory where a file must go, and a real "file too large" (EFBIG) from
 * RLIMIT_FSIZE in a child process – the same write failure a full disk
 * (ENOSPC) gives, without needing a full disk.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { lockOutDir, LOCK_FILE } from './out-lock.js';
import { STATE_FILE } from '../experiments/checkpoint.js';
import { fintechComparison } from '../reports/fixtures/load.js';
import { compiledModuleUrl } from '../bench/compiled-path.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
const RUN = ['run', SIX_STEP, '--requests', '2000', '--threads', '1'];
const FAILING_WORKER = compiledModuleUrl(import.meta.url, './test-fixtures/failing-worker.js');

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'coordgap-outerr-'));
}

/** Every file under `root`, relative, sorted. */
function tree(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
}

describe('--out the file system refuses: exit 2, path and reason, nothing left', () => {
  it('/proc/self (no one may create files there): refused before the run', async () => {
    const r = await runCli([...RUN, '--out', '/proc/self'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coordgap: cannot .*\/proc\/self.*: E[A-Z]+ \(.+\)\n$/);
  });

  it('a file used as a directory (--out file/sub): refused before the run', async () => {
    const d = dir();
    writeFileSync(join(d, 'file'), 'x');
    const r = await runCli([...RUN, '--out', join(d, 'file', 'sub')], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a directory/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('a directory named results.json, even with --force: refused before the run, nothing written', async () => {
    const d = dir();
    mkdirSync(join(d, 'results.json'));
    // Its variant's tasks fail in the test worker: had anything been simulated, the run would say so (exit 3).
    writeFileSync(join(d, 's.yaml'), `name: s\nseed: 1\nrequests: 500\narrivals: { kind: poisson, rate: 10/s }\npools:\n  cpu: { servers: 2 }\nstages:\n  - { id: a, pool: cpu, latency: 4ms }\nvariants:\n  - { name: boom, kind: coordination, patch: { seed: 2 } }\n`);
    const r = await runCli(['compare', 's.yaml', '--threads', '2', '--replications', '2', '--out', d, '--force'], d, FAILING_WORKER);
    expect(r.stderr).toBe(`coordgap: cannot write ${join(d, 'results.json')}: EISDIR (it is a directory)\n`);
    expect(r.code).toBe(2);
    expect(tree(d)).toEqual(['results.json', 's.yaml']);
  });

  it.runIf(process.platform === 'linux')('a write that fails half-way (EFBIG, as a full disk would): exit 2 naming the file, no temporary files, and a rerun accepts its own files', () => {
    const d = dir();
    writeFileSync(join(d, 'r.json'), JSON.stringify(fintechComparison()));
    const cli = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');
    // index.html is ~850 KB; a 512 KiB file size limit lets report.md through and stops index.html.
    const limited = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 512; exec "${process.execPath}" "${cli}" report --from r.json --out o`], { cwd: d, encoding: 'utf8' });
    expect(limited.stderr).toBe(`coordgap: cannot write ${join(d, 'o', 'index.html')}: EFBIG (file too large)\n`);
    expect(limited.status).toBe(2);
    expect(tree(join(d, 'o')).filter((f) => f.endsWith('.tmp') || f.includes(LOCK_FILE))).toEqual([]);
    const rerun = spawnSync(process.execPath, [cli, 'report', '--from', 'r.json', '--out', 'o'], { cwd: d, encoding: 'utf8' });
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    expect(existsSync(join(d, 'o', 'index.html'))).toBe(true);
  });

  it('a run refused after its --out was created leaves no empty folders behind', async () => {
    const d = dir();
    const lock = await lockOutDir(join(d, 'a', 'b', 'c'));
    expect(existsSync(join(d, 'a', 'b', 'c', LOCK_FILE))).toBe(true);
    await lock.release();
    expect(tree(d)).toEqual([]);
    // A folder holding something (an interrupted run's state) stays.
    const kept = await lockOutDir(join(d, 'x'));
    writeFileSync(join(d, 'x', STATE_FILE), '{}');
    await kept.release();
    expect(tree(d)).toEqual(['x', join('x', STATE_FILE)]);
  });
});
