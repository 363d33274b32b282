/**
 * Stores a producer's event so that later snapshots replay it: the latest per (type, name),
 * for `series` the latest SERIES_POINTS points of each name, for `note` (a log) the latest
 * NOTES_KEPT of each name, and at most MAX_STORED_EVENTS /
 * about MAX_STORED_BYTES in all (the oldest go first). Insert and prune are one transaction.
 */
import type { PublishEvent, PublishedEvent } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';
import { writeTransaction } from '../context.ts';

export const SERIES_POINTS = 500;
export const NOTES_KEPT = 200;
/** How many events of one (type, name) a snapshot replays: a history for series and notes, else the latest. */
const KEEP: Record<string, number> = { series: SERIES_POINTS, note: NOTES_KEPT };
export const MAX_STORED_EVENTS = 10_000;
export const MAX_STORED_BYTES = 32 * 1024 * 1024;
/** The byte total is checked every this many small events (it can exceed the bound by at most that many). */
const BYTES_CHECK_EVERY = 32;
const insertsSinceCheck = new WeakMap<Database, number>();

/** The name an event is kept under: its `name` when it is a string, else ''. */
export const nameOf = (event: PublishEvent): string => (typeof (event as { name?: unknown }).name === 'string' ? (event as { name: string }).name : '');

export function storePublished(sqlite: Database, event: PublishEvent, now: number): PublishedEvent {
  const name = nameOf(event);
  const body = JSON.stringify(event);
  return writeTransaction(sqlite, () => {
    const { id } = sqlite.query('INSERT INTO published_event (type, name, received_at, body) VALUES (?, ?, ?, ?) RETURNING id').get(event.type, name, now, body) as { id: number };
    const keep = KEEP[event.type] ?? 1;
    sqlite
      .query('DELETE FROM published_event WHERE type = ?1 AND name = ?2 AND id NOT IN (SELECT id FROM published_event WHERE type = ?1 AND name = ?2 ORDER BY id DESC LIMIT ?3)')
      .run(event.type, name, keep);
    const { n } = sqlite.query('SELECT COUNT(*) AS n FROM published_event').get() as { n: number };
    // Summing the bodies reads them all: done for big events and every BYTES_CHECK_EVERY inserts.
    const writes = (insertsSinceCheck.get(sqlite) ?? 0) + 1;
    const checkBytes = body.length > 32 * 1024 || writes >= BYTES_CHECK_EVERY;
    insertsSinceCheck.set(sqlite, checkBytes ? 0 : writes);
    const bytes = checkBytes ? (sqlite.query('SELECT COALESCE(SUM(LENGTH(body)), 0) AS b FROM published_event').get() as { b: number }).b : 0;
    if (n > MAX_STORED_EVENTS || bytes > MAX_STORED_BYTES) pruneOldest(sqlite, n, bytes, id);
    return { seq: id, receivedAt: now, event: event as PublishedEvent['event'] };
  });
}

/** Deletes the oldest events (never the one just stored) until within both bounds. */
function pruneOldest(sqlite: Database, count: number, bytes: number, keep: number): void {
  const oldest = sqlite.query('SELECT id, LENGTH(body) AS size FROM published_event WHERE id != ? ORDER BY id').iterate(keep) as IterableIterator<{ id: number; size: number }>;
  const doomed: number[] = [];
  for (const r of oldest) {
    if (count <= MAX_STORED_EVENTS && bytes <= MAX_STORED_BYTES) break;
    doomed.push(r.id);
    count--;
    bytes -= r.size;
  }
  sqlite.query('DELETE FROM published_event WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(doomed));
}
