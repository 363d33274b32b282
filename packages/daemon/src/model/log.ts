/**
 * The mirrored log as the model lab reads it: the students in `vex_log` (optionally some of
 * them, optionally within a time window) and each one's events in log order. Read-only.
 * O(E) per student.
 */
import type { Db } from '@lmdash/core';
import type { LogEvent } from '../projection/projectStudent.ts';

export type LogFilter = {
  /** Only these students. */
  students?: readonly string[];
  /** Events at or after this time (epoch ms). */
  from?: number;
  /** Events before this time (epoch ms). */
  to?: number;
};

const window = (f: LogFilter): [string, number[]] => [
  `${f.from !== undefined ? ' AND ts >= ?' : ''}${f.to !== undefined ? ' AND ts < ?' : ''}`,
  [...(f.from !== undefined ? [f.from] : []), ...(f.to !== undefined ? [f.to] : [])],
];

/** The students with events in the window, sorted; with `students`, those of them that have. */
export function loggedStudents(db: Db, f: LogFilter = {}): string[] {
  const [where, args] = window(f);
  const all = (db.$client.query(`SELECT DISTINCT student_id AS id FROM vex_log WHERE 1 = 1${where} ORDER BY student_id`).all(...args) as { id: string }[]).map((r) => r.id);
  if (!f.students) return all;
  const wanted = new Set(f.students);
  return all.filter((s) => wanted.has(s));
}

/** One student's events in the window, in log order (time, then storage order). */
export function studentEvents(db: Db, student: string, f: LogFilter = {}): LogEvent[] {
  const [where, args] = window(f);
  const rows = db.$client
    .query(`SELECT source_event_id AS sourceEventId, type, ts, data FROM vex_log WHERE student_id = ?${where} ORDER BY ts, id`)
    .all(student, ...args) as { sourceEventId: string; type: string; ts: number; data: string }[];
  return rows.map((r) => ({ sourceEventId: r.sourceEventId, type: r.type, ts: r.ts, data: JSON.parse(r.data) as unknown }));
}
