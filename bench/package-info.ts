/** Versions and folders of installed packages, read from node_modules without importing them. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Folder of an installed package, found by walking up from this file through
 * node_modules folders (works even when the package's `exports` hide its
 * package.json from `require.resolve`). Null when not installed.
 */
export function packageDir(name: string): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The installed version of a package, or "unknown". */
export function packageVersion(name: string): string {
  const dir = packageDir(name);
  if (!dir) return 'unknown';
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
