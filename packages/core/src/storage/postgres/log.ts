/**
 * The append-only event log and its cursor on PostgreSQL. A page is appended by ONE statement
 * (the events bound as arrays, `unnest`), idempotent by the UNIQUE `source_event_id`. Events
 * already stored are filtered out before the insert, not left to ON CONFLICT alone: PostgreSQL
 * draws the id before it detects a conflict, and the id sequence is the "events ever stored"
 * counter (`status.counters`), which a re-read overlap must not inflate.
 */
import { sourceEventKey } from '../../db/schema.ts';
import type { AppendResult, Cursor, CursorMove, LogStore, LogWindow } from '../port.ts';
import type { LogEvent, StoredEvent } from '../rows.ts';
import type { PgConnection } from './connection.ts';

const COLUMNS = 'id, student_id AS "studentId", source_event_id AS "sourceEventId", type, ts, data';
type Raw = Omit<StoredEvent, 'data'> & { data: string };
const parsed = (r: Raw): StoredEvent => ({ id: r.id, studentId: r.studentId, sourceEventId: r.sourceEventId, type: r.type, ts: r.ts, data: JSON.parse(r.data) as unknown });

const APPEND = `INSERT INTO vex_log (source_event_id, student_id, type, ts, data, ingested_at)
  SELECT e.sid, e.student, e.type, e.ts, e.data, $6
  FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY AS e(sid, student, type, ts, data, n)
  WHERE NOT EXISTS (SELECT 1 FROM vex_log v WHERE v.source_event_id = e.sid)
  ORDER BY e.n
  ON CONFLICT (source_event_id) DO NOTHING
  RETURNING student_id AS "studentId"`;

/** ` AND ts >= $k AND ts < $k+1` for the window, numbered after `first - 1` other parameters. */
const window = (w: LogWindow, first: number): [string, number[]] => {
  const parts: string[] = [];
  const args: number[] = [];
  if (w.from !== undefined) (parts.push(` AND ts >= $${first + args.length}`), args.push(w.from));
  if (w.to !== undefined) (parts.push(` AND ts < $${first + args.length}`), args.push(w.to));
  return [parts.join(''), args];
};

export function postgresLog(conn: PgConnection): LogStore {
  return {
    append(events, tracked, now) {
      const result: AppendResult = { inserted: 0, duplicates: 0, students: new Set(), bytes: 0 };
      const seen = new Set<string>();
      const cols: [string[], string[], string[], number[], string[]] = [[], [], [], [], []];
      for (const e of events) {
        if (tracked && !tracked.has(e.student)) continue;
        const data = JSON.stringify(e.data ?? null);
        result.bytes += data.length;
        const key = sourceEventKey(e.id);
        if (seen.has(key)) continue; // a repeat within the page: a duplicate, counted below
        seen.add(key);
        cols[0].push(key), cols[1].push(e.student), cols[2].push(e.type), cols[3].push(Date.parse(e.timestamp)), cols[4].push(data);
      }
      const considered = events.filter((e) => !tracked || tracked.has(e.student)).length;
      if (considered === 0) return result;
      const rows = cols[0].length > 0 ? conn.query<{ studentId: string }>(APPEND, [...cols, now]) : [];
      result.inserted = rows.length;
      result.duplicates = considered - rows.length;
      for (const r of rows) result.students.add(r.studentId);
      return result;
    },

    readCursor(): Cursor {
      const [row] = conn.query<Cursor>('SELECT last_event_time AS "lastEventTime", last_source_id AS "lastSourceId" FROM cursor WHERE id = 1');
      return { lastEventTime: row?.lastEventTime ?? null, lastSourceId: row?.lastSourceId ?? null };
    },

    advanceCursor(expected, next, now): CursorMove {
      if (expected.lastEventTime !== null && next.lastEventTime !== null && next.lastEventTime < expected.lastEventTime) return { ok: false, reason: 'backwards' };
      // One statement: under READ COMMITTED a concurrent move makes the WHERE fail, never both win.
      const r = conn.query(
        'UPDATE cursor SET last_event_time = $1, last_source_id = $2, updated_at = $3 WHERE id = 1 AND last_event_time IS NOT DISTINCT FROM $4::bigint RETURNING id',
        [next.lastEventTime, next.lastSourceId, now, expected.lastEventTime],
      );
      return r.length === 1 ? { ok: true } : { ok: false, reason: 'moved' };
    },

    studentTail: (studentId, limit) => conn.query<Raw>(`SELECT ${COLUMNS} FROM vex_log WHERE student_id = $1 ORDER BY ts DESC, id DESC LIMIT $2`, [studentId, limit]).reverse().map(parsed),
    eventsAfter: (afterId) => conn.query<Raw>(`SELECT ${COLUMNS} FROM vex_log WHERE id > $1 ORDER BY id`, [afterId]).map(parsed),
    lastPosition: () => conn.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM vex_log')[0]!.id,
    eventData(sourceEventId) {
      const [row] = conn.query<{ data: string }>('SELECT data FROM vex_log WHERE source_event_id = $1', [sourceEventId]);
      return row ? (JSON.parse(row.data) as unknown) : undefined;
    },

    students(w = {}) {
      const [where, args] = window(w, 1);
      return conn.query<{ id: string }>(`SELECT DISTINCT student_id COLLATE "C" AS id FROM vex_log WHERE true${where} ORDER BY 1`, args).map((r) => r.id);
    },

    studentEvents(studentId, w = {}): LogEvent[] {
      const [where, args] = window(w, 2);
      const rows = conn.query<{ sourceEventId: string; type: string; ts: number; data: string }>(
        `SELECT source_event_id AS "sourceEventId", type, ts, data FROM vex_log WHERE student_id = $1${where} ORDER BY ts, id`,
        [studentId, ...args],
      );
      return rows.map((r) => ({ sourceEventId: r.sourceEventId, type: r.type, ts: r.ts, data: JSON.parse(r.data) as unknown }));
    },

    studentPage(studentId, after, limit, w = {}) {
      // Keyset paging on the (student_id, ts, id) index; a row comparison is one index range.
      const from = after === null ? '' : ' AND (ts, id) > ($2, $3)';
      const [where, args] = window(w, after === null ? 2 : 4);
      const params = [studentId, ...(after === null ? [] : [after.ts, after.id]), ...args, limit];
      return conn.query<Raw>(`SELECT ${COLUMNS} FROM vex_log WHERE student_id = $1${from}${where} ORDER BY ts, id LIMIT $${params.length}`, params).map(parsed);
    },
  };
}
