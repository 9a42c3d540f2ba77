import { describe, expect, it } from 'vitest';
import { reportInput } from '../experiments/report-input.js';
import { escapeHtml, escapeMarkdown, jsonForScript, scriptText } from './escape.js';
import { buildReport } from './index.js';
import { fintechComparison } from './fixtures/load.js';
import type { ComparisonResult } from '../sim/experiment/index.js';

describe('escaping', () => {
  it('HTML: the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('Markdown: emphasis, code, links, tags, tables and headings become literal; line breaks become spaces', () => {
    expect(escapeMarkdown('*a* _b_ `c` [d](e) <f> g|h #i !j ~k~ \\l\nm')).toBe('\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\> g\\|h \\#i \\!j \\~k\\~ \\\\l m');
  });

  it('JSON in a script element: no "</script>" or "<!--" survives, and it parses back unchanged', () => {
    const value = { name: '</script><script>alert(1)</script><!-- & \u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('inlined JavaScript: "</script" and "<!--" are rewritten to forms that mean the same inside strings', () => {
    const js = 'var a = "</script>", b = "<!--";';
    expect(scriptText(js)).toBe('var a = "<\\/script>", b = "<\\!--";');
    expect(new Function(`${scriptText(js)}; return a + b;`)()).toBe('</script><!--');
  });
});

describe('a report about a hostile scenario', () => {
  const evil = '<script>alert(1)</script>';
  const evilVariant = '<img src=x onerror=alert(2)>|*bold*';
  function hostile(): ComparisonResult {
    const c = fintechComparison();
    const rename = <T extends { scenario: string }>(r: T): T => ({ ...r, scenario: evil });
    return {
      baseline: rename({ ...c.baseline, attribution: [{ origin: '<b>stage</b>', count: 10 }, ...c.baseline.attribution] }),
      variants: c.variants.map((v, i) => ({ ...v, name: i === 0 ? evilVariant : v.name, description: evil, result: rename(v.result) })),
    };
  }

  it('shows every name as text: in the HTML, the Markdown, the specs and the SVGs', async () => {
    const { files } = await buildReport(reportInput({ comparison: hostile(), scenarioFile: `scenarios/${evil}.yaml` }));
    const html = files['index.html'] as string;
    expect(html).not.toContain(evil);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>stage</b>');
    expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;: compute speedups vs coordination fixes</h1>');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;|*bold*');
    // The only <script> elements are the spec JSON, the three libraries and the page's own.
    expect(html.match(/<script[ >]/g)).toHaveLength(5);

    const md = files['report.md'] as string;
    expect(md).toContain('# \\<script\\>alert(1)\\</script\\>: compute speedups vs coordination fixes');
    expect(md).toContain('\\<img src=x onerror=alert(2)\\>\\|\\*bold\\*');
    expect(md).not.toMatch(/(^|[^\\])<(script|img|b)\b/);

    for (const [path, contents] of Object.entries(files)) {
      if (!path.endsWith('.svg')) continue;
      expect(contents, path).not.toContain('<img');
      expect(contents, path).not.toContain('<script');
      expect(contents, path).not.toContain('<b>');
    }
    expect(files['charts/compute-vs-coordination.svg']).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(files['charts/where-it-leaks.svg']).toContain('&lt;b&gt;stage&lt;/b&gt;');
  });
});
