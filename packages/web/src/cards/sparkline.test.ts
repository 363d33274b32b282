import { describe, expect, test } from 'bun:test';
import { barLayout, ribbonCells, sparklinePath } from './sparkline.ts';

describe('sparklinePath', () => {
  test('spreads values across the width, 0 at the bottom and 1 at the top', () => {
    expect(sparklinePath([0, 1], 100, 20).d).toBe('M0,20L100,0');
    expect(sparklinePath([0, 0.5, 1], 100, 20).d).toBe('M0,20L50,10L100,0');
  });
  test('a null (unparsed run) breaks the line and has no point', () => {
    const s = sparklinePath([0.2, null, 0.4, 0.6], 30, 10);
    expect(s.d).toBe('M0,8M20,6L30,4');
    expect(s.points[1]).toBeNull();
    expect(s.xs).toEqual([0, 10, 20, 30]);
  });
  test('clamps out-of-range values, centres a single value, honours padding', () => {
    expect(sparklinePath([2, -1], 10, 10).d).toBe('M0,0L10,10');
    expect(sparklinePath([0.5], 100, 20).d).toBe('M50,10');
    expect(sparklinePath([0, 1], 100, 20, 1, 2).d).toBe('M2,18L98,2');
  });
  test('no values, no path', () => {
    expect(sparklinePath([], 100, 20)).toEqual({ d: '', points: [], xs: [] });
  });
});

describe('ribbonCells', () => {
  test('merges runs of the same state, widths proportional to run counts', () => {
    expect(ribbonCells([{ state: 0 }, { state: 0 }, { state: 2 }], 90)).toEqual([
      { x: 0, width: 60, state: 0 },
      { x: 60, width: 30, state: 2 },
    ]);
  });
  test('cells tile the width exactly', () => {
    const cells = ribbonCells([{ state: 1 }, { state: 0 }, { state: 1 }, { state: 2 }, { state: 2 }, { state: 2 }, { state: 0 }], 100);
    expect(cells.length).toBe(5);
    expect(cells[0]!.x).toBe(0);
    const last = cells[cells.length - 1]!;
    expect(last.x + last.width).toBeCloseTo(100, 0);
  });
  test('empty ribbon', () => {
    expect(ribbonCells([], 100)).toEqual([]);
  });
});

test('barLayout scales to the largest value and flags missing values', () => {
  const bars = barLayout([1, null, 2], 30, 10, undefined, 0);
  expect(bars.map((b) => b.height)).toEqual([5, 0, 10]);
  expect(bars[1]!.missing).toBe(true);
  expect(bars[2]!.y).toBe(0);
  expect(bars[2]!.x).toBe(20);
});

test('barLayout with slots fills from the right', () => {
  const bars = barLayout([1, 2], 100, 10, undefined, 0, 10);
  expect(bars.map((b) => [b.x, b.width])).toEqual([[80, 10], [90, 10]]);
});
