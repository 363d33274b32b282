/** The mirrored roster (`student_directory`) and the tracked allowlist (`tracked_student`) on SQLite. */
import type { Database } from 'bun:sqlite';
import type { RosterEntry } from '../../wire/dashboard.ts';
import type { RosterStore } from '../port.ts';

export function sqliteRoster(sqlite: Database): RosterStore {
  return {
    mirror(students, tracking, now) {
      sqlite
        .transaction(() => {
          // --track-all tracks the whole class when nothing is tracked (a new file, a reset), then
          // whoever joins the roster later; a student a researcher untracked stays untracked.
          const known = new Set((sqlite.query('SELECT student_id AS id FROM student_directory').all() as { id: string }[]).map((r) => r.id));
          const anyTracked = sqlite.query('SELECT 1 FROM tracked_student LIMIT 1').get() !== null;
          const upsert = sqlite.query(
            'INSERT INTO student_directory (student_id, display_name, classroom, updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (student_id) DO UPDATE SET display_name = ?2, classroom = ?3, updated_at = ?4',
          );
          for (const s of students) upsert.run(s.studentId, s.displayName, s.classroom, now);
          const wanted =
            tracking.mode === 'all' ? students.filter((s) => !anyTracked || !known.has(s.studentId)).map((s) => s.studentId) : tracking.mode === 'list' ? tracking.students : [];
          const track = sqlite.query('INSERT INTO tracked_student (student_id, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
          for (const id of wanted) track.run(id, now);
        })
        .immediate(); // it reads before it writes: see writeTick
    },

    trackedIds: () => new Set((sqlite.query('SELECT student_id AS id FROM tracked_student').all() as { id: string }[]).map((r) => r.id)),
    awaitingBackfill: () => (sqlite.query('SELECT student_id AS id FROM tracked_student WHERE backfilled_at IS NULL').all() as { id: string }[]).map((r) => r.id),
    markBackfilled(studentId, now) {
      sqlite.query('UPDATE tracked_student SET backfilled_at = ? WHERE student_id = ?').run(now, studentId);
    },

    search(q, limit): RosterEntry[] {
      // `%` and `_` in the query match themselves.
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
    },
  };
}
