/**
 * Wheel-spin alerts replayed from a student's card over time, and scored against an oracle.
 * O(P + R) per student for P card changes and R runs. The same rule as the daemon
 * (`wheelspinSince`, triggers/rules.ts, docs/triggers.md) decides when an alert holds; an alert
 * is identified, as there, by the start of its stuck streak, so a re-decoding that moves the
 * start closes the alert and opens another.
 */
import type { ProjectedCard } from '@lmdash/core';
import { wheelspinSince } from '../triggers/rules.ts';
import type { TriggerConfig } from '../triggers/types.ts';

/** The card as it stood from `t` until the next point: what the alert rule reads. */
export type CardPoint = Pick<ProjectedCard, 'stuckStreakRuns' | 'stuckStreakStartedAt'> & {
  /** Epoch ms from which this card holds (an event's time). */
  t: number;
  state: 0 | 1 | 2 | null;
  /** Index of the student's last run at `t` (-1 before the first). */
  lastRun: number;
};

export type WheelspinAlert = {
  /** The first run of the stuck streak (the alert's identity, `started_at`). */
  startedAt: number;
  openedAt: number;
  /** When the condition stopped holding, or the horizon. */
  closedAt: number;
  /** Run indices that were part of the streak while the alert was open. */
  runs: number[];
};

/** The thresholds the replay needs (a `TriggerConfig` has them). */
export type WheelspinConfig = Pick<TriggerConfig, 'wheelspinMinRuns' | 'wheelspinMinSeconds'>;

export const DEFAULT_WHEELSPIN: WheelspinConfig = { wheelspinMinRuns: 3, wheelspinMinSeconds: 120 };

function since(p: CardPoint, now: number, c: WheelspinConfig): number | null {
  const card = { state: p.state, stuckStreakRuns: p.stuckStreakRuns, stuckStreakStartedAt: p.stuckStreakStartedAt, lastEventAt: p.t, sessionOpen: true };
  return wheelspinSince({ studentId: '', card, runs: [], triggers: [] }, now, { ...c, inactiveSeconds: 0, sessionGapSeconds: 0, bigRewriteMinDistance: 0, reAlertSeconds: 0 });
}

/**
 * The wheel-spin alerts a card timeline raises before `horizon`, evaluated continuously (as if
 * the daemon swept at every instant). `points` in time order.
 * @example wheelspinAlerts([{ t: 0, state: 2, stuckStreakRuns: 3, stuckStreakStartedAt: 0, lastRun: 2 }], 600_000)
 */
export function wheelspinAlerts(points: readonly CardPoint[], horizon: number, c: WheelspinConfig = DEFAULT_WHEELSPIN): WheelspinAlert[] {
  const alerts: WheelspinAlert[] = [];
  let open: WheelspinAlert | null = null;
  const streakRuns = (p: CardPoint) => Array.from({ length: p.stuckStreakRuns }, (_, i) => p.lastRun - p.stuckStreakRuns + 1 + i);
  const extend = (a: WheelspinAlert, p: CardPoint) => {
    for (const r of streakRuns(p)) if (!a.runs.includes(r)) a.runs.push(r);
  };
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p.t >= horizon) break;
    const next = Math.min(horizon, i + 1 < points.length ? points[i + 1].t : horizon);
    const now = since(p, p.t, c);
    if (open && now !== open.startedAt) {
      open.closedAt = p.t;
      open = null;
    }
    if (open) {
      extend(open, p);
      continue;
    }
    // Not holding yet: it may start holding before the next change, once the streak is old enough.
    const at: number | null = now !== null ? p.t : p.stuckStreakStartedAt === null ? null : Math.max(p.t, p.stuckStreakStartedAt + c.wheelspinMinSeconds * 1000);
    if (at === null || at >= next) continue;
    const s = since(p, at, c);
    if (s === null) continue;
    open = { startedAt: s, openedAt: at, closedAt: horizon, runs: [] };
    extend(open, p);
    alerts.push(open);
  }
  return alerts;
}

/** The card of a sequence of known states after each run: the oracle's timeline. */
export function stateTimeline(runTimes: readonly number[], states: readonly (0 | 1 | 2)[]): CardPoint[] {
  const points: CardPoint[] = [];
  let streak = 0;
  let start: number | null = null;
  for (let i = 0; i < states.length; i++) {
    if (states[i] === 2) {
      if (streak === 0) start = runTimes[i];
      streak++;
    } else {
      streak = 0;
      start = null;
    }
    points.push({ t: runTimes[i], state: states[i], stuckStreakRuns: streak, stuckStreakStartedAt: start, lastRun: i });
  }
  return points;
}

export type AlertScore = {
  /** Alerts the oracle raised. */
  oracle: number;
  /** Of those, how many a real alert covered at most `maxDelay` runs after the oracle's opened. */
  recalled: number;
  /** Of those, how many a real alert covered at any delay. */
  found: number;
  /** Per found oracle alert, the delay in runs (0: the real alert was already open). */
  delays: number[];
  /** Alerts raised from the decoded states. */
  alerts: number;
  /** Of those, how many had no hidden stuck run in their streak. */
  falseAlerts: number;
};

/**
 * Scores real alerts against the oracle's for one student. A real alert covers an oracle alert
 * when their streaks share a run and it is open at or after the oracle's opening; its delay is
 * the number of the student's runs after the oracle's opening up to its own.
 */
export function scoreAlerts(real: readonly WheelspinAlert[], oracle: readonly WheelspinAlert[], runTimes: readonly number[], hidden: readonly number[], maxDelay = 2): AlertScore {
  const score: AlertScore = { oracle: oracle.length, recalled: 0, found: 0, delays: [], alerts: real.length, falseAlerts: 0 };
  for (const o of oracle) {
    let best = Infinity;
    for (const r of real) {
      if (r.closedAt <= o.openedAt || !r.runs.some((x) => o.runs.includes(x))) continue;
      let d = 0;
      for (const t of runTimes) if (t > o.openedAt && t <= r.openedAt) d++;
      best = Math.min(best, d);
    }
    if (best === Infinity) continue;
    score.found++;
    score.delays.push(best);
    if (best <= maxDelay) score.recalled++;
  }
  for (const r of real) if (!r.runs.some((i) => hidden[i] === 2)) score.falseAlerts++;
  return score;
}

/** Adds `b` into `a`. */
export function addScores(a: AlertScore, b: AlertScore): AlertScore {
  return { oracle: a.oracle + b.oracle, recalled: a.recalled + b.recalled, found: a.found + b.found, delays: [...a.delays, ...b.delays], alerts: a.alerts + b.alerts, falseAlerts: a.falseAlerts + b.falseAlerts };
}

export const emptyScore = (): AlertScore => ({ oracle: 0, recalled: 0, found: 0, delays: [], alerts: 0, falseAlerts: 0 });
