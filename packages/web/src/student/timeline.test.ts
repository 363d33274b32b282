import { expect, test } from 'bun:test';
import { episodeRow, runRow } from '../../test/rows.ts';
import { niceTicks, timelineLayout } from './timeline.ts';

const T = Date.UTC(2026, 10, 2, 9, 0, 0);
const MIN = 60_000;

test('bars sit at their run times, heights proportional to change scores', () => {
  const runs = [runRow('s', 0, T, 0.5, 0), runRow('s', 1, T + 10 * MIN, 1, 1), runRow('s', 2, T + 20 * MIN, null, 2)];
  const l = timelineLayout(runs, [], { width: 220, barHeight: 100, pad: 10 });
  expect(l.bars.map((b) => Math.round(b.x + b.width / 2))).toEqual([10, 110, 210]);
  expect(l.bars.map((b) => b.height)).toEqual([50, 100, 0]);
  expect(l.bars[2]!.missing).toBe(true);
  expect(l.bars[1]!.y).toBe(0);
});

test('state cells tile the runs and episode bands cover their span', () => {
  const runs = [runRow('s', 0, T, 0.1, 0), runRow('s', 1, T + 10 * MIN, 0.1, 2)];
  const l = timelineLayout(runs, [episodeRow('s', 0, T, T + 10 * MIN)], { width: 120, barHeight: 50, pad: 10 });
  expect(l.states[0]!.x + l.states[0]!.width).toBeCloseTo(l.states[1]!.x, 6);
  expect(l.bands[0]).toMatchObject({ x: 10, width: 100 });
});

test('nothing to draw without runs or episodes; a lone run gets a minute of axis', () => {
  expect(timelineLayout([], [], { width: 100, barHeight: 10, pad: 0 }).bars).toEqual([]);
  const l = timelineLayout([runRow('s', 0, T, 0.2, 0)], [], { width: 100, barHeight: 10, pad: 0 });
  expect(l.t1 - l.t0).toBe(MIN);
  expect(l.bars[0]!.x + l.bars[0]!.width / 2).toBeCloseTo(50, 6);
});

test('ticks are round clock times', () => {
  const ticks = niceTicks(T + 3 * MIN, T + 47 * MIN);
  expect(ticks.length).toBeLessThanOrEqual(6);
  expect(ticks.length).toBeGreaterThan(1);
  for (const t of ticks) expect([new Date(t).getMinutes() % 5, new Date(t).getSeconds()]).toEqual([0, 0]);
});
