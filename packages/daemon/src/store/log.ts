/**
 * The append-only event log and its cursor. Inserting is idempotent (the UNIQUE
 * `source_event_id` plus INSERT OR IGNORE), so re-reading an overlap, a duplicated page or a
 * replay after a crash never stores an event twice. The cursor moves only in its own
 * transaction, after the events it covers are committed.
 */
import { sourceEventKey, tables, type Db, type SourceEvent } from '@lmdash/core';
import type { Statement } from 'bun:sqlite';
import { and, eq, sql } from 'drizzle-orm';

const { cursor } = tables;

/** `bytes`: the JSON text of the events' data stored or found stored (what the drain's memory follows). */
export type IngestResult = { inserted: number; duplicates: number; students: Set<string>; bytes: number };

// The drain's hot path: one prepared statement per connection (the query builder costs ~5x).
const inserts = new WeakMap<object, Statement>();
function insertStatement(db: Db): Statement {
  const sqlite = db.$client;
  let stmt = inserts.get(sqlite);
  if (!stmt) {
    stmt = sqlite.prepare(
      'INSERT INTO vex_log (source_event_id, student_id, type, ts, data, ingested_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_event_id) DO NOTHING',
    );
    inserts.set(sqlite, stmt);
  }
  return stmt;
}

/** Stores the events of tracked students (all if `tracked` is null) in one transaction. */
export function ingestEvents(db: Db, events: readonly SourceEvent[], tracked: ReadonlySet<string> | null, now: number): IngestResult {
  const result: IngestResult = { inserted: 0, duplicates: 0, students: new Set(), bytes: 0 };
  const stmt = insertStatement(db);
  db.$client.transaction(() => {
    for (const e of events) {
      if (tracked && !tracked.has(e.student)) continue;
      const data = JSON.stringify(e.data ?? null);
      result.bytes += data.length;
      const r = stmt.run(sourceEventKey(e.id), e.student, e.type, Date.parse(e.timestamp), data, now);
      if (r.changes > 0) {
        result.inserted++;
        result.students.add(e.student);
      } else result.duplicates++;
    }
  })();
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

/** A `vex_log` row as workers hold it: `data` parsed. */
export type StoredEvent = { id: number; studentId: string; sourceEventId: string; type: string; ts: number; data: unknown };

const COLUMNS = 'id, student_id AS studentId, source_event_id AS sourceEventId, type, ts, data';
// Per connection: the query builder prepares a statement per call, which dominated warm ticks.
const reads = new WeakMap<object, { tail: Statement; after: Statement; max: Statement; one: Statement }>();
function readStatements(db: Db) {
  const sqlite = db.$client;
  let r = reads.get(sqlite);
  if (!r) {
    r = {
      tail: sqlite.prepare(`SELECT ${COLUMNS} FROM vex_log WHERE student_id = ? ORDER BY ts DESC, id DESC LIMIT ?`),
      after: sqlite.prepare(`SELECT ${COLUMNS} FROM vex_log WHERE id > ? ORDER BY id`),
      max: sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM vex_log'),
      one: sqlite.prepare('SELECT data FROM vex_log WHERE source_event_id = ?'),
    };
    reads.set(sqlite, r);
  }
  return r;
}

type Raw = Omit<StoredEvent, 'data'> & { data: string };
const parsed = (r: Raw): StoredEvent => ({ id: r.id, studentId: r.studentId, sourceEventId: r.sourceEventId, type: r.type, ts: r.ts, data: JSON.parse(r.data) as unknown });

/** A student's most recent events (up to `limit`), oldest first: a worker's tail on a cold start. */
export function studentTail(db: Db, studentId: string, limit: number): StoredEvent[] {
  return (readStatements(db).tail.all(studentId, limit) as Raw[]).reverse().map(parsed);
}

/** Every event stored after log position `afterId`, in log order: one read per tick feeds every warm worker. */
export function eventsAfter(db: Db, afterId: number): StoredEvent[] {
  return (readStatements(db).after.all(afterId) as Raw[]).map(parsed);
}

/** The newest log position (0 for an empty log). */
export function lastLogId(db: Db): number {
  return (readStatements(db).max.get() as { id: number }).id;
}

/** One stored event's `data`, parsed, by its source event id; undefined when it is not in the log. */
export function eventData(db: Db, sourceEventId: string): unknown {
  const row = readStatements(db).one.get(sourceEventId) as { data: string } | null;
  return row ? (JSON.parse(row.data) as unknown) : undefined;
}
