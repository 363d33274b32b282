/**
 * The stream's two views of the projection: a snapshot (everything a dashboard shows) and a
 * delta (the rows whose version is newer than a client's). Both are read on one consistent view
 * by the caller (`storage.consistent`), so they agree with the version they carry.
 */
import type { Storage } from '@lmdash/core';
import type { DeltaEvent, SnapshotEvent } from '@lmdash/core/wire';
import { cardsOf, trackedCards, type SessionRule } from './cards.ts';
import { readHealth } from './health.ts';
import { episodesSince, liveTriggerRows, runsSince, triggersSince } from './rows.ts';

/** A snapshot carries the alerts resolved within this window, besides the open and acked ones. */
export const RESOLVED_WINDOW_MS = 60 * 60_000;

export function buildSnapshot(store: Storage, now: number, rule: SessionRule): SnapshotEvent {
  const { epoch, version } = store.status.version();
  return {
    epoch,
    version,
    students: trackedCards(store, rule),
    triggers: liveTriggerRows(store, now - RESOLVED_WINDOW_MS),
    health: readHealth(store, now),
    publishedSeqs: store.published.seqs(),
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

export function buildDelta(store: Storage, spec: DeltaSpec, rule: SessionRule): DeltaEvent {
  const ids = store.reads.studentsChangedSince(spec.fromVersion);
  for (const id of spec.added) ids.add(id);
  return {
    epoch: spec.epoch,
    version: spec.toVersion,
    fromVersion: spec.fromVersion,
    students: cardsOf(store, [...ids].filter((id) => spec.tracked.has(id)), rule),
    runs: runsSince(store, spec.fromVersion),
    episodes: episodesSince(store, spec.fromVersion),
    triggers: triggersSince(store, spec.fromVersion),
    removed: [...spec.removed].sort(),
  };
}
