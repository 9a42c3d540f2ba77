import { describe, expect, it } from 'vitest';
import { pngZoom, rasterize, renderSvg, xmlSafe, MAX_PNG_SIDE_PX } from './render.js';

describe('rendering odd text and sizes (issue 12.9)', () => {
  it('characters XML cannot hold become visible text, so the SVG parses', async () => {
    expect(xmlSafe('<text>a\x01b\x1bc\td</text>')).toBe('<text>a\\u0001b\\u001bc\td</text>');
    const { svg } = await renderSvg({
      data: { values: [{ name: 'a\x01b', n: 1 }] },
      mark: 'bar',
      encoding: { x: { field: 'n', type: 'quantitative' }, y: { field: 'name', type: 'nominal' } },
    });
    expect(svg).toContain('a\\u0001b');
    expect(() => rasterize(svg)).not.toThrow();
  });

  it('the PNG zoom is bounded: 2× normally, lower for a wide or large chart', () => {
    expect(pngZoom(800, 400)).toBe(2);
    expect(pngZoom(20_000, 300)).toBeCloseTo(MAX_PNG_SIDE_PX / 20_000, 12);
    expect(pngZoom(8000, 8000)).toBeCloseTo(Math.sqrt(32e6 / 64e6), 12);
    expect(() => pngZoom(Number.NaN, 300)).toThrow(/no drawable size/);
  });

  it('a chart widened by a long label is rasterised within the bounds', async () => {
    const { svg } = await renderSvg({
      data: { values: [{ name: 'x'.repeat(12_000), n: 1 }] },
      mark: 'bar',
      encoding: { y: { field: 'n', type: 'quantitative' }, x: { field: 'name', type: 'nominal', axis: { labelLimit: 0, labelAngle: 0 } } },
    });
    const png = rasterize(svg);
    // PNG IHDR: width and height as big-endian 32-bit integers at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBeLessThanOrEqual(MAX_PNG_SIDE_PX);
    expect(png.readUInt32BE(20)).toBeLessThanOrEqual(MAX_PNG_SIDE_PX);
  });
});
