/**
 * The browser builds of vega, vega-lite and vega-embed, read from
 * node_modules so the HTML page can inline them and work offline. The
 * packages' export maps block deep imports ("vega/build/vega.min.js" and
 * even "vega/package.json" are not exported), so each package's entry is
 * resolved, its package.json found above it, and the file its `jsdelivr`
 * (or `unpkg`) field names – the UMD build those CDNs serve – read from disk.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const BUNDLED_PACKAGES = ['vega', 'vega-lite', 'vega-embed'] as const;
export type BundledPackage = (typeof BUNDLED_PACKAGES)[number];

export interface Bundle {
  name: BundledPackage;
  version: string;
  /** Path relative to the package root, e.g. "build/vega.min.js". */
  file: string;
  code: string;
}

const require = createRequire(import.meta.url);
const cache = new Map<BundledPackage, Bundle>();

function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${name} above ${require.resolve(name)}`);
    dir = parent;
  }
}

/**
 * One package's browser build (read once per process).
 * @throws Error naming the package when it is not installed or names no browser build.
 */
export function browserBundle(name: BundledPackage): Bundle {
  const cached = cache.get(name);
  if (cached) return cached;
  const root = packageRoot(name);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; jsdelivr?: string; unpkg?: string };
  const file = pkg.jsdelivr ?? pkg.unpkg;
  if (!file) throw new Error(`${name} ${pkg.version}: its package.json names no browser build (no "jsdelivr" or "unpkg" field)`);
  const bundle: Bundle = { name, version: pkg.version, file: file.replace(/^\.\//, ''), code: readFileSync(join(root, file), 'utf8') };
  cache.set(name, bundle);
  return bundle;
}

/** vega, vega-lite, vega-embed: the order the page must load them in (vega-embed expects the other two as globals). */
export function browserBundles(): Bundle[] {
  return BUNDLED_PACKAGES.map(browserBundle);
}
