/**
 * The Chromium that the browser checks drive with playwright-core, which
 * never downloads a browser: $COORDGAP_CHROMIUM when set, else the first
 * `chromium` or `chromium-browser` on PATH or in /usr/bin (where Debian's
 * `chromium` package installs it; .ci/run installs that package). Shared by
 * reports/what-if.browser.test.ts and scripts/bench-what-if.ts; the rules are
 * reports/browser.test.ts's.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The browser's path, or undefined when there is none (or $COORDGAP_CHROMIUM names a missing file). */
export function findChromium(): string | undefined {
  const chosen = process.env.COORDGAP_CHROMIUM;
  if (chosen !== undefined && chosen !== '') return existsSync(chosen) ? chosen : undefined;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/bin']) for (const name of ['chromium', 'chromium-browser']) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** Headless in a container: no sandbox, no GPU, and nothing that phones home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Why `what` did not run in a browser and how to run it, for whoever reads the output. */
export function noChromiumNotice(what: string, checks: string, rerun: string): string {
  const chosen = process.env.COORDGAP_CHROMIUM;
  const looked = chosen ? `COORDGAP_CHROMIUM=${chosen} does not exist` : 'no chromium or chromium-browser on PATH or in /usr/bin';
  return [
    `${what}: SKIPPED – ${looked}.`,
    `  ${checks}`,
    '  To run them: sudo apt-get install chromium   (Debian/Ubuntu; .ci/run installs it the same way –',
    '  playwright-core never downloads a browser), or set COORDGAP_CHROMIUM to a Chromium binary; then',
    `  ${rerun}`,
    '',
  ].join('\n');
}
