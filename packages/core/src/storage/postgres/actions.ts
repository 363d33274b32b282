/**
 * The researcher's writes on PostgreSQL: track, untrack, ack, reset. Each is one write
 * transaction holding the `meta` row (see `versions.ts`), and bumps `meta.version` once, with
 * its notice, when it changes something.
 */
import type { AckResult, ActionStore, ReadStore, TrackResult, UntrackResult } from '../port.ts';
import type { AlertRecord } from '../rows.ts';
import { VERSION_CHANNEL } from './channel.ts';
import type { PgConnection } from './connection.ts';
import { bumpTo, writing } from './versions.ts';

/** Emptied by a reset; the roster (`student_directory`) and the distance cache stay. DELETE, not TRUNCATE: a reader's snapshot must not see the tables emptied under it. */
const WIPED = ['vex_log', 'tracked_student', 'student_state', 'run', 'episode', 'trigger_event', 'published_event'];

/**
 * A researcher's reset: wipe everything mirrored and derived, keep the roster, and stamp `meta`
 * so the daemon drops its workers at its next tick and readers on the old epoch take a fresh snapshot.
 */
export function resetAll(conn: PgConnection, now: number): { epoch: number; version: number } {
  return writing(conn, (m) => {
    const next = { epoch: m.epoch + 1, version: m.version + 1 };
    conn.batch([
      ...WIPED.map((t) => ({ text: `DELETE FROM ${t}` })),
      { text: 'UPDATE cursor SET last_event_time = NULL, last_source_id = NULL, updated_at = $1 WHERE id = 1', params: [now] },
      { text: 'UPDATE meta SET epoch = $1, version = $2, reset_requested_at = $3 WHERE id = 1', params: [next.epoch, next.version, now] },
      { text: 'SELECT pg_notify($1, $2)', params: [VERSION_CHANNEL, JSON.stringify(next)] },
    ]);
    return next;
  });
}

export function postgresActions(conn: PgConnection, reads: ReadStore): ActionStore {
  return {
    track(studentIds, now): TrackResult {
      const ids = [...new Set(studentIds)];
      return writing(conn, (m): TrackResult => {
        const known = new Set(conn.query<{ id: string }>('SELECT student_id AS id FROM student_directory WHERE student_id = ANY($1::text[])', [ids]).map((r) => r.id));
        const unknown = ids.filter((id) => !known.has(id));
        if (unknown.length > 0) return { ok: false, unknown };
        const inserted = new Set(
          conn
            .query<{ id: string }>('INSERT INTO tracked_student (student_id, added_at) SELECT id, $2 FROM unnest($1::text[]) AS t(id) ON CONFLICT DO NOTHING RETURNING student_id AS id', [ids, now])
            .map((r) => r.id),
        );
        const tracked = ids.filter((id) => inserted.has(id));
        if (tracked.length === 0) return { ok: true, version: m.version, tracked, alreadyTracked: ids };
        const next = { version: m.version + 1, epoch: m.epoch };
        conn.batch([...bumpTo(next), { text: 'UPDATE student_state SET version = $1 WHERE student_id = ANY($2::text[])', params: [next.version, tracked] }]);
        return { ok: true, version: next.version, tracked, alreadyTracked: ids.filter((id) => !inserted.has(id)) };
      });
    },

    untrack(studentIds): UntrackResult {
      const ids = [...new Set(studentIds)];
      return writing(conn, (m): UntrackResult => {
        const removed = new Set(conn.query<{ id: string }>('DELETE FROM tracked_student WHERE student_id = ANY($1::text[]) RETURNING student_id AS id', [ids]).map((r) => r.id));
        const untracked = ids.filter((id) => removed.has(id));
        if (untracked.length === 0) return { version: m.version, untracked, notTracked: ids };
        const next = { version: m.version + 1, epoch: m.epoch };
        conn.batch(bumpTo(next));
        return { version: next.version, untracked, notTracked: ids.filter((id) => !removed.has(id)) };
      });
    },

    ack(id, note, now): AckResult {
      return writing(conn, (m): AckResult => {
        const t = reads.alertById(id);
        if (!t) return { ok: false, reason: 'missing' };
        if (t.status === 'resolved') return { ok: false, reason: 'resolved' };
        if (t.status === 'acked' && (note === undefined || note === t.ackNote)) return { ok: true, alert: t };
        const next = { version: m.version + 1, epoch: m.epoch };
        const update =
          t.status === 'open'
            ? { text: `UPDATE trigger_event SET status = 'acked', acked_at = $1, ack_note = $2, version = $3 WHERE id = $4`, params: [now, note ?? null, next.version, id] }
            : { text: 'UPDATE trigger_event SET ack_note = $1, version = $2 WHERE id = $3', params: [note ?? null, next.version, id] };
        conn.batch([update, ...bumpTo(next)]);
        return { ok: true, alert: reads.alertById(id) as AlertRecord };
      });
    },

    reset: (now) => resetAll(conn, now),
  };
}
