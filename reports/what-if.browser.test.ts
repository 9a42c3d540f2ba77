/**
 * The "What if" section in a real browser: Debian's chromium (headless,
 * driven by playwright-core) opens a report that `coordgap report` wrote –
 * from disk (file://), as a reader opens it – and its figures must be those
 * of `coordgap run FILE --json` with the seed, sample and overrides the page
 * shows, number for number; moving a control re-runs the simulation, a run
 * in flight gives way to a newer one, a bad value shows the CLI's message;
 * no console error, no eval (the CSP would refuse it and the worker says so),
 * no request beyond the page and its worker's blob, nothing wider than a
 * 390 px screen. Without chromium it is skipped and says so on stderr.
 *
 * The simulator's bundle is built from the sources first (the build step of
 * `npm run build`), so the page runs the code this test's CLI runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../scripts/test-support.js';
import { buildWhatIfWorker } from '../scripts/build-browser.js';
import { CHROMIUM_ARGS, findChromium, noChromiumNotice } from '../scripts/find-chromium.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { int, ms, pct, pp, usd } from './format.js';

const CHROMIUM = findChromium();
if (CHROMIUM === undefined)
  process.stderr.write(
    noChromiumNotice(
      'reports/what-if.browser.test.ts',
      'The what-if section was not checked in a browser (figures equal to the CLI, re-runs, no eval, no network, layout at 390 px).',
      'npx vitest run reports/what-if.browser.test.ts',
    ),
  );

/** A small bundled scenario with a graph, a hardware config and a measured kernel; the report's own --sets give it a catch rate and a retry limit to control. */
const FILE = 'scenarios/retrieve-analyze-escalate.yaml';
const REPORT_SETS = ['stages.analyze.validate.catchRate=0.9', 'stages.retrieve.retry.maxAttempts=2'];

/** Page-side expressions, as strings: this project compiles without the DOM library. */
const STATE = `(() => { const s = document.getElementById('what-if').dataset; return { state: s.state, runs: Number(s.runs || 0), cancelled: Number(s.cancelled || 0),
  sets: s.sets ? JSON.parse(s.sets) : null, running: s.runningSets ? JSON.parse(s.runningSets) : null }; })()`;
const FIGURES = `Object.fromEntries([...document.querySelectorAll('#what-if [data-figure]')].map((el) => [el.dataset.figure, {
  value: JSON.parse(el.dataset.value), text: el.querySelector('.wi-value').textContent, note: el.querySelector('.wi-note').textContent, delta: el.querySelector('.wi-delta').textContent }]))`;
/** Every element of the section whose right edge lies past the window, and the page's width. */
const OVERFLOW = `(() => {
  const vw = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll('#what-if *')].filter((el) => el.getClientRects().length > 0 && Math.ceil(el.getBoundingClientRect().right) > vw)
    .map((el) => el.tagName.toLowerCase() + '.' + el.className + ': ' + (el.textContent || '').slice(0, 40));
  return { pageWidth: document.scrollingElement.scrollWidth, out };
})()`;

interface Shown {
  value: unknown;
  text: string;
  note: string;
  delta: string;
}
type Figures = Record<'successRate' | 'silentFailureRate' | 'latencyMs' | 'spendUsd' | 'totalCostUsd' | 'requests', Shown>;
interface RunDoc {
  requests: number;
  replications: number;
  seed: number | string;
  outcomes: { silentFailure: number };
  successRate: { estimate: number; ci95: [number, number] };
  silentFailureRate: { estimate: number; ci95: [number, number] };
  latencyMs: { p50: number; p95: number; p99: number };
  costUsd: { perRequest: number; perSuccess: number | null; spend: { perRequest: number; perSuccess: number | null }; assumedPenalty: { perSilentFailure: number } };
  [key: string]: unknown;
}

/** `coordgap run FILE --json` with the report's own --sets and then `sets`, in-process. */
async function cliRun(requests: number, sets: readonly string[]): Promise<RunDoc> {
  const args = ['run', FILE, '--json', '--seed', '1', '--requests', String(requests), ...[...REPORT_SETS, ...sets].flatMap((s) => ['--set', s])];
  const out = await runCli(args, PACKAGE_ROOT);
  // 1: the scenario's thresholds fail (it is written to), which changes no figure.
  expect([0, 1], out.stderr).toContain(out.code);
  return JSON.parse(out.stdout) as RunDoc;
}

/**
 * Where two results differ beyond what two JavaScript engines' Math libraries
 * allow: every count (an integer) must be equal, and every other number equal
 * to 12 significant digits. Chromium 156's V8 and Node 20's round Math.log,
 * Math.exp and Math.pow differently in the last bit for 5–10 % of arguments
 * (measured: 958 of 20,000 log and 1,956 of 20,000 pow results differ, 1 ulp),
 * and the simulator draws latencies and places histogram buckets with them, so
 * a sum of draws (a mean, a busy time, a cost) or a bucket's quantile can
 * differ in its 16th digit. No decision in the run depends on that bit: the
 * outcomes, counts and intervals are the same, and so is every figure as printed.
 */
function differences(actual: unknown, expected: unknown, path = 'result'): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) return [];
    const close = !Number.isInteger(expected) && Math.abs(actual - expected) <= 1e-12 * Math.max(Math.abs(actual), Math.abs(expected));
    return close ? [] : [`${path}: ${actual} in the page, ${expected} from the CLI`];
  }
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((k) => differences((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return actual === expected ? [] : [`${path}: ${JSON.stringify(actual)} in the page, ${JSON.stringify(expected)} from the CLI`];
}

/** The page's figures are the CLI's: counts and rates exactly, the rest as differences() allows, the text as reports/format.ts writes it. */
async function expectCliFigures(page: Page, doc: RunDoc): Promise<void> {
  const f = (await page.evaluate(FIGURES)) as Figures;
  // Rates and their Wilson intervals come from counts (and a square root, which IEEE 754 rounds one way): bit for bit.
  expect(f.successRate.value).toEqual(doc.successRate);
  expect(f.silentFailureRate.value).toEqual(doc.silentFailureRate);
  expect(f.requests.value).toEqual({ requests: doc.requests, replications: doc.replications, seed: doc.seed });
  expect(differences(f.latencyMs.value, { p50: doc.latencyMs.p50, p95: doc.latencyMs.p95, p99: doc.latencyMs.p99 }, 'latencyMs')).toEqual([]);
  expect(differences(f.spendUsd.value, { perRequest: doc.costUsd.spend.perRequest, perSuccess: doc.costUsd.spend.perSuccess }, 'spend')).toEqual([]);
  expect(
    differences(f.totalCostUsd.value, { perRequest: doc.costUsd.perRequest, perSuccess: doc.costUsd.perSuccess, perSilentFailure: doc.costUsd.assumedPenalty.perSilentFailure }, 'total'),
  ).toEqual([]);
  // As printed, every figure is the CLI's.
  expect(f.successRate.text).toBe(pct(doc.successRate.estimate));
  expect(f.successRate.note).toBe(`95 % interval ${pct(doc.successRate.ci95[0])} – ${pct(doc.successRate.ci95[1])}`);
  expect(f.silentFailureRate.text).toBe(pct(doc.silentFailureRate.estimate));
  expect(f.silentFailureRate.note).toBe(`95 % interval ${pct(doc.silentFailureRate.ci95[0])} – ${pct(doc.silentFailureRate.ci95[1])} · ${int(doc.outcomes.silentFailure)} requests`);
  expect(f.latencyMs.text).toBe(`${ms(doc.latencyMs.p50)} / ${ms(doc.latencyMs.p95)} / ${ms(doc.latencyMs.p99)}`);
  expect(f.spendUsd.text).toBe(`${usd(doc.costUsd.spend.perRequest)} / ${usd(doc.costUsd.spend.perSuccess)}`);
  expect(f.totalCostUsd.text).toBe(`${usd(doc.costUsd.perRequest)} / ${usd(doc.costUsd.perSuccess)}`);
  expect(f.requests.text).toBe(int(doc.requests));
  // Every other figure of the run too: the page keeps its whole result.
  const { meta, thresholds, warnings, ...figures } = doc;
  void meta, void thresholds, void warnings;
  expect(differences(await page.evaluate(`JSON.parse(JSON.stringify(document.getElementById('what-if').coordgapResult))`), figures)).toEqual([]);
}

interface State {
  state: string;
  /** Runs shown, and runs ended unfinished. */
  runs: number;
  cancelled: number;
  /** The overrides of the figures shown, and of the run in flight. */
  sets: string[] | null;
  running: string[] | null;
}

/**
 * Polls `expression` in the page until `done` holds. By page.evaluate, which the page's CSP does not govern:
 * waitForFunction's string predicates are compiled with eval in the page, which the CSP refuses.
 */
async function until<T>(page: Page, expression: string, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = (await page.evaluate(expression)) as T;
    if (done(value)) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting on ${expression.slice(0, 80)}; last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the section has shown `runs` runs and is not running. */
const settled = (page: Page, runs: number): Promise<State> => until<State>(page, STATE, (s) => s.runs >= runs && s.state !== 'running');

/** The range slider and the number field of the control for `path`. */
async function control(page: Page, path: string) {
  const index = (await page.evaluate(`JSON.parse(document.getElementById('coordgap-what-if').textContent).controls.findIndex((c) => c.path === ${JSON.stringify(path)})`)) as number;
  expect(index, path).toBeGreaterThanOrEqual(0);
  return { range: page.locator(`#what-if input[type="range"][data-control="${index}"]`), number: page.locator(`#what-if input[type="number"][data-control="${index}"]`) };
}

const commandLine = (requests: number, sets: readonly string[]) =>
  ['coordgap run', FILE, '--seed 1', `--requests ${requests}`, ...[...REPORT_SETS, ...sets].map((s) => `--set ${s}`)].join(' ');

describe.skipIf(CHROMIUM === undefined)('the what-if section in chromium (skipped without chromium: sudo apt-get install chromium)', () => {
  let dir: string;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    await buildWhatIfWorker();
    dir = mkdtempSync(join(tmpdir(), 'coordgap-what-if-'));
    const out = await runCli(
      ['report', FILE, '--out', dir, '--requests', '1000', '--replications', '1', '--no-sensitivity', '--no-study', ...REPORT_SETS.flatMap((s) => ['--set', s])],
      PACKAGE_ROOT,
    );
    expect(out.code, out.stderr).toBe(0);
    url = pathToFileURL(join(dir, 'index.html')).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A page that records console errors and warnings, page errors, CSP violations in the document, every request and its workers. */
  async function open(width = 1400, initScript?: string) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    if (initScript !== undefined) await page.addInitScript(initScript);
    const problems: string[] = [];
    const requests: string[] = [];
    const workers = { started: 0, closed: 0 };
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('worker', (w) => {
      workers.started++;
      w.on('close', () => workers.closed++);
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems, requests, workers };
  }

  it('opens with the figures of coordgap run for the scenario as written, and the command line that gives them', async () => {
    const { page, problems, requests } = await open();
    const s = await settled(page, 1);
    expect(s.state).toBe('done');
    expect(s.sets).toEqual([...REPORT_SETS, 'seed=1', 'requests=10000']);
    await expectCliFigures(page, await cliRun(10_000, []));
    expect(await page.locator('#what-if .wi-cli').textContent()).toBe(commandLine(10_000, []));
    // Controls for what this scenario has: the report's catch rate and retry limit among them.
    expect(await (await control(page, 'stages.analyze.validate.catchRate')).number.inputValue()).toBe('0.9');
    expect(await (await control(page, 'stages.retrieve.retry.maxAttempts')).number.inputValue()).toBe('2');
    expect(problems).toEqual([]);
    // The page and its worker's blob: nothing else, and nothing over the network.
    expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('blob:null/'))).toEqual([]);
    await page.close();
  });

  it("moving a stage's error rate re-runs it: task success falls and equals coordgap run with that --set", async () => {
    const { page, problems, requests } = await open();
    await settled(page, 1);
    const before = (await page.evaluate(FIGURES)) as Figures;
    const { range } = await control(page, 'stages.analyze.faults.error');
    await range.focus();
    await range.press('End'); // the slider's maximum, 0.1
    const s = await settled(page, 2);
    const sets = ['stages.analyze.faults.error=0.1'];
    expect(s.sets).toEqual([...REPORT_SETS, ...sets, 'seed=1', 'requests=10000']);
    const after = (await page.evaluate(FIGURES)) as Figures;
    expect(after.successRate.text).not.toBe(before.successRate.text);
    const doc = await cliRun(10_000, sets);
    await expectCliFigures(page, doc);
    const asWritten = before.successRate.value as { estimate: number };
    expect(after.successRate.delta).toBe(`${pp(doc.successRate.estimate - asWritten.estimate)} vs as written`);
    expect(doc.successRate.estimate).toBeLessThan(asWritten.estimate);
    expect(await page.locator('#what-if .wi-cli').textContent()).toBe(commandLine(10_000, sets));
    // The outcome chart is redrawn: two bars (as written, with these settings), each stacked from the six outcomes.
    await page.waitForFunction(`Number(document.getElementById('what-if').getAttribute('data-chart-runs')) >= 2`);
    const arms = await page.locator('#what-if .wi-chart-view svg .mark-rect path').count();
    expect(arms).toBe(12);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('blob:null/'))).toEqual([]);
    await page.close();
  });

  it('a run still in flight gives way: its worker is ended and the figures are those of the last settings', async () => {
    // The run of error rate 0.05 is held on its way to the worker, so it is surely in flight when the next change comes.
    const HOLD = `(() => {
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (message) {
        if (message.sets.includes('stages.report.faults.error=0.05')) return;
        return post.call(this, message);
      };
    })()`;
    const { page, problems, workers } = await open(1400, HOLD);
    await settled(page, 1);
    const { number } = await control(page, 'stages.report.faults.error');
    await number.fill('0.05');
    const held = [...REPORT_SETS, 'stages.report.faults.error=0.05', 'seed=1', 'requests=10000'];
    await until<State>(page, STATE, (st) => st.state === 'running' && JSON.stringify(st.running) === JSON.stringify(held));
    await number.fill('0.07');
    await page.locator('#what-if input[name="wi-requests"][value="100000"]').check();
    const sets = ['stages.report.faults.error=0.07'];
    const last = [...REPORT_SETS, ...sets, 'seed=1', 'requests=100000'];
    const s = await until<State>(page, STATE, (st) => st.state !== 'running' && JSON.stringify(st.sets) === JSON.stringify(last));
    expect(s.state).toBe('done');
    expect(s.runs).toBe(2);
    await expectCliFigures(page, await cliRun(100_000, sets));
    // The busy worker was ended, not left to finish, and one new one started.
    expect(s.cancelled).toBe(1);
    expect(workers.started).toBe(2);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows the CLI's message for a value the scenario refuses, and goes back to the scenario as written", async () => {
    const { page, problems } = await open();
    const first = await settled(page, 1);
    const shown = (await page.evaluate(FIGURES)) as Figures;
    const { number } = await control(page, 'stages.analyze.faults.corruption');
    await number.fill('1.5');
    await until<State>(page, STATE, (st) => st.state === 'error');
    const message = await page.locator('#what-if .wi-error').textContent();
    const cli = await runCli(['run', FILE, '--requests', '10000', ...[...REPORT_SETS, 'stages.analyze.faults.corruption=1.5'].flatMap((s) => ['--set', s])], PACKAGE_ROOT);
    expect(cli.code).toBe(2);
    expect(message).toMatch(/^--set:1:1 stages\[1\]\.faults\.corruption: /);
    expect(cli.stderr).toContain(message);
    expect(await page.evaluate(FIGURES)).toEqual(shown);
    await page.locator('#what-if .wi-reset').click();
    const back = await settled(page, first.runs + 1);
    expect(back.state).toBe('done');
    expect(await page.locator('#what-if .wi-error').isHidden()).toBe(true);
    expect(await number.inputValue()).toBe('0.01');
    await expectCliFigures(page, await cliRun(10_000, []));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('at 390 px (a phone) the section is no wider than the screen', async () => {
    const { page } = await open(390);
    await settled(page, 1);
    const layout = (await page.evaluate(OVERFLOW)) as { pageWidth: number; out: string[] };
    expect(layout.pageWidth).toBeLessThanOrEqual(390);
    expect(layout.out).toEqual([]);
    mkdirSync(join(PACKAGE_ROOT, 'out'), { recursive: true });
    await page.locator('#what-if').screenshot({ path: join(PACKAGE_ROOT, 'out', 'what-if-390px.png') });
    await page.close();
  });
});
