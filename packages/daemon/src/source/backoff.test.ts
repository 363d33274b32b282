import { describe, expect, test } from 'bun:test';
import { FAILURE_MAX_MS, failureDelay, idleDelay } from './backoff.ts';

describe('failureDelay', () => {
  test('0.5 s doubling to a 30 s cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => failureDelay(n))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(failureDelay(10_000)).toBe(FAILURE_MAX_MS); // no overflow on a long outage
    expect(failureDelay(0)).toBe(500); // treated as the first failure
  });

  test('Retry-After is honoured (never sooner) but capped', () => {
    expect(failureDelay(1, 7)).toBe(7000);
    expect(failureDelay(5, 1)).toBe(8000); // the backoff is already longer than asked
    expect(failureDelay(1, 0)).toBe(500);
    expect(failureDelay(1, 3600)).toBe(30000);
    expect(failureDelay(2, Number.NaN)).toBe(1000);
    expect(failureDelay(2, -5)).toBe(1000);
  });
});

describe('idleDelay', () => {
  test('0.5 s growing to the max while idle, reset by activity', () => {
    const seq: number[] = [];
    let d: number | undefined;
    for (const active of [false, false, false, false, false, false, true, false]) seq.push((d = idleDelay(d, active, 5000)));
    expect(seq).toEqual([500, 1000, 2000, 4000, 5000, 5000, 500, 1000]);
  });

  test('a max below 0.5 s wins; a bad previous value restarts', () => {
    expect(idleDelay(undefined, false, 300)).toBe(300);
    expect(idleDelay(300, false, 300)).toBe(300);
    expect(idleDelay(0, false, 5000)).toBe(500);
    expect(idleDelay(Number.NaN, false, 5000)).toBe(500);
  });
});
