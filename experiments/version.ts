/** The tool's version, read from the package.json above this file (source or dist/). */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === 'coordgap') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the coordgap package.json');
    dir = parent;
  }
}

/** Root of the installed package (holds package.json, scenarios/, dist/). */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
