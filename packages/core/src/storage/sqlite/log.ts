/**
 * The append-only event log and its cursor on SQLite. Appending is idempotent (the UNIQUE
 * `source_event_id` and ON CONFLICT DO NOTHING), so re-reading an overlap, a duplicated page or
 * a replay after a crash never stores an event twice. The cursor moves by compare-and-set.
 */
import type { Database, Statement } from 'bun:sqlite';
import { sourceEventKey } from '../../db/schema.ts';
import type { AppendResult, Cursor, CursorMove, LogStore, LogWindow } from '../port.ts';
import type { LogEvent, StoredEvent } from '../rows.ts';

const COLUMNS = 'id, student_id AS studentId, source_event_id AS sourceEventId, type, ts, data';
type Raw = Omit<StoredEvent, 'data'> & { data: string };
const parsed = (r: Raw): StoredEvent => ({ id: r.id, studentId: r.studentId, sourceEventId: r.sourceEventId, type: r.type, ts: r.ts, data: JSON.parse(r.data) as unknown });

const window = (w: LogWindow): [string, number[]] => [
  `${w.from !== undefined ? ' AND ts >= ?' : ''}${w.to !== undefined ? ' AND ts < ?' : ''}`,
  [...(w.from !== undefined ? [w.from] : []), ...(w.to !== undefined ? [w.to] : [])],
];

export function sqliteLog(sqlite: Database): LogStore {
  // The drain's and the workers' hot paths: statements prepared once (the query builder costs ~5x).
  let s: { insert: Statement; tail: Statement; after: Statement; max: Statement; one: Statement } | null = null;
  const st = () =>
    (s ??= {
      insert: sqlite.prepare('INSERT INTO vex_log (source_event_id, student_id, type, ts, data, ingested_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_event_id) DO NOTHING'),
      tail: sqlite.prepare(`SELECT ${COLUMNS} FROM vex_log WHERE student_id = ? ORDER BY ts DESC, id DESC LIMIT ?`),
      after: sqlite.prepare(`SELECT ${COLUMNS} FROM vex_log WHERE id > ? ORDER BY id`),
      max: sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM vex_log'),
      one: sqlite.prepare('SELECT data FROM vex_log WHERE source_event_id = ?'),
    });

  return {
    append(events, tracked, now) {
      const result: AppendResult = { inserted: 0, duplicates: 0, students: new Set(), bytes: 0 };
      const { insert } = st();
      sqlite.transaction(() => {
        for (const e of events) {
          if (tracked && !tracked.has(e.student)) continue;
          const data = JSON.stringify(e.data ?? null);
          result.bytes += data.length;
          const r = insert.run(sourceEventKey(e.id), e.student, e.type, Date.parse(e.timestamp), data, now);
          if (r.changes > 0) {
            result.inserted++;
            result.students.add(e.student);
          } else result.duplicates++;
        }
      })();
      return result;
    },

    readCursor(): Cursor {
      const row = sqlite.query('SELECT last_event_time AS lastEventTime, last_source_id AS lastSourceId FROM cursor WHERE id = 1').get() as Cursor | null;
      return { lastEventTime: row?.lastEventTime ?? null, lastSourceId: row?.lastSourceId ?? null };
    },

    advanceCursor(expected, next, now): CursorMove {
      if (expected.lastEventTime !== null && next.lastEventTime !== null && next.lastEventTime < expected.lastEventTime) return { ok: false, reason: 'backwards' };
      const r = sqlite
        .query('UPDATE cursor SET last_event_time = ?1, last_source_id = ?2, updated_at = ?3 WHERE id = 1 AND last_event_time IS ?4 RETURNING id')
        .all(next.lastEventTime, next.lastSourceId, now, expected.lastEventTime);
      return r.length === 1 ? { ok: true } : { ok: false, reason: 'moved' };
    },

    studentTail: (studentId, limit) => (st().tail.all(studentId, limit) as Raw[]).reverse().map(parsed),
    eventsAfter: (afterId) => (st().after.all(afterId) as Raw[]).map(parsed),
    lastPosition: () => (st().max.get() as { id: number }).id,
    eventData(sourceEventId) {
      const row = st().one.get(sourceEventId) as { data: string } | null;
      return row ? (JSON.parse(row.data) as unknown) : undefined;
    },

    students(w = {}) {
      const [where, args] = window(w);
      return (sqlite.query(`SELECT DISTINCT student_id AS id FROM vex_log WHERE 1 = 1${where} ORDER BY student_id`).all(...args) as { id: string }[]).map((r) => r.id);
    },

    studentEvents(studentId, w = {}): LogEvent[] {
      const [where, args] = window(w);
      const rows = sqlite
        .query(`SELECT source_event_id AS sourceEventId, type, ts, data FROM vex_log WHERE student_id = ?${where} ORDER BY ts, id`)
        .all(studentId, ...args) as { sourceEventId: string; type: string; ts: number; data: string }[];
      return rows.map((r) => ({ sourceEventId: r.sourceEventId, type: r.type, ts: r.ts, data: JSON.parse(r.data) as unknown }));
    },

    studentPage(studentId, after, limit, w = {}) {
      const [where, args] = window(w);
      // Keyset paging on the (student_id, ts, id) index: each page is one index range scan.
      const from = after === null ? '' : ' AND (ts, id) > (?, ?)';
      const rows = sqlite
        .query(`SELECT ${COLUMNS} FROM vex_log WHERE student_id = ?${from}${where} ORDER BY ts, id LIMIT ?`)
        .all(studentId, ...(after === null ? [] : [after.ts, after.id]), ...args, limit) as Raw[];
      return rows.map(parsed);
    },
  };
}
