import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { rasterize, rasterizeAsync, renderSvg } from './render.js';

const SPEC: TopLevelSpec = {
  width: 400,
  height: 240,
  data: { values: Array.from({ length: 40 }, (_, i) => ({ x: i, y: Math.sin(i / 4), series: i % 2 === 0 ? 'even' : 'odd' })) },
  mark: 'line',
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'series', type: 'nominal' } },
};

describe('PNG rasterisation off the main thread', () => {
  it('gives the bytes the in-thread rasterisation gives', async () => {
    const { svg } = await renderSvg(SPEC);
    const [a, b] = await Promise.all([rasterizeAsync(svg), rasterizeAsync(svg)]);
    const sync = rasterize(svg);
    expect(a.equals(sync)).toBe(true);
    expect(b.equals(sync)).toBe(true);
    expect(a.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('leaves this thread free while it draws (the in-thread one holds it to the end)', async () => {
    const { svg } = await renderSvg(SPEC);
    const turnsWhile = async (draw: () => Promise<unknown>) => {
      let turns = 0;
      let drawing = true;
      const tick = () => {
        if (!drawing) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      await draw();
      drawing = false;
      return turns;
    };
    expect(await turnsWhile(async () => rasterize(svg))).toBe(0);
    expect(await turnsWhile(() => rasterizeAsync(svg))).toBeGreaterThan(0);
  });

  it('a chart it cannot draw is an error, not a crash', async () => {
    await expect(rasterizeAsync('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg>')).rejects.toThrow(/no drawable size/);
  });
});
