import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type ReportFiles } from './index.js';
import { htmlReport } from './html.js';
import { markdownReport } from './markdown.js';
import { fullInput } from './fixtures/load.js';
import { browserBundles } from './bundles.js';
import { CONTENT_SECURITY_POLICY } from './html.js';
import { sections } from './sections.js';

/** The 8-byte PNG signature (PNG spec §5.2, https://www.w3.org/TR/png/#5PNG-file-signature). */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('buildReport with every input', () => {
  let report: ReportFiles;
  beforeAll(async () => {
    report = await buildReport(fullInput(), { png: true });
  });

  it('writes the report, the data and three files per chart', () => {
    const charts = ['compute-vs-coordination', 'outcomes', 'latency', 'where-it-leaks', 'reliability-vs-steps', 'what-to-fix-first', 'cost-vs-success', 'hardware-scaling', 'hardware-server', 'hardware-kernels'];
    expect(Object.keys(report.files).sort()).toEqual(
      ['report.md', 'index.html', 'memo.md', 'memo.html', 'results.json', 'results.csv', ...charts.flatMap((c) => [`charts/${c}.vl.json`, `charts/${c}.svg`, `charts/${c}.png`])].sort(),
    );
    expect(report.htmlPath).toBe('index.html');
  });

  it('PNGs are PNGs: the signature, an IHDR chunk, twice the SVG size', () => {
    for (const [path, png] of Object.entries(report.files).filter(([p]) => p.endsWith('.png'))) {
      expect(Buffer.isBuffer(png), path).toBe(true);
      const buf = png as Buffer;
      expect(buf.subarray(0, 8).equals(PNG_SIGNATURE), path).toBe(true);
      expect(buf.subarray(12, 16).toString('latin1'), path).toBe('IHDR');
      const svg = report.files[path.replace(/\.png$/, '.svg')] as string;
      const [, w, h] = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
      expect([buf.readUInt32BE(16), buf.readUInt32BE(20)], path).toEqual([2 * Number(w), 2 * Number(h)]);
    }
  });

  it('every file but the PNGs is the same, byte for byte, on a second build', async () => {
    const again = await buildReport(fullInput(), { png: true });
    for (const [path, contents] of Object.entries(report.files)) if (!path.endsWith('.png')) expect(again.files[path], path).toBe(contents);
  });

  it('draws PNGs only when asked: without them the Markdown shows the SVGs and neither page links a PNG', async () => {
    const plain = await buildReport(fullInput());
    const svgOnly = Object.keys(report.files).filter((p) => !p.endsWith('.png'));
    expect(Object.keys(plain.files).sort()).toEqual(svgOnly.sort());
    const md = plain.files['report.md'] as string;
    const images = [...md.matchAll(/!\[[^\]]*\]\((charts\/[^)]+)\)/g)].map((m) => m[1]);
    expect(images.sort()).toEqual(svgOnly.filter((p) => p.endsWith('.svg')).sort());
    const markup = (plain.files['index.html'] as string).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
    expect(md).not.toContain('.png');
    expect(markup).not.toContain('.png');
    expect(report.files['index.html'] as string).toContain('<a href="charts/outcomes.png">PNG</a>');
  });

  it('the summary is the same sentences as on top of the page, one per line', () => {
    const lines = report.summary.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^recovery-layer \(a coordination fix\) raises task success from 65\.6 % to 97\.4 %/);
    expect(report.files['index.html']).toContain(`<li>${lines[1]}</li>`);
  });

  it('the HTML page is self-contained: vega, vega-lite and vega-embed inlined, nothing loaded from anywhere', () => {
    const html = report.files['index.html'] as string;
    for (const b of browserBundles()) {
      expect(html).toContain(`<script>/* ${b.name} ${b.version} (${b.file}) */`);
      expect(b.code.length).toBeGreaterThan(10_000);
    }
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup).not.toMatch(/<script[^>]+src=/);
    expect(markup).not.toMatch(/<link[^>]+rel="stylesheet"/);
    expect(markup).not.toMatch(/<(img|iframe|object|embed|source|video|audio)\b/);
    expect(markup).not.toMatch(/\b(src|srcset|poster|data)="(?!data:)/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replace(/'/g, '&#39;')}">`);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('the HTML page carries seed, version and scenario hash, and a container per chart', () => {
    const html = report.files['index.html'] as string;
    expect(html).toContain('seed 1 · 3 × 20,000 requests per arm, same seeds · coordgap 0.1.0 · scenario hash f3ca93214e5fb065');
    const charts = Object.keys(report.files).filter((p) => p.endsWith('.vl.json')).map((p) => p.slice(7, -8));
    for (const c of charts) expect(html).toContain(`data-chart="${c}"`);
    const specs = JSON.parse(/<script type="application\/json" id="coordgap-specs">(.*?)<\/script>/s.exec(html)![1]);
    expect(Object.keys(specs).sort()).toEqual([...charts].sort());
    expect(specs['outcomes']).toEqual(JSON.parse(report.files['charts/outcomes.vl.json'] as string));
  });

  it('both pages open with the decision memo, before the title; memo.md and memo.html are the memo alone', () => {
    const md = report.files['report.md'] as string;
    const memoMd = report.files['memo.md'] as string;
    expect(md.split('\n').slice(0, 3)).toEqual(['# Decision memo: fintech-underwriting', '', expect.stringMatching(/^\*\*Buy recovery-layer: \+31\.8 pp task success \\\[30\.8 to 32\.8\\\], /)]);
    // report.md is the memo (memo.md less its provenance line), then the report as it was.
    const memoBody = memoMd.slice(0, memoMd.lastIndexOf('\n\n'));
    expect(md.startsWith(`${memoBody}\n\n# fintech-underwriting: compute speedups vs coordination fixes\n`)).toBe(true);
    expect(memoMd.trimEnd().split('\n').at(-1)).toMatch(/^fintech-underwriting · seed 1 · 3 × 20,000 requests per arm/);
    const html = report.files['index.html'] as string;
    const main = html.slice(html.indexOf('<main>'));
    expect(main).toMatch(/^<main>\n<section id="memo" class="memo"/);
    expect(main.indexOf('id="memo"')).toBeLessThan(main.indexOf('<header>'));
    // A negative amount never wraps between its minus and its "$" (a word joiner holds them).
    expect(html).toMatch(/<td class="num">[^<]*\u2212\u2060\$/);
    expect(html).not.toMatch(/<td class="num">[^<]*\u2212\$/);
    const page = report.files['memo.html'] as string;
    expect(page).toContain(html.slice(html.indexOf('<section id="memo"'), html.indexOf('</section>', html.indexOf('<section id="memo"'))));
    expect(page).not.toContain('<script');
  });

  it('the Markdown has the summary, the tables and every PNG, linked by a path that exists', () => {
    const md = report.files['report.md'] as string;
    const report_ = md.slice(md.indexOf('\n# fintech-underwriting: compute speedups') + 1);
    expect(report_.split('\n').slice(0, 4)).toEqual([
      '# fintech-underwriting: compute speedups vs coordination fixes',
      '',
      'fintech-underwriting · seed 1 · 3 × 20,000 requests per arm, same seeds · coordgap 0.1.0 · scenario hash f3ca93214e5fb065 · scenarios/fintech-underwriting.yaml',
      '',
    ]);
    const images = [...md.matchAll(/!\[[^\]]*\]\((charts\/[^)]+\.png)\)/g)].map((m) => m[1]);
    expect(images.sort()).toEqual(Object.keys(report.files).filter((p) => p.endsWith('.png')).sort());
    expect(md).toContain('| arm | kind | task success | Δ task success |');
    expect(md).toContain('| recovery-layer | coordination | 97.4 % \\[97.3 %, 97.5 %\\] | +31.8 pp ± 1.0 |');
  });

  it('caveats stand out: a class on the page, bold in the Markdown', () => {
    const summary = ['Warning – baseline: run cut short at 1.0 s simulated', 'A plain sentence.'];
    const html = htmlReport(fullInput(), summary, [], []);
    expect(html).toContain('<li class="caveat">Warning – baseline: run cut short at 1.0 s simulated</li>');
    expect(html).toContain('<li>A plain sentence.</li>');
    const md = markdownReport(fullInput(), summary, []);
    expect(md).toContain('\n- **Warning – baseline: run cut short at 1.0 s simulated**\n');
    expect(md).toContain('\n- A plain sentence.\n');
  });

  it("shows the scenario's own words – its description, each stage's and each variant's – escaped like every other text", () => {
    const hostile = 'Six agents <script>alert(1)</script> & *bold* | [link](x)';
    const input = {
      ...fullInput(),
      scenario: {
        description: hostile,
        stages: [
          { id: 'ingress', pool: 'cpu', description: 'Authenticate <b>and</b> route.' },
          { id: 'retrieval', pool: 'cpu' },
        ],
      },
    };
    const layout = sections(input, []);
    const about = layout.find((s) => s.id === 'scenario')!;
    expect(about.heading).toBe('What was simulated');
    expect(about.tables[0].rows).toEqual([
      ['ingress', 'cpu', 'Authenticate <b>and</b> route.'],
      ['retrieval', 'cpu', ''],
    ]);
    const variants = about.tables[1].rows;
    expect(variants[0]).toEqual(['baseline', 'baseline', 'nothing: the scenario as written']);
    expect(variants.find((r) => r[0] === 'recovery-layer')?.[2]).toMatch(/^Validate the retrieval→analysis hand-off/);
    const html = htmlReport(input, [], layout, []);
    expect(html).toContain('<p class="description">Six agents &lt;script&gt;alert(1)&lt;/script&gt; &amp; *bold* | [link](x)</p>');
    expect(html).toContain('<td>Authenticate &lt;b&gt;and&lt;/b&gt; route.</td>');
    expect(html).not.toContain('<script>alert(1)');
    const md = markdownReport(input, [], layout);
    expect(md.split('\n')[4]).toBe('Six agents \\<script\\>alert(1)\\</script\\> & \\*bold\\* \\| \\[link\\](x)');
    expect(md).toContain('| ingress | cpu | Authenticate \\<b\\>and\\</b\\> route. |');
  });

  it('without the scenario’s words (a bare compare --json): no description, the arms still say what they change', () => {
    const layout = sections(fullInput(), []);
    expect(layout.find((s) => s.id === 'scenario')!.tables.map((t) => t.caption)).toEqual(['The arms: the scenario as written, and each variant']);
    expect(htmlReport(fullInput(), [], layout, [])).not.toContain('class="description"');
  });

  it('results.csv: one row per arm, intervention and sweep point, with seed, version and hash', () => {
    const lines = (report.files['results.csv'] as string).split('\r\n').filter(Boolean);
    const header = lines[0].split(',');
    expect(header.slice(0, 6)).toEqual(['section', 'arm', 'kind', 'deltaSuccessRate', 'deltaSuccessRateLow', 'deltaSuccessRateHigh']);
    expect(header).toEqual(expect.arrayContaining(['seed', 'version', 'scenarioHash', 'perStepReliability', 'steps', 'closedFormSuccess', 'rank']));
    const sections = lines.slice(1).map((l) => l.split(',')[0]);
    expect([sections.filter((s) => s === 'comparison').length, sections.filter((s) => s === 'sensitivity').length, sections.filter((s) => s === 'sweep').length]).toEqual([4, 21, 60]);
    expect(lines[1].startsWith('comparison,baseline,baseline,,,,')).toBe(true);
  });
});
