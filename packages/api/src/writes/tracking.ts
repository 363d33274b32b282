/**
 * Track and untrack (the allowlist, `tracked_student`). Each call that changes something bumps
 * `meta.version` once and stamps the re-tracked students' cards with it, so watchers and deltas
 * see the change. Untracking deletes the allowlist row only: the mirrored events and the
 * projection stay (tracking again resumes from them after a fresh backfill).
 */
import type { Database } from 'bun:sqlite';
import { bumpVersion, writeTransaction } from '../context.ts';
import { notFound } from '../errors.ts';
import { knownStudents } from '../queries/roster.ts';

export type TrackResult = { version: number; tracked: string[]; alreadyTracked: string[] };
export type UntrackResult = { version: number; untracked: string[]; notTracked: string[] };

const currentVersion = (sqlite: Database): number => (sqlite.query('SELECT version FROM meta WHERE id = 1').get() as { version: number }).version;

/** Tracks students of the roster; 404 (nothing written) when any id is not in the directory. */
export function track(sqlite: Database, studentIds: readonly string[], now: number): TrackResult {
  const ids = [...new Set(studentIds)];
  return writeTransaction(sqlite, () => {
    const known = knownStudents(sqlite, ids);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) throw notFound(`unknown student${unknown.length > 1 ? 's' : ''} (not in the roster): ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ', ...' : ''}`);
    const insert = sqlite.query('INSERT INTO tracked_student (student_id, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING student_id AS id');
    const tracked = ids.filter((id) => insert.get(id, now) !== null);
    if (tracked.length === 0) return { version: currentVersion(sqlite), tracked, alreadyTracked: ids };
    const version = bumpVersion(sqlite);
    sqlite.query('UPDATE student_state SET version = ? WHERE student_id IN (SELECT value FROM json_each(?))').run(version, JSON.stringify(tracked));
    return { version, tracked, alreadyTracked: ids.filter((id) => !tracked.includes(id)) };
  });
}

/** Untracks students; ids that were not tracked are reported, not an error. */
export function untrack(sqlite: Database, studentIds: readonly string[]): UntrackResult {
  const ids = [...new Set(studentIds)];
  return writeTransaction(sqlite, () => {
    const remove = sqlite.query('DELETE FROM tracked_student WHERE student_id = ? RETURNING student_id AS id');
    const untracked = ids.filter((id) => remove.get(id) !== null);
    const version = untracked.length > 0 ? bumpVersion(sqlite) : currentVersion(sqlite);
    return { version, untracked, notTracked: ids.filter((id) => !untracked.includes(id)) };
  });
}
