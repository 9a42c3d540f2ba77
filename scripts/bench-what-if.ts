/**
 * How long the HTML report's what-if page takes to answer a moved control,
 * in Chromium: `npm run bench:what-if [-- REPORT.html]`. Without a report it
 * writes one for the headline scenario (`coordgap demo`'s,
 * scenarios/fintech-underwriting.yaml) into a temp folder. For each sample
 * size the page offers it changes a stage's error rate RUNS times and prints
 * the median and range of
 *
 * - the run: from the request posted to the worker to its answer (the page's
 *   own measurement, data-elapsed-ms), and
 * - the whole re-run: from the control's input event to the figures redrawn,
 *   which includes the page's 250 ms debounce.
 *
 * A benchmark, not a test: it prints figures and asserts nothing (DESIGN.md
 * "Benchmarks vs tests"). Needs chromium (scripts/find-chromium.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium, noChromiumNotice } from './find-chromium.js';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const RUNS = 7;
const CONTROL = 'stages.bureau.faults.error';

/** Changes control `index` to `value` as a reader's typing does and resolves when the figures are redrawn: both times in ms. */
const MOVE = (index: number, value: number) => `new Promise((resolve) => {
  const root = document.getElementById('what-if');
  const input = root.querySelector('input[type="number"][data-control="${index}"]');
  const before = root.dataset.runs;
  const t0 = performance.now();
  const watch = new MutationObserver(() => {
    if (root.dataset.runs !== before && root.dataset.state === 'done') {
      watch.disconnect();
      resolve({ totalMs: performance.now() - t0, runMs: Number(root.dataset.elapsedMs) });
    }
  });
  watch.observe(root, { attributes: true });
  input.value = '${value}';
  input.dispatchEvent(new Event('input', { bubbles: true }));
})`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    process.stderr.write(noChromiumNotice('bench:what-if', 'No figures: the what-if page runs in a browser.', 'npm run bench:what-if'));
    process.exitCode = 2;
    return;
  }
  let html = process.argv[2];
  let temp: string | undefined;
  if (html === undefined) {
    temp = mkdtempSync(join(tmpdir(), 'coordgap-bench-what-if-'));
    const out = await runCli(['report', join('scenarios', 'fintech-underwriting.yaml'), '--out', temp, '--no-sensitivity', '--no-study'], PACKAGE_ROOT);
    if (out.code > 1) throw new Error(`coordgap report failed: ${out.stderr}`);
    html = join(temp, 'index.html');
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });
    const state = () => page.evaluate(`document.getElementById('what-if').dataset.state`) as Promise<string>;
    while ((await state()) !== 'done') await new Promise((r) => setTimeout(r, 20));
    const [index, value, requestChoices] = (await page.evaluate(`(() => { const d = JSON.parse(document.getElementById('coordgap-what-if').textContent);
      const i = d.controls.findIndex((c) => c.path === '${CONTROL}'); return [i, d.controls[i].value, d.requestChoices]; })()`)) as [number, number, number[]];
    const browserVersion = browser.version();
    process.stdout.write(`what-if re-run in Chromium ${browserVersion}, ${html}: ${CONTROL} moved ${RUNS} times per sample size\n`);
    process.stdout.write('requests   run in the worker: median (min–max)   control → figures redrawn, with the 250 ms debounce: median (min–max)\n');
    for (const requests of requestChoices) {
      // The scenario as written at this size first: the page compares every change with it (one run, not timed here).
      await page.locator(`#what-if input[name="wi-requests"][value="${requests}"]`).check();
      const shown = `(() => { const d = document.getElementById('what-if').dataset; return d.state === 'done' && (d.sets || '').includes('"requests=${requests}"'); })()`;
      while (!((await page.evaluate(shown)) as boolean)) await new Promise((r) => setTimeout(r, 20));
      const runs: { totalMs: number; runMs: number }[] = [];
      for (let i = 0; i < RUNS; i++) runs.push((await page.evaluate(MOVE(index, Number((value + 0.001 * (i + 1)).toFixed(3))))) as { totalMs: number; runMs: number });
      const run = runs.map((r) => r.runMs);
      const total = runs.map((r) => r.totalMs);
      const fmt = (xs: number[]) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
      process.stdout.write(`${requests.toLocaleString('en-US').padStart(8)}   ${fmt(run).padEnd(36)}  ${fmt(total)}\n`);
    }
  } finally {
    await browser.close();
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:what-if: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
