/**
 * Track and untrack (the allowlist). Each call that changes something bumps `meta.version` once
 * and stamps the re-tracked students' cards with it, so watchers and deltas see the change.
 * Untracking removes the allowlist entry only: the mirrored events and the projection stay
 * (tracking again resumes from them after a fresh backfill).
 */
import type { Storage, UntrackResult } from '@lmdash/core';
import { notFound } from '../errors.ts';

export type TrackResult = { version: number; tracked: string[]; alreadyTracked: string[] };
export type { UntrackResult };

/** Tracks students of the roster; 404 (nothing written) when any id is not in the directory. */
export function track(store: Storage, studentIds: readonly string[], now: number): TrackResult {
  const r = store.actions.track(studentIds, now);
  if (!r.ok) throw notFound(`unknown student${r.unknown.length > 1 ? 's' : ''} (not in the roster): ${r.unknown.slice(0, 20).join(', ')}${r.unknown.length > 20 ? ', ...' : ''}`);
  return { version: r.version, tracked: r.tracked, alreadyTracked: r.alreadyTracked };
}

/** Untracks students; ids that were not tracked are reported, not an error. */
export const untrack = (store: Storage, studentIds: readonly string[]): UntrackResult => store.actions.untrack(studentIds);
