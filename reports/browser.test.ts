/**
 * The report in a real browser: Debian's chromium (headless, driven by
 * playwright-core) opens index.html from a localhost server started here and
 * must draw every chart with marks, log no console error and request nothing
 * but the page itself, and lay out on a 1400 px screen and a 390 px phone.
 * Without chromium it is skipped and says so on stderr, with how to install it
 * (.ci/run installs Debian's `chromium` package).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportInput } from '../experiments/report-input.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, dirname, extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildReport } from './index.js';
import { fullInput } from './fixtures/load.js';

/**
 * The browser: $COORDGAP_CHROMIUM when set, else the first `chromium` or
 * `chromium-browser` on PATH or in /usr/bin (where Debian installs it).
 */
function findChromium(): string | undefined {
  const chosen = process.env.COORDGAP_CHROMIUM;
  if (chosen !== undefined && chosen !== '') return existsSync(chosen) ? chosen : undefined;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/bin']) for (const name of ['chromium', 'chromium-browser']) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

const CHROMIUM = findChromium();

/** Why the browser checks did not run and how to run them, for whoever reads the test output. */
function skipNotice(chosen: string | undefined): string {
  const looked = chosen ? `COORDGAP_CHROMIUM=${chosen} does not exist` : 'no chromium or chromium-browser on PATH or in /usr/bin';
  return [
    `reports/browser.test.ts: SKIPPED – ${looked}.`,
    '  The HTML report was not checked in a browser (charts drawn, no network request, layout at 390 and 1400 px).',
    "  To run these checks: sudo apt-get install chromium   (Debian/Ubuntu; .ci/run installs it the same way –",
    '  playwright-core never downloads a browser), or set COORDGAP_CHROMIUM to a Chromium binary; then',
    '  npx vitest run reports/browser.test.ts',
    '',
  ].join('\n');
}

if (CHROMIUM === undefined) process.stderr.write(skipNotice(process.env.COORDGAP_CHROMIUM));
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'];
/** Page-side scripts, as strings: this project compiles without the DOM library. */
const WAIT_FOR_CHARTS = 'window.coordgapReady';
/** Per chart container: whether vega-embed finished, and how many mark items its SVG holds. */
const COUNT_MARKS = `Object.fromEntries([...document.querySelectorAll('[data-chart]')].map((el) =>
  [el.dataset.chart, { rendered: el.dataset.rendered, marks: el.querySelectorAll('svg .role-mark > *').length }]))`;
/**
 * The page's width, each table's scroll box (its scroll and client widths, the
 * right edge of its last header cell), and every caption, heading, summary
 * line and chart whose right edge lies past the window (cut off).
 */
const LAYOUT = `(() => {
  const right = (el) => Math.ceil(el.getBoundingClientRect().right);
  const vw = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('.table')].map((t) => {
    const box = t.querySelector('.scroll');
    const heads = [...t.querySelectorAll('th')];
    return { caption: t.querySelector('.caption').textContent, scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, lastHeaderRight: right(heads[heads.length - 1]) };
  });
  const texts = [...document.querySelectorAll('h1, h2, h3, .provenance, .description, .summary li, .memo p, .memo li, .table .caption, .note, figcaption, .chart svg, footer')];
  const cutOff = texts.filter((el) => right(el) > vw).map((el) => el.tagName.toLowerCase() + ': ' + (el.textContent || '').slice(0, 60));
  return { pageWidth: document.scrollingElement.scrollWidth, tables, cutOff };
})()`;
interface Layout {
  pageWidth: number;
  tables: { caption: string; scrollWidth: number; clientWidth: number; lastHeaderRight: number }[];
  cutOff: string[];
}
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.csv': 'text/csv', '.md': 'text/markdown' };

describe.skipIf(CHROMIUM === undefined)('the HTML report in chromium (skipped without chromium: sudo apt-get install chromium, as .ci/run does)', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let base: string;
  let chartNames: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coordgap-report-'));
    const report = await buildReport(fullInput());
    for (const [path, contents] of Object.entries(report.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), contents);
    }
    chartNames = Object.keys(report.files).filter((p) => p.endsWith('.vl.json')).map((p) => p.slice('charts/'.length, -'.vl.json'.length));
    server = createServer((req, res) => {
      const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)));
      if (!path.startsWith(dir + sep) || !existsSync(path)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart with marks, logs no error and requests nothing but the page', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${base}/index.html`, { waitUntil: 'load' });
    await page.evaluate(WAIT_FOR_CHARTS);

    const marks = (await page.evaluate(COUNT_MARKS)) as Record<string, { rendered: string; marks: number }>;
    expect(Object.keys(marks).sort()).toEqual([...chartNames].sort());
    for (const [name, m] of Object.entries(marks)) {
      expect(m.rendered, name).toBe('true');
      expect(m.marks, `${name}: marks drawn`).toBeGreaterThan(0);
    }
    expect(problems).toEqual([]);
    const offPage = requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:') && !u.startsWith('file:'));
    expect(offPage).toEqual([]);
    expect(requests.filter((u) => u.startsWith(`${base}/`))).toEqual([`${base}/index.html`]);

    mkdirSync('out', { recursive: true });
    await page.screenshot({ path: join('out', 'report-browser.png'), fullPage: true });
    await page.screenshot({ path: join('out', 'report-browser-first-screen.png') });
    await page.close();
  });

  it('at 1400 px every table shows all its columns without scrolling, and nothing is wider than the window', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/index.html`, { waitUntil: 'load' });
    await page.evaluate(WAIT_FOR_CHARTS);
    const layout = (await page.evaluate(LAYOUT)) as Layout;
    expect(layout.pageWidth).toBeLessThanOrEqual(1400);
    expect(layout.tables.length).toBeGreaterThan(5);
    for (const t of layout.tables) {
      expect(t.scrollWidth, `${t.caption}: columns hidden behind a scroll`).toBeLessThanOrEqual(t.clientWidth);
      expect(t.lastHeaderRight, `${t.caption}: last column`).toBeLessThanOrEqual(1400);
    }
    expect(layout.cutOff).toEqual([]);
    await page.close();
  });

  it('at 390 px (a phone) the page is no wider than the screen and no caption, heading or chart is cut off', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/index.html`, { waitUntil: 'load' });
    await page.evaluate(WAIT_FOR_CHARTS);
    const layout = (await page.evaluate(LAYOUT)) as Layout;
    expect(layout.pageWidth).toBeLessThanOrEqual(390);
    expect(layout.cutOff).toEqual([]);
    // A table too wide for a phone scrolls inside its own box, never the page.
    expect(layout.tables.some((t) => t.scrollWidth > t.clientWidth)).toBe(true);
    mkdirSync('out', { recursive: true });
    await page.screenshot({ path: join('out', 'report-browser-390px.png'), fullPage: true });
    await page.close();
  });

  it('the decision memo opens the page: at 1400 × 900 its answer is on the first screen, unscrolled; at 390 px it is no wider than the screen', async () => {
    // Where the memo's answer and its first line of text sit, and how wide the page and the memo are.
    const MEMO = `(() => {
      const answer = document.querySelector('#memo .answer');
      const range = document.createRange();
      range.selectNodeContents(answer);
      const first = range.getClientRects()[0];
      const memo = document.getElementById('memo').getBoundingClientRect();
      return { scrollY: window.scrollY, firstTop: first.top, firstBottom: first.bottom, answerBottom: answer.getBoundingClientRect().bottom, text: answer.textContent,
        memoRight: memo.right, pageWidth: document.scrollingElement.scrollWidth, firstInMain: document.querySelector('main').firstElementChild.id };
    })()`;
    interface MemoBox { scrollY: number; firstTop: number; firstBottom: number; answerBottom: number; text: string; memoRight: number; pageWidth: number; firstInMain: string }
    const desk = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await desk.goto(`${base}/index.html`, { waitUntil: 'load' });
    await desk.evaluate(WAIT_FOR_CHARTS);
    const d = (await desk.evaluate(MEMO)) as MemoBox;
    expect(d.firstInMain).toBe('memo');
    expect(d.text).toMatch(/^Buy recovery-layer: /);
    expect(d.scrollY).toBe(0);
    expect(d.firstTop).toBeGreaterThanOrEqual(0);
    expect(d.firstBottom).toBeLessThanOrEqual(900);
    // The whole answer, not only its first line, fits the first screen.
    expect(d.answerBottom).toBeLessThanOrEqual(900);
    mkdirSync('out', { recursive: true });
    await desk.screenshot({ path: join('out', 'report-browser-memo-1400x900.png') });
    await desk.close();
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${base}/index.html`, { waitUntil: 'load' });
    await phone.evaluate(WAIT_FOR_CHARTS);
    const p = (await phone.evaluate(MEMO)) as MemoBox;
    expect(p.pageWidth).toBeLessThanOrEqual(390);
    expect(p.memoRight).toBeLessThanOrEqual(390);
    expect(p.firstBottom).toBeLessThanOrEqual(844);
    await phone.close();
  });

  it('opened from disk (file://), a report about a hostile scenario runs none of its names as code', async () => {
    const evil = '<img src=x onerror="window.pwned=1">';
    const c = fullInput().comparison;
    const comparison = { baseline: { ...c.baseline, scenario: '<script>window.pwned=2</script>' }, variants: c.variants.map((v, i) => (i === 0 ? { ...v, name: evil } : v)) };
    const report = await buildReport(reportInput({ comparison }));
    const hostileDir = join(dir, 'hostile');
    for (const [path, contents] of Object.entries(report.files)) {
      mkdirSync(dirname(join(hostileDir, path)), { recursive: true });
      writeFileSync(join(hostileDir, path), contents);
    }
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(hostileDir, 'index.html')).href, { waitUntil: 'load' });
    await page.evaluate(WAIT_FOR_CHARTS);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('h1').textContent()).toBe('<script>window.pwned=2</script>: compute speedups vs coordination fixes');
    expect(await page.locator('img').count()).toBe(0);
    // The variant's name reaches the chart as SVG text.
    expect(await page.locator('#chart-compute-vs-coordination svg text', { hasText: evil }).count()).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith('file://') || u.startsWith('data:'))).toBe(true);
    await page.close();
  });

  it('shows a tooltip when the pointer is over a mark', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${base}/index.html`, { waitUntil: 'load' });
    await page.evaluate(WAIT_FOR_CHARTS);
    const point = page.locator('#chart-compute-vs-coordination svg .role-mark.mark-symbol path').first();
    await point.hover({ force: true });
    await expect.poll(() => page.locator('#vg-tooltip-element.visible').textContent(), { timeout: 5000 }).toContain('Δ task success');
    await page.close();
  });
});
