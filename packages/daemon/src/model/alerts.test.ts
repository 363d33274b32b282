import { describe, expect, test } from 'bun:test';
import { scoreAlerts, stateTimeline, wheelspinAlerts, type CardPoint } from './alerts.ts';

const S = 1000;

describe('wheelspinAlerts', () => {
  test('three stuck runs within a minute open an alert two minutes after the first, closed by the next non-stuck run', () => {
    const times = [0, 20 * S, 40 * S, 60 * S, 300 * S];
    const alerts = wheelspinAlerts(stateTimeline(times, [2, 2, 2, 2, 0]), 3600 * S);
    expect(alerts).toEqual([{ startedAt: 0, openedAt: 120 * S, closedAt: 300 * S, runs: [0, 1, 2, 3] }]);
  });

  test('a streak of two runs, or one that ends before two minutes, raises nothing', () => {
    expect(wheelspinAlerts(stateTimeline([0, 200 * S, 400 * S], [2, 2, 0]), 3600 * S)).toEqual([]);
    expect(wheelspinAlerts(stateTimeline([0, 30 * S, 60 * S, 90 * S], [2, 2, 2, 1]), 3600 * S)).toEqual([]);
  });

  test('an alert still holding at the horizon closes there; one that would open after it does not exist', () => {
    expect(wheelspinAlerts(stateTimeline([0, 60 * S, 130 * S], [2, 2, 2]), 1000 * S)).toEqual([{ startedAt: 0, openedAt: 130 * S, closedAt: 1000 * S, runs: [0, 1, 2] }]);
    expect(wheelspinAlerts(stateTimeline([0, 10 * S, 20 * S], [2, 2, 2]), 100 * S)).toEqual([]);
  });

  test('a re-decoding that moves the start of the streak ends the alert and opens another, as the daemon does', () => {
    const points: CardPoint[] = [
      { t: 200 * S, state: 2, stuckStreakRuns: 3, stuckStreakStartedAt: 0, lastRun: 2 },
      { t: 300 * S, state: 2, stuckStreakRuns: 5, stuckStreakStartedAt: -100 * S, lastRun: 3 },
    ];
    expect(wheelspinAlerts(points, 400 * S)).toEqual([
      { startedAt: 0, openedAt: 200 * S, closedAt: 300 * S, runs: [0, 1, 2] },
      { startedAt: -100 * S, openedAt: 300 * S, closedAt: 400 * S, runs: [-1, 0, 1, 2, 3] },
    ]);
  });
});

describe('scoreAlerts', () => {
  const times = [0, 60, 120, 180, 240, 300, 360, 420].map((t) => t * S);
  const hidden: (0 | 1 | 2)[] = [2, 2, 2, 2, 2, 0, 0, 0];
  const oracle = wheelspinAlerts(stateTimeline(times, hidden), 3600 * S);

  test('the oracle opens when its third stuck run is two minutes into the streak', () => {
    expect(oracle.map((a) => [a.openedAt, a.runs])).toEqual([[120 * S, [0, 1, 2, 3, 4]]]);
  });

  test('a real alert one run late is recalled with delay 1; three runs late is found but not recalled', () => {
    const late1 = wheelspinAlerts(stateTimeline(times, [0, 2, 2, 2, 2, 0, 0, 0]), 3600 * S);
    expect(scoreAlerts(late1, oracle, times, hidden)).toEqual({ oracle: 1, recalled: 1, found: 1, delays: [1], alerts: 1, falseAlerts: 0 });
    const late3 = wheelspinAlerts(stateTimeline(times, [0, 0, 0, 2, 2, 2, 0, 0]), 3600 * S);
    expect(late3.map((a) => a.openedAt)).toEqual([300 * S]);
    expect(scoreAlerts(late3, oracle, times, hidden)).toEqual({ oracle: 1, recalled: 0, found: 1, delays: [3], alerts: 1, falseAlerts: 0 });
  });

  test('an alert whose streak holds no hidden stuck run is false; a missed oracle alert is not found', () => {
    const wrong = wheelspinAlerts(stateTimeline(times, [0, 0, 0, 0, 0, 2, 2, 2]), 3600 * S);
    expect(scoreAlerts(wrong, oracle, times, hidden)).toEqual({ oracle: 1, recalled: 0, found: 0, delays: [], alerts: 1, falseAlerts: 1 });
  });
});
