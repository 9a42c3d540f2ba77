import { describe, expect, it } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { drawPipelinePng, drawPipelineSvg } from './index.js';
import { largeDrawing, reactRag } from './drawings.test-support.js';
import { relativeLuminance } from './leak-scale.js';
import { probabilityPct } from './text.js';
import { escapeHtml } from '../escape.js';
import type { PipelineDrawing } from './pipeline-drawing.js';

/**
 * resvg parses the SVG with roxmltree, a conforming XML 1.0 parser that
 * refuses a document that is not well-formed (no XML parser is in
 * node_modules; this one is, and it is the one the PNG depends on).
 */
function parses(svg: string): void {
  new Resvg(svg, { font: { loadSystemFonts: false } });
}

/** The fill of a node's outline: the first fill after its <title>. */
function nodeFill(svg: string, id: string): string {
  const at = svg.indexOf(`<g class="node" data-id="${escapeHtml(id)}"`);
  expect(at, `node ${id} drawn`).toBeGreaterThanOrEqual(0);
  return /<\/title><[a-z]+ [^>]*fill="(#[0-9a-f]{6})"/.exec(svg.slice(at))![1];
}

const twoStages = (a: number, b: number): PipelineDrawing => ({
  title: 'two',
  nodes: [
    { id: 'a', label: 'a', kind: 'stage', faultShare: a },
    { id: 'b', label: 'b', kind: 'stage', faultShare: b },
  ],
  edges: [{ id: 'a→b', from: 'a', to: 'b', kind: 'next' }],
  groups: [],
});

describe('drawPipelineSvg', () => {
  it('draws every node and edge of the demo graph, with each edge label and probability, as well-formed XML', async () => {
    const drawing = reactRag();
    const svg = await drawPipelineSvg(drawing);
    parses(svg);
    for (const n of drawing.nodes) {
      expect(svg).toContain(`<g class="node" data-id="${escapeHtml(n.id)}"`);
      expect(svg).toContain(`>${escapeHtml(n.label)}</text>`);
    }
    for (const e of drawing.edges) {
      expect(svg).toContain(`<g class="edge" data-id="${escapeHtml(e.id)}"`);
      if (e.label) expect(svg).toContain(escapeHtml(e.label));
      if (e.probability !== undefined) expect(svg).toContain(probabilityPct(e.probability));
    }
    for (const g of drawing.groups) expect(svg).toContain(`>${escapeHtml(g.label)}</text>`);
    // The leak painted and named: the worst node's share, the recommended fix tagged (node and edge), the legend.
    expect(svg).toContain('>31 % of first faults</text>');
    expect(svg.match(/>recommended fix<\/text>/g)).toHaveLength(2);
    expect(svg).toContain('Shade: share of first faults (square-root scale)');
  });

  it('fills a node with half the first faults darker than one with a tenth', async () => {
    const svg = await drawPipelineSvg(twoStages(0.5, 0.1));
    expect(relativeLuminance(nodeFill(svg, 'a'))).toBeLessThan(relativeLuminance(nodeFill(svg, 'b')));
    const reversed = await drawPipelineSvg(twoStages(0.1, 0.5));
    expect(relativeLuminance(nodeFill(reversed, 'b'))).toBeLessThan(relativeLuminance(nodeFill(reversed, 'a')));
  });

  it('escapes any text: ids, labels, details, titles with < & " and a control character', async () => {
    const odd = 'a<b&"c"';
    const drawing: PipelineDrawing = {
      title: 'title <script> & "quotes"',
      subtitle: "sub 'x' \u0007",
      nodes: [
        { id: odd, label: `label ${odd}`, kind: 'stage', faultShare: 0.2, detail: '<detail>' },
        { id: 'b', label: 'b', kind: 'join' },
      ],
      edges: [{ id: `${odd}→b`, from: odd, to: 'b', kind: 'route', label: '"edge" <&>', probability: 1 }],
      groups: [{ id: '<g>', label: 'group & co' }],
    };
    drawing.nodes[1].group = '<g>';
    const svg = await drawPipelineSvg(drawing);
    parses(svg);
    expect(svg).toContain('data-id="a&lt;b&amp;&quot;c&quot;"');
    expect(svg).toContain('>label a&lt;b&amp;&quot;c&quot;</text>');
    expect(svg).toContain('&quot;edge&quot; &lt;&amp;&gt; · 100 %');
    expect(svg).toContain('title &lt;script&gt; &amp; &quot;quotes&quot;');
    expect(svg).toContain('sub &#39;x&#39; \\u0007');
    expect(svg).not.toMatch(/a<b|<script|<detail>|<&>/);
  });

  it('gives the same bytes for the same drawing, whatever was drawn before', async () => {
    const first = await drawPipelineSvg(reactRag());
    await drawPipelineSvg(largeDrawing(3));
    expect(await drawPipelineSvg(reactRag())).toBe(first);
    // Coordinates rounded to one decimal, so float noise cannot change the bytes.
    const geometry = [...first.matchAll(/ (?:x|y|x1|y1|x2|y2|cx|cy|width|height|points|d)="([^"]*)"/g)].map((m) => m[1]).join(' ');
    expect(geometry).toMatch(/\d/);
    expect(geometry).not.toMatch(/\d\.\d\d/);
  });

  it('draws a 61-node graph', async () => {
    const drawing = largeDrawing(7);
    const svg = await drawPipelineSvg(drawing);
    parses(svg);
    expect(svg.match(/<g class="node"/g)).toHaveLength(drawing.nodes.length);
    expect(svg.match(/<g class="edge"/g)).toHaveLength(drawing.edges.length);
  });

  it('rasterises to a PNG through the charts\' renderer', async () => {
    const png = await drawPipelinePng(await drawPipelineSvg(reactRag()));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('has a parse check that fails on malformed XML', () => {
    expect(() => parses('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>a<b&</text></svg>')).toThrow();
  });
});
