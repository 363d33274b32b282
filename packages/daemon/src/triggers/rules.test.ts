/** The alert rules, decider-style: given a student's snapshot and stored alerts, when evaluated at `now`, then these actions. */
import { describe, expect, test } from 'bun:test';
import { evaluateTriggers } from './rules.ts';
import type { StoredTrigger, StudentSnapshot, TriggerConfig } from './types.ts';

const config: TriggerConfig = { wheelspinMinRuns: 3, wheelspinMinSeconds: 120, inactiveSeconds: 600, sessionGapSeconds: 1800, bigRewriteMinDistance: 4, reAlertSeconds: 600 };
const S = 1000;
const T0 = Date.UTC(2026, 10, 22, 10);

function given(card: Partial<StudentSnapshot['card']> = {}, triggers: StoredTrigger[] = [], runs: StudentSnapshot['runs'] = []): StudentSnapshot {
  return { studentId: 's-1', card: { state: 0, stuckStreakRuns: 0, stuckStreakStartedAt: null, lastEventAt: T0, sessionOpen: true, ...card }, runs, triggers };
}
const stored = (t: Partial<StoredTrigger>): StoredTrigger => ({ id: 1, studentId: 's-1', kind: 'wheelspin', status: 'open', startedAt: T0, openedAt: T0 + 120 * S, runIndex: null, reopenedFrom: null, ...t });
const stuck = (runs: number, since = T0, lastEventAt = T0 + 150 * S) => ({ state: 2 as const, stuckStreakRuns: runs, stuckStreakStartedAt: since, lastEventAt });

describe('wheel-spin (sustained)', () => {
  test('opens when the stuck streak has 3 runs and 120 s, dated from the streak\'s first run', () => {
    expect(evaluateTriggers(given(stuck(3)), T0 + 120 * S, config)).toEqual([
      { action: 'open', studentId: 's-1', kind: 'wheelspin', startedAt: T0, runIndex: null, reopenedFrom: null, detail: {} },
    ]);
  });

  test('does not open with too few runs or too little time', () => {
    expect(evaluateTriggers(given(stuck(2)), T0 + 600 * S, config)).toEqual([]);
    expect(evaluateTriggers(given(stuck(5)), T0 + 119 * S, config)).toEqual([]);
  });

  test('stays quiet while it is already open, and resolves when the state leaves stuck', () => {
    const open = stored({});
    expect(evaluateTriggers(given(stuck(4), [open]), T0 + 300 * S, config)).toEqual([]);
    expect(evaluateTriggers(given({ state: 0 }, [open]), T0 + 300 * S, config)).toEqual([{ action: 'resolve', id: 1, reason: 'condition-ended' }]);
  });

  test('a new stuck streak ends the old alert and opens a new one', () => {
    const old = stored({ startedAt: T0 - 3600 * S });
    expect(evaluateTriggers(given(stuck(3)), T0 + 200 * S, config).length).toBe(1);
    expect(evaluateTriggers(given(stuck(3), [old]), T0 + 200 * S, config)).toEqual([
      { action: 'resolve', id: 1, reason: 'condition-ended' },
      { action: 'open', studentId: 's-1', kind: 'wheelspin', startedAt: T0, runIndex: null, reopenedFrom: null, detail: {} },
    ]);
  });
});

describe('re-alert', () => {
  test('an acked alert whose condition still holds re-opens RE_ALERT_SECONDS after it began', () => {
    const acked = stored({ status: 'acked' });
    expect(evaluateTriggers(given(stuck(6), [acked]), T0 + 599 * S, config)).toEqual([]);
    expect(evaluateTriggers(given(stuck(6), [acked]), T0 + 600 * S, config)).toEqual([
      { action: 'resolve', id: 1, reason: 'reopened' },
      { action: 'open', studentId: 's-1', kind: 'wheelspin', startedAt: T0, runIndex: null, reopenedFrom: 1, detail: { reopened: true } },
    ]);
  });

  test('a re-opened alert, acked again, waits RE_ALERT_SECONDS from its re-opening', () => {
    const again = stored({ id: 2, status: 'acked', openedAt: T0 + 600 * S, reopenedFrom: 1 });
    // Still running (last event a minute ago), so only the wheel-spin rule speaks.
    expect(evaluateTriggers(given(stuck(9, T0, T0 + 1140 * S), [again]), T0 + 1199 * S, config)).toEqual([]);
    expect(evaluateTriggers(given(stuck(9, T0, T0 + 1140 * S), [again]), T0 + 1200 * S, config).map((a) => a.action)).toEqual(['resolve', 'open']);
  });

  test('an open (unacked) alert never re-opens', () => {
    expect(evaluateTriggers(given(stuck(9, T0, T0 + 4990 * S), [stored({})]), T0 + 5000 * S, config)).toEqual([]);
  });
});

describe('inactive (sustained)', () => {
  test('opens after INACTIVE_SECONDS of silence in an open session, dated from the last event', () => {
    expect(evaluateTriggers(given({ lastEventAt: T0 }), T0 + 599 * S, config)).toEqual([]);
    expect(evaluateTriggers(given({ lastEventAt: T0 }), T0 + 600 * S, config)).toEqual([
      { action: 'open', studentId: 's-1', kind: 'inactive', startedAt: T0, runIndex: null, reopenedFrom: null, detail: {} },
    ]);
  });

  test('not after sessionEnd, nor past the session gap; the next event resolves it', () => {
    expect(evaluateTriggers(given({ lastEventAt: T0, sessionOpen: false }), T0 + 700 * S, config)).toEqual([]);
    const open = stored({ kind: 'inactive' });
    expect(evaluateTriggers(given({ lastEventAt: T0 }, [open]), T0 + 1800 * S, config)).toEqual([{ action: 'resolve', id: 1, reason: 'condition-ended' }]);
    expect(evaluateTriggers(given({ lastEventAt: T0 + 900 * S }, [open]), T0 + 901 * S, config)).toEqual([{ action: 'resolve', id: 1, reason: 'condition-ended' }]);
  });
});

describe('big rewrite (momentary)', () => {
  const runs = [
    { runIndex: 0, ts: T0, distance: null, score: null },
    { runIndex: 1, ts: T0 + 60 * S, distance: 30, score: 0.6 },
    { runIndex: 2, ts: T0 + 120 * S, distance: 3, score: 0.9 },
    { runIndex: 3, ts: T0 + 180 * S, distance: 12, score: 0.49 },
  ];

  test('raised once for each run with score >= 0.5 and distance >= 4', () => {
    expect(evaluateTriggers(given({}, [], runs), T0 + 200 * S, config)).toEqual([
      { action: 'open', studentId: 's-1', kind: 'big_rewrite', startedAt: T0 + 60 * S, runIndex: 1, reopenedFrom: null, detail: { distance: 30, score: 0.6 } },
    ]);
  });

  test('never again for the same run, whatever its status (a replay or restart does not repeat it)', () => {
    for (const status of ['open', 'acked', 'resolved'] as const) {
      const raised = stored({ kind: 'big_rewrite', runIndex: 1, status });
      expect(evaluateTriggers(given({ lastEventAt: T0 + 990 * S }, [raised], runs), T0 + 999 * S, config)).toEqual([]);
    }
  });
});
