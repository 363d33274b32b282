import { describe, expect, test } from 'bun:test';
import { activity, formatAgo, formatDuration, isIdle } from './format.ts';

const NOW = 1_800_000_000_000;

describe('formatDuration', () => {
  test('seconds, minutes, hours and days in whole units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45_900)).toBe('45 s');
    expect(formatDuration(60_000)).toBe('1 m');
    expect(formatDuration(4 * 60_000 + 59_000)).toBe('4 m');
    expect(formatDuration(65 * 60_000)).toBe('1 h 5 m');
    expect(formatDuration(2 * 3_600_000)).toBe('2 h');
    expect(formatDuration(26 * 3_600_000)).toBe('1 d 2 h');
  });
  test('a negative duration (clock skew) shows as zero', () => {
    expect(formatDuration(-5_000)).toBe('0 s');
  });
});

describe('activity', () => {
  test('"idle 4 m", amber from three minutes', () => {
    expect(activity(NOW - 4 * 60_000, NOW)).toEqual({ label: 'idle 4 m', idle: true });
    expect(activity(NOW - 3 * 60_000, NOW)).toEqual({ label: 'idle 3 m', idle: true });
    expect(activity(NOW - 3 * 60_000 + 1000, NOW)).toEqual({ label: 'idle 2 m', idle: false });
    expect(activity(NOW - 45_000, NOW)).toEqual({ label: 'idle 45 s', idle: false });
  });
  test('recent events read as active, no events as none yet', () => {
    expect(activity(NOW - 5_000, NOW)).toEqual({ label: 'active now', idle: false });
    expect(activity(null, NOW)).toEqual({ label: 'no activity yet', idle: false });
  });
  test('isIdle agrees with the amber threshold', () => {
    expect(isIdle(NOW - 180_000, NOW)).toBe(true);
    expect(isIdle(NOW - 179_999, NOW)).toBe(false);
    expect(isIdle(null, NOW)).toBe(false);
  });
});

test('formatAgo', () => {
  expect(formatAgo(NOW - 3_000, NOW)).toBe('3 s ago');
  expect(formatAgo(NOW - 200, NOW)).toBe('just now');
  expect(formatAgo(null, NOW)).toBe('never');
});
