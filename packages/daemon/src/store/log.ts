/**
 * The append-only event log and its cursor. Inserting is idempotent (the UNIQUE
 * `source_event_id` plus INSERT OR IGNORE), so re-reading an overlap, a duplicated page or a
 * replay after a crash never stores an event twice. The cursor moves only in its own
 * transaction, after the events it covers are committed.
 */
import { sourceEventKey, tables, type Db, type SourceEvent } from '@lmdash/core';
import { and, asc, desc, eq, gte, sql } from 'drizzle-orm';

const { cursor, vexLog } = tables;

export type IngestResult = { inserted: number; duplicates: number; students: Set<string> };

/** Stores the events of tracked students (all if `tracked` is null) in one transaction. */
export function ingestEvents(db: Db, events: readonly SourceEvent[], tracked: ReadonlySet<string> | null, now: number): IngestResult {
  const result: IngestResult = { inserted: 0, duplicates: 0, students: new Set() };
  db.transaction((tx) => {
    for (const e of events) {
      if (tracked && !tracked.has(e.student)) continue;
      const r = tx
        .insert(vexLog)
        .values({ sourceEventId: sourceEventKey(e.id), studentId: e.student, type: e.type, ts: Date.parse(e.timestamp), data: JSON.stringify(e.data ?? null), ingestedAt: now })
        .onConflictDoNothing({ target: vexLog.sourceEventId })
        .returning({ id: vexLog.id })
        .all();
      if (r.length > 0) {
        result.inserted++;
        result.students.add(e.student);
      } else result.duplicates++;
    }
  });
  return result;
}

export type Cursor = { lastEventTime: number | null; lastSourceId: string | null };

export function readCursor(db: Db): Cursor {
  const row = db.select().from(cursor).where(eq(cursor.id, 1)).get();
  return { lastEventTime: row?.lastEventTime ?? null, lastSourceId: row?.lastSourceId ?? null };
}

/**
 * Moves the cursor forward (never back) in its own transaction. Compare-and-set on the value
 * the drain started from: if another writer moved it meanwhile, nothing is written and the
 * caller learns why — this also enforces the single writer.
 */
export function advanceCursor(db: Db, expected: Cursor, next: Cursor, now: number): { ok: true } | { ok: false; reason: 'moved' | 'backwards' } {
  if (expected.lastEventTime !== null && next.lastEventTime !== null && next.lastEventTime < expected.lastEventTime) return { ok: false, reason: 'backwards' };
  const r = db
    .update(cursor)
    .set({ lastEventTime: next.lastEventTime, lastSourceId: next.lastSourceId, updatedAt: now })
    .where(and(eq(cursor.id, 1), expected.lastEventTime === null ? sql`${cursor.lastEventTime} IS NULL` : eq(cursor.lastEventTime, expected.lastEventTime)))
    .returning({ id: cursor.id })
    .all();
  return r.length === 1 ? { ok: true } : { ok: false, reason: 'moved' };
}

/** A student's most recent events (up to `limit`), oldest first: a worker's tail on a cold start. */
export function studentTail(db: Db, studentId: string, limit: number): { sourceEventId: string; type: string; ts: number; data: unknown; id: number }[] {
  const rows = db
    .select()
    .from(vexLog)
    .where(eq(vexLog.studentId, studentId))
    .orderBy(desc(vexLog.ts), desc(vexLog.id))
    .limit(limit)
    .all();
  return rows.reverse().map((r) => ({ id: r.id, sourceEventId: r.sourceEventId, type: r.type, ts: r.ts, data: JSON.parse(r.data) as unknown }));
}

/** Events stored after log position `afterId`, in order (for workers that are warm). */
export function eventsAfter(db: Db, afterId: number) {
  return db.select().from(vexLog).where(gte(vexLog.id, afterId + 1)).orderBy(asc(vexLog.id)).all();
}
