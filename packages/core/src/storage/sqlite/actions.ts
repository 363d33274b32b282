/**
 * The researcher's writes on SQLite: track, untrack, ack, reset. Each runs in an IMMEDIATE
 * transaction (the write lock taken at BEGIN, so the daemon's concurrent tick makes it wait
 * instead of failing with SQLITE_BUSY on upgrade) and bumps `meta.version` once when it changes
 * something.
 */
import type { Database } from 'bun:sqlite';
import type { AckResult, ActionStore, ReadStore, TrackResult, UntrackResult } from '../port.ts';
import type { AlertRecord } from '../rows.ts';

const bump = (sqlite: Database): number => (sqlite.query('UPDATE meta SET version = version + 1 WHERE id = 1 RETURNING version').get() as { version: number }).version;
const current = (sqlite: Database): number => (sqlite.query('SELECT version FROM meta WHERE id = 1').get() as { version: number }).version;

/**
 * A researcher's reset: wipe everything mirrored and derived (the log, the cursor, the allowlist,
 * the projection, the alerts and what producers published), keep the roster, and stamp `meta` so
 * the daemon drops its workers at its next tick and readers on the old epoch take a fresh snapshot.
 */
export function resetAll(sqlite: Database, now: number): { epoch: number; version: number } {
  return sqlite
    .transaction(() => {
      for (const t of ['vex_log', 'tracked_student', 'student_state', 'run', 'episode', 'trigger_event', 'published_event']) sqlite.run(`DELETE FROM ${t}`);
      sqlite.query('UPDATE cursor SET last_event_time = NULL, last_source_id = NULL, updated_at = ? WHERE id = 1').run(now);
      return sqlite.query('UPDATE meta SET epoch = epoch + 1, version = version + 1, reset_requested_at = ? WHERE id = 1 RETURNING epoch, version').get(now) as { epoch: number; version: number };
    })
    .immediate();
}

export function sqliteActions(sqlite: Database, reads: ReadStore): ActionStore {
  return {
    track(studentIds, now): TrackResult {
      const ids = [...new Set(studentIds)];
      return sqlite
        .transaction((): TrackResult => {
          const known = new Set((sqlite.query('SELECT student_id AS id FROM student_directory WHERE student_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string }[]).map((r) => r.id));
          const unknown = ids.filter((id) => !known.has(id));
          if (unknown.length > 0) return { ok: false, unknown };
          const insert = sqlite.query('INSERT INTO tracked_student (student_id, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING student_id AS id');
          const tracked = ids.filter((id) => insert.get(id, now) !== null);
          if (tracked.length === 0) return { ok: true, version: current(sqlite), tracked, alreadyTracked: ids };
          const version = bump(sqlite);
          sqlite.query('UPDATE student_state SET version = ? WHERE student_id IN (SELECT value FROM json_each(?))').run(version, JSON.stringify(tracked));
          return { ok: true, version, tracked, alreadyTracked: ids.filter((id) => !tracked.includes(id)) };
        })
        .immediate();
    },

    untrack(studentIds): UntrackResult {
      const ids = [...new Set(studentIds)];
      return sqlite
        .transaction((): UntrackResult => {
          const remove = sqlite.query('DELETE FROM tracked_student WHERE student_id = ? RETURNING student_id AS id');
          const untracked = ids.filter((id) => remove.get(id) !== null);
          const version = untracked.length > 0 ? bump(sqlite) : current(sqlite);
          return { version, untracked, notTracked: ids.filter((id) => !untracked.includes(id)) };
        })
        .immediate();
    },

    ack(id, note, now): AckResult {
      return sqlite
        .transaction((): AckResult => {
          const t = reads.alertById(id);
          if (!t) return { ok: false, reason: 'missing' };
          if (t.status === 'resolved') return { ok: false, reason: 'resolved' };
          if (t.status === 'acked' && (note === undefined || note === t.ackNote)) return { ok: true, alert: t };
          const version = bump(sqlite);
          if (t.status === 'open') sqlite.query(`UPDATE trigger_event SET status = 'acked', acked_at = ?, ack_note = ?, version = ? WHERE id = ?`).run(now, note ?? null, version, id);
          else sqlite.query('UPDATE trigger_event SET ack_note = ?, version = ? WHERE id = ?').run(note ?? null, version, id);
          return { ok: true, alert: reads.alertById(id) as AlertRecord };
        })
        .immediate();
    },

    reset: (now) => resetAll(sqlite, now),
  };
}
