/**
 * The simulator's browser bundle, as `npm run build` leaves it
 * (scripts/build-browser.ts): dist/browser/what-if-worker.js in the package,
 * read once per process so the what-if section can inline it. The report
 * reads it from the package, whether this file runs from the sources
 * (vitest) or from dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'coordgap') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the coordgap package.json above reports/what-if-bundle');
    dir = parent;
  }
}

/** Where `npm run build` writes the bundle (scripts/build-browser.ts WHAT_IF_WORKER_OUT). */
export const WHAT_IF_WORKER_FILE = join(packageRoot(), 'dist', 'browser', 'what-if-worker.js');

let cached: string | undefined;

/**
 * The worker bundle's code.
 * @throws Error naming the file and the command that makes it, when it is missing.
 */
export function whatIfWorkerCode(): string {
  if (cached !== undefined) return cached;
  if (!existsSync(WHAT_IF_WORKER_FILE))
    throw new Error(`the what-if page needs the simulator's browser bundle, ${WHAT_IF_WORKER_FILE}, which is missing: run npm run build (it bundles the simulator with esbuild after tsc)`);
  cached = readFileSync(WHAT_IF_WORKER_FILE, 'utf8');
  return cached;
}
