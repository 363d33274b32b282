/** The mirrored roster (`student_directory`) and the tracked allowlist (`tracked_student`) on PostgreSQL. */
import type { RosterEntry } from '../../wire/dashboard.ts';
import type { RosterStore } from '../port.ts';
import { lastPerKey } from './columns.ts';
import type { PgConnection } from './connection.ts';
import { writing } from './versions.ts';

const UPSERT_DIRECTORY = `INSERT INTO student_directory (student_id, display_name, classroom, updated_at)
  SELECT s.id, s.name, s.classroom, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS s(id, name, classroom)
  ON CONFLICT (student_id) DO UPDATE SET display_name = EXCLUDED.display_name, classroom = EXCLUDED.classroom, updated_at = EXCLUDED.updated_at`;
const TRACK = 'INSERT INTO tracked_student (student_id, added_at) SELECT id, $2 FROM unnest($1::text[]) AS t(id) ON CONFLICT DO NOTHING';

export function postgresRoster(conn: PgConnection): RosterStore {
  return {
    mirror(students, tracking, now) {
      // It reads before it writes: a write transaction (the meta lock) like every other.
      writing(conn, () => {
        // --track-all tracks the whole class when nothing is tracked (a new database, a reset),
        // then whoever joins the roster later; a student a researcher untracked stays untracked.
        const [knownRows, anyRows] = conn.batch([{ text: 'SELECT student_id AS id FROM student_directory' }, { text: 'SELECT 1 AS one FROM tracked_student LIMIT 1' }]) as [
          { id: string }[],
          unknown[],
        ];
        const known = new Set(knownRows.map((r) => r.id));
        const anyTracked = anyRows.length > 0;
        const rows = lastPerKey(students, (s) => s.studentId);
        const wanted =
          tracking.mode === 'all' ? students.filter((s) => !anyTracked || !known.has(s.studentId)).map((s) => s.studentId) : tracking.mode === 'list' ? tracking.students : [];
        conn.batch([
          ...(rows.length > 0 ? [{ text: UPSERT_DIRECTORY, params: [rows.map((s) => s.studentId), rows.map((s) => s.displayName), rows.map((s) => s.classroom), now] }] : []),
          ...(wanted.length > 0 ? [{ text: TRACK, params: [[...wanted], now] }] : []),
        ]);
      });
    },

    trackedIds: () => new Set(conn.query<{ id: string }>('SELECT student_id AS id FROM tracked_student').map((r) => r.id)),
    awaitingBackfill: () => conn.query<{ id: string }>('SELECT student_id AS id FROM tracked_student WHERE backfilled_at IS NULL ORDER BY student_id COLLATE "C"').map((r) => r.id),
    markBackfilled(studentId, now) {
      conn.query('UPDATE tracked_student SET backfilled_at = $1 WHERE student_id = $2', [now, studentId]);
    },

    search(q, limit): RosterEntry[] {
      // `%` and `_` in the query match themselves; byte order of names, as SQLite sorts.
      const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      return conn.query<RosterEntry>(
        `SELECT d.student_id AS "studentId", d.display_name AS "displayName", d.classroom AS classroom,
            t.student_id IS NOT NULL AS tracked, t.backfilled_at IS NOT NULL AS backfilled
         FROM student_directory d LEFT JOIN tracked_student t ON t.student_id = d.student_id
         WHERE lower(d.display_name) LIKE $1 ESCAPE '\\' OR lower(d.student_id) LIKE $1 ESCAPE '\\'
         ORDER BY d.display_name COLLATE "C", d.student_id COLLATE "C" LIMIT $2`,
        [pattern, limit],
      );
    },
  };
}
