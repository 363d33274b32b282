/**
 * Writes as the daemon makes them, through the storage port (so on any engine: the PostgreSQL
 * tests use it where `daemonWrites.ts` writes the SQLite file directly): the roster, a student's
 * card and runs in one tick, an alert. Each returns `meta` after it (one version bump).
 */
import type { AlertAction, ProjectedCard, ProjectedRun, Storage } from '@lmdash/core';

export const PT0 = Date.UTC(2026, 10, 22, 10);

const NAMES = ['Ada L.', 'Ben K.', 'Cleo M.', 'Dev P.', 'Eli R.', 'Fay S.', 'Gus T.', 'Hana W.'];

/** `n` students `s-1`…`s-n` in the roster, all tracked and backfilled. */
export function seedRoster(storage: Storage, n: number, now = PT0): void {
  const ids = Array.from({ length: n }, (_, i) => `s-${i + 1}`);
  storage.roster.mirror(
    ids.map((studentId, i) => ({ studentId, displayName: NAMES[i % NAMES.length]!, classroom: 'Period 3' })),
    { mode: 'all' },
    now,
  );
  for (const id of ids) storage.roster.markBackfilled(id, now);
}

export function cardOf(studentId: string, runs: number, over: Partial<ProjectedCard> = {}): ProjectedCard {
  return {
    studentId,
    state: runs % 3,
    stateSince: PT0,
    lastEventAt: PT0 + runs * 60_000,
    lastRunAt: PT0 + runs * 60_000,
    runCount: runs,
    sessionOpen: true,
    stuckStreakRuns: 0,
    stuckStreakStartedAt: null,
    platform: 'IQ',
    project: 'Drive Square',
    pseudocode: `when started\n  drive ${runs}`,
    prompt: `prompt of ${studentId}`,
    recentScores: '[0.5]',
    ...over,
  };
}

export function runOf(studentId: string, runIndex: number): ProjectedRun {
  return {
    studentId,
    runIndex,
    sourceEventId: `${studentId}-${runIndex}`,
    ts: PT0 + runIndex * 60_000,
    project: 'Drive Square',
    astSize: 12,
    treeHash: 'h',
    distance: 3,
    score: 0.25,
    bucket: 1,
    state: runIndex % 3,
    posterior: '[0.8,0.1,0.1]',
    parseError: null,
  };
}

/** One tick that gives `studentId` a new run (its card says `runs` runs): one version bump. */
export function addRun(storage: Storage, studentId: string, runs: number, now = PT0): { epoch: number; version: number } {
  return addRuns(storage, studentId, runs - 1, runs, now);
}

/** One tick that writes runs `from`…`to - 1` of `studentId` (its card says `to` runs): one version bump. */
export function addRuns(storage: Storage, studentId: string, from: number, to: number, now = PT0): { epoch: number; version: number } {
  const upsert = Array.from({ length: to - from }, (_, i) => runOf(studentId, from + i));
  storage.projection.writeTick({ changes: [{ studentId, card: cardOf(studentId, to), runs: { upsert, remove: [] }, episodes: { upsert: [], remove: [] } }], actions: [] }, now);
  return storage.status.version();
}

/** Opens an alert for `studentId`; its id. */
export function openAlert(storage: Storage, studentId: string, kind: 'wheelspin' | 'inactive' | 'big_rewrite' = 'inactive', now = PT0): number {
  const action: AlertAction = { action: 'open', studentId, kind, startedAt: now, runIndex: null, reopenedFrom: null, detail: { runs: 3 } };
  storage.projection.writeTick({ changes: [], actions: [action] }, now);
  return storage.projection.liveAlerts().filter((a) => a.studentId === studentId && a.kind === kind).at(-1)!.id;
}
