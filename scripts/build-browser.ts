/**
 * Builds the simulator for the browser: experiments/what-if/worker.ts and
 * everything it imports from sim/, bundled by esbuild into one minified
 * classic-script file, dist/browser/what-if-worker.js, that the HTML report
 * inlines and starts as a Web Worker (reports/what-if.ts). Run by
 * `npm run build` (and so by `npm test` and `npm ci`'s prepare) after tsc:
 *
 *   node dist/scripts/build-browser.js
 *
 * Bundled at build time, not when a report is written: a report then only
 * reads a file (no bundler at run time, so esbuild stays a development
 * dependency and `coordgap report` stays as fast as it was), and every report
 * carries the same bytes. The bundle comes from the TypeScript sources, which
 * is what vitest runs too: the browser test compares the page against the
 * CLI run from the same code.
 *
 * One substitution: zod's namespace object carries every one of its ~50 error
 * message locales (`z.locales`, ~250 KB minified); nothing here uses one but
 * English, which zod installs itself (v4/classic/external.js `config(en())`),
 * so the bundle gets a locales module with `en` alone. Validation and its
 * messages are the same.
 */
import { build, type Plugin } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../experiments/version.js';

/** Where the report reads the bundle (reports/what-if-bundle.ts WHAT_IF_WORKER_FILE names the same place). */
export const WHAT_IF_WORKER_OUT = join(PACKAGE_ROOT, 'dist', 'browser', 'what-if-worker.js');
const ENTRY = join(PACKAGE_ROOT, 'experiments', 'what-if', 'worker.ts');

/** zod's locales barrel, as imported by zod itself, replaced by English alone (see the file comment). */
const englishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * Bundles the worker and returns its code.
 * @throws Error with esbuild's messages when the sources do not bundle (a Node built-in imported into sim/, say).
 */
export async function bundleWhatIfWorker(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    plugins: [englishOnly],
  });
  return result.outputFiles[0].text;
}

/** Bundles the worker into dist/browser/what-if-worker.js; returns its path and size in bytes. */
export async function buildWhatIfWorker(out = WHAT_IF_WORKER_OUT): Promise<{ path: string; bytes: number }> {
  const code = await bundleWhatIfWorker();
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, code);
  return { path: out, bytes: Buffer.byteLength(code) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildWhatIfWorker().then(
    ({ path, bytes }) => process.stdout.write(`browser bundle: ${path} (${(bytes / 1024).toFixed(0)} KB minified)\n`),
    (error: unknown) => {
      process.stderr.write(`build-browser: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
