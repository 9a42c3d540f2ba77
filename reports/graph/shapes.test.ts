import { describe, expect, it } from 'vitest';
import { outlineX } from './shapes.js';
import { SHAPE_EXTRA } from './node-content.js';

const box = { x: 100, y: 50, width: 200, height: 60 };

describe('outlineX: where an edge meets the outline', () => {
  it('on a diamond: its tip at mid-height, halfway to the centre a quarter-height up (|dx|/a + |dy|/b = 1)', () => {
    expect(outlineX('join', box, 80, 'west')).toBe(100);
    expect(outlineX('join', box, 80, 'east')).toBe(300);
    expect(outlineX('join', box, 65, 'west')).toBe(150);
    expect(outlineX('join', box, 95, 'east')).toBe(250);
  });

  it('on a stadium: the box side at mid-height, the semicircle elsewhere (r − √(r² − dy²))', () => {
    expect(outlineX('start', box, 80, 'west')).toBe(100);
    expect(outlineX('end', box, 80 - 18, 'east')).toBeCloseTo(300 - (30 - Math.sqrt(30 ** 2 - 18 ** 2)), 9);
  });

  it('on a parallelogram leaning right: the west side in by the skew at the top, the east side at the bottom', () => {
    expect(outlineX('parallel', box, 50, 'west')).toBe(100 + SHAPE_EXTRA.parallelSkewPx);
    expect(outlineX('parallel', box, 110, 'west')).toBe(100);
    expect(outlineX('parallel', box, 110, 'east')).toBe(300 - SHAPE_EXTRA.parallelSkewPx);
  });

  it('on a box: the box side', () => {
    expect(outlineX('stage', box, 52, 'west')).toBe(100);
    expect(outlineX('human', box, 108, 'east')).toBe(300);
  });
});
