/**
 * Worker threads run JavaScript, so code running from TypeScript sources
 * (vitest) must hand Piscina the compiled file under dist/. `tsc` compiles with
 * rootDir "." and outDir "dist", so <root>/bench/worker.ts becomes
 * <root>/dist/bench/worker.js.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** tsconfig.json's outDir. */
const OUT_DIR = 'dist';

function projectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}; cannot locate the compiled ${OUT_DIR}/ tree`);
    dir = parent;
  }
}

/**
 * URL of a compiled module given relative to the caller.
 *
 * - Caller is compiled JavaScript (or anything under dist/): resolves next to it.
 * - Caller is a `.ts` source outside dist/: resolves the same relative path in
 *   `<root>/dist/<caller's folder>/`, root being the nearest folder with a package.json.
 *
 * @throws Error naming the missing file and telling the user to run `npm run build`.
 * @example compiledModuleUrl(import.meta.url, './worker.js') // in bench/harness.ts → <root>/dist/bench/worker.js
 */
export function compiledModuleUrl(importMetaUrl: string, relativeJsPath: string): URL {
  const callerPath = fileURLToPath(importMetaUrl);
  const callerDir = dirname(callerPath);
  const fromSource = /\.[cm]?ts$/.test(callerPath) && !callerPath.split(sep).includes(OUT_DIR);
  let target: string;
  if (fromSource) {
    const root = projectRoot(callerDir);
    target = resolve(root, OUT_DIR, relative(root, callerDir), relativeJsPath);
  } else {
    target = resolve(callerDir, relativeJsPath);
  }
  if (!existsSync(target)) {
    throw new Error(`compiled module ${target} not found: worker threads need the JavaScript build; run \`npm run build\` first`);
  }
  return pathToFileURL(target);
}
