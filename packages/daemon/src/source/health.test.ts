import { describe, expect, test } from 'bun:test';
import { HealthTracker } from './health.ts';
import type { HealthTransition } from './health.ts';

let failures = 0;

function run(tracker: HealthTracker, steps: string): HealthTransition[] {
  const out: HealthTransition[] = [];
  for (const s of steps) {
    const t = s === 'F' ? tracker.failure(new Error(`boom ${++failures}`)) : tracker.success();
    if (t) out.push(t);
  }
  return out;
}

describe('HealthTracker', () => {
  test('starts unknown; the very first success is HEALTHY', () => {
    const h = new HealthTracker();
    expect(h.status).toBe('unknown');
    expect(run(h, 'SSS')).toEqual([{ status: 'healthy', previous: 'unknown' }]);
  });

  test('UNHEALTHY exactly once, on the 5th failure in a row; one success makes it HEALTHY', () => {
    const h = new HealthTracker();
    const transitions = run(h, 'SFFFF');
    expect(transitions).toHaveLength(1); // only the first HEALTHY: 4 failures change nothing visible
    expect(h.consecutiveFailures).toBe(4);
    const before = failures;
    const more = run(h, 'FFFFF');
    expect(more).toEqual([{ status: 'unhealthy', previous: 'healthy', consecutiveFailures: 5, lastError: `boom ${before + 1}` }]);
    expect(h.consecutiveFailures).toBe(9);
    expect(run(h, 'SS')).toEqual([{ status: 'healthy', previous: 'unhealthy' }]);
    expect(h.consecutiveFailures).toBe(0);
    expect(h.lastError).toBe(`boom ${failures}`); // kept after recovery, for display
  });

  test('failures before any success go from unknown to unhealthy; a success resets the count', () => {
    const h = new HealthTracker();
    expect(run(h, 'FFFFSFFFF')).toEqual([{ status: 'healthy', previous: 'unknown' }]);
    const h2 = new HealthTracker();
    const t = run(h2, 'FFFFF');
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ status: 'unhealthy', previous: 'unknown', consecutiveFailures: 5 });
  });

  test('threshold is configurable and checked', () => {
    expect(run(new HealthTracker(2), 'FF')).toHaveLength(1);
    expect(() => new HealthTracker(0)).toThrow(RangeError);
  });
});
