/** Where profiles go and how they are written (atomically, never clobbering by accident). */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The refusal to overwrite, distinguishable from I/O failures. */
export class OutputExistsError extends Error {
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
 * Writes `text` to a temporary file beside `path`, then renames it into place,
 * so readers never see half a profile.
 * @throws OutputExistsError when `path` exists and `force` is false.
 */
export function writeFileAtomic(path: string, text: string, force: boolean): void {
  if (!force && existsSync(path)) throw new OutputExistsError(path);
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temp, text);
    if (!force && existsSync(path)) throw new OutputExistsError(path);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
