/**
 * Vitest global setup: every test's temporary folder goes under
 * out/test-tmp/<run> (gitignored, with everything else generated at run time)
 * instead of the OS temp directory, and the run's folder is removed when the
 * run ends – ~80 tests make folders with mkdtemp(tmpdir()) and left them all
 * behind. os.tmpdir() reads TMPDIR at each call, and the test workers are
 * started after this runs, so they inherit it (vitest's default pool forks
 * child processes with this process's environment).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): () => void {
  const root = fileURLToPath(new URL('out/test-tmp/', import.meta.url));
  mkdirSync(root, { recursive: true });
  const run = mkdtempSync(join(root, 'run-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = run;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(run, { recursive: true, force: true });
  };
}
