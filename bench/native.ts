/**
 * Loading the optional native addon (hnswlib-node) and reporting how it was
 * built. The addon is an optionalDependency: where it cannot be compiled the
 * HNSW kernels are skipped with a notice and everything else still runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir, packageVersion } from './package-info.js';

/** The hnswlib-node API as typed by the package. */
export type Hnswlib = typeof import('hnswlib-node');

/** Outcome of trying to load the addon. */
export type NativeLoad = { readonly ok: true; readonly lib: Hnswlib } | { readonly ok: false; readonly reason: string };

/** Set to 1 to behave as if the addon were missing (tests, troubleshooting). */
export const DISABLE_NATIVE_ENV = 'COORDGAP_BENCH_DISABLE_NATIVE';

let cached: Promise<NativeLoad> | undefined;

/** Loads hnswlib-node once per isolate; never throws. */
export function loadHnswlib(): Promise<NativeLoad> {
  cached ??= (async (): Promise<NativeLoad> => {
    if (process.env[DISABLE_NATIVE_ENV] === '1') return { ok: false, reason: `disabled by ${DISABLE_NATIVE_ENV}=1` };
    try {
      const mod = (await import('hnswlib-node')) as unknown as Hnswlib & { default?: Hnswlib };
      const lib = mod.default ?? mod;
      if (typeof lib.HierarchicalNSW !== 'function') return { ok: false, reason: 'hnswlib-node loaded but exports no HierarchicalNSW' };
      return { ok: true, lib };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { ok: false, reason: `hnswlib-node could not be loaded (${message}); install build tools (python3, make, a C++ compiler) and run npm rebuild hnswlib-node` };
    }
  })();
  return cached;
}

/** How a native addon was compiled, as far as its build files tell. */
export interface AddonBuildInfo {
  readonly name: string;
  readonly version: string | null;
  readonly loaded: boolean;
  /** Highest x86 SIMD level the compiler was allowed to use. */
  readonly simd: 'avx512' | 'avx2' | 'avx' | 'sse' | 'unknown';
  readonly note: string;
}

/**
 * hnswlib picks its distance kernels at compile time (`__SSE__`, `__AVX__`,
 * `__AVX512F__` in hnswlib/space_ip.h), so the level is read from the release
 * CFLAGS node-gyp used. Without -march flags an x86-64 build gets SSE only,
 * whatever the CPU supports; with -march=native it gets `marchNative` (the
 * build machine's level, which the caller knows when building here).
 */
export function describeHnswlibBuild(loaded: boolean, marchNative: AddonBuildInfo['simd'] = 'unknown'): AddonBuildInfo {
  const base = { name: 'hnswlib-node', loaded };
  const packageFolder = packageDir('hnswlib-node');
  if (!packageFolder) return { ...base, version: null, simd: 'unknown', note: 'package not installed' };
  const version = packageVersion('hnswlib-node');
  let makefile: string;
  try {
    makefile = readFileSync(join(packageFolder, 'build', 'addon.target.mk'), 'utf8');
  } catch {
    return { ...base, version, simd: 'unknown', note: 'no build/addon.target.mk (prebuilt or non-gyp build)' };
  }
  const release = /CFLAGS_Release :=([\s\S]*?)\n\n/.exec(makefile)?.[1] ?? '';
  const cc = /CFLAGS_CC_Release :=([\s\S]*?)\n\n/.exec(makefile)?.[1] ?? '';
  const flags = `${release} ${cc}`;
  const simd = /-march=native/.test(flags) ? marchNative : /-mavx512f/.test(flags) ? 'avx512' : /-mavx2/.test(flags) ? 'avx2' : /-mavx\b/.test(flags) ? 'avx' : 'sse';
  return { ...base, version, simd, note: simd === 'sse' ? 'built without -march/-mavx flags: hnswlib uses its SSE kernels' : `built with ${simd} flags` };
}
