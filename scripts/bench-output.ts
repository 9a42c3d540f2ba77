/**
 * Where profiles go and how they are written: through experiments/safe-files.ts
 * (an exclusive temporary file with a random name, then a rename; never through
 * a link), and never over an existing file without --force.
 */
import { lstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assertReplaceable, ensureDirectory, fsError, replaceFile } from '../experiments/safe-files.js';
import { UsageError } from '../experiments/usage-error.js';

/** The refusal to overwrite, distinguishable from I/O failures (exit 2 like any usage error). */
export class OutputExistsError extends UsageError {
  constructor(readonly path: string) {
    super(`${path} already exists; pass --force to overwrite it`);
    this.name = 'OutputExistsError';
  }
}

/** `out/bench/profile-<host>-<YYYYMMDD-HHMMSS>.json` (UTC). */
export function defaultProfilePath(hostname: string, at: Date): string {
  const host = hostname.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'host';
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `out/bench/profile-${host}-${stamp}.json`;
}

/**
 * Whether a profile may be written to `path`: without `force`, nothing may be
 * there (a link counts, dangling or not); with it, only a regular file may be
 * replaced. Run before measuring, so minutes of work are not lost to a refusal.
 * @throws OutputExistsError, or FileSystemError naming the path and the reason.
 */
export async function checkProfileTarget(path: string, force: boolean): Promise<void> {
  if (!force) {
    const found = await lstat(path).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false;
        throw fsError('inspect', path, e);
      },
    );
    if (found) throw new OutputExistsError(path);
  }
  await assertReplaceable(path);
}

/**
 * Writes `text` to `path` with safe-files' replaceFile, creating the folder,
 * so readers never see half a profile and nothing is written through a link.
 * Without `force` the check runs again just before the write; a file created
 * in the moment between that check and the rename would still be replaced.
 * @throws OutputExistsError when something is at `path` and `force` is false;
 *   FileSystemError when the path cannot be written (it names the path and why).
 */
export async function writeFileAtomic(path: string, text: string, force: boolean): Promise<void> {
  await checkProfileTarget(path, force);
  await ensureDirectory(dirname(path));
  await replaceFile(path, text);
}
