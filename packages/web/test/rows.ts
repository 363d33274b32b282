/** Contract-shaped rows for tests, the fake API and the screenshots. */
import type { EpisodeRow, Health, RunRow, StudentCard, TriggerRow } from '../src/types.ts';

export function cardRow(studentId: string, over: Partial<StudentCard> = {}): StudentCard {
  const now = Date.now();
  return {
    studentId,
    displayName: studentId,
    classroom: 'Period 3',
    state: 0,
    stateSince: now - 120_000,
    lastEventAt: now - 20_000,
    lastRunAt: now - 20_000,
    runCount: 5,
    sessionOpen: true,
    stuckStreakRuns: 0,
    stuckStreakStartedAt: null,
    platform: 'IQ',
    project: 'Drive Square',
    recentScores: [0.1, 0.05, 0.2, null, 0.1],
    ribbon: [
      { ts: now - 300_000, state: 1 },
      { ts: now - 200_000, state: 0 },
      { ts: now - 20_000, state: 0 },
    ],
    lastRunError: null,
    version: 1,
    ...over,
  };
}

export function triggerRow(id: number, studentId: string, over: Partial<TriggerRow> = {}): TriggerRow {
  const now = Date.now();
  return {
    id,
    studentId,
    kind: 'wheelspin',
    status: 'open',
    startedAt: now - 240_000,
    openedAt: now - 60_000,
    ackedAt: null,
    ackNote: null,
    resolvedAt: null,
    runIndex: 4,
    reopenedFrom: null,
    detail: {},
    version: 1,
    ...over,
  };
}

export function healthRow(over: Partial<Health> = {}): Health {
  const now = Date.now();
  return {
    daemon: 'healthy',
    healthChangedAt: now - 600_000,
    lastError: null,
    heartbeatAt: now - 1_000,
    heartbeatStale: false,
    cursorAt: now - 2_000,
    sourceLagSeconds: 2,
    modelHash: 'abc123',
    epoch: 1,
    version: 1,
    now,
    ...over,
  };
}

export function runRow(studentId: string, runIndex: number, ts: number, score: number | null, state: 0 | 1 | 2): RunRow {
  return {
    studentId,
    runIndex,
    ts,
    project: 'Drive Square',
    astSize: 20 + runIndex,
    distance: score == null ? null : Math.round(score * 30),
    score,
    bucket: score == null ? null : score === 0 ? 0 : score < 0.2 ? 2 : 4,
    state,
    posterior: [state === 0 ? 0.8 : 0.1, state === 1 ? 0.8 : 0.1, state === 2 ? 0.8 : 0.1],
    parseError: score == null ? 'bad-xml' : null,
    version: 1,
  };
}

export function episodeRow(studentId: string, episodeIndex: number, start: number, end: number): EpisodeRow {
  return {
    studentId,
    episodeIndex,
    start,
    end,
    project: 'Drive Square',
    endReason: 'gap',
    counts: { runProject: 4 },
    stateMix: { iterator: 0.5, explorer: 0.25, stuck: 0.25 },
    longestStuckStreak: 2,
    netChange: 0.4,
    version: 1,
  };
}
