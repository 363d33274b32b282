/**
 * The stream's two views of the projection: a snapshot (everything a dashboard shows) and a
 * delta (the rows whose version is newer than a client's). Both are read inside one SQLite read
 * transaction by the caller, so they are consistent with the version they carry.
 */
import type { DeltaEvent, SnapshotEvent } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';
import { cardsOf, trackedCards, type SessionRule } from './cards.ts';
import { readHealth, readVersion } from './health.ts';
import { publishedSeqs } from './published.ts';
import { episodesSince, liveTriggerRows, runsSince, studentsChangedSince, triggersSince } from './rows.ts';

/** A snapshot carries the alerts resolved within this window, besides the open and acked ones. */
export const RESOLVED_WINDOW_MS = 60 * 60_000;

export function buildSnapshot(sqlite: Database, now: number, rule: SessionRule): SnapshotEvent {
  const { epoch, version } = readVersion(sqlite);
  return {
    epoch,
    version,
    students: trackedCards(sqlite, rule),
    triggers: liveTriggerRows(sqlite, now - RESOLVED_WINDOW_MS),
    health: readHealth(sqlite, now),
    publishedSeqs: publishedSeqs(sqlite),
  };
}

export type DeltaSpec = {
  epoch: number;
  fromVersion: number;
  toVersion: number;
  /** The tracked students now. */
  tracked: ReadonlySet<string>;
  /** Students (newly tracked) whose cards go out whatever their rows' versions. */
  added: Iterable<string>;
  /** Students untracked since `fromVersion`. */
  removed: readonly string[];
};

export function buildDelta(sqlite: Database, spec: DeltaSpec, rule: SessionRule): DeltaEvent {
  const ids = studentsChangedSince(sqlite, spec.fromVersion);
  for (const id of spec.added) ids.add(id);
  return {
    epoch: spec.epoch,
    version: spec.toVersion,
    fromVersion: spec.fromVersion,
    students: cardsOf(sqlite, [...ids].filter((id) => spec.tracked.has(id)), rule),
    runs: runsSince(sqlite, spec.fromVersion),
    episodes: episodesSince(sqlite, spec.fromVersion),
    triggers: triggersSince(sqlite, spec.fromVersion),
    removed: [...spec.removed].sort(),
  };
}

/** The number of rows a delta would carry: a long-absent client gets a snapshot instead of a huge delta. */
export function rowsSince(sqlite: Database, version: number): number {
  const r = sqlite
    .query(
      `SELECT (SELECT COUNT(*) FROM run WHERE version > ?1) + (SELECT COUNT(*) FROM episode WHERE version > ?1) + (SELECT COUNT(*) FROM trigger_event WHERE version > ?1) AS n`,
    )
    .get(version) as { n: number };
  return r.n;
}
