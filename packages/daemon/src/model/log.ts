/**
 * The mirrored log as the model lab reads it: the students in the log (optionally some of them,
 * optionally within a time window) and each one's events in log order. Read-only, through the
 * storage port. O(E) per student.
 */
import type { LogEvent, Storage } from '@lmdash/core';

export type LogFilter = {
  /** Only these students. */
  students?: readonly string[];
  /** Events at or after this time (epoch ms). */
  from?: number;
  /** Events before this time (epoch ms). */
  to?: number;
};

/** The students with events in the window, sorted; with `students`, those of them that have. */
export function loggedStudents(store: Storage, f: LogFilter = {}): string[] {
  const all = store.log.students({ from: f.from, to: f.to });
  if (!f.students) return all;
  const wanted = new Set(f.students);
  return all.filter((s) => wanted.has(s));
}

/** One student's events in the window, in log order (time, then storage order). */
export function studentEvents(store: Storage, student: string, f: LogFilter = {}): LogEvent[] {
  return store.log.studentEvents(student, { from: f.from, to: f.to });
}
