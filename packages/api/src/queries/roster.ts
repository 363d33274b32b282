/** Roster search over the mirrored directory, with each student's tracking status. */
import type { RosterEntry } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';

/**
 * Students whose name or id contains `q` (case-insensitive; all when empty), by name then id.
 * `%` and `_` in the query match themselves.
 */
export function searchRoster(sqlite: Database, q: string, limit: number): RosterEntry[] {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = sqlite
    .query(
      `SELECT d.student_id AS studentId, d.display_name AS displayName, d.classroom AS classroom,
        t.student_id IS NOT NULL AS tracked, t.backfilled_at IS NOT NULL AS backfilled
       FROM student_directory d LEFT JOIN tracked_student t ON t.student_id = d.student_id
       WHERE lower(d.display_name) LIKE ?1 ESCAPE '\\' OR lower(d.student_id) LIKE ?1 ESCAPE '\\'
       ORDER BY d.display_name, d.student_id LIMIT ?2`,
    )
    .all(pattern, limit) as (Omit<RosterEntry, 'tracked' | 'backfilled'> & { tracked: number; backfilled: number })[];
  return rows.map((r) => ({ ...r, tracked: r.tracked === 1, backfilled: r.backfilled === 1 }));
}

/** Which of these ids the directory knows. */
export function knownStudents(sqlite: Database, ids: readonly string[]): Set<string> {
  const rows = sqlite.query('SELECT student_id AS id FROM student_directory WHERE student_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}
